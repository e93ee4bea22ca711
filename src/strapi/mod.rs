//! The Strapi client: the Users & Permissions calls this app makes, over the [`Transport`] seam.
//!
//! The calls open to anyone (login, sign-up, password recovery, email confirmation, and the
//! refresh that stands in for a login) take no token; every other call takes one, so a protected
//! call without a session does not compile.

pub mod answers;
pub mod error;

use std::sync::Arc;

pub use answers::{Registered, SessionId, SignedIn, User};
pub use error::{ApiError, Field, FieldError};

use crate::config::StrapiConfig;
use crate::http::{Method, Request, Response, Transport, TransportError};
use crate::json;
use crate::pacing::retry_after_ms;
use crate::redirect::encode_component as encode;
use crate::session::{Session, Token};

/// What signing up led to.
#[derive(Clone, Debug)]
pub enum Registration {
    /// Logged in at once, as after a login.
    LoggedIn(LoggedIn),
    /// The account exists but must confirm its email address first; Strapi has mailed a link.
    ConfirmEmail,
}

/// A successful login: the session, and who it belongs to when Strapi said so in the same answer.
#[derive(Clone, Debug)]
pub struct LoggedIn {
    pub session: Session,
    pub user: Option<User>,
}

/// A refresh that renewed nothing: why, and how long the server asked to wait before the next
/// (its `Retry-After`, when it sent one and it could be read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotRefreshed {
    pub error: ApiError,
    pub retry_after_ms: Option<u64>,
}

impl From<ApiError> for NotRefreshed {
    fn from(error: ApiError) -> Self {
        Self {
            error,
            retry_after_ms: None,
        }
    }
}

/// A handle on one Strapi server. Cheap to clone; shared with every page through Leptos context.
#[derive(Clone)]
pub struct Strapi {
    config: StrapiConfig,
    transport: Arc<dyn Transport>,
}

impl Strapi {
    pub fn new(config: StrapiConfig, transport: Arc<dyn Transport>) -> Self {
        Self { config, transport }
    }

    pub fn config(&self) -> &StrapiConfig {
        &self.config
    }

    /// `POST /auth/local` with `{identifier, password}`.
    pub async fn login(&self, identifier: &str, password: &str) -> Result<LoggedIn, ApiError> {
        let credentials = [("identifier", identifier), ("password", password)];
        let response = self.post("/auth/local", None, &credentials).await?;
        self.logged_in(&response)
    }

    /// `POST /auth/local/register` with `{username, email, password}`: nothing else, Strapi
    /// rejects any other key.
    pub async fn register(
        &self,
        username: &str,
        email: &str,
        password: &str,
    ) -> Result<Registration, ApiError> {
        let account = [
            ("username", username),
            ("email", email),
            ("password", password),
        ];
        let response = self.post("/auth/local/register", None, &account).await?;
        let cookie = self.config.cookie_refresh;
        Ok(
            match answers::registered(response.status, &response.body, cookie)? {
                Registered::LoggedIn(session) => Registration::LoggedIn(LoggedIn {
                    session,
                    user: answers::login_user(&response.body),
                }),
                Registered::ConfirmEmail => Registration::ConfirmEmail,
            },
        )
    }

    /// `POST /auth/forgot-password` with `{email}`: Strapi mails a reset link if the account
    /// exists, and answers the same either way.
    pub async fn forgot_password(&self, email: &str) -> Result<(), ApiError> {
        let response = self
            .post("/auth/forgot-password", None, &[("email", email)])
            .await?;
        answers::accepted(response.status, &response.body)
    }

    /// `POST /auth/reset-password` with the mailed `code` and the new password (twice); the answer
    /// logs the person in.
    pub async fn reset_password(
        &self,
        code: &str,
        password: &str,
        confirmation: &str,
    ) -> Result<LoggedIn, ApiError> {
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
    pub async fn send_email_confirmation(&self, email: &str) -> Result<(), ApiError> {
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
    pub async fn move_to_cookie(&self, refresh: &Token) -> Result<Session, ApiError> {
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
    pub async fn clear_refresh_cookie(&self, access: &Token) -> Result<(), ApiError> {
        let body = [("deviceId", "strapi-login:clear-refresh-cookie")];
        let response = self.post("/auth/logout", Some(access), &body).await?;
        answers::accepted(response.status, &response.body)
    }

    /// `POST /auth/refresh`: a new access token (and, with the refresh token in the body, a rotated
    /// refresh token; the old one is dead from now on).
    pub async fn refresh(&self, session: &Session) -> Result<Session, NotRefreshed> {
        let json = match session {
            Session::Refresh { refresh, .. } => Some(refresh_body(refresh)),
            Session::Cookie { .. } => None,
            Session::Legacy { .. } => return Err(ApiError::LoggedOut.into()),
        };
        let response = self.send(Method::Post, "/auth/refresh", None, json).await?;
        answers::refreshed(response.status, &response.body, session).map_err(|error| NotRefreshed {
            error,
            retry_after_ms: response.retry_after.as_deref().and_then(retry_after_ms),
        })
    }

    /// `POST /auth/logout`: Strapi revokes the session's refresh token. Needs a live access token.
    pub async fn logout(&self, session: &Session) -> Result<(), ApiError> {
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
    pub async fn change_password(
        &self,
        token: &Token,
        current: &str,
        password: &str,
        confirmation: &str,
    ) -> Result<LoggedIn, ApiError> {
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
    pub async fn sessions(&self, token: &Token) -> Result<Vec<SignedIn>, ApiError> {
        let response = self
            .send(Method::Get, "/auth/sessions", Some(token), None)
            .await?;
        answers::sessions(response.status, &response.body)
    }

    /// `DELETE /auth/sessions/:id`: ends one of the person's sessions (its refresh token dies;
    /// its current access token lives until it expires).
    pub async fn end_session(&self, token: &Token, id: &SessionId) -> Result<(), ApiError> {
        let route = format!("/auth/sessions/{}", id.as_str());
        let response = self.send(Method::Delete, &route, Some(token), None).await?;
        answers::accepted(response.status, &response.body)
    }

    /// `GET /auth/:provider/callback`, with cookies: Strapi (5.53 and later) finishes a provider
    /// login from the provider's tokens it keeps in its session cookie, and answers as a login.
    /// `tokens` (`access_token`, `id_token`) are forwarded when the page was given them, as
    /// Strapi 5.52 and earlier put them in the query instead.
    pub async fn provider_callback(
        &self,
        provider: &str,
        tokens: &[(&str, String)],
    ) -> Result<LoggedIn, ApiError> {
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

    /// `GET /users/me`: who the token belongs to.
    pub async fn me(&self, token: &Token) -> Result<User, ApiError> {
        let response = self
            .send(Method::Get, "/users/me", Some(token), None)
            .await?;
        answers::me(response.status, &response.body)
    }

    /// A login answer `{jwt, refreshToken?, user}`: the session, and who it belongs to.
    fn logged_in(&self, response: &Response) -> Result<LoggedIn, ApiError> {
        let cookie = self.config.cookie_refresh;
        Ok(LoggedIn {
            session: answers::login(response.status, &response.body, cookie)?,
            user: answers::login_user(&response.body),
        })
    }

    async fn post(
        &self,
        route: &str,
        bearer: Option<&Token>,
        body: &[(&str, &str)],
    ) -> Result<Response, ApiError> {
        let json = json::object_of_strings(body);
        self.send(Method::Post, route, bearer, Some(json)).await
    }

    async fn send(
        &self,
        method: Method,
        route: &str,
        bearer: Option<&Token>,
        json: Option<String>,
    ) -> Result<Response, ApiError> {
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

    async fn send_request(&self, request: Request) -> Result<Response, ApiError> {
        self.transport
            .send(request)
            .await
            .map_err(|error| match error {
                TransportError::Unreachable => ApiError::Unreachable,
                TransportError::TimedOut => ApiError::TimedOut,
            })
    }
}

fn refresh_body(refresh: &Token) -> String {
    json::object_of_strings(&[("refreshToken", refresh.expose())])
}
