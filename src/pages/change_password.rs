use leptos::prelude::*;

use leptos_strapi_auth::use_auth;
use strapi_auth::{Error, ErrorKind, Field, User};

use crate::components::form::{Checks, Submit};
use crate::components::{
    Card, Form, FormView, HiddenUsername, Input, NewPassword, Problem, SessionNotice,
};
use crate::i18n::{T, tr};
use crate::routes::{Page, use_replace};

/// The checks of a password change: the current password given, a valid new one, confirmed.
pub fn check(current: &str, password: &str, confirmation: &str) -> Result<(), Problem> {
    Checks::default()
        .filled(current, Field::CurrentPassword, T::EnterCurrentPassword)
        .new_password(password, Field::Password)
        .expect(
            password.is_empty() || password != current,
            Field::Password,
            T::ChooseDifferentPassword,
        )
        .confirmation(password, confirmation)
        .finish()
}

/// A refused change: Strapi's message in the alert, and under the field it is about (Strapi sends
/// a wrong current password, and a new one equal to it, without a field).
pub fn refused(error: &Error) -> Problem {
    let mut problem = Problem::from_api(error);
    let field = match error.kind() {
        ErrorKind::IncorrectCurrentPassword => Some(Field::CurrentPassword),
        ErrorKind::SamePassword => Some(Field::Password),
        _ => None,
    };
    if let Some(field) = field.filter(|f| problem.field(*f).is_none()) {
        problem.fields.push((field, problem.summary.clone()));
    }
    problem
}

/// `/account/password`: the current password and a new one (twice). Strapi answers with new tokens,
/// which replace the stored ones (other tabs follow through storage). A success takes the form
/// away and marks the address anew (`replaceState`): what password managers take for a
/// successful submit, so they offer to update the saved password.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let auth = use_auth();
    let replace = use_replace();
    if auth.user::<User>().is_none() {
        // For the password manager's username field; the page works without it.
        leptos::task::spawn_local(async move {
            let _ = auth.load_user::<User>().await;
        });
    }
    let account = Signal::derive(move || {
        auth.user::<User>()
            .map(|user| user.login_name().to_owned())
            .unwrap_or_default()
    });
    let form = Form::new();
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let changed = RwSignal::new(false);
    let done = NodeRef::<leptos::html::P>::new();

    // Built with the form, which a success takes away.
    let submit = move || -> Submit {
        let replace = replace.clone();
        Box::new(move || {
            let (now, new, again) = (
                current.get_untracked(),
                password.get_untracked(),
                confirmation.get_untracked(),
            );
            check(&now, &new, &again)?;
            let replace = replace.clone();
            Ok(Box::pin(async move {
                let changed_password = auth.change_password(&now, &new, &again).await;
                changed_password.map_err(|error| Problem::from_sign_in(&error, refused))?;
                // The form goes with what was typed still in it (a password manager may read it
                // as it goes), and only then are the passwords forgotten.
                changed.try_set(true);
                replace(Page::ChangePassword.path());
                leptos::task::tick().await;
                for field in [current, password, confirmation] {
                    field.try_set(String::new());
                }
                // The button that had the focus is gone with the form: the news takes it.
                if let Some(notice) = done.get_untracked() {
                    let _ = notice.focus();
                }
                Ok(())
            }))
        })
    };

    view! {
        <Card title=T::ChangePassword>
            {move || {
                changed
                    .get()
                    .then(|| {
                        view! {
                            <p class="notice" role="status" tabindex="-1" node_ref=done>
                                {tr(T::PasswordChanged)}
                            </p>
                        }
                    })
            }}
            <SessionNotice />
            {move || {
                (!changed.get())
                    .then(|| {
                        view! {
            <FormView
                form
                submit=submit()
                button=T::ChangePassword
                busy=T::Changing
                secrets=vec![current, password, confirmation]
            >
                <HiddenUsername value=account />
                <Input
                    form
                    field=Field::CurrentPassword
                    label=T::CurrentPassword
                    kind="password"
                    autocomplete="current-password"
                    value=current
                />
                <NewPassword form password confirmation />
            </FormView>
                        }
                    })
            }}
            <p class="card__footer">
                <a href=Page::Dashboard.path()>{tr(T::BackToDashboard)}</a>
            </p>
        </Card>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strapi_auth::answers;

    #[test]
    fn a_change_needs_the_current_password_and_a_confirmed_new_one() {
        assert_eq!(check("old-pass", "new-pass", "new-pass"), Ok(()));
        let p = check("", "new-pass", "new-pass").unwrap_err();
        assert!(p.field(Field::CurrentPassword).as_deref().is_some());
        let p = check("same-pass", "same-pass", "same-pass").unwrap_err();
        assert!(
            p.field(Field::Password)
                .as_deref()
                .unwrap()
                .contains("different")
        );
        let p = check("old-pass", "new-pass", "new-pasS").unwrap_err();
        assert_eq!(
            p.field(Field::PasswordConfirmation).as_deref(),
            Some("The passwords do not match.")
        );
    }

    #[test]
    fn strapis_messages_land_under_the_field_they_are_about() {
        let wrong = r#"{"data":null,"error":{"status":400,"name":"ValidationError","message":"The provided current password is invalid","details":{}}}"#;
        let p = refused(&answers::error(400, wrong));
        assert_eq!(p.summary, T::StrapiWrongCurrent.en());
        assert_eq!(
            p.field(Field::CurrentPassword).as_deref(),
            Some(T::StrapiWrongCurrent.en())
        );
        let same = r#"{"data":null,"error":{"status":400,"name":"ValidationError","message":"Your new password must be different than your current password","details":{}}}"#;
        assert_eq!(
            refused(&answers::error(400, same))
                .field(Field::Password)
                .as_deref(),
            Some(T::StrapiSameAsCurrent.en())
        );
    }
}
