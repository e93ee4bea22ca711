//! The library on its own, in a real browser, with a scripted Strapi behind its HTTP seam: the
//! sign-in flow stores what Strapi's docs store, a user of the caller's type, configurable keys,
//! and the guards of a `leptos_router` route table.
#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_strapi_auth::{Auth, Paths, RequireAuth, RequireGuest, SignInError, provide_auth};
use serde::Deserialize;
use strapi_auth::http::{LocalFuture, Request, Response, Transport, TransportError};
use strapi_auth::{Config, ErrorKind, StorageKeys, Strapi};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LOGIN: &str = r#"{"jwt":"a.b.c","user":{"id":7,"username":"ann","email":"ann@example.com","favouriteColour":"teal"}}"#;
const REFUSED: &str = r#"{"data":null,"error":{"status":400,"name":"ValidationError","message":"Invalid identifier or password","details":{}}}"#;

/// Answers every request with one reply, and keeps the requests.
struct Scripted {
    status: u16,
    body: &'static str,
    sent: Mutex<Vec<Request>>,
}

impl Transport for Scripted {
    fn send(&self, request: Request) -> LocalFuture<Result<Response, TransportError>> {
        self.sent.lock().unwrap().push(request);
        let answer = Response::new(self.status, self.body);
        Box::pin(async move { Ok(answer) })
    }
}

fn strapi(status: u16, body: &'static str, keys: StorageKeys) -> (Strapi, Arc<Scripted>) {
    let transport = Arc::new(Scripted {
        status,
        body,
        sent: Mutex::new(Vec::new()),
    });
    let config = Config::new("http://strapi.test").with_storage_keys(keys);
    (Strapi::new(config, transport.clone()), transport)
}

fn local_storage() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

/// A user as a project that added a field to Strapi's user reads it.
#[derive(Deserialize)]
struct Member {
    username: String,
    #[serde(rename = "favouriteColour")]
    favourite_colour: Option<String>,
}

#[wasm_bindgen_test]
async fn a_login_stores_the_raw_jwt_and_the_user_reads_as_the_callers_type() {
    local_storage().clear().unwrap();
    let (strapi, sent) = strapi(200, LOGIN, StorageKeys::default());
    let owner = Owner::new();
    let auth = owner.with(|| Auth::new(strapi, Paths::default()));

    auth.log_in("ann@example.com", "secret").await.unwrap();

    assert_eq!(
        local_storage().get_item("token").unwrap().as_deref(),
        Some("a.b.c")
    );
    let member: Member = auth.user().unwrap();
    assert_eq!(member.username, "ann");
    assert_eq!(member.favourite_colour.as_deref(), Some("teal"));
    let sent = sent.sent.lock().unwrap();
    assert_eq!(sent[0].url, "http://strapi.test/api/auth/local");
    let body: serde_json::Value = serde_json::from_str(sent[0].json.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"identifier": "ann@example.com", "password": "secret"})
    );
}

#[wasm_bindgen_test]
async fn a_refused_login_is_a_kind_and_stores_nothing() {
    local_storage().clear().unwrap();
    let (strapi, _) = strapi(400, REFUSED, StorageKeys::default());
    let owner = Owner::new();
    let auth = owner.with(|| Auth::new(strapi, Paths::default()));

    let Err(SignInError::Strapi(error)) = auth.log_in("ann", "wrong").await else {
        panic!("a refusal");
    };
    assert_eq!(error.kind(), ErrorKind::InvalidCredentials);
    assert_eq!(local_storage().length().unwrap(), 0);
    assert!(!auth.is_logged_in_untracked());
}

#[wasm_bindgen_test]
async fn storage_keys_of_the_callers_choosing_are_used_and_logout_clears_them() {
    local_storage().clear().unwrap();
    let mut keys = StorageKeys::default();
    keys.token = "shop:jwt".into();
    let (strapi, _) = strapi(200, LOGIN, keys);
    let owner = Owner::new();
    let auth = owner.with(|| Auth::new(strapi, Paths::default()));

    auth.log_in("ann", "secret").await.unwrap();
    assert_eq!(
        local_storage().get_item("shop:jwt").unwrap().as_deref(),
        Some("a.b.c")
    );
    assert_eq!(local_storage().get_item("token").unwrap(), None);

    // Legacy mode: nothing to revoke at Strapi; the session goes here.
    auth.log_out().await;
    assert_eq!(local_storage().get_item("shop:jwt").unwrap(), None);
    assert!(!auth.is_logged_in_untracked());
}

fn text() -> String {
    document()
        .body()
        .unwrap()
        .text_content()
        .unwrap_or_default()
}

async fn settle() {
    for _ in 0..5 {
        leptos::task::tick().await;
        sleep(20).await;
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn path_and_query() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.pathname().unwrap(),
        location.search().unwrap()
    )
}

#[wasm_bindgen_test]
async fn the_guards_send_people_where_they_belong_without_a_history_entry() {
    local_storage().clear().unwrap();
    let history = window().history().unwrap();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/orders?page=2"))
        .unwrap();
    let entries = history.length().unwrap();
    let (strapi, _) = strapi(200, LOGIN, StorageKeys::default());
    let auth = StoredValue::new(None::<Auth>);
    let parent: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&parent).unwrap();
    let app = leptos::mount::mount_to(parent, move || {
        let paths = Paths {
            login: "/sign-in",
            home: "/orders",
        };
        auth.set_value(Some(provide_auth(strapi.clone(), paths)));
        view! {
            <Router>
                <Routes fallback=|| "not found">
                    <Route path=path!("/sign-in") view=|| view! { <RequireGuest>"the login form"</RequireGuest> } />
                    <Route path=path!("/orders") view=|| view! { <RequireAuth>"your orders"</RequireAuth> } />
                </Routes>
            </Router>
        }
    });
    settle().await;
    assert_eq!(path_and_query(), "/sign-in?redirect=/orders%3Fpage%3D2");
    assert!(text().contains("the login form"));
    assert_eq!(history.length().unwrap(), entries, "replaced, not pushed");

    let auth = auth.get_value().unwrap();
    auth.log_in("ann", "secret").await.unwrap();
    settle().await;
    assert_eq!(path_and_query(), "/orders?page=2");
    assert!(text().contains("your orders"));
    assert_eq!(history.length().unwrap(), entries);

    auth.log_out().await;
    settle().await;
    assert_eq!(
        path_and_query(),
        "/sign-in",
        "after a logout, nowhere to return to"
    );
    drop(app);
}
