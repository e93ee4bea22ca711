use leptos::prelude::*;

use leptos_router::hooks::use_query_map;
use leptos_strapi_auth::{after_sign_in, use_auth};
use strapi_auth::{Error, ErrorKind, Field, User};

use crate::components::form::{Attempt, Checks, Remedy, Submit};
use crate::components::{Card, Form, FormView, HiddenUsername, NewPassword, Problem};
use crate::i18n::{T, tr};
use crate::routes::{Page, use_replace};

/// The checks of a new password and its confirmation.
pub fn check(password: &str, confirmation: &str) -> Result<(), Problem> {
    Checks::default()
        .new_password(password, Field::Password)
        .confirmation(password, confirmation)
        .finish()
}

/// A refused reset: a code that is wrong, already used or superseded by a newer email gets words
/// that say what to do, and a link to a new one.
pub fn refused(error: &Error) -> Problem {
    match error.kind() {
        ErrorKind::IncorrectCode => {
            Problem::new(T::ResetCodeInvalid).with_remedy(Remedy::NewResetLink)
        }
        _ => Problem::from_api(error),
    }
}

/// `/auth/reset-password?code=…`: the page Strapi's reset email links to. The code leaves the
/// address bar at once, so it is neither kept in the history nor sent on as a `Referer`. A new
/// password (twice) and the code log the person in.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let auth = use_auth();
    let replace = use_replace();
    let query = use_query_map().get_untracked();
    let code = query
        .get("code")
        .map(|code| code.trim().to_owned())
        .filter(|code| !code.is_empty());
    let target = after_sign_in(auth, query.get("redirect"));
    replace(Page::ResetPassword.path());

    let Some(code) = code else {
        return view! {
            <Card title=T::ChooseNewPassword>
                <div class="alert" role="alert">
                    <p>{tr(T::ResetCodeMissing)}</p>
                    <a href=Page::ForgotPassword.path()>{tr(T::NewResetLink)}</a>
                </div>
            </Card>
        }
        .into_any();
    };

    let form = Form::new();
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    // Whose password this is, known once Strapi answers: told to password managers before the
    // form goes, so they update that entry.
    let account = RwSignal::new(String::new());
    let submit: Submit = Box::new(move || -> Result<Attempt, Problem> {
        let (pw, again) = (password.get_untracked(), confirmation.get_untracked());
        check(&pw, &again)?;
        let (code, target) = (code.clone(), target.clone());
        let replace = replace.clone();
        Ok(Box::pin(async move {
            let reset = auth.reset_password(&code, &pw, &again).await;
            reset.map_err(|error| Problem::from_sign_in(&error, refused))?;
            // The account page then says what to check after a reset, once.
            crate::account::after_reset::mark();
            if let Some(user) = auth.user::<User>() {
                account.try_set(user.login_name().to_owned());
                leptos::task::tick().await;
            }
            replace(&target);
            Ok(())
        }))
    });

    view! {
        <Card title=T::ChooseNewPassword lead=T::ResetLead>
            <FormView
                form
                submit
                button=T::SetNewPassword
                busy=T::Saving
                secrets=vec![password, confirmation]
            >
                <HiddenUsername value=account />
                <NewPassword form password confirmation />
            </FormView>
        </Card>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use strapi_auth::answers;

    #[test]
    fn the_new_password_must_be_valid_and_confirmed() {
        assert_eq!(check("secret", "secret"), Ok(()));
        let p = check("secret", "secreT").unwrap_err();
        assert_eq!(
            p.field(Field::PasswordConfirmation).as_deref(),
            Some("The passwords do not match.")
        );
        assert_eq!(p.field(Field::Password).as_deref(), None);
        let p = check("", "").unwrap_err();
        assert!(p.field(Field::Password).as_deref().is_some());
        assert!(p.field(Field::PasswordConfirmation).as_deref().is_some());
    }

    #[test]
    fn a_bad_code_offers_a_new_link() {
        let body = r#"{"data":null,"error":{"status":400,"name":"ValidationError","message":"Incorrect code provided","details":{}}}"#;
        let p = refused(&answers::error(400, body));
        assert_eq!(p.remedy, Some(Remedy::NewResetLink));
        let mismatch = r#"{"data":null,"error":{"status":400,"name":"ValidationError","message":"Passwords do not match","details":{"errors":[{"path":["passwordConfirmation"],"message":"Passwords do not match","name":"ValidationError"}]}}}"#;
        let p = refused(&answers::error(400, mismatch));
        assert_eq!(
            p.field(Field::PasswordConfirmation).as_deref(),
            Some("Passwords do not match")
        );
        assert_eq!(p.remedy, None);
    }
}
