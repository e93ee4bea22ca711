//! Entry point: installs the panic hook and mounts the app against the configured Strapi, in place
//! of the login page drawn at build time when there is one.

use std::sync::Arc;

use strapi_login::{
    App, config::StrapiConfig, http::Fetch, panic_hook, prerendered, strapi::Strapi,
};

fn main() {
    panic_hook::install();
    let strapi = Strapi::new(StrapiConfig::from_document(), Arc::new(Fetch));
    // The login page may have been drawn at build time: the app replaces it with its own.
    let document = leptos::prelude::document();
    let early = prerendered::take(&document);
    leptos::mount::mount_to_body(move || leptos::view! { <App strapi /> });
    if let Some(early) = early {
        early.restore(&document);
    }
}
