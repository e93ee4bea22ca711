use leptos::prelude::*;

use leptos_router::hooks::use_query_map;
use leptos_strapi_auth::{after_sign_in, use_auth};

use crate::config::use_config;
use crate::i18n::{T, tf, tr};
use crate::providers::{display_name, remember_return};

/// "Continue with …" for each provider the page names (`strapi-providers`). Each is a plain link
/// to Strapi's `/connect/:provider`, a top-level navigation as OAuth needs; before the browser
/// leaves, the page to return to is kept for this tab (Strapi brings nothing of ours back).
#[component]
pub fn ProviderLogins() -> impl IntoView {
    let auth = use_auth();
    let strapi = auth.strapi();
    let config = use_config();
    let keys = config.providers;
    // "Sign in with a passkey", when offered, stands above these under the same "or".
    let or = !config.passkeys;
    (!keys.is_empty()).then(|| {
        let requested = use_query_map().with_untracked(|query| query.get("redirect"));
        let target = after_sign_in(auth, requested);
        let links: Vec<_> = keys
            .iter()
            .map(|key| {
                let target = target.clone();
                let remember = move |_| remember_return(&target);
                let name = display_name(key).to_owned();
                view! {
                    <a class="button button--secondary" href=strapi.connect_url(key) on:click=remember>
                        {move || tf(T::ContinueWith, &[("provider", &name)])}
                    </a>
                }
            })
            .collect();
        view! {
            <div class="providers">
                {or.then(|| view! { <p class="providers__or">{tr(T::Or)}</p> })}
                {links}
            </div>
        }
    })
}
