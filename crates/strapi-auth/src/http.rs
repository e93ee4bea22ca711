//! The one seam through which every HTTP request leaves the client: [`Transport`], and [`Fetch`],
//! the browser's implementation. Tests substitute their own transport.

use std::cell::Cell;
use std::rc::Rc;
use std::{fmt, future::Future, pin::Pin};

use gloo_net::http::RequestBuilder;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{AbortController, RequestCache, RequestCredentials};

use crate::session::Token;

/// A future that stays on the browser's single thread.
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// The HTTP methods Strapi's auth routes use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
}

/// A request to Strapi. Its `Debug` leaves out the body, which may hold a password.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The full URL.
    pub url: String,
    /// Sent as `Authorization: Bearer …`.
    pub bearer: Option<Token>,
    /// A JSON document, sent with `Content-Type: application/json`.
    pub json: Option<String>,
    /// Send cookies and `X-Strapi-Refresh-Cookie: httpOnly`: Strapi's refresh token lives in its
    /// httpOnly cookie. Otherwise no cookies are sent at all.
    pub refresh_cookie: bool,
    /// Send cookies without that header: Strapi's session cookie of a provider login.
    pub cookies: bool,
}

impl Request {
    /// A request without token, body or cookies; set the other fields as needed.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            bearer: None,
            json: None,
            refresh_cookie: false,
            cookies: false,
        }
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("bearer", &self.bearer)
            .field("json", &self.json.as_ref().map(|_| "<redacted>"))
            .field("refresh_cookie", &self.refresh_cookie)
            .field("cookies", &self.cookies)
            .finish()
    }
}

/// Strapi's answer: the status and the body as text, parsed by [`crate::answers`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The body, as text (empty when it was too large to read: see [`MAX_BODY_BYTES`]).
    pub body: String,
    /// The `Retry-After` header of a 429 or 503, as sent (readable across origins only where the
    /// server exposes it: `Access-Control-Expose-Headers`).
    pub retry_after: Option<String>,
}

impl Response {
    /// An answer with this status and body.
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            body: body.into(),
            retry_after: None,
        }
    }

    /// The same answer, with a `Retry-After` header.
    pub fn with_retry_after(mut self, retry_after: impl Into<String>) -> Self {
        self.retry_after = Some(retry_after.into());
        self
    }
}

/// No usable answer arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportError {
    /// The request could not be made or its answer could not be read (server down, network down,
    /// CORS refusal, connection dropped mid-answer).
    Unreachable,
    /// No complete answer within [`TIMEOUT_MS`]; the request was aborted.
    TimedOut,
}

/// How long a request may take, answer included, before it is aborted.
pub const TIMEOUT_MS: i32 = 15_000;

/// Answers announced larger than this are not read: no Strapi auth answer comes near it, and a
/// hostile or broken server must not make the page swallow megabytes.
pub const MAX_BODY_BYTES: u64 = 1 << 20;

/// Sends one request and yields its answer. `Send + Sync` so it can live in Leptos context; the
/// future itself stays on the browser's thread.
pub trait Transport: Send + Sync {
    /// Sends `request`; an answer of any status is `Ok`.
    fn send(&self, request: Request) -> LocalFuture<Result<Response, TransportError>>;
}

/// The browser's `fetch`, through gloo-net.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fetch;

impl Transport for Fetch {
    fn send(&self, request: Request) -> LocalFuture<Result<Response, TransportError>> {
        Box::pin(async move {
            let deadline = Deadline::start();
            let outcome = fetch(request, deadline.as_ref().map(|d| &d.controller)).await;
            match deadline {
                Some(deadline) if deadline.expired() => Err(TransportError::TimedOut),
                _ => outcome,
            }
        })
    }
}

/// Builds the browser's request for `request`, with its deadline, and drops both, sending
/// nothing: the work [`Fetch`] does before `fetch`, run ahead of time (an app can rehearse a first
/// login this way, so that its code is compiled before the person clicks).
pub fn rehearse(request: Request) {
    let deadline = Deadline::start();
    let _ = prepare(request, deadline.as_ref().map(|d| &d.controller));
}

/// Asks the browser to open its connection to `url`'s server now (DNS, TCP, TLS), so a request
/// sent in the next seconds finds it ready: called when a password is typed, it takes the
/// connection set-up (one to three round trips on a real network) off a first login. A browser closes a connection nobody uses after a while (Chromium here: still open after
/// 12 s), and Chromium ignores the hint in private windows. `credentialed`: the request will carry
/// cookies (browsers keep those connections apart). Replaces the hint an earlier call left.
pub fn preconnect(url: &str, credentialed: bool) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if let Ok(Some(previous)) = document.query_selector("link[data-strapi]") {
        previous.remove();
    }
    let (Ok(link), Ok(Some(head))) = (
        document.create_element("link"),
        document.query_selector("head"),
    ) else {
        return;
    };
    let mode = if credentialed {
        "use-credentials"
    } else {
        "anonymous"
    };
    for (name, value) in [
        ("rel", "preconnect"),
        ("href", url),
        ("crossorigin", mode),
        ("data-strapi", ""),
    ] {
        let _ = link.set_attribute(name, value);
    }
    let _ = head.append_child(&link);
}

async fn fetch(
    request: Request,
    abort: Option<&AbortController>,
) -> Result<Response, TransportError> {
    let response = prepare(request, abort)
        .map_err(|_| TransportError::Unreachable)?
        .send()
        .await
        .map_err(|_| TransportError::Unreachable)?;
    let status = response.status();
    let retry_after = matches!(status, 429 | 503)
        .then(|| response.headers().get("retry-after"))
        .flatten();
    let announced = response
        .headers()
        .get("content-length")
        .and_then(|length| length.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > MAX_BODY_BYTES) {
        // Judged by its status alone; the body stays unread.
        return Ok(Response {
            status,
            body: String::new(),
            retry_after,
        });
    }
    let mut body = response
        .text()
        .await
        .map_err(|_| TransportError::Unreachable)?;
    if body.len() as u64 > MAX_BODY_BYTES {
        // No length announced (chunked): read, but judged by its status alone all the same.
        body = String::new();
    }
    Ok(Response {
        status,
        body,
        retry_after,
    })
}

/// The browser's request for `request`.
fn prepare(
    request: Request,
    abort: Option<&AbortController>,
) -> Result<gloo_net::http::Request, gloo_net::Error> {
    let method = match request.method {
        Method::Get => gloo_net::http::Method::GET,
        Method::Post => gloo_net::http::Method::POST,
        Method::Delete => gloo_net::http::Method::DELETE,
    };
    // Auth answers are personal: never from or into the HTTP cache. Cookies only for the cookie
    // refresh mode and a provider login's callback; otherwise the token travels in the
    // Authorization header alone.
    let mut builder = RequestBuilder::new(&request.url)
        .method(method)
        .cache(RequestCache::NoStore)
        .abort_signal(abort.map(|a| a.signal()).as_ref());
    builder = if request.refresh_cookie {
        builder
            .credentials(RequestCredentials::Include)
            .header("X-Strapi-Refresh-Cookie", "httpOnly")
    } else if request.cookies {
        builder.credentials(RequestCredentials::Include)
    } else {
        builder.credentials(RequestCredentials::Omit)
    };
    if let Some(token) = &request.bearer {
        builder = builder.header("Authorization", &format!("Bearer {}", token.expose()));
    }
    match request.json {
        Some(json) => builder
            .header("Content-Type", "application/json")
            .body(json),
        None => builder.build(),
    }
}

/// Aborts the request after [`TIMEOUT_MS`] and remembers that it did; the timer is cleared when
/// the request ends first.
struct Deadline {
    controller: AbortController,
    expired: Rc<Cell<bool>>,
    timer: i32,
    _on_timeout: Closure<dyn FnMut()>,
}

impl Deadline {
    fn start() -> Option<Self> {
        let window = web_sys::window()?;
        let controller = AbortController::new().ok()?;
        let expired = Rc::new(Cell::new(false));
        let on_timeout = {
            let (controller, expired) = (controller.clone(), expired.clone());
            Closure::<dyn FnMut()>::new(move || {
                expired.set(true);
                controller.abort();
            })
        };
        let timer = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                on_timeout.as_ref().unchecked_ref(),
                TIMEOUT_MS,
            )
            .ok()?;
        Some(Self {
            controller,
            expired,
            timer,
            _on_timeout: on_timeout,
        })
    }

    fn expired(&self) -> bool {
        self.expired.get()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            window.clear_timeout_with_handle(self.timer);
        }
    }
}
