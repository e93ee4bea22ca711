use leptos::prelude::*;
use leptos_strapi_auth::use_auth;

use crate::routes::{Page, use_replace};

/// `/`: no page of its own; it sends the person where they belong (dashboard or login page).
#[component]
pub fn HomePage() -> impl IntoView {
    let auth = use_auth();
    let replace = use_replace();
    // An effect, so the address changes after this view is built, not while it is.
    Effect::new(move || {
        let page = if auth.is_logged_in_untracked() {
            Page::Dashboard
        } else {
            Page::Login
        };
        replace(page.path());
    });
}
