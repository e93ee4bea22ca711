//! Keeping the session's token alive: every decision about its time taken on Strapi's clock
//! ([`Skew`]), renewal single-flight across tabs (`lock.rs`), and never more often than
//! [`Pacing`] allows, whatever the clock, the tokens or Strapi's answers.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use strapi_auth::Error;
use strapi_auth::expiry::{Skew, is_expired, renew_at_ms, spread_renew_at_ms, timer_delay_ms};
use strapi_auth::jwt::{self, Lifetime};
use strapi_auth::pacing::{Outcome, Pacing};
use strapi_auth::session::Session;

use crate::auth::{Auth, Notice, Write};
use crate::lock;
use crate::storage::{self, StorageUnavailable};

/// What this tab knows of the clock and of renewal's pace. Storage holds the same for every tab;
/// this copy carries on when storage is blocked.
#[derive(Clone, Debug, Default)]
pub(crate) struct State {
    skew: Skew,
    pacing: Pacing,
    /// Why the latest renewal failed, until one succeeds: the answer for a call that renewal
    /// cannot help now.
    last_failure: Option<Error>,
}

impl Auth {
    /// A legacy JWT past its `exp` on Strapi's clock: no use sending it. (A renewable session
    /// lives as long as its refresh token, which only Strapi can judge.)
    pub(crate) fn is_dead(&self, session: &Session) -> bool {
        !session.is_renewable()
            && lifetime(session).is_some_and(|l| is_expired(l, self.skew(l).server_time(now_ms())))
    }

    pub(crate) fn renewal_due(&self, session: &Session) -> bool {
        lifetime(session).is_some_and(|l| self.skew(l).server_time(now_ms()) >= renew_at_ms(l))
    }

    pub(crate) fn last_failure(&self) -> Option<Error> {
        self.renewal
            .try_with_value(|state| state.last_failure.clone())
            .flatten()
    }

    /// The skew to judge `lifetime`'s token by: the one learned last, bounded by what the token
    /// itself proves.
    fn skew(&self, lifetime: Lifetime) -> Skew {
        let known = self
            .renewal
            .try_with_value(|state| state.skew)
            .unwrap_or_default();
        known.bounded(lifetime, now_ms())
    }

    /// Takes up the skew another tab (or an earlier visit) learned.
    pub(crate) fn read_stored_skew(&self) {
        let key = self.keys().clock_skew;
        if let Some(skew) = storage::read(&key).and_then(|text| Skew::decode(&text)) {
            self.renewal.try_update_value(|state| state.skew = skew);
        }
    }

    /// Stores a session whose tokens Strapi has just sent, with what its `iat` says of this
    /// browser's clock, in one write. `new_session`: a login, so the record of earlier renewals'
    /// pace goes from storage (this tab's own copy goes with the person: `new_person`).
    pub(crate) fn store_arrived(
        &self,
        session: &Session,
        new_session: bool,
    ) -> Result<(), StorageUnavailable> {
        let skew = lifetime(session).map(|l| Skew::learned(l, now_ms()));
        let skew_text = skew.map(Skew::encode);
        let keys = self.keys();
        let mut entries = session.storage_entries(&keys).to_vec();
        if let Some(text) = &skew_text {
            entries.push((&keys.clock_skew, Some(text)));
        }
        if new_session {
            entries.push((&keys.renewal, None));
        }
        storage::write(&entries)?;
        if let Some(skew) = skew {
            self.renewal.try_update_value(|state| state.skew = skew);
        }
        Ok(())
    }

    /// This browser's pace of renewal: this tab's record and the one its tabs share in storage,
    /// together, as of now (a clock set back since moves them back with it).
    fn pacing(&self) -> Pacing {
        let now = now_ms();
        let mine = self
            .renewal
            .try_with_value(|state| state.pacing)
            .unwrap_or_default()
            .rebased(now);
        match storage::read(&self.keys().renewal).and_then(|text| Pacing::decode(&text)) {
            Some(stored) => mine.merge(&stored.rebased(now)),
            None => mine,
        }
    }

    /// Another person's session, or none: what renewal knew of the last one's pace is over (what
    /// it knows of the clock is not).
    pub(crate) fn forget_renewal(&self) {
        self.renewal.try_update_value(|state| {
            *state = State {
                skew: state.skew,
                ..State::default()
            }
        });
    }

    fn set_pacing(&self, pacing: Pacing) {
        self.renewal.try_update_value(|state| state.pacing = pacing);
        // Blocked storage leaves each tab with its own pace, still bounded.
        let _ = storage::write(&[(&self.keys().renewal, Some(&pacing.encode()))]);
    }

    /// Replaces `stale` (whose access token is expiring or was refused) with a renewed session.
    /// `Err(None)`: not now, the pacing holds renewal back.
    ///
    /// Single-flight: under a lock shared by this app's tabs, storage is read again first; if the
    /// session there is no longer `stale`, someone renewed it already and that session is adopted
    /// without asking Strapi. When Strapi refuses the refresh token, storage is watched a second
    /// longer, since a token rotated by another tab can reach this tab's storage a moment late;
    /// only then is the session over.
    pub(crate) async fn renew(&self, stale: &Session) -> Result<Session, Option<Error>> {
        let auth = *self;
        let stale_access = stale.access_token().clone();
        let renewed = lock::exclusive(async move {
            let moved_on = |stored: &Option<Session>| {
                stored
                    .as_ref()
                    .is_none_or(|s| s.access_token() != &stale_access)
            };
            let stored = auth.stored();
            if moved_on(&stored) {
                return auth.adopt(stored).map_err(Some);
            }
            let Some(current) = stored else {
                return Err(Some(Error::LoggedOut));
            };
            let strapi = auth.strapi.try_get_value().ok_or(Error::LoggedOut)?;
            let mut pacing = auth.pacing();
            let started = now_ms();
            if pacing.wait_ms(started, life_ms(&current)) > 0 {
                return Err(None);
            }
            // Recorded before it leaves: a reload while it is in flight, or a tab without Web
            // Locks, waits for it too.
            pacing.start(started);
            auth.set_pacing(pacing);
            let answer = strapi.refresh(&current).await;
            // The app that asked is gone (a test unmounted it): what it would store is no one's.
            if auth.session.try_with_untracked(|_| ()).is_none() {
                return Err(Some(Error::LoggedOut));
            }
            let outcome = match &answer {
                Ok(next) => Outcome::Renewed {
                    life_ms: life_ms(next),
                },
                Err(refused) => Outcome::Failed {
                    retry_after_ms: refused.retry_after_ms,
                },
            };
            pacing.finish(now_ms(), outcome, js_sys::Math::random());
            auth.set_pacing(pacing);
            let error = match answer {
                Ok(next) => {
                    auth.renewal
                        .try_update_value(|state| state.last_failure = None);
                    let _ = auth.commit(Some(next.clone()), Write::Renewed);
                    return Ok(next);
                }
                Err(refused) => refused.error,
            };
            let last = error.clone();
            auth.renewal
                .try_update_value(|state| state.last_failure = Some(last));
            if matches!(error.status(), Some(400 | 401)) {
                for _ in 0..10 {
                    lock::sleep(100).await;
                    let stored = auth.stored();
                    if moved_on(&stored) {
                        return auth.adopt(stored).map_err(Some);
                    }
                }
                auth.sign_out(Some(Notice::SessionExpired));
            } else {
                // Unreachable, a server error, a rate limit: the session is kept and renewal
                // tries again when the pacing allows. The lock is held a moment longer, so that
                // the tab next in line reads this failure from storage (a write reaches other
                // tabs a little late) rather than asking again.
                lock::sleep(250).await;
            }
            Err(Some(error))
        })
        .await;
        renewed.unwrap_or(Err(Some(Error::Unreachable)))
    }

    /// One timer for the current session: renew a renewable one shortly before its access token
    /// expires (on Strapi's clock, and not before the pacing allows); end a legacy one when its
    /// JWT expires. The network coming back after failures brings a renewal forward.
    pub(crate) fn keep_fresh(&self) {
        let auth = *self;
        // Bumped by a timer that woke early (long waits are cut short), a failed renewal, or the
        // network coming back.
        let wake = RwSignal::new(0u32);
        // The pending timer, cleared when the next one is set and when the app goes.
        let timer = Arc::new(Mutex::new(None::<TimeoutHandle>));
        let pending = timer.clone();
        on_cleanup(move || clear(&pending));
        Effect::new(move || {
            clear(&timer);
            wake.track();
            let Some(session) = auth.session.get() else {
                return;
            };
            let Some(lifetime) = lifetime(&session) else {
                return;
            };
            let skew = auth.skew(lifetime);
            let now = now_ms();
            let due = if session.is_renewable() {
                let on_time = skew.local_time(spread_renew_at_ms(lifetime, js_sys::Math::random()));
                let paced = now.saturating_add(auth.pacing().wait_ms(now, lifetime.life_ms()));
                on_time.max(paced)
            } else {
                skew.local_time(lifetime.expires_at.saturating_mul(1000))
            };
            let delay = timer_delay_ms(due, now);
            let fire = move || {
                if now_ms() < due {
                    wake.try_update(|n| *n += 1);
                } else if session.is_renewable() {
                    spawn_local(async move {
                        if auth.renew(&session).await.is_err() && auth.is_logged_in_untracked() {
                            // The pacing sets the next attempt; this pause only keeps a
                            // "not now" from spinning when another tab's record arrived
                            // after this timer was set.
                            lock::sleep(1_000).await;
                            wake.try_update(|n| *n += 1);
                        }
                    });
                } else {
                    auth.sign_out(Some(Notice::SessionExpired));
                }
            };
            let handle = set_timeout_with_handle(fire, Duration::from_millis(delay)).ok();
            if let Ok(mut slot) = timer.lock() {
                *slot = handle;
            }
        });
        let online = window_event_listener(leptos::ev::online, move |_| {
            let mut pacing = auth.pacing();
            if pacing.back_online(now_ms(), js_sys::Math::random()) {
                auth.set_pacing(pacing);
                wake.try_update(|n| *n += 1);
            }
        });
        on_cleanup(move || online.remove());
    }
}

fn clear(timer: &Mutex<Option<TimeoutHandle>>) {
    if let Some(handle) = timer.lock().ok().and_then(|mut slot| slot.take()) {
        handle.clear();
    }
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// The access token's `iat`/`exp`, if it is a JWT that has them.
fn lifetime(session: &Session) -> Option<Lifetime> {
    jwt::lifetime(session.access_token().expose())
}

fn life_ms(session: &Session) -> Option<u64> {
    lifetime(session).and_then(Lifetime::life_ms)
}
