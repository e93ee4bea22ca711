use leptos::prelude::*;

/// The page frame every screen shares: a centred card with its heading, which names the region.
#[component]
pub fn Card(
    title: &'static str,
    /// A line under the heading, if the page has one.
    #[prop(optional)]
    lead: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <main class="page">
            <section class="card" aria-labelledby="page-title">
                <h1 id="page-title">{title}</h1>
                {lead.map(|lead| view! { <p class="card__lead">{lead}</p> })}
                {children()}
            </section>
        </main>
    }
}
