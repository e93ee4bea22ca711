use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{T, tf, tr_while};
use crate::messages::error_text;
use leptos_strapi_auth::use_auth;

/// "Resend confirmation email": asks Strapi for a new confirmation link to `email`. It sits inside
/// a live region of its page (the alert of a refused login, the sign-up's status), which announces
/// its outcome; it has none of its own.
#[component]
pub fn ResendConfirmation(email: String) -> impl IntoView {
    let auth = use_auth();
    let pending = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), strapi_auth::Error>>);
    let resend = {
        let email = email.clone();
        move |_| {
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            let email = email.clone();
            spawn_local(async move {
                let sent = auth.strapi().send_email_confirmation(&email).await;
                pending.try_set(false);
                outcome.try_set(Some(sent));
            });
        }
    };
    // One paragraph whose words depend on the outcome: the person's address on success,
    // the reason on failure.
    let said = move || {
        outcome.get().map(|sent| {
            let failed = sent.is_err();
            let email = email.clone();
            let text = move || match &sent {
                Ok(()) => tf(T::ConfirmationResent, &[("email", &email)]),
                Err(error) => error_text(error),
            };
            view! { <p class:form-error=failed>{text}</p> }
        })
    };
    view! {
        <button
            type="button"
            class="button button--secondary"
            disabled=move || pending.get()
            on:click=resend
        >
            {tr_while(pending, T::Sending, T::ResendConfirmation)}
        </button>
        {said}
    }
}
