use leptos::prelude::*;

use crate::auth::use_auth;

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

/// What the app must tell the person about their session (logged out, expired, not renewable),
/// while there is something to tell.
#[component]
pub fn SessionNotice() -> impl IntoView {
    let auth = use_auth();
    move || {
        auth.notice()
            .map(|notice| view! { <p class="notice" role="status">{notice.text()}</p> })
    }
}
