use leptos::prelude::*;

use crate::Page;
use crate::auth::use_auth;
use crate::components::form::{Checks, Remedy, Submit, looks_like_email};
use crate::components::{Card, Form, FormView, Input, Problem, ProviderLogins, SessionNotice};
use crate::strapi::{ApiError, Field};

/// Strapi's answer to a correct password on an account whose email is not confirmed yet.
const NOT_CONFIRMED: &str = "Your account email is not confirmed";

/// Checks the form before anything is sent, so an obvious slip costs no request (and no rate-limit
/// slot). `identifier` is already trimmed; the password is taken exactly as typed.
pub fn check(identifier: &str, password: &str) -> Result<(), Problem> {
    Checks::default()
        .filled(
            identifier,
            Field::Identifier,
            "Enter your email or username.",
        )
        .filled(password, Field::Password, "Enter your password.")
        .finish()
}

/// What a refused login shows: Strapi's message, and for an unconfirmed account a way to get a
/// new confirmation link (to the address typed, when it is one).
pub fn refused(error: &ApiError, identifier: &str) -> Problem {
    let problem = Problem::from_api(error);
    if !matches!(error, ApiError::Strapi { message, .. } if message == NOT_CONFIRMED) {
        return problem;
    }
    if looks_like_email(identifier) {
        problem.with_remedy(Remedy::ResendConfirmation(identifier.to_owned()))
    } else {
        Problem::new(format!(
            "{}. To get a new confirmation link, log in with your email address instead of your username.",
            problem.summary
        ))
    }
}

/// `/auth/login` (and `/auth/email-confirmed`, where Strapi sends a person who clicked the link in
/// its confirmation email): the email-or-username and password form.
#[component]
pub fn LoginPage(#[prop(optional)] email_confirmed: bool) -> impl IntoView {
    let auth = use_auth();
    let form = Form::new();
    let identifier = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let submit: Submit = Box::new(move || {
        let id = identifier.get_untracked().trim().to_owned();
        let pw = password.get_untracked();
        check(&id, &pw)?;
        Ok(Box::pin(async move {
            // On success the route guard sees the session and moves on.
            let logged_in = auth
                .strapi()
                .login(&id, &pw)
                .await
                .map_err(|error| refused(&error, &id))?;
            auth.sign_in(logged_in)
                .await
                .map_err(|_| Problem::storage_blocked())
        }))
    });

    // For the benchmark (and any RUM tool): the form is on screen and its handlers are live.
    Effect::new(move || {
        if let Some(performance) = window().performance() {
            let _ = performance.mark("login-ready");
        }
    });

    let register_open = auth.strapi().config().register_open;
    view! {
        <Card title="Log in" lead="Use your email address or username.">
            {email_confirmed
                .then(|| {
                    view! {
                        <p class="notice" role="status">
                            "Your email address is confirmed. You can log in now."
                        </p>
                    }
                })}
            <SessionNotice />
            <FormView form submit button="Log in" busy="Logging in…" secrets=vec![password]>
                <Input
                    form
                    field=Field::Identifier
                    label="Email or username"
                    autocomplete="username"
                    value=identifier
                    verbatim=true
                />
                <Input
                    form
                    field=Field::Password
                    label="Password"
                    kind="password"
                    autocomplete="current-password"
                    value=password
                />
            </FormView>
            // After the button, so Tab goes from the password to "Log in".
            <p class="form__aside">
                <a href=Page::ForgotPassword.path()>"Forgot password?"</a>
            </p>
            <ProviderLogins />
            {register_open
                .then(|| {
                    view! {
                        <p class="card__footer">
                            "New here? " <a href=Page::Register.path()>"Create an account"</a>
                        </p>
                    }
                })}
        </Card>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strapi::answers;

    #[test]
    fn a_filled_form_passes() {
        assert_eq!(check("ann", " secret "), Ok(()));
    }

    #[test]
    fn each_empty_field_gets_its_own_message() {
        let both = check("", "").unwrap_err();
        assert!(both.field(Field::Identifier).is_some() && both.field(Field::Password).is_some());
        assert_eq!(
            both.summary,
            "Enter your email or username. Enter your password."
        );
        let id = check("", "pw").unwrap_err();
        assert_eq!(id.summary, "Enter your email or username.");
        assert_eq!(id.field(Field::Password), None);
        let pw = check("ann", "").unwrap_err();
        assert_eq!(pw.field(Field::Identifier), None);
        assert_eq!(pw.field(Field::Password), Some("Enter your password."));
    }

    #[test]
    fn strapi_messages_reach_the_summary_and_the_fields() {
        let body = r#"{"error":{"status":400,"message":"2 errors occurred","details":{"errors":[
            {"path":["identifier"],"message":"identifier is a required field"}]}}}"#;
        let p = refused(&answers::error(400, body), "ann");
        assert_eq!(p.summary, "2 errors occurred");
        assert_eq!(
            p.field(Field::Identifier),
            Some("identifier is a required field")
        );
        assert_eq!(p.field(Field::Password), None);
        assert_eq!(p.remedy, None);
    }

    #[test]
    fn an_unconfirmed_account_is_offered_a_new_link_when_an_email_was_typed() {
        let body = r#"{"error":{"status":400,"name":"ApplicationError","message":"Your account email is not confirmed"}}"#;
        let error = answers::error(400, body);
        let by_email = refused(&error, "ann@example.com");
        assert_eq!(by_email.summary, NOT_CONFIRMED);
        assert_eq!(
            by_email.remedy,
            Some(Remedy::ResendConfirmation("ann@example.com".into()))
        );
        let by_name = refused(&error, "ann");
        assert_eq!(by_name.remedy, None);
        assert!(by_name.summary.contains("log in with your email address"));
    }
}
