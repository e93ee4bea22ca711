//! "Passkeys" on the account page: the person's passkeys, adding one under a name, removing one,
//! each through "Confirm it's you" when Strapi wants a recent proof first.

use leptos::prelude::*;
use leptos::task::spawn_local;

use leptos_strapi_auth::passkey;
use leptos_strapi_auth::use_auth;
use strapi_auth::{Error, ErrorKind, Passkey, PasskeyId};

use super::confirm::{ConfirmStep, Pending, take_resume};
use super::said::{Line, Said, focus, focus_soon};
use super::signed_in::{is_timestamp, local_time};
use crate::i18n::{self, T, Text, tf, tr, tr_while};
use crate::messages::{error_text, passkey_text};

/// The longest name a passkey can have (strapi-plugin-passkeys keeps 64 characters).
const NAME_MAX: usize = 64;

/// A passkey name's problem, before anything is sent.
pub fn name_problem(name: &str) -> Option<T> {
    match name.chars().count() {
        0 => Some(T::EnterPasskeyName),
        n if n > NAME_MAX => Some(T::PasskeyNameTooLong),
        _ => None,
    }
}

/// A confirmation the section asks for: the action that waits, and the button that started it
/// (the focus goes back there if the person cancels).
#[derive(Clone)]
struct Asking {
    pending: Pending,
    from: String,
}

/// The id of "Add a passkey", where the focus returns from a cancelled confirmation.
const ADD_ID: &str = "passkey-add";

fn remove_id(id: &PasskeyId) -> String {
    format!("passkey-remove-{}", id.as_str())
}

/// "Passkeys" on the dashboard (when the page offers passkeys): the person's passkeys, adding one
/// under a name, removing one. Strapi wants a recent confirmation for both: when there is none,
/// the section asks for one in place of its list and form, then goes on by itself. `changed`
/// reloads the list (someone else removed passkeys).
#[component]
pub fn Passkeys(changed: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let list = RwSignal::new(None::<Result<Vec<Passkey>, Error>>);
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<T>);
    let said = RwSignal::new(None::<Line>);
    // One request at a time: both kinds of button wait while either runs.
    let busy = RwSignal::new(false);
    let adding = RwSignal::new(false);
    let asking = RwSignal::new(None::<Asking>);
    let can_create = passkey::is_supported();

    let reload = move || {
        spawn_local(async move {
            let now = auth.passkeys().await;
            list.try_set(Some(now));
        });
    };
    reload();

    let ask = move |pending: Pending, from: String| {
        said.set(None);
        asking.set(Some(Asking { pending, from }));
    };

    let start_add = move |label: String| {
        busy.set(true);
        adding.set(true);
        said.set(None);
        spawn_local(async move {
            let added = auth.add_passkey(&label).await;
            if busy.try_set(false).is_some() {
                return;
            }
            adding.set(false);
            let line = match added {
                Ok(passkey) => {
                    name.set(String::new());
                    Line::done(T::PasskeyAdded, passkey.name)
                }
                Err(error) if error.kind() == Some(ErrorKind::ConfirmationRequired) => {
                    return ask(Pending::Add(label), ADD_ID.to_owned());
                }
                Err(error) => Line::alert(Text::new(move || passkey_text(&error, true))),
            };
            said.set(Some(line));
            reload();
            focus_soon("passkeys-said");
        });
    };

    let start_remove = move |id: PasskeyId, label: String| {
        busy.set(true);
        said.set(None);
        spawn_local(async move {
            let removed = auth.remove_passkey(&id).await;
            if busy.try_set(false).is_some() {
                return;
            }
            let line = match removed {
                // Removed meanwhile (another tab): what the person wanted.
                Ok(()) => Line::done(T::PasskeyRemoved, label),
                Err(error) if error.kind() == ErrorKind::PasskeyNotFound => {
                    Line::done(T::PasskeyRemoved, label)
                }
                Err(error) if error.kind() == ErrorKind::ConfirmationRequired => {
                    let from = remove_id(&id);
                    return ask(Pending::Remove(id, label), from);
                }
                Err(error) => Line::alert(Text::new(move || error_text(&error))),
            };
            said.set(Some(line));
            reload();
            focus_soon("passkeys-said");
        });
    };

    let go_on = move |pending: Pending| match pending {
        Pending::Add(label) => start_add(label),
        Pending::Remove(id, label) => start_remove(id, label),
    };
    Effect::new(move |first: Option<()>| {
        changed.track();
        if first.is_some() {
            // Someone else changed them (the panel after a reset).
            return reload();
        }
        // Once: the browser's passkey manager told which passkeys Strapi still accepts, and,
        // back from a provider that confirmed it's the person, what they asked for goes on.
        spawn_local(async move {
            let _ = auth.signal_passkeys().await;
        });
        if let Some(pending) = take_resume()
            && auth.has_confirmation()
        {
            go_on(pending);
        }
    });

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let label = name.get_untracked().trim().to_owned();
        name_error.set(name_problem(&label));
        if name_error.get_untracked().is_some() {
            focus("passkey-name");
            return;
        }
        start_add(label);
    };

    let remove = move |id: PasskeyId, label: String| {
        if !busy.get_untracked() {
            start_remove(id, label);
        }
    };

    let listing = move || match list.get() {
        None => Err(Line::status(T::Loading)),
        Some(Err(error)) => Err(Line::alert(Text::new(move || {
            tf(T::PasskeysNotLoaded, &[("reason", &error_text(&error))])
        }))),
        Some(Ok(passkeys)) if passkeys.is_empty() => Err(Line::status(T::NoPasskeys)),
        Some(Ok(passkeys)) => Ok(passkeys),
    };
    let listing = move || match listing() {
        Err(line) => view! { <Said line /> }.into_any(),
        Ok(passkeys) => {
            let rows: Vec<_> = passkeys
                .into_iter()
                .map(|passkey| view! { <Entry passkey busy remove /> })
                .collect();
            view! { <ul class="devices">{rows}</ul> }.into_any()
        }
    };

    let invalid = move || name_error.get().is_some();
    let form = move || {
        if !can_create {
            return view! { <Said line=Line::status(T::PasskeysUnsupportedHere) /> }.into_any();
        }
        view! {
            <form class="form" novalidate on:submit=add>
                <div class="field" class:field--invalid=invalid>
                    <label class="field__label" for="passkey-name">
                        {tr(T::PasskeyName)}
                    </label>
                    <div class="field__control">
                        <input
                            class="field__input"
                            id="passkey-name"
                            name="passkey-name"
                            type="text"
                            autocomplete="off"
                            maxlength=NAME_MAX
                            aria-invalid=move || invalid().then_some("true")
                            aria-describedby=move || {
                                if invalid() {
                                    "passkey-name-error passkey-name-hint"
                                } else {
                                    "passkey-name-hint"
                                }
                            }
                            bind:value=name
                        />
                    </div>
                    <p class="field__hint" id="passkey-name-hint">
                        {tr(T::PasskeyNameHint)}
                    </p>
                    {move || {
                        name_error
                            .get()
                            .map(|text| {
                                view! {
                                    <p class="field__error" id="passkey-name-error">
                                        {tr(text)}
                                    </p>
                                }
                            })
                    }}
                </div>
                <button
                    type="submit"
                    id=ADD_ID
                    class="button button--secondary"
                    disabled=move || busy.get()
                >
                    {tr_while(adding, T::AddingPasskey, T::AddPasskey)}
                </button>
            </form>
        }
        .into_any()
    };

    // While a confirmation is asked for, it stands in place of the list and the form.
    let body = move || match asking.get() {
        Some(Asking { pending, from }) => {
            let resume = pending.clone();
            let done = Callback::new(move |()| {
                asking.set(None);
                go_on(pending.clone());
            });
            let cancel = Callback::new(move |()| {
                asking.set(None);
                focus_soon(from.clone());
            });
            view! { <ConfirmStep resume done cancel /> }.into_any()
        }
        None => view! {
            {listing}
            {form}
        }
        .into_any(),
    };

    view! {
        <section class="section" aria-labelledby="passkeys-title">
            <h2 id="passkeys-title">{tr(T::Passkeys)}</h2>
            <p class="section__lead">{tr(T::PasskeysLead)}</p>
            {move || said.get().map(|line| view! { <Said line id="passkeys-said" /> })}
            {body}
        </section>
    }
}

/// One passkey: its name, when it was added and last used, and "Remove".
#[component]
fn Entry(
    passkey: Passkey,
    busy: RwSignal<bool>,
    remove: impl Fn(PasskeyId, String) + Copy + 'static,
) -> impl IntoView {
    let Passkey {
        id,
        name,
        created_at,
        last_used_at,
        ..
    } = passkey;
    let when = |text: T, at: Option<String>| {
        at.filter(|iso| is_timestamp(iso))
            .map(|iso| move || tf(text, &[("time", &local_time(&iso, i18n::current().0))]))
    };
    let added = when(T::PasskeyAddedAt, created_at);
    let used = when(T::PasskeyUsedAt, last_used_at.clone());
    let never = last_used_at.is_none().then(|| tr(T::PasskeyNeverUsed));
    let label_id = format!("passkey-label-{}", id.as_str());
    let button_id = remove_id(&id);
    // Named "Remove" and the passkey's name, so a list of buttons says which is which.
    let labelled_by = format!("{button_id} {label_id}");
    let label = name.clone();
    view! {
        <li class="device">
            <div>
                <strong id=label_id.clone()>{name}</strong>
                <p class="device__when">{added} " " {used} {never}</p>
            </div>
            <button
                type="button"
                class="button button--small"
                id=button_id
                aria-labelledby=labelled_by
                disabled=move || busy.get()
                on:click=move |_| remove(id.clone(), label.clone())
            >
                {tr(T::Remove)}
            </button>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_required_and_at_most_64_characters() {
        assert_eq!(name_problem(""), Some(T::EnterPasskeyName));
        assert_eq!(name_problem("Work laptop"), None);
        assert_eq!(name_problem(&"é".repeat(64)), None);
        assert_eq!(name_problem(&"é".repeat(65)), Some(T::PasskeyNameTooLong));
    }
}
