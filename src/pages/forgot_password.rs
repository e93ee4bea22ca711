use leptos::prelude::*;

use leptos_strapi_auth::use_auth;
use strapi_auth::{Error, Field};

use crate::components::form::{Checks, Submit};
use crate::components::{Card, Form, FormView, Input, Problem};
use crate::i18n::{T, around, tr};
use crate::routes::Page;

/// A refused request for a reset link. Strapi answers 500 when it cannot send mail (and only for
/// an address it knows: an unknown one is never mailed), which deserves plainer words than its
/// "Internal Server Error".
pub fn refused(error: &Error) -> Problem {
    match error.status() {
        Some(500) => Problem::new(T::ResetMailFailed),
        _ => Problem::from_api(error),
    }
}

/// `/auth/forgot-password`: an email address, to which Strapi mails a reset link if an account has
/// it. The answer is the same whether or not one does, so the page cannot tell who has an account.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let auth = use_auth();
    let form = Form::new();
    let email = RwSignal::new(String::new());
    let sent_to = RwSignal::new(None::<String>);

    let submit: Submit = Box::new(move || {
        let address = email.get_untracked().trim().to_owned();
        Checks::default().email(&address, Field::Email).finish()?;
        Ok(Box::pin(async move {
            let sent = auth.strapi().forgot_password(&address).await;
            sent.map_err(|error| refused(&error))?;
            sent_to.try_set(Some(address));
            Ok(())
        }))
    });

    view! {
        <Card title=T::ForgotTitle lead=T::ForgotLead>
            {move || {
                sent_to
                    .get()
                    .map(|address| {
                        let before = move || around(T::ResetLinkSent, "email").0;
                        let after = move || around(T::ResetLinkSent, "email").1;
                        view! {
                            <div class="notice" role="status">
                                <p>{before} <strong>{address}</strong> {after}</p>
                            </div>
                        }
                    })
            }}
            <FormView form submit button=T::SendResetLink busy=T::Sending>
                <Input
                    form
                    field=Field::Email
                    label=T::Email
                    kind="email"
                    autocomplete="email"
                    value=email
                    verbatim=true
                />
            </FormView>
            <p class="card__footer">
                {tr(T::RememberedIt)}
                " "
                <a href=Page::Login.path()>{tr(T::LogIn)}</a>
            </p>
        </Card>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strapi_auth::answers;

    #[test]
    fn strapis_mail_failure_is_said_plainly_and_other_errors_in_its_words() {
        let broken = r#"{"data":null,"error":{"status":500,"name":"InternalServerError","message":"Internal Server Error"}}"#;
        assert!(
            refused(&answers::error(500, broken))
                .summary
                .get()
                .starts_with("The email could not be sent")
        );
        let limited = r#"{"status":429,"name":"RateLimitError","message":"Too many requests, please try again later.","details":{}}"#;
        assert_eq!(
            refused(&answers::error(429, limited)).summary,
            "Too many attempts. Please wait a minute and try again."
        );
    }
}
