use leptos::prelude::*;
use leptos_router::components::A;

use crate::Page;

/// Any path the route table does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <main class="page">
            <section class="card" aria-labelledby="not-found-title">
                <h1 id="not-found-title">"Page not found"</h1>
                <p class="card__lead">"There is nothing at this address."</p>
                <A href=Page::Home.path() attr:class="button">
                    "Go to the start page"
                </A>
            </section>
        </main>
    }
}
