//! The Strapi client: the Users & Permissions calls this app makes, over the [`Transport`] seam.

pub mod answers;
pub mod error;

use std::sync::Arc;

use serde::Serialize;

pub use answers::User;
pub use error::{ApiError, Field, FieldError};

use crate::config::StrapiConfig;
use crate::http::{Method, Request, Transport, TransportError};
use crate::session::{Session, Token};

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
    pub async fn login(&self, identifier: &str, password: &str) -> Result<Session, ApiError> {
        #[derive(Serialize)]
        struct Credentials<'a> {
            identifier: &'a str,
            password: &'a str,
        }
        let json = serde_json::to_string(&Credentials {
            identifier,
            password,
        })
        .map_err(|_| ApiError::UnexpectedAnswer)?;
        let response = self
            .send(Method::Post, "/auth/local", None, Some(json))
            .await?;
        answers::login(response.status, &response.body)
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
    ) -> Result<crate::http::Response, ApiError> {
        let request = Request {
            method,
            url: self.config.endpoint(route),
            bearer: bearer.cloned(),
            json,
        };
        self.transport
            .send(request)
            .await
            .map_err(|TransportError::Unreachable| ApiError::Unreachable)
    }
}
