//! The one seam through which every HTTP request leaves the app: [`Transport`], and [`Fetch`], the
//! browser implementation. Tests substitute their own transport; nothing else in the app sees HTTP.

use std::{fmt, future::Future, pin::Pin};

use gloo_net::http::RequestBuilder;
use web_sys::{RequestCache, RequestCredentials};

use crate::session::Token;

/// A future that stays on the browser's single thread.
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// A request to Strapi. Its `Debug` leaves out the body, which may hold a password.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub bearer: Option<Token>,
    /// A JSON document, sent with `Content-Type: application/json`.
    pub json: Option<String>,
    /// Send cookies and `X-Strapi-Refresh-Cookie: httpOnly`: Strapi's refresh token lives in its
    /// httpOnly cookie. Otherwise no cookies are sent at all.
    pub refresh_cookie: bool,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("bearer", &self.bearer)
            .field("json", &self.json.as_ref().map(|_| "<redacted>"))
            .field("refresh_cookie", &self.refresh_cookie)
            .finish()
    }
}

/// Strapi's answer: the status and the body as text, parsed by `strapi::answers`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

/// No usable answer arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// The request could not be made or its answer could not be read (server down, network down,
    /// CORS refusal, connection dropped mid-answer).
    Unreachable,
}

/// Sends one request and yields its answer. `Send + Sync` so it can live in Leptos context; the
/// future itself stays on the browser's thread.
pub trait Transport: Send + Sync {
    fn send(&self, request: Request) -> LocalFuture<Result<Response, TransportError>>;
}

/// The browser's `fetch`, through gloo-net.
pub struct Fetch;

impl Transport for Fetch {
    fn send(&self, request: Request) -> LocalFuture<Result<Response, TransportError>> {
        Box::pin(async move {
            let method = match request.method {
                Method::Get => gloo_net::http::Method::GET,
                Method::Post => gloo_net::http::Method::POST,
            };
            // Auth answers are personal: never from or into the HTTP cache. Cookies only for the
            // cookie refresh mode; otherwise the token travels in the Authorization header alone.
            let mut builder = RequestBuilder::new(&request.url)
                .method(method)
                .cache(RequestCache::NoStore);
            builder = if request.refresh_cookie {
                builder
                    .credentials(RequestCredentials::Include)
                    .header("X-Strapi-Refresh-Cookie", "httpOnly")
            } else {
                builder.credentials(RequestCredentials::Omit)
            };
            if let Some(token) = &request.bearer {
                builder = builder.header("Authorization", &format!("Bearer {}", token.expose()));
            }
            let built = match request.json {
                Some(json) => builder
                    .header("Content-Type", "application/json")
                    .body(json),
                None => builder.build(),
            };
            let response = built
                .map_err(|_| TransportError::Unreachable)?
                .send()
                .await
                .map_err(|_| TransportError::Unreachable)?;
            let status = response.status();
            let body = response
                .text()
                .await
                .map_err(|_| TransportError::Unreachable)?;
            Ok(Response { status, body })
        })
    }
}
