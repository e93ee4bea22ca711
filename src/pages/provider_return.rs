use leptos::prelude::*;
use leptos::task::spawn_local;

use leptos_router::hooks::{use_location, use_params_map, use_query_map};
use leptos_strapi_auth::{SignInError, after_sign_in, use_auth};
use strapi_auth::ErrorKind;
use strapi_auth::answers::clip;

use crate::account::confirm;
use crate::components::{Card, Problem};
use crate::config::use_config;
use crate::i18n::{T, Text, tf, tr};
use crate::messages::error_text;
use crate::providers::{display_name, take_return};
use crate::routes::{Page, use_replace};

/// Why a provider login did not end in a session, in words for the person.
pub fn refused(error: &SignInError, provider: &str) -> Text {
    let name = display_name(provider).to_owned();
    match error {
        // Opened without a provider login to finish.
        SignInError::Strapi(error) if error.kind() == ErrorKind::NoProviderSession => {
            Text::new(move || tf(T::NoProviderLogin, &[("provider", &name)]))
        }
        SignInError::Strapi(error) => {
            let error = error.clone();
            Text::new(move || {
                let reason = error_text(&error);
                tf(
                    T::ProviderFailed,
                    &[("provider", &name), ("reason", &reason)],
                )
            })
        }
        _ => Problem::storage_blocked().summary,
    }
}

/// The provider's own refusal (`?error=…&error_description=…` from Strapi's redirect), as text.
pub fn denied(provider: &str, error: &str, description: Option<&str>) -> Text {
    let why = clip(
        description
            .filter(|d| !d.trim().is_empty())
            .unwrap_or(error)
            .trim(),
    );
    let name = display_name(provider).to_owned();
    Text::new(move || tf(T::ProviderFailed, &[("provider", &name), ("reason", &why)]))
}

/// `/connect/:provider/redirect`: where Strapi sends the browser back from a provider. The page
/// asks Strapi for the session of the login that just happened (with Strapi's session cookie),
/// stores it as a login does, and goes where the person was going before they left.
#[component]
pub fn ProviderReturnPage() -> impl IntoView {
    let auth = use_auth();
    let replace = use_replace();
    let path = use_location().pathname.get_untracked();
    let provider = use_params_map()
        .with_untracked(|params| params.get("provider"))
        .unwrap_or_default();
    let query = use_query_map().get_untracked();
    let query = |key| query.get(key);
    let (error, description) = (query("error"), query("error_description"));
    // Strapi 5.52 and earlier sent the provider's tokens in the query, for the app to pass on.
    let tokens: Vec<(&str, String)> = ["access_token", "id_token"]
        .into_iter()
        .filter_map(|name| query(name).map(|value| (name, value)))
        .collect();
    // Tokens and errors leave the address bar at once.
    replace(&path);

    let failed = RwSignal::new(None::<Text>);
    if let Some(error) = error {
        failed.set(Some(denied(&provider, &error, description.as_deref())));
    } else if !use_config().providers.contains(&provider) {
        let name = display_name(&provider).to_owned();
        failed.set(Some(Text::new(move || {
            tf(T::ProviderNotOffered, &[("provider", &name)])
        })));
    } else {
        let provider = provider.clone();
        // Left from "Confirm it's you": this sign-in confirms it's the person (its answer
        // carries a confirmation), and what they asked for goes on once the account page shows.
        let confirming = confirm::take_for_provider();
        spawn_local(async move {
            match auth.provider_login(&provider, &tokens).await {
                Ok(()) => {
                    if let Some(pending) = confirming {
                        confirm::resume_next(pending);
                    }
                    replace(&after_sign_in(auth, take_return()))
                }
                Err(error) => {
                    failed.try_set(Some(refused(&error, &provider)));
                }
            }
        });
    }

    let name = display_name(&provider).to_owned();
    view! {
        <Card title=T::LoggingInTitle>
            {move || match failed.get() {
                None => {
                    let name = name.clone();
                    view! {
                        <p class="status" role="status">
                            {move || tf(T::FinishingProviderLogin, &[("provider", &name)])}
                        </p>
                    }
                        .into_any()
                }
                Some(message) => {
                    view! {
                        <div class="alert" role="alert">
                            <p>{move || message.get()}</p>
                            <a href=Page::Login.path()>{tr(T::BackToLogin)}</a>
                        </div>
                    }
                        .into_any()
                }
            }}
        </Card>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strapi_auth::answers;

    #[test]
    fn a_provider_refusal_shows_its_description_as_plain_clipped_text() {
        let shown = denied(
            "github",
            "access_denied",
            Some("The user denied the request"),
        );
        assert_eq!(
            shown,
            "The login with GitHub did not succeed: The user denied the request"
        );
        assert!(
            denied("github", "access_denied", Some("  "))
                .get()
                .ends_with("access_denied")
        );
        let long = denied("x", "e", Some(&"<b>".repeat(500)));
        assert!(long.get().chars().count() < 400);
    }

    #[test]
    fn a_page_opened_without_a_login_says_so_calmly() {
        let body = r#"{"data":null,"error":{"status":400,"name":"ApplicationError","message":"OAuth authentication requires a completed provider session","details":{}}}"#;
        assert!(
            refused(&SignInError::Strapi(answers::error(400, body)), "google")
                .get()
                .starts_with("There is no login with Google")
        );
        let taken = r#"{"data":null,"error":{"status":400,"name":"ApplicationError","message":"Email is already taken.","details":{}}}"#;
        assert_eq!(
            refused(&SignInError::Strapi(answers::error(400, taken)), "mock"),
            "The login with mock did not succeed: Email is already taken."
        );
    }
}
