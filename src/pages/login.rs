use leptos::prelude::*;

use leptos_strapi_auth::use_auth;
use strapi_auth::{Error, ErrorKind, Field};

use crate::components::form::{Checks, Remedy, Submit, looks_like_email};
use crate::components::{
    Card, Form, FormView, Input, PasskeyLogin, Problem, ProviderLogins, SessionNotice,
};
use crate::config::use_config;
use crate::i18n::{T, tr};
use crate::routes::Page;

/// Checks the form before anything is sent, so an obvious slip costs no request (and no rate-limit
/// slot). `identifier` is already trimmed; the password is taken exactly as typed.
pub fn check(identifier: &str, password: &str) -> Result<(), Problem> {
    Checks::default()
        .filled(identifier, Field::Identifier, T::EnterEmailOrUsername)
        .filled(password, Field::Password, T::EnterYourPassword)
        .finish()
}

/// What a refused login shows: Strapi's message, and for an unconfirmed account a way to get a
/// new confirmation link (to the address typed, when it is one).
pub fn refused(error: &Error, identifier: &str) -> Problem {
    let problem = Problem::from_api(error);
    if error.kind() != ErrorKind::EmailNotConfirmed {
        return problem;
    }
    if looks_like_email(identifier) {
        problem.with_remedy(Remedy::ResendConfirmation(identifier.to_owned()))
    } else {
        Problem::new(T::NotConfirmedUseEmail)
    }
}

/// `/auth/login` (and `/auth/email-confirmed`, where Strapi sends a person who clicked the link in
/// its confirmation email): the email-or-username and password form.
#[component]
pub fn LoginPage(#[prop(optional)] email_confirmed: bool) -> impl IntoView {
    let auth = use_auth();
    let config = use_config();
    let form = Form::new();
    let identifier = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let submit: Submit = Box::new(move || {
        let id = identifier.get_untracked().trim().to_owned();
        let pw = password.get_untracked();
        check(&id, &pw)?;
        Ok(Box::pin(async move {
            // On success the route guard sees the session and moves on.
            let signed_in = auth.log_in(&id, &pw).await;
            signed_in.map_err(|error| Problem::from_sign_in(&error, |e| refused(e, &id)))
        }))
    });

    // The connection to Strapi opened as soon as a password is typed (also one typed before the
    // app ran, handed over), not when the login is sent.
    Effect::new(move |was_typed: Option<bool>| {
        let typed = !password.with(String::is_empty);
        if typed && was_typed != Some(true) {
            let config = auth.strapi().config().clone();
            strapi_auth::http::preconnect(&config.endpoint("/auth/local"), config.cookie_refresh);
        }
        typed
    });

    // For the benchmark (and any RUM tool): the form is on screen and its handlers are live.
    let rehearsal = config.clone();
    Effect::new(move || {
        if let Some(performance) = window().performance() {
            let _ = performance.mark("login-ready");
        }
        crate::lazy::when_idle(rehearsal.clone());
    });

    let register_open = config.register_open;
    let passkeys = config.passkeys;
    // With passkeys, the identifier field also offers this site's passkeys (passkey autofill).
    let identifier_autocomplete = if passkeys {
        "username webauthn"
    } else {
        "username"
    };
    view! {
        <Card title=T::LogIn lead=T::LogInLead>
            {email_confirmed
                .then(|| {
                    view! {
                        <p class="notice" role="status">
                            {tr(T::EmailConfirmed)}
                        </p>
                    }
                })}
            <SessionNotice />
            <FormView
                form
                submit
                button=T::LogIn
                busy=T::LoggingIn
                secrets=vec![password]
            >
                <Input
                    form
                    field=Field::Identifier
                    label=T::EmailOrUsername
                    autocomplete=identifier_autocomplete
                    value=identifier
                    verbatim=true
                />
                <Input
                    form
                    field=Field::Password
                    label=T::Password
                    kind="password"
                    autocomplete="current-password"
                    value=password
                />
            </FormView>
            // After the button, so Tab goes from the password to "Log in".
            <p class="form__aside">
                <a href=Page::ForgotPassword.path()>{tr(T::ForgotPasswordLink)}</a>
            </p>
            {passkeys.then(|| view! { <PasskeyLogin /> })}
            <ProviderLogins />
            {register_open
                .then(|| {
                    view! {
                        <p class="card__footer">
                            {tr(T::NewHere)}
                            " "
                            <a href=Page::Register.path()>{tr(T::CreateAnAccount)}</a>
                        </p>
                    }
                })}
        </Card>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strapi_auth::answers;

    #[test]
    fn a_filled_form_passes() {
        assert_eq!(check("ann", " secret "), Ok(()));
    }

    #[test]
    fn each_empty_field_gets_its_own_message() {
        let both = check("", "").unwrap_err();
        assert!(
            both.field(Field::Identifier).as_deref().is_some()
                && both.field(Field::Password).as_deref().is_some()
        );
        assert_eq!(
            both.summary,
            "Enter your email or username. Enter your password."
        );
        let id = check("", "pw").unwrap_err();
        assert_eq!(id.summary, "Enter your email or username.");
        assert_eq!(id.field(Field::Password).as_deref(), None);
        let pw = check("ann", "").unwrap_err();
        assert_eq!(pw.field(Field::Identifier).as_deref(), None);
        assert_eq!(
            pw.field(Field::Password).as_deref(),
            Some("Enter your password.")
        );
    }

    #[test]
    fn strapi_messages_reach_the_summary_and_the_fields() {
        let body = r#"{"error":{"status":400,"message":"2 errors occurred","details":{"errors":[
            {"path":["identifier"],"message":"identifier is a required field"},
            {"path":["identifier"],"message":"Something only this server says"}]}}}"#;
        let p = refused(&answers::error(400, body), "ann");
        assert_eq!(p.summary, "2 errors occurred");
        // A message the app knows is worded (and translated) by the app.
        assert_eq!(
            p.field(Field::Identifier).as_deref(),
            Some("This field is required.")
        );
        let unknown = body.replace("identifier is a required field", "x");
        let p = refused(&answers::error(400, &unknown), "ann");
        assert_eq!(
            p.field(Field::Identifier).as_deref(),
            Some("x"),
            "an unknown one as Strapi wrote it"
        );
        assert_eq!(p.field(Field::Password).as_deref(), None);
        assert_eq!(p.remedy, None);
    }

    #[test]
    fn an_unconfirmed_account_is_offered_a_new_link_when_an_email_was_typed() {
        let body = r#"{"error":{"status":400,"name":"ApplicationError","message":"Your account email is not confirmed"}}"#;
        let error = answers::error(400, body);
        let by_email = refused(&error, "ann@example.com");
        assert_eq!(by_email.summary, T::StrapiNotConfirmed.en());
        assert_eq!(
            by_email.remedy,
            Some(Remedy::ResendConfirmation("ann@example.com".into()))
        );
        let by_name = refused(&error, "ann");
        assert_eq!(by_name.remedy, None);
        assert!(
            by_name
                .summary
                .get()
                .contains("log in with your email address")
        );
    }
}
