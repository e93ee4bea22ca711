use leptos::prelude::*;
use leptos_strapi_auth::use_auth;

use crate::routes::{Page, use_replace};

/// `/`: no page of its own; it sends the person where they belong (dashboard or login page).
#[component]
pub fn HomePage() -> impl IntoView {
    let auth = use_auth();
    let replace = use_replace();
    // A task later: a link's navigation to `/` reaches the history first, so this replaces `/`
    // rather than the page the link was on.
    let here = StoredValue::new(());
    Effect::new(move || {
        let replace = replace.clone();
        set_timeout(
            move || {
                // Gone meanwhile (the app unmounted): the address is no longer ours to change.
                if here.try_get_value().is_none() {
                    return;
                }
                let page = if auth.is_logged_in_untracked() {
                    Page::Dashboard
                } else {
                    Page::Login
                };
                replace(page.path());
            },
            std::time::Duration::ZERO,
        );
    });
}
