use leptos::ev::SubmitEvent;
use leptos::html::{Input, P};
use leptos::prelude::*;
use leptos::task::{spawn_local, tick};

use crate::auth::use_auth;
use crate::components::Field;
use crate::strapi::{ApiError, Field as StrapiField};

/// What the form shows after a failed attempt: a summary for the alert, and a message per field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problem {
    pub summary: String,
    pub identifier: Option<String>,
    pub password: Option<String>,
}

impl Problem {
    /// Strapi's own message when it sent one, its per-field messages next to their fields.
    pub fn from_api(error: &ApiError) -> Self {
        Self {
            summary: error.to_string(),
            identifier: error
                .field_message(StrapiField::Identifier)
                .map(str::to_owned),
            password: error
                .field_message(StrapiField::Password)
                .map(str::to_owned),
        }
    }

    fn storage_blocked() -> Self {
        Self {
            summary: "This browser is blocking site storage, so the login cannot be kept. \
                      Allow site data for this page and try again."
                .to_owned(),
            ..Self::default()
        }
    }
}

/// Checks the form before anything is sent, so an obvious slip costs no request (and no rate-limit
/// slot). `identifier` is already trimmed; the password is taken exactly as typed.
pub fn check(identifier: &str, password: &str) -> Result<(), Problem> {
    const NO_IDENTIFIER: &str = "Enter your email or username.";
    const NO_PASSWORD: &str = "Enter your password.";
    let summary = match (identifier.is_empty(), password.is_empty()) {
        (false, false) => return Ok(()),
        (true, true) => "Enter your email or username and your password.",
        (true, false) => NO_IDENTIFIER,
        (false, true) => NO_PASSWORD,
    };
    Err(Problem {
        summary: summary.to_owned(),
        identifier: identifier.is_empty().then(|| NO_IDENTIFIER.to_owned()),
        password: password.is_empty().then(|| NO_PASSWORD.to_owned()),
    })
}

/// `/auth/login`: the email-or-username and password form.
#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = use_auth();

    let identifier = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let problem = RwSignal::new(None::<Problem>);

    let identifier_input = NodeRef::<Input>::new();
    let password_input = NodeRef::<Input>::new();
    let alert = NodeRef::<P>::new();

    // After a failure, focus goes where the person must act: the first field with a problem, or the
    // alert itself (which screen readers then read out).
    let show_problem = move |p: Problem| async move {
        let first_invalid = if p.identifier.is_some() {
            Some(identifier_input)
        } else if p.password.is_some() {
            Some(password_input)
        } else {
            None
        };
        problem.set(Some(p));
        tick().await;
        let focused = match first_invalid {
            Some(input) => input.get_untracked().map(|el| el.focus()),
            None => alert.get_untracked().map(|el| el.focus()),
        };
        drop(focused);
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // The button is disabled while a request is in flight, but a fast double click can beat
        // the re-render: this guard is what guarantees a single request.
        if pending.get_untracked() {
            return;
        }
        let id = identifier.get_untracked().trim().to_owned();
        let pw = password.get_untracked();
        if let Err(p) = check(&id, &pw) {
            spawn_local(show_problem(p));
            return;
        }
        pending.set(true);
        problem.set(None);
        spawn_local(async move {
            let outcome = match auth.strapi().login(&id, &pw).await {
                // On success the route guard sees the session and moves on to the dashboard.
                Ok(logged_in) => auth
                    .sign_in(logged_in.session, logged_in.user)
                    .map_err(|_| Problem::storage_blocked()),
                Err(error) => Err(Problem::from_api(&error)),
            };
            pending.set(false);
            if let Err(p) = outcome {
                password.set(String::new());
                show_problem(p).await;
            }
        });
    };

    // For the benchmark (and any RUM tool): the form is on screen and its handlers are live.
    Effect::new(move || {
        if let Some(performance) = window().performance() {
            let _ = performance.mark("login-ready");
        }
    });

    let field_error = move |pick: fn(&Problem) -> Option<String>| {
        Signal::derive(move || problem.with(|p| p.as_ref().and_then(pick)))
    };

    view! {
        <main class="page">
            <section class="card" aria-labelledby="login-title">
                <h1 id="login-title">"Log in"</h1>
                <p class="card__lead">"Use your email address or username."</p>
                {move || {
                    auth.notice()
                        .map(|notice| view! { <p class="notice" role="status">{notice.text()}</p> })
                }}
                {move || {
                    problem
                        .get()
                        .map(|p| {
                            view! {
                                <p class="alert" role="alert" tabindex="-1" node_ref=alert>
                                    {p.summary}
                                </p>
                            }
                        })
                }}
                <form class="form" novalidate on:submit=submit>
                    <Field
                        id="identifier"
                        label="Email or username"
                        autocomplete="username"
                        value=identifier
                        error=field_error(|p| p.identifier.clone())
                        node_ref=identifier_input
                        verbatim=true
                    />
                    <Field
                        id="password"
                        label="Password"
                        kind="password"
                        autocomplete="current-password"
                        value=password
                        error=field_error(|p| p.password.clone())
                        node_ref=password_input
                    />
                    <button type="submit" class="button" disabled=move || pending.get()>
                        {move || if pending.get() { "Logging in…" } else { "Log in" }}
                    </button>
                </form>
            </section>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filled_form_passes() {
        assert_eq!(check("ann", " secret "), Ok(()));
    }

    #[test]
    fn each_empty_field_gets_its_own_message() {
        let both = check("", "").unwrap_err();
        assert!(both.identifier.is_some() && both.password.is_some());
        let id = check("", "pw").unwrap_err();
        assert_eq!(id.summary, "Enter your email or username.");
        assert_eq!(id.password, None);
        let pw = check("ann", "").unwrap_err();
        assert_eq!(pw.identifier, None);
        assert_eq!(pw.password.as_deref(), Some("Enter your password."));
    }

    #[test]
    fn strapi_messages_reach_the_summary_and_the_fields() {
        let body = r#"{"error":{"status":400,"message":"2 errors occurred","details":{"errors":[
            {"path":["identifier"],"message":"identifier is a required field"}]}}}"#;
        let p = Problem::from_api(&crate::strapi::answers::error(400, body));
        assert_eq!(p.summary, "2 errors occurred");
        assert_eq!(
            p.identifier.as_deref(),
            Some("identifier is a required field")
        );
        assert_eq!(p.password, None);
    }
}
