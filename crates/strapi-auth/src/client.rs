//! The Strapi client: the Users & Permissions calls, over the [`Transport`] seam.
//!
//! The calls open to anyone (login, sign-up, password recovery, email confirmation, and the
//! refresh that stands in for a login) take no token; every other call takes one, so a protected
//! call without a session does not compile.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::answers::{self, Device, Registered, SessionId};
use crate::confirmation::{self, Confirmation, ConfirmationMethods};
use crate::error::Error;
use crate::http::{Method, Request, Response, Transport, TransportError};
use crate::pacing::retry_after_ms;
use crate::passkeys::{self, Passkey, PasskeyId, PasskeyOptions, PasskeySignals};
use crate::redirect::encode_component as encode;
use crate::session::{Session, StorageKeys, Token};

/// Where Strapi is, and how it keeps sessions.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Strapi's address, `http(s)://host[:port]`, without a trailing slash.
    pub url: String,
    /// The REST prefix (`config/api.js` `rest.prefix`): empty, or `/` and a path without a
    /// trailing slash. `/api` unless set.
    pub api_prefix: String,
    /// Strapi keeps the refresh token in its httpOnly cookie (`jwtManagement: 'refresh'` with
    /// `X-Strapi-Refresh-Cookie: httpOnly`): requests carry credentials and that header, and the
    /// refresh token never reaches the client.
    pub cookie_refresh: bool,
    /// Where sessions are stored ([`StorageKeys::default`]: the keys of Strapi's docs).
    pub storage_keys: StorageKeys,
}

impl Config {
    /// Strapi at `url` (`https://cms.example.com`), its API under `/api`, the refresh token (in
    /// session mode) kept by the client.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into().trim().trim_end_matches('/').to_owned(),
            api_prefix: "/api".to_owned(),
            cookie_refresh: false,
            storage_keys: StorageKeys::default(),
        }
    }

    /// The REST prefix: `/api` by default; `""` or `/` for none.
    pub fn with_api_prefix(mut self, prefix: &str) -> Self {
        let inner = prefix.trim().trim_matches('/');
        self.api_prefix = if inner.is_empty() {
            String::new()
        } else {
            format!("/{inner}")
        };
        self
    }

    /// Whether Strapi keeps the refresh token in its httpOnly cookie (see [`Config::cookie_refresh`]).
    pub fn with_cookie_refresh(mut self, cookie_refresh: bool) -> Self {
        self.cookie_refresh = cookie_refresh;
        self
    }

    /// Where sessions are stored, when not under the keys of Strapi's docs.
    pub fn with_storage_keys(mut self, keys: StorageKeys) -> Self {
        self.storage_keys = keys;
        self
    }

    /// The full URL of an API route such as `/auth/local`.
    ///
    /// ```
    /// let config = strapi_auth::Config::new("https://cms.example.com/");
    /// assert_eq!(config.endpoint("/auth/local"), "https://cms.example.com/api/auth/local");
    /// ```
    pub fn endpoint(&self, route: &str) -> String {
        format!("{}{}{}", self.url, self.api_prefix, route)
    }
}

/// What signing up led to.
#[derive(Clone, Debug)]
pub enum Registration<U> {
    /// Logged in at once, as after a login.
    LoggedIn(LoggedIn<U>),
    /// The account exists but must confirm its email address first; Strapi has mailed a link.
    ConfirmEmail,
}

/// A successful login: the session, who it belongs to when Strapi's answer said so in a shape
/// `U` reads, and the confirmation it carried, if any.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LoggedIn<U> {
    /// The new session, to store (see [`Session::storage_entries`]).
    pub session: Session,
    /// The `user` of the answer, if it reads as a `U`.
    pub user: Option<U>,
    /// A [`Confirmation`] that the person proved themselves just now: with
    /// strapi-plugin-passkeys 0.2 or later, the answers of [`Strapi::reset_password`] and
    /// [`Strapi::provider_callback`] carry one ([`confirmation::carried`]); a login with a
    /// password, a sign-up and a renewal never do. Keep it in memory only.
    pub confirmation: Option<Confirmation>,
}

impl<U> LoggedIn<U> {
    /// A login into `session`, for `user` if known, with no confirmation.
    pub fn new(session: Session, user: Option<U>) -> Self {
        Self {
            session,
            user,
            confirmation: None,
        }
    }
}

/// A refresh that renewed nothing: why, and how long the server asked to wait before the next
/// (its `Retry-After`, when it sent one and it could be read).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotRefreshed {
    /// Why.
    pub error: Error,
    /// The server's `Retry-After`, in milliseconds.
    pub retry_after_ms: Option<u64>,
}

impl From<Error> for NotRefreshed {
    fn from(error: Error) -> Self {
        Self {
            error,
            retry_after_ms: None,
        }
    }
}

/// A handle on one Strapi server. Cheap to clone.
///
/// ```no_run
/// # async fn demo() -> Result<(), strapi_auth::Error> {
/// use std::sync::Arc;
/// use strapi_auth::{Config, Strapi, User, http::Fetch};
///
/// let strapi = Strapi::new(Config::new("http://localhost:1337"), Arc::new(Fetch));
/// let logged_in = strapi.login::<User>("ann@example.com", "secret").await?;
/// let me: User = strapi.me(logged_in.session.access_token()).await?;
/// assert_eq!(me.email, "ann@example.com");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Strapi {
    config: Config,
    transport: Arc<dyn Transport>,
}

impl std::fmt::Debug for Strapi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strapi")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Strapi {
    /// A client of the Strapi `config` describes, sending its requests through `transport`
    /// ([`Fetch`](crate::http::Fetch) in a browser; a fake one in tests).
    pub fn new(config: Config, transport: Arc<dyn Transport>) -> Self {
        Self { config, transport }
    }

    /// Where Strapi is.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// `POST /auth/local` with `{identifier, password}`.
    pub async fn login<U: DeserializeOwned>(
        &self,
        identifier: &str,
        password: &str,
    ) -> Result<LoggedIn<U>, Error> {
        let credentials = [("identifier", identifier), ("password", password)];
        let response = self.post("/auth/local", None, &credentials).await?;
        self.logged_in(&response)
    }

    /// `POST /auth/local/register` with `{username, email, password}`: nothing else, Strapi
    /// rejects any other key.
    pub async fn register<U: DeserializeOwned>(
        &self,
        username: &str,
        email: &str,
        password: &str,
    ) -> Result<Registration<U>, Error> {
        let account = [
            ("username", username),
            ("email", email),
            ("password", password),
        ];
        let response = self.post("/auth/local/register", None, &account).await?;
        let cookie = self.config.cookie_refresh;
        Ok(
            match answers::registered(response.status, &response.body, cookie)? {
                Registered::LoggedIn(session) => Registration::LoggedIn(LoggedIn::new(
                    session,
                    answers::login_user(&response.body),
                )),
                Registered::ConfirmEmail => Registration::ConfirmEmail,
            },
        )
    }

    /// `POST /auth/forgot-password` with `{email}`: Strapi mails a reset link if the account
    /// exists, and answers the same either way.
    pub async fn forgot_password(&self, email: &str) -> Result<(), Error> {
        let response = self
            .post("/auth/forgot-password", None, &[("email", email)])
            .await?;
        answers::accepted(response.status, &response.body)
    }

    /// `POST /auth/reset-password` with the mailed `code` and the new password (twice); the answer
    /// logs the person in, and (strapi-plugin-passkeys 0.2 or later) carries a
    /// [`LoggedIn::confirmation`].
    pub async fn reset_password<U: DeserializeOwned>(
        &self,
        code: &str,
        password: &str,
        confirmation: &str,
    ) -> Result<LoggedIn<U>, Error> {
        let reset = [
            ("code", code),
            ("password", password),
            ("passwordConfirmation", confirmation),
        ];
        let response = self.post("/auth/reset-password", None, &reset).await?;
        self.logged_in(&response)
    }

    /// `POST /auth/send-email-confirmation` with `{email}`: a new confirmation link (the old one
    /// stops working).
    pub async fn send_email_confirmation(&self, email: &str) -> Result<(), Error> {
        let response = self
            .post("/auth/send-email-confirmation", None, &[("email", email)])
            .await?;
        answers::accepted(response.status, &response.body)
    }

    /// Cookie mode, after an answer that carried the refresh token in its body (register, reset
    /// and change password never set Strapi's cookie): `POST /auth/refresh` with that token in
    /// the body, so Strapi puts its successor in the httpOnly cookie and the app can forget it.
    /// Strapi reads a cookie before the body: with a stale cookie in the browser this fails (401)
    /// until [`Strapi::clear_refresh_cookie`] has removed it.
    pub async fn move_to_cookie(&self, refresh: &Token) -> Result<Session, Error> {
        let json = refresh_body(refresh);
        let response = self
            .send(Method::Post, "/auth/refresh", None, Some(json))
            .await?;
        answers::moved_to_cookie(response.status, &response.body)
    }

    /// Cookie mode: has Strapi expire its refresh cookie, revoking nothing. `POST /auth/logout`
    /// clears the cookie on every success, and with a `deviceId` it revokes only that device's
    /// sessions; this one names no device Strapi ever issued (register, reset and change password
    /// give theirs random UUIDs), so no session ends, the stale cookie included (it is dead).
    pub async fn clear_refresh_cookie(&self, access: &Token) -> Result<(), Error> {
        let body = [("deviceId", "strapi-auth:clear-refresh-cookie")];
        let response = self.post("/auth/logout", Some(access), &body).await?;
        answers::accepted(response.status, &response.body)
    }

    /// `POST /auth/refresh`: a new access token (and, with the refresh token in the body, a rotated
    /// refresh token; the old one is dead from now on).
    pub async fn refresh(&self, session: &Session) -> Result<Session, NotRefreshed> {
        let json = match session {
            Session::Refresh { refresh, .. } => Some(refresh_body(refresh)),
            Session::Cookie { .. } => None,
            Session::Legacy { .. } => return Err(Error::LoggedOut.into()),
        };
        let response = self.send(Method::Post, "/auth/refresh", None, json).await?;
        answers::refreshed(response.status, &response.body, session).map_err(|error| NotRefreshed {
            error,
            retry_after_ms: response.retry_after.as_deref().and_then(retry_after_ms),
        })
    }

    /// `POST /auth/logout`: Strapi revokes the session's refresh token. Needs a live access token.
    pub async fn logout(&self, session: &Session) -> Result<(), Error> {
        let json = match session {
            Session::Refresh { refresh, .. } => Some(refresh_body(refresh)),
            _ => None,
        };
        let token = session.access_token();
        let response = self
            .send(Method::Post, "/auth/logout", Some(token), json)
            .await?;
        answers::accepted(response.status, &response.body)
    }

    /// `POST /auth/change-password` with the current password and the new one (twice). The answer
    /// carries new tokens: in session mode Strapi has revoked every session of the person, this
    /// one included, and started a new one.
    pub async fn change_password<U: DeserializeOwned>(
        &self,
        token: &Token,
        current: &str,
        password: &str,
        confirmation: &str,
    ) -> Result<LoggedIn<U>, Error> {
        let change = [
            ("currentPassword", current),
            ("password", password),
            ("passwordConfirmation", confirmation),
        ];
        let response = self
            .post("/auth/change-password", Some(token), &change)
            .await?;
        self.logged_in(&response)
    }

    /// `GET /auth/sessions` (session mode): where the person is signed in, this browser first.
    pub async fn sessions(&self, token: &Token) -> Result<Vec<Device>, Error> {
        let response = self
            .send(Method::Get, "/auth/sessions", Some(token), None)
            .await?;
        answers::sessions(response.status, &response.body)
    }

    /// `DELETE /auth/sessions/:id`: ends one of the person's sessions (its refresh token dies;
    /// its current access token lives until it expires).
    pub async fn end_session(&self, token: &Token, id: &SessionId) -> Result<(), Error> {
        let route = format!("/auth/sessions/{}", id.as_str());
        let response = self.send(Method::Delete, &route, Some(token), None).await?;
        answers::accepted(response.status, &response.body)
    }

    /// `GET /auth/:provider/callback`, with cookies: Strapi (5.53 and later) finishes a provider
    /// login from the provider's tokens it keeps in its session cookie, and answers as a login.
    /// `tokens` (`access_token`, `id_token`) are forwarded when the page was given them, as
    /// Strapi 5.52 and earlier put them in the query instead. With strapi-plugin-passkeys 0.2 or
    /// later the answer carries a [`LoggedIn::confirmation`].
    pub async fn provider_callback<U: DeserializeOwned>(
        &self,
        provider: &str,
        tokens: &[(&str, String)],
    ) -> Result<LoggedIn<U>, Error> {
        let mut route = format!("/auth/{}/callback", encode(provider));
        for (i, (name, value)) in tokens.iter().enumerate() {
            let separator = if i == 0 { '?' } else { '&' };
            route = format!("{route}{separator}{name}={}", encode(value));
        }
        let response = self
            .send_request(Request {
                method: Method::Get,
                url: self.config.endpoint(&route),
                bearer: None,
                json: None,
                refresh_cookie: self.config.cookie_refresh,
                cookies: true,
            })
            .await?;
        self.logged_in(&response)
    }

    /// Where the browser goes to start a login with `provider`: `{url}{prefix}/connect/:provider`.
    pub fn connect_url(&self, provider: &str) -> String {
        self.config
            .endpoint(&format!("/connect/{}", encode(provider)))
    }

    /// `GET /users/me`: who the token belongs to, as a `U` (a type of your own reads the fields
    /// your project added to the user).
    pub async fn me<U: DeserializeOwned>(&self, token: &Token) -> Result<U, Error> {
        let response = self
            .send(Method::Get, "/users/me", Some(token), None)
            .await?;
        answers::me(response.status, &response.body)
    }

    /// `POST /passkeys/authentication/options`: WebAuthn options for a sign-in with any of this
    /// site's passkeys, for the browser's `navigator.credentials.get()`. The challenge in them
    /// is good for one answer, for a few minutes (the plugin's `challengeTtl`).
    pub async fn passkey_login_options(&self) -> Result<PasskeyOptions, Error> {
        let response = self
            .send(Method::Post, "/passkeys/authentication/options", None, None)
            .await?;
        passkeys::options(response.status, &response.body)
    }

    /// `POST /passkeys/authentication/verify` with the browser's answer (its
    /// `PublicKeyCredential` as JSON): Strapi answers exactly as [`Strapi::login`]'s
    /// `/auth/local` would, in its JWT mode, so the session is the same kind.
    pub async fn login_with_passkey<U: DeserializeOwned>(
        &self,
        credential: &RawValue,
    ) -> Result<LoggedIn<U>, Error> {
        let json = passkeys::verification(credential, &[]);
        let response = self
            .send(
                Method::Post,
                "/passkeys/authentication/verify",
                None,
                Some(json),
            )
            .await?;
        self.logged_in(&response)
    }

    /// `POST /passkeys/registration/options` with a `confirmation`: WebAuthn options for a new
    /// passkey of the person whose token this is, for the browser's
    /// `navigator.credentials.create()`. Without a good confirmation Strapi answers 403
    /// ([`ErrorKind::ConfirmationRequired`](crate::ErrorKind::ConfirmationRequired)).
    pub async fn passkey_registration_options(
        &self,
        token: &Token,
        confirmation: &Confirmation,
    ) -> Result<PasskeyOptions, Error> {
        let body = [("confirmation", confirmation.expose())];
        let response = self
            .post("/passkeys/registration/options", Some(token), &body)
            .await?;
        passkeys::options(response.status, &response.body)
    }

    /// `POST /passkeys/registration/verify` with a `confirmation`: keeps the browser's new
    /// passkey (its `PublicKeyCredential` as JSON) under `name` (1 to 64 characters).
    pub async fn register_passkey(
        &self,
        token: &Token,
        confirmation: &Confirmation,
        name: &str,
        credential: &RawValue,
    ) -> Result<Passkey, Error> {
        let fields = [("confirmation", confirmation.expose()), ("name", name)];
        let json = passkeys::verification(credential, &fields);
        let response = self
            .send(
                Method::Post,
                "/passkeys/registration/verify",
                Some(token),
                Some(json),
            )
            .await?;
        passkeys::passkey(response.status, &response.body)
    }

    /// `GET /passkeys`: the person's passkeys, oldest first.
    pub async fn passkeys(&self, token: &Token) -> Result<Vec<Passkey>, Error> {
        let response = self
            .send(Method::Get, "/passkeys", Some(token), None)
            .await?;
        passkeys::passkeys(response.status, &response.body)
    }

    /// `POST /passkeys/remove` with a `confirmation` and the passkey's `id`: removes one of the
    /// person's passkeys. One that is not (or no longer) theirs is
    /// [`ErrorKind::PasskeyNotFound`](crate::ErrorKind::PasskeyNotFound).
    pub async fn remove_passkey(
        &self,
        token: &Token,
        confirmation: &Confirmation,
        id: &PasskeyId,
    ) -> Result<(), Error> {
        let body = [("confirmation", confirmation.expose()), ("id", id.as_str())];
        let response = self.post("/passkeys/remove", Some(token), &body).await?;
        answers::accepted(response.status, &response.body)
    }

    /// `POST /passkeys/remove-all` with a `confirmation`: removes every passkey of the person,
    /// and says how many there were.
    pub async fn remove_all_passkeys(
        &self,
        token: &Token,
        confirmation: &Confirmation,
    ) -> Result<u64, Error> {
        let body = [("confirmation", confirmation.expose())];
        let response = self
            .post("/passkeys/remove-all", Some(token), &body)
            .await?;
        confirmation::removed_count(response.status, &response.body)
    }

    /// `GET /passkeys/signals`: what the browser's passkey managers may be told of the person's
    /// passkeys (WebAuthn's `PublicKeyCredential.signalAllAcceptedCredentials`).
    pub async fn passkey_signals(&self, token: &Token) -> Result<PasskeySignals, Error> {
        let response = self
            .send(Method::Get, "/passkeys/signals", Some(token), None)
            .await?;
        passkeys::signals(response.status, &response.body)
    }

    /// `GET /passkeys/confirmation`: the ways the person can confirm it's them (a password, a
    /// passkey, their provider).
    pub async fn confirmation_methods(&self, token: &Token) -> Result<ConfirmationMethods, Error> {
        let response = self
            .send(Method::Get, "/passkeys/confirmation", Some(token), None)
            .await?;
        confirmation::methods(response.status, &response.body)
    }

    /// `POST /passkeys/confirmation/password` with the person's `password`: a [`Confirmation`].
    /// A wrong one is [`ErrorKind::IncorrectCurrentPassword`](crate::ErrorKind::IncorrectCurrentPassword),
    /// an account without one [`ErrorKind::NoPassword`](crate::ErrorKind::NoPassword).
    pub async fn confirm_with_password(
        &self,
        token: &Token,
        password: &str,
    ) -> Result<Confirmation, Error> {
        let body = [("password", password)];
        let response = self
            .post("/passkeys/confirmation/password", Some(token), &body)
            .await?;
        confirmation::confirmation(response.status, &response.body)
    }

    /// `POST /passkeys/confirmation/passkey/options`: WebAuthn options to confirm with one of the
    /// person's own passkeys (`allowCredentials` lists them; user verification required), for the
    /// browser's `navigator.credentials.get()`. A person without passkeys is
    /// [`ErrorKind::PasskeyNotFound`](crate::ErrorKind::PasskeyNotFound).
    pub async fn passkey_confirmation_options(
        &self,
        token: &Token,
    ) -> Result<PasskeyOptions, Error> {
        let response = self
            .send(
                Method::Post,
                "/passkeys/confirmation/passkey/options",
                Some(token),
                None,
            )
            .await?;
        passkeys::options(response.status, &response.body)
    }

    /// `POST /passkeys/confirmation/passkey` with the browser's answer to
    /// [`Strapi::passkey_confirmation_options`]: a [`Confirmation`].
    pub async fn confirm_with_passkey(
        &self,
        token: &Token,
        credential: &RawValue,
    ) -> Result<Confirmation, Error> {
        let json = passkeys::verification(credential, &[]);
        let response = self
            .send(
                Method::Post,
                "/passkeys/confirmation/passkey",
                Some(token),
                Some(json),
            )
            .await?;
        confirmation::confirmation(response.status, &response.body)
    }

    /// A login answer `{jwt, refreshToken?, user, confirmation?}`: the session, who it belongs
    /// to, and the confirmation it carried.
    fn logged_in<U: DeserializeOwned>(&self, response: &Response) -> Result<LoggedIn<U>, Error> {
        let cookie = self.config.cookie_refresh;
        Ok(LoggedIn {
            session: answers::login(response.status, &response.body, cookie)?,
            user: answers::login_user(&response.body),
            confirmation: confirmation::carried(&response.body),
        })
    }

    async fn post(
        &self,
        route: &str,
        bearer: Option<&Token>,
        body: &[(&str, &str)],
    ) -> Result<Response, Error> {
        let json = object_of_strings(body);
        self.send(Method::Post, route, bearer, Some(json)).await
    }

    async fn send(
        &self,
        method: Method,
        route: &str,
        bearer: Option<&Token>,
        json: Option<String>,
    ) -> Result<Response, Error> {
        self.send_request(Request {
            method,
            url: self.config.endpoint(route),
            bearer: bearer.cloned(),
            json,
            refresh_cookie: self.config.cookie_refresh,
            cookies: false,
        })
        .await
    }

    async fn send_request(&self, request: Request) -> Result<Response, Error> {
        self.transport
            .send(request)
            .await
            .map_err(|error| match error {
                TransportError::Unreachable => Error::Unreachable,
                TransportError::TimedOut => Error::TimedOut,
            })
    }
}

fn refresh_body(refresh: &Token) -> String {
    object_of_strings(&[("refreshToken", refresh.expose())])
}

/// A JSON object of string values, keys in order: every request body Strapi's auth routes take.
fn object_of_strings(entries: &[(&str, &str)]) -> String {
    struct Strings<'a>(&'a [(&'a str, &'a str)]);
    impl serde::Serialize for Strings<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_map(self.0.iter().copied())
        }
    }
    // Strings to a string: serde_json has nothing to refuse.
    serde_json::to_string(&Strings(entries)).unwrap_or_default()
}
