//! "Confirm it's you": the step a section shows when Strapi wants a recent proof before passkeys
//! change (the person's password, one of their passkeys, or a new sign-in with the provider their
//! account came from), and the action that waits for it, across a provider's round trip too.

use std::cell::RefCell;

use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::{spawn_local, tick};

use leptos_strapi_auth::passkey::{self, PasskeyError};
use leptos_strapi_auth::use_auth;
use strapi_auth::{ConfirmationMethods, Error, ErrorKind, Field, PasskeyId, User};

use super::said::{Line, Said, focus};
use crate::components::form::{Checks, Submit};
use crate::components::{Form, FormView, HiddenUsername, Input, Problem};
use crate::config::use_config;
use crate::i18n::{T, Text, t, tf, tr, tr_while};
use crate::messages::passkey_text;
use crate::providers::{display_name, remember_return};
use crate::routes::Page;

/// What waits for a confirmation, and goes on by itself once the person has confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    /// Adding a passkey under this name.
    Add(String),
    /// Removing this passkey (its id, and its name to say so).
    Remove(PasskeyId, String),
}

/// How long an action kept for a provider's round trip stays worth resuming: a person who came
/// back much later (or never went) did not mean that one any more.
const KEPT_FOR_MS: u64 = 10 * 60 * 1000;

impl Pending {
    /// One line of text per part: when it was kept (ms), then the action.
    pub fn encode(&self, now_ms: u64) -> String {
        match self {
            Pending::Add(name) => format!("{now_ms}\nadd\n{name}"),
            Pending::Remove(id, name) => format!("{now_ms}\nremove\n{}\n{name}", id.as_str()),
        }
    }

    /// What [`Pending::encode`] wrote, if it is one and was kept less than ten minutes ago.
    pub fn decode(text: &str, now_ms: u64) -> Option<Self> {
        let mut parts = text.splitn(4, '\n');
        let kept: u64 = parts.next()?.parse().ok()?;
        if now_ms.saturating_sub(kept) > KEPT_FOR_MS || kept > now_ms.saturating_add(60_000) {
            return None;
        }
        match (parts.next()?, parts.next()?, parts.next()) {
            ("add", name, None) => Some(Pending::Add(name.to_owned())),
            ("remove", id, Some(name)) => {
                Some(Pending::Remove(PasskeyId::new(id)?, name.to_owned()))
            }
            _ => None,
        }
    }
}

/// The `sessionStorage` key under which a confirmation's action waits while the browser is away
/// at the provider (this tab only; names and ids, never a secret).
pub const PENDING_KEY: &str = "strapi-login:confirming";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Keeps `pending` for the provider's round trip, best effort.
fn keep_for_provider(pending: &Pending) {
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(PENDING_KEY, &pending.encode(now_ms()));
    }
}

/// The action kept for a provider's round trip, if one waits (removed as it is read): the
/// provider's return then confirms rather than only signs in.
pub fn take_for_provider() -> Option<Pending> {
    let storage = session_storage()?;
    let kept = storage.get_item(PENDING_KEY).ok().flatten();
    let _ = storage.remove_item(PENDING_KEY);
    Pending::decode(&kept?, now_ms())
}

thread_local! {
    /// The action to go on with once the account page shows, after a provider's return.
    static RESUME: RefCell<Option<Pending>> = const { RefCell::new(None) };
}

/// Hands `pending` to the account page the app goes to next.
pub fn resume_next(pending: Pending) {
    RESUME.with(|resume| *resume.borrow_mut() = Some(pending));
}

/// What [`resume_next`] handed over, if anything (taken).
pub fn take_resume() -> Option<Pending> {
    RESUME.with(|resume| resume.borrow_mut().take())
}

/// A refused password: not the person's (said under the field too), or Strapi's word.
pub fn refused(error: &Error) -> Problem {
    if error.kind() == ErrorKind::IncorrectCurrentPassword {
        let mut problem = Problem::new(T::WrongPassword);
        problem
            .fields
            .push((Field::Password, T::WrongPassword.into()));
        return problem;
    }
    Problem::from_api(error)
}

/// Why confirming with a passkey did not work.
pub fn passkey_problem(error: &PasskeyError) -> String {
    match error {
        PasskeyError::Cancelled | PasskeyError::Aborted => t(T::NoPasskeyUsed).to_owned(),
        _ => passkey_text(error, false),
    }
}

/// The step's heading: where the focus goes first.
const TITLE: &str = "confirm-title";

/// "Confirm it's you": the person's password (with a "Show password" toggle, and their account
/// name for password managers), "Use a passkey instead" when they have passkeys, "Continue with
/// <provider>" when their account came from one (and an action to resume after the round trip
/// is given), and "Cancel" (or Escape). The focus moves to its heading when it shows, then to
/// the password field.
#[component]
pub fn ConfirmStep(
    /// The action to resume after a provider's round trip; without it no provider is offered.
    #[prop(optional)]
    resume: Option<Pending>,
    /// Runs once the person has confirmed.
    done: Callback<()>,
    /// Runs when the person gives up (Cancel, Escape).
    cancel: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let offered = use_config().providers;
    let methods = RwSignal::new(None::<ConfirmationMethods>);
    let heading = NodeRef::<html::H3>::new();
    spawn_local(async move {
        // Into the step at once, so the focus is never lost with the button that asked; into the
        // password field once it shows, unless the person has moved on meanwhile.
        tick().await;
        if let Some(heading) = heading.get_untracked() {
            let _ = heading.focus();
        }
        // Unknown (Strapi unreachable, say): the password, which most accounts have, and
        // Strapi's answer to it says the rest.
        let known = auth
            .confirmation_methods()
            .await
            .unwrap_or_else(|_| ConfirmationMethods::new(true, false, None));
        let password = known.password;
        if methods.try_set(Some(known)).is_some() {
            return;
        }
        tick().await;
        let still_here = document()
            .active_element()
            .is_some_and(|focused| focused.id() == TITLE);
        if password && still_here {
            focus(Field::Password.name());
        }
    });

    let waiting = RwSignal::new(false);
    let failed = RwSignal::new(None::<Line>);
    let with_passkey = move |_| {
        if waiting.get_untracked() {
            return;
        }
        waiting.set(true);
        failed.set(None);
        spawn_local(async move {
            let outcome = auth.confirm_with_passkey().await;
            if waiting.try_set(false).is_some() {
                return;
            }
            match outcome {
                Ok(()) => {
                    done.try_run(());
                }
                Err(error) => {
                    failed.set(Some(Line::alert(Text::new(move || {
                        passkey_problem(&error)
                    }))));
                }
            }
        });
    };

    let ways = move || {
        let methods = methods.get()?;
        let password = methods.password.then(|| view! { <PasswordForm done /> });
        let passkey = (methods.passkey && passkey::is_supported()).then(|| {
            view! {
                <button
                    type="button"
                    class="button button--secondary"
                    disabled=move || waiting.get()
                    on:click=with_passkey
                >
                    {tr_while(waiting, T::WaitingForPasskey, T::UsePasskeyInstead)}
                </button>
            }
        });
        let provider = methods
            .provider
            .filter(|key| offered.contains(key))
            .zip(resume.clone())
            .map(|(key, pending)| {
                let href = auth.strapi().connect_url(&key);
                let name = display_name(&key).to_owned();
                let leave = move |_| {
                    keep_for_provider(&pending);
                    remember_return(Page::Dashboard.path());
                };
                view! {
                    <a class="button button--secondary" href=href on:click=leave>
                        {move || tf(T::ContinueWith, &[("provider", &name)])}
                    </a>
                }
            });
        Some(view! {
            {password}
            <div class="step__other">{passkey} {provider}</div>
        })
    };
    let escape = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            cancel.try_run(());
        }
    };

    view! {
        <div
            class="step"
            role="group"
            aria-labelledby=TITLE
            aria-describedby="confirm-lead"
            on:keydown=escape
        >
            <h3 id=TITLE tabindex="-1" node_ref=heading>
                {tr(T::ConfirmTitle)}
            </h3>
            <p class="section__lead" id="confirm-lead">
                {tr(T::ConfirmLead)}
            </p>
            {move || {
                let loading = methods.with(Option::is_none).then(|| Line::status(T::Loading));
                failed.get().or(loading).map(|line| view! { <Said line /> })
            }}
            {ways}
            <button type="button" class="button button--secondary" on:click=move |_| {
                cancel.try_run(());
            }>
                {tr(T::Cancel)}
            </button>
        </div>
    }
}

/// The password way: the form every page's form is (checks, one request, the alert and the
/// field's message, the password cleared after a refusal).
#[component]
fn PasswordForm(done: Callback<()>) -> impl IntoView {
    let auth = use_auth();
    let form = Form::new();
    let password = RwSignal::new(String::new());
    let account = Signal::derive(move || {
        auth.user::<User>()
            .map(|user| user.login_name().to_owned())
            .unwrap_or_default()
    });
    let submit: Submit = Box::new(move || {
        let typed = password.get_untracked();
        Checks::default()
            .filled(&typed, Field::Password, T::EnterYourPassword)
            .finish()?;
        Ok(Box::pin(async move {
            auth.confirm_with_password(&typed)
                .await
                .map_err(|error| refused(&error))?;
            password.try_set(String::new());
            done.try_run(());
            Ok(())
        }))
    });
    view! {
        <FormView form submit button=T::Confirm busy=T::Confirming secrets=vec![password]>
            <HiddenUsername value=account />
            <Input
                form
                field=Field::Password
                label=T::Password
                kind="password"
                autocomplete="current-password"
                value=password
            />
        </FormView>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strapi_auth::answers;

    #[test]
    fn a_pending_action_survives_the_round_trip_for_ten_minutes() {
        let now = 1_800_000_000_000;
        let add = Pending::Add("Work: laptop".into());
        let remove = Pending::Remove(PasskeyId::new("AbC-_1").unwrap(), "Phone\nold".into());
        for pending in [add.clone(), remove] {
            let kept = pending.encode(now);
            assert_eq!(Pending::decode(&kept, now + 60_000), Some(pending.clone()));
            assert_eq!(Pending::decode(&kept, now + KEPT_FOR_MS + 1), None);
        }
        assert_eq!(
            Pending::decode(&add.encode(now + 3_600_000), now),
            None,
            "from the future"
        );
        for bad in [
            "",
            "x\nadd\nn",
            "1\nrename\nn",
            "1\nremove\nbad/id\nn",
            "1\nremove\nAbC",
        ] {
            assert_eq!(Pending::decode(bad, 2), None, "{bad:?}");
        }
    }

    #[test]
    fn a_wrong_password_is_said_under_the_field_and_others_in_strapis_words() {
        let wrong = r#"{"data":null,"error":{"status":400,"name":"ValidationError","message":"The provided current password is invalid","details":{}}}"#;
        let problem = refused(&answers::error(400, wrong));
        assert_eq!(problem.summary, T::WrongPassword.en());
        assert_eq!(
            problem.field(Field::Password).as_deref(),
            Some(T::WrongPassword.en())
        );
        let none = r#"{"data":null,"error":{"status":400,"name":"ApplicationError","message":"This account has no password","details":{}}}"#;
        assert_eq!(
            refused(&answers::error(400, none)).summary,
            T::NoPasswordHere.en()
        );
        assert_eq!(
            passkey_problem(&PasskeyError::Cancelled),
            T::NoPasskeyUsed.en()
        );
    }
}
