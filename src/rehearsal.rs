//! The first login as fast as the next one. V8 compiles each wasm function the first time it is
//! called, and a first login calls a few hundred for the first time: reading Strapi's answer,
//! the session's timing, building and mounting the dashboard. Measured on loopback, that made a
//! first login's own work ~2 × a second one's (BENCHMARKS.md); with V8's lazy compilation
//! switched off the two were equal.
//!
//! So while the login form waits for the person, the login is rehearsed once: Strapi's answer
//! read from a recorded one, and the dashboard built as that person would see it, mounted into
//! an element that is not in the document, and dropped. The rehearsal sends nothing, stores
//! nothing, starts no effect (they would run on a later tick; the rehearsal's owner is gone by
//! then), and leaves the document's title as it found it.

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use leptos::prelude::*;
use leptos::tachys::view::{Mountable, Render};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use leptos_strapi_auth::Auth;
use serde_json::value::RawValue;
use strapi_auth::Strapi;
use strapi_auth::http::{self, LocalFuture, Request, Response, Transport, TransportError};
use strapi_auth::jwt;

use crate::config::StrapiConfig;
use crate::pages::DashboardPage;
use crate::routes;

/// A login answer as Strapi 5 gives it (legacy mode), for someone who does not exist.
const ANSWER: &str = r#"{"jwt":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6MSwiaWF0IjoxNzY0MjAxNjAwLCJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJl","user":{"id":1,"documentId":"rehearsal","username":"rehearsal","email":"rehearsal@example.invalid","provider":"local","confirmed":true,"blocked":false,"createdAt":"2026-01-01T00:00:00.000Z","updatedAt":"2026-01-01T00:00:00.000Z","publishedAt":"2026-01-01T00:00:00.000Z"}}"#;

/// The rehearsal waits for the browser to be idle, but no longer than this after the form is
/// ready: a person needs longer to type (a password manager's autofill and Enter may not, and
/// that login is then as fast as before).
const IDLE_TIMEOUT_MS: u32 = 1_000;

thread_local! {
    static DONE: Cell<bool> = const { Cell::new(false) };
}

/// Whether the component that asked for the rehearsal (the login page) is still on screen.
#[derive(Clone, Copy)]
pub struct Alive(StoredValue<()>);

impl Alive {
    /// `false` once the component is gone: the login is over, nothing left to warm.
    pub fn is_alive(self) -> bool {
        self.0.try_with_value(|_| ()).is_some()
    }
}

/// Runs `rehearsal` once per page load, when the browser is next idle, unless the calling
/// component (the login page) is gone by then. `crate::lazy::when_idle` gives it the work:
/// fetching the dashboard's code, then [`rehearse`].
pub fn when_idle(rehearsal: impl FnOnce(Alive) + 'static) {
    if DONE.replace(true) {
        return;
    }
    let alive = Alive(StoredValue::new(()));
    let run = move || {
        if alive.is_alive() {
            rehearsal(alive);
        }
    };
    let window = window();
    let callback = Closure::once_into_js(run);
    let options = web_sys::IdleRequestOptions::new();
    options.set_timeout(IDLE_TIMEOUT_MS);
    let scheduled = window.request_idle_callback_with_options(callback.unchecked_ref(), &options);
    // Safari has no requestIdleCallback.
    if scheduled.is_err() {
        let _ = window.set_timeout_with_callback(callback.unchecked_ref());
    }
}

/// One rehearsal, against Strapi as `config` describes it (nothing is sent there). `true` when
/// the dashboard was built for the person of the recorded answer, as after a real login.
pub fn rehearse(config: StrapiConfig) -> bool {
    let strapi = Strapi::new(config.client(), Arc::new(Recorded));
    let Some(Ok(logged_in)) = now(strapi.login::<Box<RawValue>>("rehearsal", "rehearsal")) else {
        return false;
    };
    let _ = jwt::lifetime(logged_in.session.access_token().expose());

    let document = document();
    let title = document.title();
    let Ok(parent) = document.create_element("div") else {
        return false;
    };
    // The dashboard reads the session and the settings from context (the language and brand are
    // optional), and its owner ends here, before any effect of its would run.
    let rehearsal = Owner::new();
    let built = rehearsal.with(|| {
        provide_context(Auth::detached(strapi, routes::paths(), logged_in));
        provide_context(config);
        let mut dashboard = DashboardPage().into_view().build();
        dashboard.mount(&parent, None);
        let built = parent
            .text_content()
            .is_some_and(|text| text.contains("rehearsal@example.invalid"));
        dashboard.unmount();
        built
    });
    rehearsal.cleanup();
    document.set_title(&title);
    built
}

/// Prepares the browser's request as [`strapi_auth::http::Fetch`] would, sends nothing, and answers
/// every request with [`ANSWER`].
struct Recorded;

impl Transport for Recorded {
    fn send(&self, request: Request) -> LocalFuture<Result<Response, TransportError>> {
        http::rehearse(request);
        Box::pin(async { Ok(Response::new(200, ANSWER)) })
    }
}

/// The output of a future that needs no waiting (`None` if it would wait).
fn now<F: Future>(future: F) -> Option<F::Output> {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}
