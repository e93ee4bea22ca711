//! "Sign in with a passkey" on the login page, and passkey autofill: while the page is open, a
//! conditional WebAuthn request lets the browser offer this site's passkeys among the identifier
//! field's suggestions (`autocomplete="username webauthn"`). Both end signed in like a password
//! login; the route guard then moves on.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_strapi_auth::passkey::{self, Mediation, PasskeyError};
use leptos_strapi_auth::{Auth, use_auth};
use web_sys::AbortController;

use crate::i18n::{T, tr, tr_while};
use crate::messages::passkey_text;

#[component]
pub fn PasskeyLogin() -> impl IntoView {
    let auth = use_auth();
    let problem = RwSignal::new(None::<PasskeyError>);
    let waiting = RwSignal::new(false);
    // The waiting autofill request's controller: aborted before the button's prompt (a browser
    // runs one WebAuthn request at a time) and when the page goes.
    let autofill = StoredValue::new_local(None::<AbortController>);

    let stop_autofill = move || {
        if let Some(controller) = autofill.try_update_value(Option::take).flatten() {
            controller.abort();
        }
    };
    let start_autofill = move || start_autofill(auth, autofill, problem);
    start_autofill();
    on_cleanup(stop_autofill);

    let sign_in = move |_| {
        if waiting.get_untracked() {
            return;
        }
        stop_autofill();
        waiting.set(true);
        problem.set(None);
        spawn_local(async move {
            let outcome = auth.log_in_with_passkey(Mediation::Modal, None).await;
            // Signed in: the page is gone. Otherwise say why, and offer autofill again.
            if waiting.try_set(false).is_some() {
                return;
            }
            if let Err(error) = outcome {
                problem.set(Some(error));
                start_autofill();
            }
        });
    };

    view! {
        <div class="providers">
            <p class="providers__or">{tr(T::Or)}</p>
            {move || {
                problem
                    .get()
                    .map(|error| {
                        view! {
                            <p class="alert" role="alert">
                                {move || passkey_text(&error, false)}
                            </p>
                        }
                    })
            }}
            <button
                type="button"
                class="button button--secondary"
                disabled=move || waiting.get()
                on:click=sign_in
            >
                {tr_while(waiting, T::WaitingForPasskey, T::SignInWithPasskey)}
            </button>
        </div>
    }
}

/// Starts a conditional request, where the browser offers them, that waits for the person to pick
/// a passkey among the autofill suggestions. One per page, and one after each attempt with the
/// button or a picked passkey: each costs Strapi a challenge, and runs until picked or aborted.
fn start_autofill(
    auth: Auth,
    autofill: StoredValue<Option<AbortController>, LocalStorage>,
    problem: RwSignal<Option<PasskeyError>>,
) {
    // The controller is in place before anything is awaited, so the button (or leaving the page)
    // always finds the request to abort; one left from before is aborted here.
    let Ok(controller) = AbortController::new() else {
        return;
    };
    let signal = controller.signal();
    match autofill.try_update_value(|current| current.replace(controller)) {
        Some(Some(previous)) => previous.abort(),
        Some(None) => {}
        None => return, // the page is gone
    }
    spawn_local(async move {
        if signal.aborted() || !passkey::conditional_mediation_available().await {
            return;
        }
        match auth
            .log_in_with_passkey(Mediation::Conditional, Some(&signal))
            .await
        {
            // Signed in; or aborted for the button's prompt or the page leaving; or nothing picked.
            Ok(()) | Err(PasskeyError::Aborted | PasskeyError::Cancelled) => {}
            // Strapi gave no options (out of reach, failing, without the plugin): nothing the
            // person asked for failed, so nothing is said; the button would say it.
            Err(PasskeyError::Options(_)) => {}
            // A picked passkey that Strapi did not sign in with: say why, and offer autofill
            // again. The new request waits for the person to pick a passkey again, so a failing
            // server gets one request per pick, never a stream.
            Err(error @ PasskeyError::Strapi(_)) => {
                if problem.try_set(Some(error)).is_none() && !signal.aborted() {
                    start_autofill(auth, autofill, problem);
                }
            }
            // The browser refused the ceremony itself (it would again at once): say so, once.
            Err(error) => {
                problem.try_set(Some(error));
            }
        }
    });
}
