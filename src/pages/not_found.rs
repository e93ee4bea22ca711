use leptos::prelude::*;

use crate::Page;

/// Any path the route table does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <main class="page">
            <section class="card" aria-labelledby="not-found-title">
                <h1 id="not-found-title">"Page not found"</h1>
                <p class="card__lead">"There is nothing at this address."</p>
                // A plain link: the app's own links are followed without a reload (navigation.rs).
                <a href=Page::Home.path() class="button">
                    "Go to the start page"
                </a>
            </section>
        </main>
    }
}
