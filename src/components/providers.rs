use leptos::prelude::*;

use crate::auth::use_auth;
use crate::i18n::{T, t, tf};
use crate::navigation::use_navigation;
use crate::providers::{RETURN_KEY, display_name};
use crate::{redirect, storage};

/// "Continue with …" for each provider the page names (`strapi-providers`). Each is a plain link
/// to Strapi's `/connect/:provider`, a top-level navigation as OAuth needs; before the browser
/// leaves, the page to return to is kept for this tab (Strapi brings nothing of ours back).
#[component]
pub fn ProviderLogins() -> impl IntoView {
    let strapi = use_auth().strapi();
    let keys = &strapi.config().providers;
    (!keys.is_empty()).then(|| {
        let navigation = use_navigation();
        let target = redirect::safe_target(navigation.query_untracked("redirect").as_deref());
        let links: Vec<_> = keys
            .iter()
            .map(|key| {
                let target = target.clone();
                let remember = move |_| storage::keep_for_this_tab(RETURN_KEY, &target);
                view! {
                    <a class="button button--secondary" href=strapi.connect_url(key) on:click=remember>
                        {tf(T::ContinueWith, &[("provider", display_name(key))])}
                    </a>
                }
            })
            .collect();
        view! {
            <div class="providers">
                <p class="providers__or">{t(T::Or)}</p>
                {links}
            </div>
        }
    })
}
