//! Entry point: installs the panic hook and mounts the app against the configured Strapi, in place
//! of the login page drawn at build time when there is one.

use std::sync::Arc;

use strapi_auth::http::Fetch;
use strapi_login::{App, Backend, config::StrapiConfig, i18n, lazy, panic_hook, prerendered};

fn main() {
    panic_hook::install();
    let backend = Backend::new(StrapiConfig::from_document(), Arc::new(Fetch));
    // In the person's language: a catalog other than English's is fetched first (English is
    // built in and mounts at once, on the first poll).
    let locale = i18n::preferred();
    // A page opened directly fetches its code beside the catalog, not after it.
    if let Ok(path) = leptos::prelude::window().location().pathname() {
        lazy::preload_for(&path);
    }
    // wasm-bindgen-futures: Leptos's own executor starts with the app.
    wasm_bindgen_futures::spawn_local(async move {
        if locale != "en"
            && let Some(catalog) = i18n::load(&locale).await
        {
            i18n::set(catalog);
        }
        mount(backend);
    });
}

fn mount(backend: Backend) {
    i18n::apply_to_document();
    // The login page may have been drawn at build time: the app replaces it with its own.
    let document = leptos::prelude::document();
    let early = prerendered::take(&document);
    leptos::mount::mount_to_body(move || leptos::view! { <App backend /> });
    if let Some(early) = early {
        early.restore(&document);
    }
}
