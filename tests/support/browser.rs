//! Helpers for the in-browser tests: a scripted Strapi behind the app's HTTP seam, mounting the
//! app at a path, and finding things on the page the way a person (or a screen reader) would.

use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use leptos::wasm_bindgen::{JsCast, JsValue};
use strapi_auth::StorageKeys;
use strapi_auth::http::{LocalFuture, Method, Request, Response, Transport, TransportError};
use strapi_login::config::{Source, StrapiConfig};
use strapi_login::{App, Backend};
use web_sys::{HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlLabelElement};

pub const STRAPI_URL: &str = "http://strapi.test";

/// What the scripted Strapi answers.
#[derive(Clone, Debug)]
pub enum Reply {
    Answer(u16, String),
    /// A refusal with a `Retry-After` of this many seconds.
    RetryAfter(u16, String, u32),
    Unreachable,
    /// No answer for this many milliseconds, then the transport gives up (as `Fetch` does after
    /// its timeout). Never "for ever": the refresh lock would stay held for the next tests.
    Stall(i32),
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Reply::Answer(status, body.to_owned())
    }
}

type Responder = Box<dyn Fn(&Request) -> Option<Reply> + Send + Sync>;

/// A Strapi that answers `/auth/local` and `/users/me` as scripted (and anything else through
/// [`FakeStrapi::respond_with`]), after a short network delay, and remembers every request.
pub struct FakeStrapi {
    requests: Mutex<Vec<Request>>,
    login: Mutex<Reply>,
    me: Mutex<Reply>,
    responder: Mutex<Option<Responder>>,
}

pub const USER_JSON: &str =
    r#"{"id":1,"documentId":"r37n","username":"test","email":"test@example.com","confirmed":true}"#;

impl FakeStrapi {
    pub fn new(login: Reply) -> Arc<Self> {
        Arc::new(Self {
            requests: Mutex::new(Vec::new()),
            login: Mutex::new(login),
            me: Mutex::new(Reply::json(200, USER_JSON)),
            responder: Mutex::new(None),
        })
    }

    /// Answers first with `responder`, where it returns `Some`.
    pub fn respond_with(
        &self,
        responder: impl Fn(&Request) -> Option<Reply> + Send + Sync + 'static,
    ) {
        *self.responder.lock().unwrap() = Some(Box::new(responder));
    }

    pub fn answer_me(&self, reply: Reply) {
        *self.me.lock().unwrap() = reply;
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    pub fn requests_to(&self, route: &str) -> Vec<Request> {
        let url = format!("{STRAPI_URL}/api{route}");
        self.requests()
            .into_iter()
            .filter(|r| r.url == url)
            .collect()
    }
}

impl FakeStrapi {
    /// Requests to routes that start with `prefix` (`/auth/sessions/` for its ids).
    pub fn requests_to_prefix(&self, prefix: &str) -> Vec<Request> {
        let url = format!("{STRAPI_URL}/api{prefix}");
        self.requests()
            .into_iter()
            .filter(|r| r.url.starts_with(&url))
            .collect()
    }
}

impl Transport for FakeStrapi {
    fn send(&self, request: Request) -> LocalFuture<Result<Response, TransportError>> {
        let scripted = self
            .responder
            .lock()
            .unwrap()
            .as_ref()
            .and_then(|respond| respond(&request));
        let reply = scripted.unwrap_or_else(|| match (request.method, route(&request)) {
            (Method::Post, "/auth/local") => self.login.lock().unwrap().clone(),
            (Method::Get, "/users/me") => self.me.lock().unwrap().clone(),
            _ => Reply::json(
                404,
                r#"{"data":null,"error":{"status":404,"message":"Not Found"}}"#,
            ),
        });
        self.requests.lock().unwrap().push(request);
        Box::pin(async move {
            sleep(30).await;
            match reply {
                Reply::Answer(status, body) => Ok(Response::new(status, body)),
                Reply::RetryAfter(status, body, seconds) => {
                    Ok(Response::new(status, body).with_retry_after(seconds.to_string()))
                }
                Reply::Unreachable => Err(TransportError::Unreachable),
                Reply::Stall(ms) => {
                    sleep(ms).await;
                    Err(TransportError::TimedOut)
                }
            }
        })
    }
}

/// The API route of a request to the fake (`/auth/local`, `/users/me`, ...).
pub fn route(request: &Request) -> &str {
    request.url.rsplit("/api").next().unwrap_or_default()
}

pub fn bearer(request: &Request) -> Option<&str> {
    request.bearer.as_ref().map(|t| t.expose())
}

/// Mounts the whole app at `path` against `fake`, with empty storage. Keep the result alive for
/// the test's length: dropping it unmounts the app.
pub fn start_at(path: &str, fake: &Arc<FakeStrapi>) -> Mounted {
    start_with_storage(path, fake, &[])
}

/// Like [`start_at`], with `stored` already in `localStorage` (a session from an earlier visit).
pub fn start_with_storage(path: &str, fake: &Arc<FakeStrapi>, stored: &[(&str, &str)]) -> Mounted {
    start_configured(path, fake, stored, false)
}

/// The Strapi client the app would build, talking to `fake`.
pub fn strapi_client(fake: &Arc<FakeStrapi>, cookie_refresh: bool) -> Backend {
    configured_client(
        fake,
        Source {
            refresh: Some(if cookie_refresh { "cookie" } else { "body" }),
            ..Source::default()
        },
    )
}

/// The Strapi client the app would build from `source` (its `<meta>` tags), talking to `fake`.
pub fn configured_client(fake: &Arc<FakeStrapi>, source: Source<'_>) -> Backend {
    let config = StrapiConfig::resolve(&[Source {
        url: Some(STRAPI_URL),
        ..source
    }]);
    Backend::new(config, fake.clone())
}

/// Puts `stored` in an otherwise empty `localStorage`.
pub fn set_storage(stored: &[(&str, &str)]) {
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    for (key, value) in stored {
        storage.set_item(key, value).unwrap();
    }
}

/// Like [`start_with_storage`], with Strapi's refresh token in a cookie when `cookie_refresh`.
pub fn start_configured(
    path: &str,
    fake: &Arc<FakeStrapi>,
    stored: &[(&str, &str)],
    cookie_refresh: bool,
) -> Mounted {
    mount(path, strapi_client(fake, cookie_refresh), stored)
}

/// Mounts the whole app at `path` against `strapi`, with `stored` alone in `localStorage`. One app
/// at a time: an app still mounted (left by a failed test) is unmounted first.
pub fn mount(path: &str, backend: Backend, stored: &[(&str, &str)]) -> Mounted {
    unmount(MOUNTED.with_borrow_mut(Option::take));
    set_storage(stored);
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(path))
        .unwrap();
    let parent: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&parent).unwrap();
    // Under an owner of the test's own, disposed with the app: leptos's unmount handle only
    // disposes the app's root owner once nothing else holds it, and a task or listener still
    // pending at the end of a test may (the router's click listener then outlives its app).
    let owner = Owner::new();
    let app = owner.with(|| leptos::mount::mount_to(parent, move || view! { <App backend /> }));
    MOUNTED.with_borrow_mut(|mounted| *mounted = Some((owner, Box::new(app))));
    Mounted
}

thread_local! {
    /// The app the running test mounted. A failed test ends in a trap that drops nothing, so the
    /// next [`mount`] unmounts what it left (its page and its window listeners) before its own:
    /// one failure then stays one failed test.
    static MOUNTED: std::cell::RefCell<Option<(Owner, Box<dyn std::any::Any>)>> = Default::default();
}

/// Unmounts the app when the test that mounted it ends.
pub struct Mounted;

impl Drop for Mounted {
    fn drop(&mut self) {
        unmount(MOUNTED.with_borrow_mut(Option::take));
    }
}

/// Unmounts an app [`mount`] mounted, and disposes of everything it created.
fn unmount(mounted: Option<(Owner, Box<dyn std::any::Any>)>) {
    if let Some((owner, app)) = mounted {
        drop(app);
        owner.cleanup();
    }
}

pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits up to two seconds for `condition`, failing the test with `what` if it never holds.
pub async fn wait_for(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..200 {
        if condition() {
            return;
        }
        sleep(10).await;
    }
    let page: String = document_text().chars().take(600).collect();
    panic!(
        "timed out waiting for: {what}\nat {}, the page reads: {page}",
        path_and_query()
    );
}

pub fn path() -> String {
    window().location().pathname().unwrap()
}

/// The path with its query, as the address bar shows it.
pub fn path_and_query() -> String {
    let location = window().location();
    location.pathname().unwrap() + &location.search().unwrap()
}

pub fn stored(key: &str) -> Option<String> {
    window()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(key)
        .unwrap()
}

/// Every key this app may write, with its stored value.
pub fn stored_session_keys() -> Vec<(&'static str, String)> {
    let keys = StorageKeys::default();
    ["token", "accessToken", "refreshToken"]
        .into_iter()
        .filter(|k| keys.session_keys().contains(k))
        .filter_map(|k| stored(k).map(|v| (k, v)))
        .collect()
}

fn all(selector: &str) -> Vec<web_sys::Element> {
    let list = document().query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into().ok())
        .collect()
}

fn text_of(el: &web_sys::Element) -> String {
    el.text_content().unwrap_or_default().trim().to_owned()
}

/// The input whose `<label>` reads `label`.
pub fn field(label: &str) -> HtmlInputElement {
    let label: HtmlLabelElement = all("label")
        .into_iter()
        .find(|l| text_of(l) == label)
        .unwrap_or_else(|| panic!("no label {label:?}"))
        .unchecked_into();
    document()
        .get_element_by_id(&label.html_for())
        .expect("label points at no element")
        .unchecked_into()
}

pub fn has_field(label: &str) -> bool {
    all("label").iter().any(|l| text_of(l) == label)
}

/// Types `text` into the field labelled `label`, as the `input` event a keyboard would send.
pub fn type_into(label: &str, text: &str) {
    let input = field(label);
    input.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

/// Whether the button named `name` says it is pressed (`aria-pressed`).
pub fn is_pressed(button: &HtmlButtonElement) -> bool {
    button.get_attribute("aria-pressed").as_deref() == Some("true")
}

/// The link whose text is `text`, if shown.
pub fn link(text: &str) -> Option<web_sys::HtmlAnchorElement> {
    all("a")
        .into_iter()
        .find(|a| text_of(a) == text)
        .map(JsCast::unchecked_into)
}

/// The request's JSON body.
pub fn json_body(request: &Request) -> serde_json::Value {
    serde_json::from_str(request.json.as_deref().unwrap_or("null")).unwrap()
}

/// Fills the login form and submits it, as a person would.
pub fn log_in(identifier: &str, password: &str) {
    type_into("Email or username", identifier);
    type_into("Password", password);
    button("Log in").click();
}

/// The button whose accessible name (its text) is `name`.
pub fn button(name: &str) -> HtmlButtonElement {
    find_button(name).unwrap_or_else(|| panic!("no button {name:?}"))
}

/// Every button whose text is `name`, in page order.
pub fn all_buttons(name: &str) -> Vec<HtmlButtonElement> {
    all("button")
        .into_iter()
        .filter(|b| text_of(b) == name)
        .map(JsCast::unchecked_into)
        .collect()
}

pub fn find_button(name: &str) -> Option<HtmlButtonElement> {
    all("button")
        .into_iter()
        .find(|b| text_of(b) == name)
        .map(JsCast::unchecked_into)
}

/// The text of the `role="alert"` element, if one is shown.
pub fn alert() -> Option<String> {
    all("[role=alert]").first().map(text_of)
}

/// The text of the `role="status"` element, if one is shown.
pub fn status() -> Option<String> {
    all("[role=status]").first().map(text_of)
}

pub fn heading() -> Option<String> {
    all("h1").first().map(text_of)
}

/// The error message tied to an input through `aria-describedby`: the first description, as a
/// screen reader reads it first (a hint, when there is one, comes after it).
pub fn description_of(input: &HtmlInputElement) -> Option<String> {
    let ids = input.get_attribute("aria-describedby")?;
    let first = ids.split_whitespace().next()?;
    document().get_element_by_id(first).map(|el| text_of(&el))
}

/// The whole page's text, as a person reads it.
pub fn document_text() -> String {
    document()
        .body()
        .unwrap()
        .text_content()
        .unwrap_or_default()
}

/// The session has ended: the login page shows `notice` and storage holds no session.
pub async fn expect_logged_out_with(notice: &str) {
    wait_for("the login page", || path() == "/auth/login").await;
    wait_for("the notice", || status().is_some()).await;
    assert_eq!(status().as_deref(), Some(notice));
    assert_eq!(stored_session_keys(), vec![]);
}

pub const EXPIRED: &str = "Your session has expired. Please log in again.";
pub const LOGGED_OUT: &str = "You have been logged out.";
pub const UNAUTHORIZED: &str = r#"{"data":null,"error":{"status":401,"name":"UnauthorizedError","message":"Missing or invalid credentials","details":{}}}"#;

/// Strapi's time, in seconds: the real clock, however [`shift_clock`] has moved the browser's.
pub fn strapi_now_s() -> u64 {
    let real = js_sys::eval("(Date.realNow || Date.now)()").unwrap();
    (real.as_f64().unwrap() / 1000.0) as u64
}

/// Sets the browser's clock (`Date.now`, which the app reads) `offset_ms` away from the real
/// one: a computer whose clock is wrong. [`Mounted`] does not undo it: call `shift_clock(0.0)`.
pub fn shift_clock(offset_ms: f64) {
    js_sys::eval(&format!(
        "Date.realNow = Date.realNow || Date.now; Date.now = () => Date.realNow() + ({offset_ms});"
    ))
    .unwrap();
}

/// A JWT as Strapi signs it (the signature is not checked by the app), with `claims` such as
/// `"iat":1,"exp":2`.
pub fn jwt_with(claims: &str) -> String {
    let base64url = |text: &str| {
        window()
            .btoa(text)
            .unwrap()
            .replace('+', "-")
            .replace('/', "_")
            .trim_end_matches('=')
            .to_owned()
    };
    format!(
        "{}.{}.c2lnbmF0dXJl",
        base64url(r#"{"alg":"HS256","typ":"JWT"}"#),
        base64url(&format!("{{{claims}}}"))
    )
}

/// An access token Strapi issued just now, living `life_s` seconds; `n` tells tokens apart.
pub fn fresh_jwt(life_s: u64, n: usize) -> String {
    let iat = strapi_now_s();
    jwt_with(&format!(
        r#""id":1,"n":{n},"iat":{iat},"exp":{}"#,
        iat + life_s
    ))
}
