//! Entry point: installs the panic hook and mounts the app against the configured Strapi.

use std::sync::Arc;

use strapi_login::{App, config::StrapiConfig, http::Fetch, panic_hook, strapi::Strapi};

fn main() {
    panic_hook::install();
    let strapi = Strapi::new(StrapiConfig::from_document(), Arc::new(Fetch));
    leptos::mount::mount_to_body(move || leptos::view! { <App strapi /> });
}
