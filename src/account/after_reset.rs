//! "You reset your password": what the account page says once after a reset from the mail. Whoever
//! knew the old password may have added a passkey, or (session mode) may still be signed in
//! elsewhere; one button removes every passkey and ends every other session, with the
//! confirmation the reset itself brought (or "Confirm it's you" when it brought none).

use std::cell::Cell;

use leptos::prelude::*;
use leptos::task::spawn_local;

use leptos_strapi_auth::use_auth;
use strapi_auth::ErrorKind;

use super::confirm::ConfirmStep;
use super::said::{Line, Said, focus_soon};
use super::signed_in::end_other_sessions;
use crate::i18n::{T, Text, t, tf, tn, tr, tr_while};
use crate::messages::error_text;

thread_local! {
    /// A reset happened in this visit and the account page has not said so yet.
    static JUST_RESET: Cell<bool> = const { Cell::new(false) };
}

/// Marks that the person just reset their password here (the reset page, before it moves on).
pub fn mark() {
    JUST_RESET.with(|just| just.set(true));
}

/// Whether a reset is still to be told (once: reading it clears it).
pub fn take() -> bool {
    JUST_RESET.with(|just| just.replace(false))
}

/// What the button did, in words: how many passkeys went, and (session mode) whether every other
/// session ended.
pub fn outcome(removed: u64, signed_out: Option<bool>) -> String {
    let passkeys = match removed {
        0 => t(T::NoPasskeysToRemove).to_owned(),
        n => tn(T::PasskeysRemovedCount, n as usize, &[]),
    };
    match signed_out {
        Some(true) => format!("{passkeys} {}", t(T::SignedOutElsewhere)),
        _ => passkeys,
    }
}

/// The panel after a reset: what to check, and "Remove all passkeys and sign out everywhere else"
/// ("Remove all passkeys" where Strapi keeps no sessions). `changed` is bumped once it acted, so
/// the passkeys and the sessions below are listed again.
#[component]
pub fn AfterReset(changed: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let sessions = auth.is_renewable_untracked();
    let busy = RwSignal::new(false);
    let asking = RwSignal::new(false);
    let said = RwSignal::new(None::<Line>);

    let act = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        said.set(None);
        spawn_local(async move {
            let removed = auth.remove_all_passkeys().await;
            busy.try_set(false);
            let line = match removed {
                Err(error) if error.kind() == ErrorKind::ConfirmationRequired => {
                    asking.try_set(true);
                    return;
                }
                Err(error) => Line::alert(Text::new(move || error_text(&error))),
                Ok(count) if sessions => match end_other_sessions(auth).await {
                    Ok(_) => Line::notice(Text::new(move || outcome(count, Some(true)))),
                    // The passkeys went; say so, and what did not work.
                    Err(error) => Line::alert(Text::new(move || {
                        let failed = error_text(&error);
                        let failed = tf(T::SignOutElsewhereFailed, &[("reason", &failed)]);
                        format!("{} {failed}", outcome(count, Some(false)))
                    })),
                },
                Ok(count) => Line::notice(Text::new(move || outcome(count, None))),
            };
            said.try_set(Some(line));
            changed.try_update(|n| *n = n.wrapping_add(1));
            focus_soon(SAID);
        });
    };

    let done = move || said.with(|line| line.as_ref().is_some_and(Line::is_notice));
    let button = move || {
        if asking.get() {
            let done = Callback::new(move |()| {
                asking.set(false);
                act();
            });
            let cancel = Callback::new(move |()| {
                asking.set(false);
                focus_soon(ACT);
            });
            return Some(view! { <ConfirmStep done cancel /> }.into_any());
        }
        (!done()).then(|| {
            let label = if sessions {
                T::RemoveAllEverywhere
            } else {
                T::RemoveAllPasskeys
            };
            view! {
                <button
                    type="button"
                    id=ACT
                    class="button button--secondary"
                    disabled=move || busy.get()
                    on:click=move |_| act()
                >
                    {tr_while(busy, T::Removing, label)}
                </button>
            }
            .into_any()
        })
    };

    view! {
        <section class="section" aria-labelledby="after-reset-title">
            <h2 id="after-reset-title">{tr(T::AfterResetTitle)}</h2>
            <p class="section__lead">
                {tr(if sessions { T::AfterResetLead } else { T::AfterResetLeadLegacy })}
            </p>
            {move || said.get().map(|line| view! { <Said line id=SAID /> })}
            {button}
        </section>
    }
}

/// The panel's outcome, where the focus goes when it shows.
const SAID: &str = "after-reset-said";
/// The panel's button, where the focus returns from a cancelled confirmation.
const ACT: &str = "after-reset-act";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_counts_the_passkeys_and_names_the_sessions_only_when_they_ended() {
        assert_eq!(outcome(0, None), "You had no passkeys to remove.");
        assert_eq!(outcome(1, None), "Your passkey was removed.");
        assert_eq!(
            outcome(3, Some(true)),
            "All 3 of your passkeys were removed. You are signed out everywhere else."
        );
        assert_eq!(
            outcome(2, Some(false)),
            "All 2 of your passkeys were removed."
        );
    }

    #[test]
    fn a_reset_is_told_once() {
        assert!(!take());
        mark();
        assert!(take());
        assert!(!take());
    }
}
