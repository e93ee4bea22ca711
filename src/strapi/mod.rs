//! The Strapi client: the Users & Permissions calls this app makes, over the [`Transport`] seam.
//!
//! Only [`Strapi::login`] (and the refresh that stands in for it) is callable without a token; every
//! other call takes one, so a protected call without a session does not compile.

pub mod answers;
pub mod error;

use std::sync::Arc;

use serde::Serialize;

pub use answers::User;
pub use error::{ApiError, Field, FieldError};

use crate::config::StrapiConfig;
use crate::http::{Method, Request, Response, Transport, TransportError};
use crate::session::{Session, Token};

/// A successful login: the session, and who it belongs to when Strapi said so in the same answer.
#[derive(Clone, Debug)]
pub struct LoggedIn {
    pub session: Session,
    pub user: Option<User>,
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
        #[derive(Serialize)]
        struct Credentials<'a> {
            identifier: &'a str,
            password: &'a str,
        }
        let json = to_json(&Credentials {
            identifier,
            password,
        })?;
        let response = self
            .send(Method::Post, "/auth/local", None, Some(json))
            .await?;
        let session = answers::login(response.status, &response.body, self.config.cookie_refresh)?;
        Ok(LoggedIn {
            session,
            user: answers::login_user(&response.body),
        })
    }

    /// `POST /auth/refresh`: a new access token (and, with the refresh token in the body, a rotated
    /// refresh token; the old one is dead from now on).
    pub async fn refresh(&self, session: &Session) -> Result<Session, ApiError> {
        let json = match session {
            Session::Refresh { refresh, .. } => Some(refresh_body(refresh)?),
            Session::Cookie { .. } => None,
            Session::Legacy { .. } => return Err(ApiError::LoggedOut),
        };
        let response = self.send(Method::Post, "/auth/refresh", None, json).await?;
        answers::refreshed(response.status, &response.body, session)
    }

    /// `POST /auth/logout`: Strapi revokes the session's refresh token. Needs a live access token.
    pub async fn logout(&self, session: &Session) -> Result<(), ApiError> {
        let json = match session {
            Session::Refresh { refresh, .. } => Some(refresh_body(refresh)?),
            _ => None,
        };
        let token = session.access_token();
        let response = self
            .send(Method::Post, "/auth/logout", Some(token), json)
            .await?;
        answers::logged_out(response.status, &response.body)
    }

    /// `GET /users/me`: who the token belongs to.
    pub async fn me(&self, token: &Token) -> Result<User, ApiError> {
        let response = self
            .send(Method::Get, "/users/me", Some(token), None)
            .await?;
        answers::me(response.status, &response.body)
    }

    async fn send(
        &self,
        method: Method,
        route: &str,
        bearer: Option<&Token>,
        json: Option<String>,
    ) -> Result<Response, ApiError> {
        let request = Request {
            method,
            url: self.config.endpoint(route),
            bearer: bearer.cloned(),
            json,
            refresh_cookie: self.config.cookie_refresh,
        };
        self.transport
            .send(request)
            .await
            .map_err(|error| match error {
                TransportError::Unreachable => ApiError::Unreachable,
                TransportError::TimedOut => ApiError::TimedOut,
            })
    }
}

fn refresh_body(refresh: &Token) -> Result<String, ApiError> {
    #[derive(Serialize)]
    struct Body<'a> {
        #[serde(rename = "refreshToken")]
        refresh_token: &'a str,
    }
    to_json(&Body {
        refresh_token: refresh.expose(),
    })
}

fn to_json(value: &impl Serialize) -> Result<String, ApiError> {
    // Serialising plain strings cannot fail; an error here would be a bug, reported, not a panic.
    serde_json::to_string(value).map_err(|_| ApiError::UnexpectedAnswer)
}
