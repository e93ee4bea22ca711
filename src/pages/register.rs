use leptos::prelude::*;

use leptos_strapi_auth::{SignedUp, use_auth};
use strapi_auth::{Error, ErrorKind, Field};

use crate::components::form::{Checks, MIN_USERNAME_CHARS, Remedy, Submit};
use crate::components::{Card, Form, FormView, Input, Problem, ProviderLogins, ResendConfirmation};
use crate::config::use_config;
use crate::i18n::{T, around, tr};
use crate::routes::Page;

/// The sign-up checks: every field filled, a username of at least 3 characters, an email address,
/// a password within Strapi's limits. `username` and `email` are trimmed.
pub fn check(username: &str, email: &str, password: &str) -> Result<(), Problem> {
    Checks::default()
        .filled(username, Field::Username, T::ChooseUsername)
        .expect(
            username.chars().count() >= MIN_USERNAME_CHARS,
            Field::Username,
            T::UsernameTooShort,
        )
        .email(email, Field::Email)
        .new_password(password, Field::Password)
        .finish()
}

/// A refused sign-up. When Strapi created the account but could not mail its confirmation link,
/// a new link can be asked for (signing up again would only say the account exists).
pub fn refused(error: &Error, email: &str) -> Problem {
    let problem = Problem::from_api(error);
    match error.kind() {
        ErrorKind::EmailNotSent => Problem::new(T::ConfirmationMailFailed)
            .with_remedy(Remedy::ResendConfirmation(email.to_owned())),
        _ => problem,
    }
}

/// `/auth/register`: username, email and password. Logs the person in at once, or, when Strapi
/// wants email addresses confirmed first, says where the link went.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let auth = use_auth();
    if !use_config().register_open {
        return view! {
            <Card title=T::CreateAnAccount>
                <p class="alert" role="alert">{tr(T::SignUpClosed)}</p>
                <a href=Page::Login.path() class="button">{tr(T::GoToLogin)}</a>
            </Card>
        }
        .into_any();
    }

    let form = Form::new();
    let username = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // The address a confirmation link went to, once Strapi says one must be clicked.
    let confirm_at = RwSignal::new(None::<String>);

    let submit: Submit = Box::new(move || {
        let name = username.get_untracked().trim().to_owned();
        let address = email.get_untracked().trim().to_owned();
        let pw = password.get_untracked();
        check(&name, &address, &pw)?;
        Ok(Box::pin(async move {
            let registered = auth.register(&name, &address, &pw).await;
            let refused = |error: &Error| refused(error, &address);
            // Signed in: the route guard sees the session and moves on, as after a login.
            if registered.map_err(|error| Problem::from_sign_in(&error, refused))?
                == SignedUp::ConfirmEmail
            {
                confirm_at.try_set(Some(address));
            }
            Ok(())
        }))
    });

    view! {
        <Card title=T::CreateAnAccount>
            {move || confirm_at.get().map(|address| view! { <CheckYourEmail address /> })}
            // Hidden, not dropped, once the link is sent: nothing typed is lost.
            <div hidden=move || confirm_at.with(Option::is_some)>
                <FormView
                    form
                    submit
                    button=T::CreateAccount
                    busy=T::CreatingAccount
                    secrets=vec![password]
                >
                    <Input
                        form
                        field=Field::Username
                        label=T::Username
                        autocomplete="username"
                        value=username
                        verbatim=true
                    />
                    <Input
                        form
                        field=Field::Email
                        label=T::Email
                        kind="email"
                        autocomplete="email"
                        value=email
                        verbatim=true
                    />
                    <Input
                        form
                        field=Field::Password
                        label=T::Password
                        kind="password"
                        autocomplete="new-password"
                        value=password
                        hint=T::PasswordHint
                    />
                </FormView>
                <ProviderLogins />
                <p class="card__footer">
                    {tr(T::HaveAccount)}
                    " "
                    <a href=Page::Login.path()>{tr(T::LogIn)}</a>
                </p>
            </div>
        </Card>
    }
    .into_any()
}

/// After signing up where Strapi confirms email addresses: where the link went, and a way to get
/// another.
#[component]
fn CheckYourEmail(address: String) -> impl IntoView {
    let before = move || around(T::CheckEmailConfirm, "email").0;
    let after = move || around(T::CheckEmailConfirm, "email").1;
    view! {
        <div class="notice" role="status">
            <p>{before} <strong>{address.clone()}</strong> {after}</p>
            <ResendConfirmation email=address />
        </div>
        <a href=Page::Login.path() class="button">{tr(T::GoToLogin)}</a>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strapi_auth::answers;

    #[test]
    fn a_complete_sign_up_passes() {
        assert_eq!(check("ann", "ann@example.com", "secret"), Ok(()));
    }

    #[test]
    fn each_slip_is_flagged_on_its_field() {
        let p = check("", "", "").unwrap_err();
        assert_eq!(
            p.field(Field::Username).as_deref(),
            Some("Choose a username.")
        );
        assert_eq!(
            p.field(Field::Email).as_deref(),
            Some("Enter your email address.")
        );
        assert_eq!(
            p.field(Field::Password).as_deref(),
            Some("Enter a password.")
        );

        let p = check("an", "ann", "12345").unwrap_err();
        assert!(
            p.field(Field::Username)
                .as_deref()
                .unwrap()
                .contains("3 characters")
        );
        assert!(
            p.field(Field::Email)
                .as_deref()
                .unwrap()
                .contains("name@example.com")
        );
        assert!(
            p.field(Field::Password)
                .as_deref()
                .unwrap()
                .contains("6 characters")
        );
    }

    #[test]
    fn passwords_are_measured_as_strapi_does() {
        // 6 characters, not 6 bytes: "éééééé" is 12 bytes and long enough.
        assert_eq!(check("ann", "a@b.c", "éééééé"), Ok(()));
        // 72 bytes pass; 73 do not, however few characters they are.
        assert_eq!(check("ann", "a@b.c", &"x".repeat(72)), Ok(()));
        let p = check("ann", "a@b.c", &"é".repeat(37)).unwrap_err();
        assert!(
            p.field(Field::Password)
                .as_deref()
                .unwrap()
                .contains("72 bytes")
        );
    }

    #[test]
    fn an_account_whose_mail_failed_is_offered_a_new_link() {
        let body = r#"{"data":null,"error":{"status":400,"name":"ApplicationError","message":"Error sending confirmation email","details":{}}}"#;
        let p = refused(&answers::error(400, body), "ann@example.com");
        assert_eq!(
            p.remedy,
            Some(Remedy::ResendConfirmation("ann@example.com".into()))
        );
        let taken = r#"{"data":null,"error":{"status":400,"name":"ApplicationError","message":"Email or Username are already taken","details":{}}}"#;
        let p = refused(&answers::error(400, taken), "ann@example.com");
        assert_eq!(p.summary, "Email or Username are already taken");
        assert_eq!(p.remedy, None);
    }
}
