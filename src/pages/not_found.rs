use leptos::prelude::*;

use crate::Page;
use crate::components::{BrandLine, LanguagePicker};
use crate::i18n::{T, t};

/// Any path the route table does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <main class="page">
            <section class="card" aria-labelledby="not-found-title">
                <BrandLine title=t(T::NotFound) />
                <h1 id="not-found-title">{t(T::NotFound)}</h1>
                <p class="card__lead">{t(T::NotFoundLead)}</p>
                // A plain link: the app's own links are followed without a reload (navigation.rs).
                <a href=Page::Home.path() class="button">
                    {t(T::GoToStart)}
                </a>
                <LanguagePicker />
            </section>
        </main>
    }
}
