//! The logged-in state: one reactive source of truth, restored from storage at start, kept in step
//! with storage (and so with the app's other tabs), renewed before its access token expires
//! (`renewal.rs`), and the only way pages reach Strapi with a token ([`Auth::authorized`]).

mod lock;
mod renewal;

use std::future::Future;
use std::time::Duration;

use leptos::prelude::*;

use crate::i18n::{T, t};
use crate::session::{ALL_KEYS, KEY_RENEWAL, Session};
use crate::storage::{self, StorageUnavailable};
use crate::strapi::{ApiError, LoggedIn, Strapi, User};

/// What the app must tell the person about their session, said on the next page they see: why they
/// are looking at the login page, or, on the dashboard, that this session will not be renewed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    LoggedOut,
    SessionExpired,
    /// Cookie mode, when Strapi would not take the new session's refresh token into its cookie
    /// (see [`Auth::sign_in`]): logged in until the access token expires, and no longer.
    NotRenewable,
}

impl Notice {
    pub fn text(self) -> &'static str {
        t(match self {
            Notice::LoggedOut => T::LoggedOut,
            Notice::SessionExpired => T::SessionExpired,
            Notice::NotRenewable => T::NotRenewable,
        })
    }
}

/// Shared through Leptos context; `Copy`, so every closure can hold it.
#[derive(Clone, Copy)]
pub struct Auth {
    session: RwSignal<Option<Session>>,
    /// Who the session belongs to, once known: from the login answer, or from `GET /users/me`.
    user: RwSignal<Option<User>>,
    /// Bumped whenever the person behind the session may have changed (a login or logout here
    /// or in another tab, not a renewal), so a `/users/me` answer for someone else is dropped.
    person: StoredValue<u32>,
    notice: RwSignal<Option<Notice>>,
    strapi: StoredValue<Strapi>,
    /// This browser's clock against Strapi's, and the pace of renewal (`renewal.rs`).
    renewal: StoredValue<renewal::State>,
}

impl Auth {
    /// The session stored by an earlier visit, if it is still alive.
    pub fn new(strapi: Strapi) -> Self {
        let auth = Self {
            session: RwSignal::new(None),
            user: RwSignal::new(None),
            person: StoredValue::new(0),
            notice: RwSignal::new(None),
            strapi: StoredValue::new(strapi),
            renewal: StoredValue::new(Default::default()),
        };
        match auth.stored() {
            Some(session) if auth.is_dead(&session) => auth.sign_out(Some(Notice::SessionExpired)),
            stored => auth.session.set(stored),
        }
        auth
    }

    /// Signed in as `logged_in`, but stored nowhere and never started: a page built with it shows
    /// what that person would see, and changes nothing (`rehearsal`).
    pub fn detached(strapi: Strapi, logged_in: LoggedIn) -> Self {
        Self {
            session: RwSignal::new(Some(logged_in.session)),
            user: RwSignal::new(logged_in.user),
            person: StoredValue::new(0),
            notice: RwSignal::new(None),
            strapi: StoredValue::new(strapi),
            renewal: StoredValue::new(Default::default()),
        }
    }

    /// Starts what keeps the session current while the app runs: renewal (or expiry) timers, and
    /// following logins and logouts made in other tabs.
    pub fn start(&self) {
        self.keep_fresh();
        self.follow_other_tabs();
    }

    pub fn is_logged_in(&self) -> bool {
        self.session.with(Option::is_some)
    }

    /// For one-off decisions that must not re-run when the session changes.
    pub fn is_logged_in_untracked(&self) -> bool {
        self.session
            .try_with_untracked(Option::is_some)
            .unwrap_or(false)
    }

    /// Whether the session is one Strapi renews (its session mode, with a list of sessions).
    pub fn is_renewable_untracked(&self) -> bool {
        self.session
            .with_untracked(|s| s.as_ref().is_some_and(Session::is_renewable))
    }

    /// Who is logged in, if known yet (see [`Auth::load_user`]).
    pub fn user(&self) -> Option<User> {
        self.user.get()
    }

    /// Asks Strapi who the session belongs to, when the login answer did not say (after a reload,
    /// or a login in another tab).
    pub async fn load_user(&self) -> Result<(), ApiError> {
        // `try_`: the page that asked may outlive the app (a test that unmounts it, say).
        let person = self.person.try_get_value().ok_or(ApiError::LoggedOut)?;
        let user = self
            .authorized(|strapi, session| async move { strapi.me(session.access_token()).await })
            .await?;
        // The session may have ended, or changed hands, while the answer was on its way.
        if self.person.try_get_value() == Some(person) {
            self.user.try_set(Some(user));
        }
        Ok(())
    }

    pub fn notice(&self) -> Option<Notice> {
        self.notice.get()
    }

    pub fn notice_untracked(&self) -> Option<Notice> {
        self.notice.get_untracked()
    }

    pub fn strapi(&self) -> Strapi {
        self.strapi.get_value()
    }

    /// Makes a login answer (from a login, a sign-up or a password reset) the current session and
    /// stores it. If storage refuses, nothing is kept and the person stays logged out: a login that
    /// vanishes on reload would be worse than an error now.
    pub async fn sign_in(&self, logged_in: LoggedIn) -> Result<(), StorageUnavailable> {
        let (session, notice) = self.keep_refresh_token_in_cookie(logged_in.session).await;
        self.store_arrived(&session, true)?;
        self.notice.try_set(notice);
        self.new_person(logged_in.user);
        self.session.try_set(Some(session));
        Ok(())
    }

    /// In cookie mode the refresh token belongs in Strapi's httpOnly cookie, never in storage. A
    /// login answer puts it there; sign-up and password reset answers carry it in their body
    /// instead, so it is handed to `POST /auth/refresh`, which moves its successor into the cookie.
    /// A stale cookie from an earlier session (Strapi reads the cookie first) is cleared once and
    /// the move tried again. Should that fail too, the access token is kept without its refresh
    /// token, and the person is told the session will not be renewed.
    async fn keep_refresh_token_in_cookie(&self, session: Session) -> (Session, Option<Notice>) {
        let strapi = self.strapi();
        let Session::Refresh { access, refresh } = session else {
            return (session, None);
        };
        if !strapi.config().cookie_refresh {
            return (Session::Refresh { access, refresh }, None);
        }
        let mut moved = strapi.move_to_cookie(&refresh).await;
        if moved.as_ref().is_err_and(|e| e.status() == Some(401))
            && strapi.clear_refresh_cookie(&access).await.is_ok()
        {
            moved = strapi.move_to_cookie(&refresh).await;
        }
        match moved {
            Ok(session) => (session, None),
            Err(_) => (Session::Cookie { access }, Some(Notice::NotRenewable)),
        }
    }

    /// Forgets the session locally, leaving `notice` for the login page to show.
    pub fn sign_out(&self, notice: Option<Notice>) {
        let mut removals = ALL_KEYS.map(|key| (key, None)).to_vec();
        removals.push((KEY_RENEWAL, None));
        // Removing keys only fails when storage is unreachable, and then nothing was stored anyway.
        let _ = storage::write(&removals);
        self.notice.try_set(notice);
        self.new_person(None);
        self.session.try_set(None);
    }

    fn new_person(&self, user: Option<User>) {
        self.forget_renewal();
        self.person.try_update_value(|n| *n = n.wrapping_add(1));
        self.user.try_set(user);
    }

    /// Logs out: first at Strapi, when it keeps a session that can be revoked (refresh modes), so
    /// the refresh token dies with it; then locally, even if Strapi could not be reached.
    pub async fn log_out(&self) {
        // Another tab may have renewed a moment ago, and Strapi gives every renewal a new session
        // id: logging out with a superseded access token would leave the live session standing.
        self.sync_with_storage();
        if self
            .session
            .with_untracked(|s| s.as_ref().is_some_and(Session::is_renewable))
        {
            let _ = self
                .authorized(|strapi, session| async move { strapi.logout(&session).await })
                .await;
        }
        self.sign_out(Some(Notice::LoggedOut));
    }

    /// Runs a Strapi call with the session, renewing the access token first when it is about to
    /// expire and, after a 401, renewing once and retrying once. In legacy mode a 401 ends the session.
    pub async fn authorized<T, F, Fut>(&self, call: F) -> Result<T, ApiError>
    where
        F: Fn(Strapi, Session) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        // Generic, so copied for every caller: what does not depend on the call lives in the two
        // methods below, once.
        let (strapi, session) = self.session_for_call().await?;
        match call(strapi.clone(), session.clone()).await {
            Err(error) if error.status() == Some(401) => {
                let renewed = self.after_refusal(&session, error).await?;
                call(strapi, renewed).await
            }
            outcome => outcome,
        }
    }

    /// The session to make a call with, renewed first when its access token is about to expire.
    async fn session_for_call(&self) -> Result<(Strapi, Session), ApiError> {
        // `try_`: a page's request may outlive the app (a test that unmounts it, say).
        let Some(mut session) = self.session.try_get_untracked().flatten() else {
            return Err(ApiError::LoggedOut);
        };
        if session.is_renewable() && self.renewal_due(&session) {
            match self.renew(&session).await {
                Ok(renewed) => session = renewed,
                // Held back, or Strapi failing: the token may still be good for a while, and
                // after a 401 `after_refusal` decides.
                Err(_) if self.is_logged_in_untracked() => {
                    session = self
                        .session
                        .try_get_untracked()
                        .flatten()
                        .unwrap_or(session);
                }
                Err(error) => return Err(error.unwrap_or(ApiError::LoggedOut)),
            }
        }
        let strapi = self.strapi.try_get_value().ok_or(ApiError::LoggedOut)?;
        Ok((strapi, session))
    }

    /// After Strapi refused `session` with a 401: a renewed session to try once more, or (legacy
    /// mode, nothing to renew) the end of the session.
    async fn after_refusal(&self, session: &Session, error: ApiError) -> Result<Session, ApiError> {
        if session.is_renewable() {
            // Held back by the pacing: the failure that holds it back says more than the 401.
            self.renew(session)
                .await
                .map_err(|failure| failure.or_else(|| self.last_failure()).unwrap_or(error))
        } else {
            self.sign_out(Some(Notice::SessionExpired));
            Err(error)
        }
    }

    /// Makes a session found in storage current here; `None` means another tab logged out.
    fn adopt(&self, stored: Option<Session>) -> Result<Session, ApiError> {
        match stored {
            Some(session) => {
                self.session.try_set(Some(session.clone()));
                Ok(session)
            }
            None => {
                self.sign_out(Some(Notice::LoggedOut));
                Err(ApiError::LoggedOut)
            }
        }
    }

    /// The session storage holds (with what it knows of the clock, which another tab may have
    /// learned).
    fn stored(&self) -> Option<Session> {
        let cookie_refresh = self
            .strapi
            .try_with_value(|s| s.config().cookie_refresh)
            .unwrap_or_default();
        self.read_stored_skew();
        Session::from_storage(storage::read, cookie_refresh)
    }

    /// Other tabs write the same storage: follow their logins, logouts and renewals.
    fn follow_other_tabs(&self) {
        let auth = *self;
        let listener = window_event_listener(leptos::ev::storage, move |event| {
            // `key` is None when storage was cleared as a whole.
            if event
                .key()
                .is_some_and(|key| !ALL_KEYS.contains(&key.as_str()))
            {
                return;
            }
            // A login, logout or renewal changes several keys; read once they have all landed.
            set_timeout(move || auth.sync_with_storage(), Duration::from_millis(50));
        });
        on_cleanup(move || listener.remove());
    }

    /// Makes what storage holds current here: another tab's login, logout or renewal.
    fn sync_with_storage(&self) {
        let stored = self.stored();
        if self.session.with_untracked(|current| *current == stored) {
            return;
        }
        if stored.is_none() {
            self.notice.set(Some(Notice::LoggedOut));
        } else {
            self.notice.set(None);
        }
        // From one session to another is a renewal; from or to none, a login or logout.
        if stored.is_none() || self.session.with_untracked(Option::is_none) {
            self.new_person(None);
        }
        self.session.set(stored);
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
