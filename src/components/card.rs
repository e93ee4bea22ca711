use leptos::prelude::*;

use super::LanguagePicker;
use crate::config::Brand;
use crate::i18n::{T, t, tr};
use crate::messages::notice_text;
use leptos_strapi_auth::use_auth;

/// The page frame every screen shares: a centred card with its heading, which names the region.
#[component]
pub fn Card(
    title: T,
    /// A line under the heading, if the page has one.
    #[prop(optional)]
    lead: Option<T>,
    children: Children,
) -> impl IntoView {
    view! {
        <main class="page">
            <section class="card" aria-labelledby="page-title">
                <BrandLine title />
                <h1 id="page-title">{tr(title)}</h1>
                {lead.map(|lead| view! { <p class="card__lead">{tr(lead)}</p> })}
                {children()}
                <LanguagePicker />
            </section>
        </main>
    }
}

/// The operator's logo or name above a card's heading (nothing without a brand), and the page's
/// title: "`title` · name".
#[component]
fn BrandLine(title: T) -> impl IntoView {
    let brand = use_context::<Brand>().unwrap_or_default();
    let page_title = {
        let name = brand.name.clone();
        move || match &name {
            Some(name) => format!("{} · {name}", t(title)),
            None => t(title).to_owned(),
        }
    };
    // Now, and again in each language the person switches to.
    document().set_title(&page_title());
    Effect::new(move || document().set_title(&page_title()));
    // Options rather than a type-erased view: smaller, and each is built only when it shows.
    let Brand { name, logo } = brand;
    let text = name.clone().filter(|_| logo.is_none());
    let image = logo.map(|logo| {
        view! { <img class="brand brand--logo" src=logo alt=name.unwrap_or_default() /> }
    });
    (
        image,
        text.map(|name| view! { <p class="brand">{name}</p> }),
    )
}

/// What the app must tell the person about their session (logged out, expired, not renewable),
/// while there is something to tell.
#[component]
pub fn SessionNotice() -> impl IntoView {
    let auth = use_auth();
    move || {
        auth.notice().map(
            |notice| view! { <p class="notice" role="status">{move || notice_text(notice)}</p> },
        )
    }
}
