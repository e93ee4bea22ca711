//! The app in a real browser (headless Chromium and Firefox), with Strapi replaced by a scripted
//! transport: what a person sees and what ends up in `localStorage`.
#![cfg(target_arch = "wasm32")]

mod support;

use support::browser::*;
use support::exchanges;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LEGACY: &str =
    include_str!("../crates/strapi-auth/tests/fixtures/strapi-5.54.0/legacy-login.txt");
const REFRESH: &str =
    include_str!("../crates/strapi-auth/tests/fixtures/strapi-5.54.0/refresh-1.txt");
const RATE_LIMIT: &str =
    include_str!("../crates/strapi-auth/tests/fixtures/strapi-5.54.0/legacy-ratelimit.txt");

fn recorded(file: &str, name: &str) -> Reply {
    let e = exchanges::find(file, name);
    Reply::Answer(e.status, e.body)
}

fn json_field(body: &str, field: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(body).unwrap();
    value[field].as_str().unwrap().to_owned()
}

/// After any failure: the message is shown, nothing is stored, the person is still on the login
/// page with their identifier, and the form can be used again.
async fn assert_failed_cleanly(expected_alert: &str) {
    wait_for("the alert", || alert().is_some()).await;
    wait_for("the form to be usable", || find_button("Log in").is_some()).await;
    let shown = alert().unwrap();
    assert!(
        shown.contains(expected_alert),
        "alert {shown:?} lacks {expected_alert:?}"
    );
    assert_eq!(stored_session_keys(), vec![]);
    assert_eq!(path(), "/auth/login");
    assert_eq!(field("Email or username").value(), "test@example.com");
    assert_eq!(
        field("Password").value(),
        "",
        "a failed password is cleared"
    );
    assert!(!button("Log in").disabled());
}

#[wasm_bindgen_test]
async fn login_form_is_labelled_for_password_managers_and_screen_readers() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    let identifier = field("Email or username");
    assert_eq!(
        identifier.type_(),
        "text",
        "usernames are allowed, not only emails"
    );
    assert_eq!(
        identifier.get_attribute("autocomplete").unwrap(),
        "username"
    );
    let password = field("Password");
    assert_eq!(password.type_(), "password");
    assert_eq!(
        password.get_attribute("autocomplete").unwrap(),
        "current-password"
    );
    assert_eq!(button("Log in").type_(), "submit");
    assert_eq!(heading().as_deref(), Some("Log in"));
}

#[wasm_bindgen_test]
async fn legacy_login_stores_the_jwt_under_token_and_opens_the_dashboard() {
    let answer = recorded(LEGACY, "login-good");
    let Reply::Answer(_, body) = &answer else {
        unreachable!()
    };
    let jwt = json_field(body, "jwt");
    let fake = FakeStrapi::new(answer);
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    log_in("test@example.com", "Passw0rd!");
    wait_for("the dashboard", || path() == "/dashboard").await;

    assert_eq!(stored_session_keys(), vec![("token", jwt.clone())]);
    let sent = fake.requests_to("/auth/local");
    assert_eq!(sent.len(), 1);
    let sent: serde_json::Value = serde_json::from_str(sent[0].json.as_ref().unwrap()).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"identifier": "test@example.com", "password": "Passw0rd!"})
    );

    wait_for("the user's details", || {
        document_text().contains("You are logged in as test.")
    })
    .await;
    assert!(document_text().contains("test@example.com"));
    // Who logged in came with the login answer: no second round trip to Strapi.
    assert!(fake.requests_to("/users/me").is_empty());
}

#[wasm_bindgen_test]
async fn a_login_answer_without_the_user_makes_the_dashboard_ask_strapi() {
    let fake = FakeStrapi::new(Reply::json(200, r#"{"jwt":"a.b.c","user":{}}"#));
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    log_in("test@example.com", "Passw0rd!");
    wait_for("the user's details", || {
        document_text().contains("You are logged in as test.")
    })
    .await;
    let me = fake.requests_to("/users/me");
    assert_eq!(me.len(), 1);
    assert_eq!(me[0].bearer.as_ref().unwrap().expose(), "a.b.c");
}

#[wasm_bindgen_test]
async fn refresh_mode_login_stores_the_pair_and_no_token() {
    let answer = recorded(REFRESH, "R-login-good");
    let Reply::Answer(_, body) = &answer else {
        unreachable!()
    };
    let (access, refresh) = (json_field(body, "jwt"), json_field(body, "refreshToken"));
    let fake = FakeStrapi::new(answer);
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    log_in("test@example.com", "Passw0rd!");
    wait_for("the dashboard", || path() == "/dashboard").await;

    assert_eq!(
        stored_session_keys(),
        vec![("accessToken", access), ("refreshToken", refresh)]
    );
}

#[wasm_bindgen_test]
async fn wrong_password_shows_strapis_message_and_stores_nothing() {
    let fake = FakeStrapi::new(recorded(LEGACY, "login-wrong-password"));
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    log_in("test@example.com", "nope");
    assert_failed_cleanly("Invalid identifier or password").await;
}

#[wasm_bindgen_test]
async fn unreachable_server_says_so_and_stores_nothing() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    log_in("test@example.com", "Passw0rd!");
    assert_failed_cleanly("Cannot reach the server").await;
}

#[wasm_bindgen_test]
async fn every_kind_of_failure_is_reported_without_storing_anything() {
    let cases = [
        (
            recorded(RATE_LIMIT, "login-wrong-3"),
            "Too many requests, please try again later.",
        ),
        (
            Reply::json(502, "<html><body>Bad Gateway</body></html>"),
            "HTTP 502",
        ),
        (
            Reply::json(
                500,
                r#"{"data":null,"error":{"status":500,"name":"InternalServerError","message":"Internal Server Error"}}"#,
            ),
            "Internal Server Error",
        ),
        (Reply::json(200, "this is not json"), "does not understand"),
        (
            Reply::json(200, r#"{"user":{"username":"test"}}"#),
            "does not understand",
        ),
    ];
    for (reply, expected) in cases {
        let fake = FakeStrapi::new(reply);
        let app = start_at("/auth/login", &fake);
        wait_for("the form", || has_field("Password")).await;
        log_in("test@example.com", "Passw0rd!");
        assert_failed_cleanly(expected).await;
        drop(app);
    }
}

#[wasm_bindgen_test]
async fn strapis_field_errors_sit_next_to_their_fields() {
    let reply = Reply::json(
        400,
        r#"{"data":null,"error":{"status":400,"name":"ValidationError","message":"1 error occurred","details":{"errors":[{"path":["password"],"message":"password must be at least 6 characters","name":"ValidationError"}]}}}"#,
    );
    let fake = FakeStrapi::new(reply);
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    log_in("test@example.com", "x");
    assert_failed_cleanly("1 error occurred").await;

    let password = field("Password");
    assert_eq!(
        password.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    // Strapi's message, in the app's words (which a catalog translates).
    assert_eq!(
        description_of(&password).as_deref(),
        Some("Use at least 6 characters.")
    );
    let identifier = field("Email or username");
    assert_eq!(identifier.get_attribute("aria-invalid"), None);
    assert_eq!(description_of(&identifier), None);
    assert_eq!(
        document().active_element(),
        Some(password.into()),
        "focus moves to the field to fix"
    );
}

#[wasm_bindgen_test]
async fn empty_fields_are_flagged_without_asking_strapi() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    type_into("Email or username", "   ");
    button("Log in").click();
    wait_for("the alert", || alert().is_some()).await;

    assert_eq!(
        alert().as_deref(),
        Some("Enter your email or username. Enter your password.")
    );
    for label in ["Email or username", "Password"] {
        let input = field(label);
        assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
        assert!(description_of(&input).unwrap().starts_with("Enter your"));
    }
    assert!(fake.requests().is_empty());
    assert_eq!(stored_session_keys(), vec![]);
}

#[wasm_bindgen_test]
async fn the_identifier_is_trimmed_and_the_password_sent_as_typed() {
    let fake = FakeStrapi::new(recorded(LEGACY, "login-wrong-password"));
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    log_in("  test@example.com \n", " pass word ");
    wait_for("the answer", || alert().is_some()).await;

    let sent = fake.requests_to("/auth/local");
    let sent: serde_json::Value = serde_json::from_str(sent[0].json.as_ref().unwrap()).unwrap();
    assert_eq!(sent["identifier"], "test@example.com");
    assert_eq!(sent["password"], " pass word ");
}

#[wasm_bindgen_test]
async fn a_double_click_sends_one_request_and_the_button_says_it_is_busy() {
    let fake = FakeStrapi::new(recorded(LEGACY, "login-wrong-password"));
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    type_into("Email or username", "test@example.com");
    type_into("Password", "nope");
    let submit = button("Log in");
    submit.click();
    submit.click();

    wait_for("the busy button", || find_button("Logging in…").is_some()).await;
    assert!(button("Logging in…").disabled());
    button("Logging in…").click();

    wait_for("the answer", || alert().is_some()).await;
    assert_eq!(fake.requests_to("/auth/local").len(), 1);
    assert!(!button("Log in").disabled());
}

#[wasm_bindgen_test]
async fn the_dashboard_sends_a_logged_out_person_to_the_login_page() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/dashboard", &fake);
    wait_for("the login page", || path() == "/auth/login").await;
    wait_for("the form", || has_field("Password")).await;
    assert!(fake.requests().is_empty());
}

#[wasm_bindgen_test]
async fn the_dashboard_shows_who_is_logged_in() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_with_storage("/dashboard", &fake, &[("token", "stored.jwt.value")]);
    wait_for("the user's details", || {
        document_text().contains("test@example.com")
    })
    .await;

    assert!(document_text().contains("You are logged in as test."));
    assert_eq!(
        fake.requests_to("/users/me")[0]
            .bearer
            .as_ref()
            .unwrap()
            .expose(),
        "stored.jwt.value"
    );
}

#[wasm_bindgen_test]
async fn a_logged_in_person_opening_the_login_page_goes_to_the_dashboard() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_with_storage(
        "/auth/login",
        &fake,
        &[("accessToken", "a.b.c"), ("refreshToken", "r.s.t")],
    );
    wait_for("the dashboard", || path() == "/dashboard").await;
    wait_for("the user's details", || {
        document_text().contains("test@example.com")
    })
    .await;
    let me = fake.requests_to("/users/me");
    assert_eq!(me[0].bearer.as_ref().unwrap().expose(), "a.b.c");
}

#[wasm_bindgen_test]
async fn a_rejected_token_logs_out_and_says_the_session_expired() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.answer_me(Reply::json(401, UNAUTHORIZED));
    let _app = start_with_storage("/dashboard", &fake, &[("token", "expired.jwt.value")]);

    expect_logged_out_with(EXPIRED).await;
}

#[wasm_bindgen_test]
async fn a_dashboard_load_failure_offers_a_retry() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.answer_me(Reply::Unreachable);
    let _app = start_with_storage("/dashboard", &fake, &[("token", "stored.jwt.value")]);
    wait_for("the alert", || alert().is_some()).await;
    assert!(alert().unwrap().contains("Cannot reach the server"));
    assert_eq!(stored("token").as_deref(), Some("stored.jwt.value"), "kept");

    fake.answer_me(Reply::json(200, USER_JSON));
    button("Try again").click();
    wait_for("the user's details", || {
        document_text().contains("test@example.com")
    })
    .await;
}

#[wasm_bindgen_test]
async fn log_out_clears_storage_and_says_so() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_with_storage("/dashboard", &fake, &[("token", "stored.jwt.value")]);
    wait_for("the dashboard", || find_button("Log out").is_some()).await;

    button("Log out").click();
    wait_for("the login page", || path() == "/auth/login").await;
    wait_for("the notice", || status().is_some()).await;
    assert_eq!(status().as_deref(), Some("You have been logged out."));
    assert_eq!(stored_session_keys(), vec![]);
}

#[wasm_bindgen_test]
async fn the_root_sends_people_where_they_belong_and_unknown_paths_say_not_found() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let app = start_at("/", &fake);
    wait_for("the login page", || path() == "/auth/login").await;
    drop(app);

    let app = start_with_storage("/", &fake, &[("token", "stored.jwt.value")]);
    wait_for("the dashboard", || path() == "/dashboard").await;
    drop(app);

    let _app = start_at("/no/such/page", &fake);
    not_found_page().await;
}

fn document() -> web_sys::Document {
    leptos::prelude::document()
}

/// Waits for the not-found page (where the link tests start: it links to `/`).
async fn not_found_page() {
    wait_for("the not-found page", || {
        heading().as_deref() == Some("Page not found")
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_apps_own_links_and_the_back_button_stay_in_the_page() {
    use wasm_bindgen::JsCast;
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/no/such/page", &fake);
    not_found_page().await;

    // Followed without a reload (which would end this very test): `/` sends a logged-out
    // person on to the login page.
    let link = document().query_selector("a[href='/']").unwrap().unwrap();
    link.unchecked_into::<web_sys::HtmlElement>().click();
    wait_for("the login page", || {
        path() == "/auth/login" && has_field("Password")
    })
    .await;

    leptos::prelude::window().history().unwrap().back().unwrap();
    wait_for("the not-found page again", || {
        path() == "/no/such/page" && heading().as_deref() == Some("Page not found")
    })
    .await;
}

#[wasm_bindgen_test]
async fn meta_tags_in_the_served_page_repoint_the_app() {
    use strapi_login::config::StrapiConfig;
    let head = document().head().unwrap();
    let mut added = Vec::new();
    for (name, content) in [
        ("strapi-url", "https://cms.example.org/"),
        ("strapi-api-prefix", "/"),
    ] {
        let meta = document().create_element("meta").unwrap();
        meta.set_attribute("name", name).unwrap();
        meta.set_attribute("content", content).unwrap();
        head.append_child(&meta).unwrap();
        added.push(meta);
    }
    let config = StrapiConfig::from_document();
    for meta in added {
        meta.remove();
    }
    assert_eq!(
        config.endpoint("/auth/local"),
        "https://cms.example.org/auth/local"
    );
}

/// Where nothing listens.
const CLOSED_PORT: &str = "http://127.0.0.1:59999";

#[wasm_bindgen_test]
async fn the_real_fetch_transport_reports_a_closed_port_as_unreachable() {
    use strapi_auth::http::{Fetch, Method, Request, Transport, TransportError};
    let mut request = Request::new(Method::Post, format!("{CLOSED_PORT}/api/auth/local"));
    request.json = Some("{}".to_owned());
    assert_eq!(Fetch.send(request).await, Err(TransportError::Unreachable));
}

/// The rehearsal that spares a first login its compile time (src/rehearsal.rs) really builds the
/// dashboard of a logged-in person, and sends nothing, stores nothing, leaves nothing behind.
#[wasm_bindgen_test]
async fn the_login_rehearsal_builds_the_dashboard_and_changes_nothing() {
    let fake = FakeStrapi::new(Reply::json(500, "{}"));
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;
    let title = document().title();
    // The addresses of the page's resource timings. Firefox may add the closed-port test's failed
    // fetch some time after that test has ended, so that one is not counted.
    let fetches = || {
        let performance = web_sys::window().unwrap().performance().unwrap();
        let entries = performance.get_entries_by_type("resource");
        (0..entries.length())
            .filter_map(|i| js_sys::Reflect::get(&entries.get(i), &"name".into()).ok())
            .filter_map(|name| name.as_string())
            .filter(|name| !name.starts_with(CLOSED_PORT))
            .collect::<Vec<_>>()
    };
    let fetched = fetches();

    let config = strapi_client(&fake, false).config;
    assert!(strapi_login::rehearsal::rehearse(config));

    assert_eq!(document().title(), title);
    assert!(stored_session_keys().is_empty());
    assert!(!document_text().contains("rehearsal@example.invalid"));
    assert!(has_field("Password"), "the login form is still there");
    sleep(50).await; // where an effect of the rehearsed dashboard would have run
    assert!(fake.requests().is_empty());
    assert_eq!(fetches(), fetched, "nothing went over the network");
    assert!(!document_text().contains("rehearsal@example.invalid"));
}

/// When a password is typed, the browser is asked to open its connection to Strapi, so the first
/// login does not wait for it; more typing asks nothing new, and nothing is sent.
#[wasm_bindgen_test]
async fn typing_a_password_opens_the_connection_to_strapi() {
    use wasm_bindgen::JsCast;
    let login = format!("{STRAPI_URL}/api/auth/local");
    let hint = || {
        let links = document()
            .query_selector_all("link[rel=preconnect]")
            .unwrap();
        assert!(links.length() <= 1, "one hint at a time");
        links
            .item(0)
            .map(|link| link.unchecked_into::<web_sys::Element>())
    };
    for (cookie_refresh, mode) in [(false, "anonymous"), (true, "use-credentials")] {
        if let Some(old) = hint() {
            old.remove();
        }
        let fake = FakeStrapi::new(Reply::Unreachable);
        let app = start_configured("/auth/login", &fake, &[], cookie_refresh);
        wait_for("the form", || has_field("Password")).await;
        type_into("Email or username", "test@example.com");
        sleep(20).await;
        assert!(hint().is_none(), "nothing before the password");

        type_into("Password", "p");
        wait_for("the hint", || hint().is_some()).await;
        let first = hint().unwrap();
        assert_eq!(first.get_attribute("href"), Some(login.clone()));
        assert_eq!(first.get_attribute("crossorigin").as_deref(), Some(mode));
        type_into("Password", "pa");
        sleep(20).await;
        assert!(hint().unwrap().is_same_node(Some(&first)), "asked again");
        assert!(fake.requests().is_empty());
        drop(app);
    }
}

/// A click the app follows itself (returns whether it did: the default action was prevented by
/// the time the click reached the window). The browser's own action is always prevented, so
/// nothing leaves this test page.
fn app_follows(href: &str, attributes: &[(&str, &str)], init: &web_sys::MouseEventInit) -> bool {
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let link = document().create_element("a").unwrap();
    link.set_attribute("href", href).unwrap();
    for (name, value) in attributes {
        link.set_attribute(name, value).unwrap();
    }
    link.set_text_content(Some("a link"));
    document().body().unwrap().append_child(&link).unwrap();
    let followed = Rc::new(Cell::new(false));
    // Registered after the app's listener on the window, so it runs after it.
    let after_app = {
        let followed = followed.clone();
        Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            followed.set(ev.default_prevented());
            ev.prevent_default();
        })
    };
    let window = web_sys::window().unwrap();
    window
        .add_event_listener_with_callback("click", after_app.as_ref().unchecked_ref())
        .unwrap();
    init.set_bubbles(true);
    init.set_cancelable(true);
    let click = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", init).unwrap();
    link.dispatch_event(&click).unwrap();
    window
        .remove_event_listener_with_callback("click", after_app.as_ref().unchecked_ref())
        .unwrap();
    link.remove();
    followed.get()
}

#[wasm_bindgen_test]
async fn links_that_open_elsewhere_are_left_to_the_browser() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/no/such/page", &fake);
    not_found_page().await;
    let plain = web_sys::MouseEventInit::new;
    let with = |set: fn(&web_sys::MouseEventInit, bool)| {
        let init = plain();
        set(&init, true);
        init
    };

    assert!(!app_follows(
        "/auth/login",
        &[],
        &with(web_sys::MouseEventInit::set_ctrl_key)
    ));
    assert!(!app_follows(
        "/auth/login",
        &[],
        &with(web_sys::MouseEventInit::set_meta_key)
    ));
    assert!(!app_follows(
        "/auth/login",
        &[],
        &with(web_sys::MouseEventInit::set_shift_key)
    ));
    assert!(!app_follows(
        "/auth/login",
        &[("target", "_blank")],
        &plain()
    ));
    assert!(!app_follows("/auth/login", &[("download", "")], &plain()));
    // leptos_router reads `rel` case-sensitively: `External` would be followed by the app.
    assert!(!app_follows(
        "/auth/login",
        &[("rel", "noopener external")],
        &plain()
    ));
    assert!(!app_follows(
        "http://elsewhere.test/auth/login",
        &[],
        &plain()
    ));
    // A fragment of this page is leptos_router's to follow (it scrolls there); the app has no
    // such link.
    let middle = plain();
    middle.set_button(1);
    assert!(!app_follows("/auth/login", &[], &middle));
    assert_eq!(path(), "/no/such/page");

    // The same link, plainly clicked, is the app's.
    assert!(app_follows(
        "/auth/login?redirect=%2Fdashboard",
        &[],
        &plain()
    ));
    wait_for("the login page", || has_field("Password")).await;
    assert_eq!(path_and_query(), "/auth/login?redirect=%2Fdashboard");
}
