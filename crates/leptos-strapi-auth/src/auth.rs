//! The signed-in state: one reactive source of truth, restored from storage at start, written with
//! storage in one place ([`Auth::commit`]), and the only way to reach Strapi with a token
//! ([`Auth::authorized`]). Renewal lives in `renewal.rs`, following other tabs in `tabs.rs`.

use std::future::Future;

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use strapi_auth::{
    Confirmation, ConfirmationMethods, Error, ErrorKind, LoggedIn, Passkey, PasskeyId,
    PasskeySignals, Registration, Session, Strapi, Token, passkeys,
};
use web_sys::AbortSignal;

use crate::passkey::{self, Mediation, PasskeyError};

use crate::renewal;
use crate::storage::{self, StorageUnavailable};

/// What an app should tell the person about their session, on the next page they see: why they
/// are looking at the login page, or that this session will not be renewed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Notice {
    /// They logged out (here or in another tab).
    LoggedOut,
    /// The session ended: its token expired, or Strapi refused to renew it.
    SessionExpired,
    /// Cookie mode, when Strapi would not take the new session's refresh token into its cookie:
    /// signed in until the access token expires, and no longer.
    NotRenewable,
}

/// Why a flow that should end signed in did not.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignInError {
    /// Strapi refused, or could not be reached.
    Strapi(Error),
    /// Strapi said yes, but the browser refused to store the session (site data blocked, quota):
    /// nothing is kept, and the person is still signed out, since a session that vanished on
    /// reload would be worse than this error now.
    StorageBlocked,
}

impl SignInError {
    /// Strapi's refusal as a kind, to decide what to say; `None` when the browser refused storage.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            SignInError::Strapi(error) => Some(error.kind()),
            SignInError::StorageBlocked => None,
        }
    }
}

/// For logs and developers; people should see the app's wording of [`SignInError::kind`].
impl std::fmt::Display for SignInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignInError::Strapi(error) => error.fmt(f),
            SignInError::StorageBlocked => StorageUnavailable.fmt(f),
        }
    }
}

impl std::error::Error for SignInError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SignInError::Strapi(error) => Some(error),
            SignInError::StorageBlocked => None,
        }
    }
}

impl From<Error> for SignInError {
    fn from(error: Error) -> Self {
        SignInError::Strapi(error)
    }
}

impl From<StorageUnavailable> for SignInError {
    fn from(_: StorageUnavailable) -> Self {
        SignInError::StorageBlocked
    }
}

/// What signing up led to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignedUp {
    /// Signed in at once.
    SignedIn,
    /// The account must confirm its email address first; Strapi has mailed a link.
    ConfirmEmail,
}

/// The paths the guards send people to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paths {
    /// The login page; a signed-out person opening a protected page is sent here with a
    /// `redirect` parameter to come back.
    pub login: &'static str,
    /// Where a person goes after signing in when nothing else was asked for.
    pub home: &'static str,
}

impl Default for Paths {
    /// `/auth/login` and `/dashboard`.
    fn default() -> Self {
        Self {
            login: "/auth/login",
            home: "/dashboard",
        }
    }
}

/// The signed-in state of the app, shared through Leptos context ([`provide_auth`],
/// [`use_auth`]); `Copy`, so every closure can hold it.
#[derive(Clone, Copy)]
pub struct Auth {
    pub(crate) session: RwSignal<Option<Session>>,
    /// Who the session belongs to, once known: the login answer's `user`, or `GET /users/me`'s,
    /// kept as the JSON Strapi sent, so that each caller reads it as its own type.
    user: RwSignal<Option<String>>,
    /// Bumped whenever the person behind the session may have changed (a login or logout here
    /// or in another tab, not a renewal), so a `/users/me` answer for someone else is dropped.
    person: StoredValue<u32>,
    notice: RwSignal<Option<Notice>>,
    pub(crate) strapi: StoredValue<Strapi>,
    paths: StoredValue<Paths>,
    /// This browser's clock against Strapi's, and the pace of renewal (`renewal.rs`).
    pub(crate) renewal: StoredValue<renewal::State>,
    /// A recent "confirm it's you" (strapi-plugin-passkeys), in memory only: never stored, gone
    /// with the person, and as soon as Strapi refuses it.
    confirmation: StoredValue<Option<Confirmation>>,
    /// The relying party id of this site's passkeys, once one of Strapi's answers named it: what
    /// the browser is told a passkey's removal under.
    rp_id: StoredValue<Option<String>>,
}

/// What a [commit](Auth::commit) is, and so how it treats storage.
pub(crate) enum Write {
    /// A login answer: stored with what its tokens say of the clock, and a new person.
    Login {
        user: Option<String>,
        notice: Option<Notice>,
    },
    /// Renewed tokens: stored if storage lets it (this tab carries on with them either way).
    Renewed,
    /// What storage already holds (another tab wrote it); a login or logout there is a new
    /// person, a renewal is not.
    Adopted { new_person: bool },
    /// The end of the session: its keys removed.
    SignedOut { notice: Option<Notice> },
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The session's tokens redact themselves; untracked, so a log line subscribes nothing.
        f.debug_struct("Auth")
            .field("session", &self.session.try_get_untracked().flatten())
            .field("notice", &self.notice_untracked())
            .finish_non_exhaustive()
    }
}

impl Auth {
    /// The session stored by an earlier visit, if it is still alive; nothing runs until
    /// [`Auth::start`].
    pub fn new(strapi: Strapi, paths: Paths) -> Self {
        let auth = Self::empty(strapi, paths);
        match auth.stored() {
            Some(session) if auth.is_dead(&session) => auth.sign_out(Some(Notice::SessionExpired)),
            stored => auth.session.set(stored),
        }
        auth
    }

    /// Signed in as `logged_in`, but stored nowhere and never started: a view built with it shows
    /// what that person would see, and changes nothing (an app can build its signed-in pages
    /// ahead of time with it, say).
    pub fn detached(strapi: Strapi, paths: Paths, logged_in: LoggedIn<Box<RawValue>>) -> Self {
        let auth = Self::empty(strapi, paths);
        auth.session.set(Some(logged_in.session));
        auth.user
            .set(logged_in.user.map(|user| user.get().to_owned()));
        auth
    }

    fn empty(strapi: Strapi, paths: Paths) -> Self {
        Self {
            session: RwSignal::new(None),
            user: RwSignal::new(None),
            person: StoredValue::new(0),
            notice: RwSignal::new(None),
            strapi: StoredValue::new(strapi),
            paths: StoredValue::new(paths),
            renewal: StoredValue::new(Default::default()),
            confirmation: StoredValue::new(None),
            rp_id: StoredValue::new(None),
        }
    }

    /// Starts what keeps the session current while the owner lives: renewal (or expiry) timers,
    /// and following logins, logouts and renewals made in other tabs.
    pub fn start(&self) {
        self.keep_fresh();
        self.follow_other_tabs();
    }

    /// Whether someone is signed in. Tracked.
    pub fn is_logged_in(&self) -> bool {
        self.session.with(Option::is_some)
    }

    /// Whether someone is signed in, for one-off decisions that must not re-run when the session
    /// changes.
    pub fn is_logged_in_untracked(&self) -> bool {
        self.session
            .try_with_untracked(Option::is_some)
            .unwrap_or(false)
    }

    /// Whether the session is one Strapi renews (its session mode, with a list of sessions).
    pub fn is_renewable_untracked(&self) -> bool {
        self.session
            .try_with_untracked(|s| s.as_ref().is_some_and(Session::is_renewable))
            .unwrap_or(false)
    }

    /// Who is signed in, read as a `U` ([`strapi_auth::User`], or a type of your own with the
    /// fields your project added), if known yet (see [`Auth::load_user`]) and if it reads as
    /// one. Tracked.
    pub fn user<U: DeserializeOwned>(&self) -> Option<U> {
        self.user
            .with(|user| serde_json::from_str(user.as_deref()?).ok())
    }

    /// Asks Strapi who the session belongs to (`GET /users/me`), when the login answer did not say
    /// (after a reload, or a login in another tab), and keeps the answer for [`Auth::user`] when
    /// it reads as a `U` (otherwise it is [`Error::UnexpectedAnswer`]).
    pub async fn load_user<U: DeserializeOwned>(&self) -> Result<U, Error> {
        // `try_`: the view that asked may outlive the app (a test that unmounts it, say).
        let person = self.person.try_get_value().ok_or(Error::LoggedOut)?;
        let user: Box<RawValue> = self
            .authorized(|strapi, session| async move { strapi.me(session.access_token()).await })
            .await?;
        let read = serde_json::from_str(user.get()).map_err(|_| Error::UnexpectedAnswer)?;
        // The session may have ended, or changed hands, while the answer was on its way.
        if self.person.try_get_value() == Some(person) {
            self.user.try_set(Some(user.get().to_owned()));
        }
        Ok(read)
    }

    /// What to tell the person about their session, if anything. Tracked.
    pub fn notice(&self) -> Option<Notice> {
        self.notice.get()
    }

    /// [`Auth::notice`], untracked.
    pub fn notice_untracked(&self) -> Option<Notice> {
        self.notice.try_get_untracked().flatten()
    }

    /// The Strapi client, for the calls open to anyone (a forgotten password, say).
    pub fn strapi(&self) -> Strapi {
        self.strapi.get_value()
    }

    /// The paths the guards use.
    pub fn paths(&self) -> Paths {
        self.paths.get_value()
    }

    /// `POST /auth/local`, then signed in.
    pub async fn log_in(&self, identifier: &str, password: &str) -> Result<(), SignInError> {
        let logged_in = self.strapi().login(identifier, password).await?;
        self.sign_in(logged_in).await
    }

    /// `POST /auth/local/register`, then signed in unless the account must confirm its email.
    pub async fn register(
        &self,
        username: &str,
        email: &str,
        password: &str,
    ) -> Result<SignedUp, SignInError> {
        match self.strapi().register(username, email, password).await? {
            Registration::LoggedIn(logged_in) => {
                self.sign_in(logged_in).await?;
                Ok(SignedUp::SignedIn)
            }
            Registration::ConfirmEmail => Ok(SignedUp::ConfirmEmail),
        }
    }

    /// `POST /auth/reset-password` with the mailed code, then signed in. With
    /// strapi-plugin-passkeys 0.2 or later the answer carries a confirmation, kept in memory
    /// ([`Auth::has_confirmation`]): whoever just reset the password may change passkeys without
    /// proving it again.
    pub async fn reset_password(
        &self,
        code: &str,
        password: &str,
        confirmation: &str,
    ) -> Result<(), SignInError> {
        let logged_in = self
            .strapi()
            .reset_password(code, password, confirmation)
            .await?;
        self.sign_in(logged_in).await
    }

    /// Finishes a provider login (`GET /auth/:provider/callback`), then signed in. `tokens` are
    /// what the provider's return carried in its query, if anything (Strapi 5.52 and earlier).
    /// With strapi-plugin-passkeys 0.2 or later the answer carries a confirmation, kept as a
    /// reset's is: a provider sign-in is how an account without a password confirms it's them.
    pub async fn provider_login(
        &self,
        provider: &str,
        tokens: &[(&str, String)],
    ) -> Result<(), SignInError> {
        let logged_in = self.strapi().provider_callback(provider, tokens).await?;
        self.sign_in(logged_in).await
    }

    /// `POST /auth/change-password`, then signed in with the new session it starts (in session
    /// mode Strapi has ended every session of the person, this one included).
    pub async fn change_password(
        &self,
        current: &str,
        password: &str,
        confirmation: &str,
    ) -> Result<(), SignInError> {
        let change = |strapi: Strapi, session: Session| async move {
            let token: Token = session.access_token().clone();
            strapi
                .change_password(&token, current, password, confirmation)
                .await
        };
        let logged_in = self.authorized(change).await?;
        self.sign_in(logged_in).await
    }

    /// Signs in with a passkey: Strapi's options, the browser's prompt (as `mediation` says;
    /// `signal` ends a waiting [`Mediation::Conditional`] prompt), Strapi's check, then signed in
    /// with the same kind of session a password gives. A passkey Strapi does not know
    /// ([`ErrorKind::PasskeyNotFound`]: never registered, or removed) is reported to the browser
    /// (WebAuthn's `signalUnknownCredential`), which may then stop offering it.
    pub async fn log_in_with_passkey(
        &self,
        mediation: Mediation,
        signal: Option<&AbortSignal>,
    ) -> Result<(), PasskeyError> {
        if !passkey::is_supported() {
            return Err(PasskeyError::Unsupported);
        }
        let strapi = self.strapi();
        let options = strapi
            .passkey_login_options()
            .await
            .map_err(PasskeyError::Options)?;
        let credential = passkey::get(&options, mediation, signal).await?;
        match strapi.login_with_passkey(&credential).await {
            Ok(logged_in) => Ok(self.sign_in(logged_in).await?),
            Err(error) => {
                if error.kind() == ErrorKind::PasskeyNotFound
                    && let Some(id) = passkeys::credential_id(&credential)
                {
                    passkey::signal_unknown(&passkey::rp_id_of(&options), &id);
                }
                Err(error.into())
            }
        }
    }

    /// Adds a passkey for the signed-in person under `name`: Strapi's options, the browser's
    /// prompt to create one, Strapi's check. Strapi wants a recent confirmation for it: without
    /// one (or when Strapi refuses the one kept) this fails with
    /// [`ErrorKind::ConfirmationRequired`], and the app asks the person to confirm it's them
    /// ([`Auth::confirm_with_password`], [`Auth::confirm_with_passkey`]) and tries again.
    pub async fn add_passkey(&self, name: &str) -> Result<Passkey, PasskeyError> {
        if !passkey::is_supported() {
            return Err(PasskeyError::Unsupported);
        }
        let options = self
            .confirmed(|strapi, session, confirmation| async move {
                strapi
                    .passkey_registration_options(session.access_token(), &confirmation)
                    .await
            })
            .await
            .map_err(PasskeyError::Options)?;
        let credential = passkey::create(&options).await?;
        let register = |strapi: Strapi, session: Session, confirmation: Confirmation| {
            let credential = credential.clone();
            async move {
                strapi
                    .register_passkey(session.access_token(), &confirmation, name, &credential)
                    .await
            }
        };
        Ok(self.confirmed(register).await?)
    }

    /// The signed-in person's passkeys (`GET /passkeys`).
    pub async fn passkeys(&self) -> Result<Vec<Passkey>, Error> {
        self.authorized(
            |strapi, session| async move { strapi.passkeys(session.access_token()).await },
        )
        .await
    }

    /// Removes one of the signed-in person's passkeys (`POST /passkeys/remove`), with the
    /// confirmation kept (see [`Auth::add_passkey`]: without one, [`ErrorKind::ConfirmationRequired`]).
    /// Once it is gone (or was already: [`ErrorKind::PasskeyNotFound`]) the browser is told
    /// (WebAuthn's `signalUnknownCredential`), so its passkey manager can stop offering it.
    pub async fn remove_passkey(&self, id: &PasskeyId) -> Result<(), Error> {
        let removed = self
            .confirmed(|strapi, session, confirmation| async move {
                strapi
                    .remove_passkey(session.access_token(), &confirmation, id)
                    .await
            })
            .await;
        let gone = match &removed {
            Ok(()) => true,
            Err(error) => error.kind() == ErrorKind::PasskeyNotFound,
        };
        if gone {
            self.signal_removed(id).await;
        }
        removed
    }

    /// Removes every passkey of the signed-in person (`POST /passkeys/remove-all`), with the
    /// confirmation kept (see [`Auth::add_passkey`]), and tells the browser which remain (none):
    /// how many there were.
    pub async fn remove_all_passkeys(&self) -> Result<u64, Error> {
        let removed = self
            .confirmed(|strapi, session, confirmation| async move {
                strapi
                    .remove_all_passkeys(session.access_token(), &confirmation)
                    .await
            })
            .await?;
        let _ = self.signal_passkeys().await;
        Ok(removed)
    }

    /// Tells the browser's passkey managers which of this site's passkeys Strapi accepts for the
    /// person (`GET /passkeys/signals`, then WebAuthn's `signalAllAcceptedCredentials`), so that
    /// they can hide the others. Where the browser cannot be told, nothing is asked.
    pub async fn signal_passkeys(&self) -> Result<(), Error> {
        if !passkey::can_signal_accepted() {
            return Ok(());
        }
        passkey::signal_accepted(&self.passkey_signals().await?);
        Ok(())
    }

    /// `GET /passkeys/signals`, and the relying party id it names kept.
    async fn passkey_signals(&self) -> Result<PasskeySignals, Error> {
        let signals = self
            .authorized(|strapi, session| async move {
                strapi.passkey_signals(session.access_token()).await
            })
            .await?;
        self.rp_id.try_set_value(Some(signals.rp_id.clone()));
        Ok(signals)
    }

    /// After a removal: the browser told of the passkey, under the relying party id an answer
    /// named (asked of Strapi when none has yet).
    async fn signal_removed(&self, id: &PasskeyId) {
        if !passkey::can_signal_unknown() {
            return;
        }
        let rp_id = match self.rp_id.try_get_value().flatten() {
            Some(rp_id) => Some(rp_id),
            None => self
                .passkey_signals()
                .await
                .ok()
                .map(|signals| signals.rp_id),
        };
        if let Some(rp_id) = rp_id {
            passkey::signal_unknown(&rp_id, id);
        }
    }

    /// The ways the signed-in person can confirm it's them (`GET /passkeys/confirmation`): a
    /// password, a passkey, their provider.
    pub async fn confirmation_methods(&self) -> Result<ConfirmationMethods, Error> {
        self.authorized(|strapi, session| async move {
            strapi.confirmation_methods(session.access_token()).await
        })
        .await
    }

    /// Confirms it's the person with their password (`POST /passkeys/confirmation/password`),
    /// and keeps the confirmation, in memory only. A wrong password is
    /// [`ErrorKind::IncorrectCurrentPassword`]; nothing is kept then.
    pub async fn confirm_with_password(&self, password: &str) -> Result<(), Error> {
        let person = self.person.try_get_value().ok_or(Error::LoggedOut)?;
        let confirmation = self
            .authorized(|strapi, session| async move {
                strapi
                    .confirm_with_password(session.access_token(), password)
                    .await
            })
            .await?;
        self.keep_confirmation(person, confirmation);
        Ok(())
    }

    /// Confirms it's the person with one of their passkeys: Strapi's options (which list the
    /// person's own passkeys and require user verification), the browser's prompt, Strapi's
    /// check; the confirmation kept, in memory only.
    pub async fn confirm_with_passkey(&self) -> Result<(), PasskeyError> {
        if !passkey::is_supported() {
            return Err(PasskeyError::Unsupported);
        }
        let person = self.person.try_get_value().ok_or(Error::LoggedOut)?;
        let options = self
            .authorized(|strapi, session| async move {
                strapi
                    .passkey_confirmation_options(session.access_token())
                    .await
            })
            .await
            .map_err(PasskeyError::Options)?;
        let credential = passkey::get(&options, Mediation::Modal, None).await?;
        let confirm = |strapi: Strapi, session: Session| {
            let credential = credential.clone();
            async move {
                strapi
                    .confirm_with_passkey(session.access_token(), &credential)
                    .await
            }
        };
        let confirmation = self.authorized(confirm).await?;
        self.keep_confirmation(person, confirmation);
        Ok(())
    }

    /// Whether a confirmation is kept for the signed-in person (Strapi may still refuse it: it
    /// lasts minutes, and ends when the password changes).
    pub fn has_confirmation(&self) -> bool {
        self.confirmation
            .try_with_value(Option::is_some)
            .unwrap_or(false)
    }

    /// Keeps `confirmation`, issued to `person`, unless someone else is signed in by now.
    fn keep_confirmation(&self, person: u32, confirmation: Confirmation) {
        if self.person.try_get_value() == Some(person) {
            self.confirmation.try_set_value(Some(confirmation));
        }
    }

    /// Runs a call that needs a confirmation, with the session ([`Auth::authorized`]) and the
    /// confirmation kept; none kept is [`Error::NotConfirmed`], and nothing is sent. One Strapi
    /// refuses is forgotten.
    async fn confirmed<T, F, Fut>(&self, call: F) -> Result<T, Error>
    where
        F: Fn(Strapi, Session, Confirmation) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let confirmation = self
            .confirmation
            .try_get_value()
            .flatten()
            .ok_or(Error::NotConfirmed)?;
        let outcome = self
            .authorized(|strapi, session| call(strapi, session, confirmation.clone()))
            .await;
        if let Err(error) = &outcome
            && error.kind() == ErrorKind::ConfirmationRequired
        {
            self.confirmation.try_update_value(|kept| {
                if kept.as_ref() == Some(&confirmation) {
                    *kept = None;
                }
            });
        }
        outcome
    }

    /// Makes a login answer the current session and stores it. If storage refuses, nothing is
    /// kept and the person stays signed out.
    async fn sign_in(&self, logged_in: LoggedIn<Box<RawValue>>) -> Result<(), SignInError> {
        let LoggedIn {
            session,
            user,
            confirmation,
            ..
        } = logged_in;
        let (session, notice) = self.keep_refresh_token_in_cookie(session).await;
        let user = user.map(|user| user.get().to_owned());
        self.commit(Some(session), Write::Login { user, notice })?;
        // After the commit: a new person forgets the last one's.
        if let (Some(confirmation), Some(person)) = (confirmation, self.person.try_get_value()) {
            self.keep_confirmation(person, confirmation);
        }
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

    /// Forgets the session here and in storage, leaving `notice` for the next page to show.
    pub fn sign_out(&self, notice: Option<Notice>) {
        // Removing keys only fails when storage is unreachable, and then nothing was stored anyway.
        let _ = self.commit(None, Write::SignedOut { notice });
    }

    /// The one place the session changes: storage first (unless it already holds the session),
    /// then what this tab knows, the session signal last, so that views reacting to it find the
    /// person and the notice already in place, and a session storage refused never shows.
    pub(crate) fn commit(
        &self,
        session: Option<Session>,
        write: Write,
    ) -> Result<(), StorageUnavailable> {
        let new_person = match write {
            Write::Login { user, notice } => {
                if let Some(session) = &session {
                    self.store_arrived(session, true)?;
                }
                self.notice.try_set(notice);
                self.new_person();
                self.user.try_set(user);
                false
            }
            Write::Renewed => {
                if let Some(session) = &session {
                    let _ = self.store_arrived(session, false);
                }
                false
            }
            Write::Adopted { new_person } => new_person,
            Write::SignedOut { notice } => {
                let keys = self.keys();
                let mut removals: Vec<_> = keys.session_keys().map(|key| (key, None)).to_vec();
                removals.push((&keys.renewal, None));
                let _ = storage::write(&removals);
                self.notice.try_set(notice);
                true
            }
        };
        if new_person {
            self.new_person();
        }
        self.session.try_set(session);
        Ok(())
    }

    fn new_person(&self) {
        self.forget_renewal();
        self.person.try_update_value(|n| *n = n.wrapping_add(1));
        self.user.try_set(None);
        self.confirmation.try_set_value(None);
    }

    /// Logs out: first at Strapi, when it keeps a session that can be revoked (session mode), so
    /// the refresh token dies with it; then here, even if Strapi could not be reached.
    pub async fn log_out(&self) {
        // Another tab may have renewed a moment ago, and Strapi gives every renewal a new session
        // id: logging out with a superseded access token would leave the live session standing.
        self.sync_with_storage();
        if self.is_renewable_untracked() {
            let _ = self
                .authorized(|strapi, session| async move { strapi.logout(&session).await })
                .await;
        }
        self.sign_out(Some(Notice::LoggedOut));
    }

    /// Runs a Strapi call with the session, renewing the access token first when it is about to
    /// expire and, after a 401, renewing once and retrying once. In legacy mode a 401 ends the
    /// session.
    pub async fn authorized<T, F, Fut>(&self, call: F) -> Result<T, Error>
    where
        F: Fn(Strapi, Session) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
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
    async fn session_for_call(&self) -> Result<(Strapi, Session), Error> {
        // `try_`: a view's request may outlive the app (a test that unmounts it, say).
        let Some(mut session) = self.session.try_get_untracked().flatten() else {
            return Err(Error::LoggedOut);
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
                Err(error) => return Err(error.unwrap_or(Error::LoggedOut)),
            }
        }
        let strapi = self.strapi.try_get_value().ok_or(Error::LoggedOut)?;
        Ok((strapi, session))
    }

    /// After Strapi refused `session` with a 401: a renewed session to try once more, or (legacy
    /// mode, nothing to renew) the end of the session.
    async fn after_refusal(&self, session: &Session, error: Error) -> Result<Session, Error> {
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
    pub(crate) fn adopt(&self, stored: Option<Session>) -> Result<Session, Error> {
        match stored {
            Some(session) => {
                let _ = self.commit(Some(session.clone()), Write::Adopted { new_person: false });
                Ok(session)
            }
            None => {
                self.sign_out(Some(Notice::LoggedOut));
                Err(Error::LoggedOut)
            }
        }
    }

    pub(crate) fn keys(&self) -> strapi_auth::StorageKeys {
        self.strapi
            .try_with_value(|s| s.config().storage_keys.clone())
            .unwrap_or_default()
    }

    /// The session storage holds (with what it knows of the clock, which another tab may have
    /// learned).
    pub(crate) fn stored(&self) -> Option<Session> {
        let cookie_refresh = self
            .strapi
            .try_with_value(|s| s.config().cookie_refresh)
            .unwrap_or_default();
        self.read_stored_skew();
        Session::from_storage(storage::read, &self.keys(), cookie_refresh)
    }

    /// Makes what storage holds current here: another tab's login, logout or renewal.
    pub(crate) fn sync_with_storage(&self) {
        let stored = self.stored();
        if self.session.with_untracked(|current| *current == stored) {
            return;
        }
        // From one session to another is a renewal; from or to none, a login or logout.
        let new_person = stored.is_none() || self.session.with_untracked(Option::is_none);
        self.notice
            .try_set(stored.is_none().then_some(Notice::LoggedOut));
        let _ = self.commit(stored, Write::Adopted { new_person });
    }
}

/// Creates the app's [`Auth`] for `strapi` (restoring a stored session), starts it, and provides
/// it to every view below through context.
pub fn provide_auth(strapi: Strapi, paths: Paths) -> Auth {
    let auth = Auth::new(strapi, paths);
    auth.start();
    provide_context(auth);
    auth
}

/// The [`Auth`] that [`provide_auth`] provided. Panics (a bug, not a state) when there is none.
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
