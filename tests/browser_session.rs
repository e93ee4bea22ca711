//! The session over time, in a real browser with a scripted Strapi: renewal (single-flight),
//! expiry, logout, redirect-back, following other tabs, and the cookie refresh mode.
#![cfg(target_arch = "wasm32")]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use leptos_strapi_auth::Auth;
use strapi_auth::http::Method;
use support::browser::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const BAD_REFRESH: &str = r#"{"data":null,"error":{"status":401,"name":"UnauthorizedError","message":"Invalid refresh token","details":{}}}"#;
const OLD_PAIR: [(&str, &str); 2] = [
    ("accessToken", "old.access.t"),
    ("refreshToken", "old.refresh.t"),
];

/// A Strapi whose `/users/me` accepts only the renewed access token, and which renews once.
fn strapi_accepting_only_new_tokens(refreshes: &Arc<AtomicUsize>) -> Arc<FakeStrapi> {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let count = refreshes.clone();
    fake.respond_with(move |request| match (route(request), bearer(request)) {
        ("/users/me", Some("new.access.t")) => Some(Reply::json(200, USER_JSON)),
        ("/users/me", _) => Some(Reply::json(401, UNAUTHORIZED)),
        ("/auth/refresh", _) => {
            let sent: serde_json::Value = serde_json::from_str(request.json.as_ref()?).ok()?;
            if count.fetch_add(1, Ordering::SeqCst) == 0 && sent["refreshToken"] == "old.refresh.t"
            {
                Some(Reply::json(
                    200,
                    r#"{"jwt":"new.access.t","refreshToken":"new.refresh.t"}"#,
                ))
            } else {
                Some(Reply::json(401, BAD_REFRESH))
            }
        }
        _ => None,
    });
    fake
}

#[wasm_bindgen_test]
async fn three_concurrent_401s_share_one_refresh_and_all_succeed() {
    let refreshes = Arc::new(AtomicUsize::new(0));
    let fake = strapi_accepting_only_new_tokens(&refreshes);
    set_storage(&OLD_PAIR);
    let owner = Owner::new(); // keeps the session's signals alive for the test
    let auth = owner.with(|| {
        Auth::new(
            strapi_client(&fake, false).strapi,
            strapi_login::routes::paths(),
        )
    });

    let done = Arc::new(AtomicUsize::new(0));
    for _ in 0..3 {
        let done = done.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let user = auth
                .authorized(|strapi, session| async move {
                    strapi.me::<strapi_auth::User>(session.access_token()).await
                })
                .await;
            assert_eq!(user.unwrap().username, "test");
            done.fetch_add(1, Ordering::SeqCst);
        });
    }
    wait_for("three answers", || done.load(Ordering::SeqCst) == 3).await;

    assert_eq!(refreshes.load(Ordering::SeqCst), 1, "exactly one refresh");
    assert_eq!(
        stored_session_keys(),
        vec![
            ("accessToken", "new.access.t".into()),
            ("refreshToken", "new.refresh.t".into())
        ]
    );
    let me: Vec<_> = fake
        .requests_to("/users/me")
        .iter()
        .map(|r| bearer(r).unwrap().to_owned())
        .collect();
    assert_eq!(me.iter().filter(|t| *t == "old.access.t").count(), 3);
    assert_eq!(me.iter().filter(|t| *t == "new.access.t").count(), 3);
}

#[wasm_bindgen_test]
async fn a_refused_refresh_token_ends_the_session_with_the_expired_message() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| match route(request) {
        "/users/me" => Some(Reply::json(401, UNAUTHORIZED)),
        "/auth/refresh" => Some(Reply::json(401, BAD_REFRESH)),
        _ => None,
    });
    let _app = start_with_storage("/dashboard", &fake, &OLD_PAIR);

    expect_logged_out_with(EXPIRED).await;
    assert_eq!(fake.requests_to("/auth/refresh").len(), 1);
}

#[wasm_bindgen_test]
async fn an_expired_legacy_token_is_no_session() {
    // {"exp":1}: expired in 1970.
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_with_storage("/dashboard", &fake, &[("token", "x.eyJleHAiOjF9.s")]);

    expect_logged_out_with(EXPIRED).await;
    assert!(fake.requests().is_empty(), "an expired token is never sent");
}

#[wasm_bindgen_test]
async fn after_login_the_person_returns_where_they_were_going() {
    let fake = FakeStrapi::new(Reply::json(200, r#"{"jwt":"j.w.t","user":{}}"#));
    let _app = start_at("/dashboard?tab=profile", &fake);

    wait_for("the login page", || path() == "/auth/login").await;
    assert_eq!(
        path_and_query(),
        "/auth/login?redirect=/dashboard%3Ftab%3Dprofile"
    );
    wait_for("the form", || has_field("Password")).await;
    log_in("test@example.com", "Passw0rd!");

    wait_for("the dashboard", || path() == "/dashboard").await;
    assert_eq!(path_and_query(), "/dashboard?tab=profile");
}

#[wasm_bindgen_test]
async fn a_hostile_redirect_is_ignored() {
    for target in [
        "//evil.example",
        "https://evil.example/",
        "/%2F%2Fevil.example",
        "/\\evil.example",
    ] {
        let fake = FakeStrapi::new(Reply::json(200, r#"{"jwt":"j.w.t","user":{}}"#));
        let query = String::from(js_sys::encode_uri_component(target));
        let app = start_at(&format!("/auth/login?redirect={query}"), &fake);
        wait_for("the form", || has_field("Password")).await;
        log_in("test@example.com", "Passw0rd!");
        wait_for("the dashboard", || path() == "/dashboard").await;
        assert_eq!(path_and_query(), "/dashboard", "{target}");
        drop(app);
    }
}

#[wasm_bindgen_test]
async fn logging_out_in_refresh_mode_revokes_the_session_at_strapi_first() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| {
        (route(request) == "/auth/logout").then(|| Reply::json(200, r#"{"ok":true}"#))
    });
    let _app = start_with_storage("/dashboard", &fake, &OLD_PAIR);
    wait_for("the dashboard", || {
        document_text().contains("test@example.com")
    })
    .await;

    button("Log out").click();
    wait_for("the login page", || path() == "/auth/login").await;
    assert_eq!(
        path_and_query(),
        "/auth/login",
        "nowhere to return to after a logout"
    );
    wait_for("the notice", || status().is_some()).await;
    assert_eq!(status().as_deref(), Some("You have been logged out."));
    assert_eq!(stored_session_keys(), vec![]);

    let logout = fake.requests_to("/auth/logout");
    assert_eq!(logout.len(), 1);
    assert_eq!(logout[0].method, Method::Post);
    assert_eq!(bearer(&logout[0]), Some("old.access.t"));
    let body: serde_json::Value = serde_json::from_str(logout[0].json.as_ref().unwrap()).unwrap();
    assert_eq!(body["refreshToken"], "old.refresh.t");
}

#[wasm_bindgen_test]
async fn logging_out_uses_the_tokens_another_tab_just_renewed() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| {
        (route(request) == "/auth/logout").then(|| Reply::json(200, r#"{"ok":true}"#))
    });
    let _app = start_with_storage("/dashboard", &fake, &OLD_PAIR);
    wait_for("the dashboard", || find_button("Log out").is_some()).await;

    // Another tab renewed; its storage event has not arrived yet.
    set_storage(&[
        ("accessToken", "new.access.t"),
        ("refreshToken", "new.refresh.t"),
    ]);
    button("Log out").click();
    wait_for("the login page", || path() == "/auth/login").await;

    let logout = fake.requests_to("/auth/logout");
    assert_eq!(bearer(&logout[0]), Some("new.access.t"));
    let body: serde_json::Value = serde_json::from_str(logout[0].json.as_ref().unwrap()).unwrap();
    assert_eq!(body["refreshToken"], "new.refresh.t");
}

#[wasm_bindgen_test]
async fn logging_out_works_even_when_strapi_cannot_be_reached() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| (route(request) == "/auth/logout").then_some(Reply::Unreachable));
    let _app = start_with_storage("/dashboard", &fake, &OLD_PAIR);
    wait_for("the dashboard", || find_button("Log out").is_some()).await;

    button("Log out").click();
    wait_for("the login page", || path() == "/auth/login").await;
    assert_eq!(stored_session_keys(), vec![]);
    assert_eq!(fake.requests_to("/auth/logout").len(), 1);
}

#[wasm_bindgen_test]
async fn a_logout_in_another_tab_reaches_this_one() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_with_storage("/dashboard", &fake, &[("token", "stored.jwt.value")]);
    wait_for("the dashboard", || {
        document_text().contains("test@example.com")
    })
    .await;

    // What another tab's logout looks like from here: storage emptied, then `storage` events.
    set_storage(&[]);
    fire_storage_event("token");

    wait_for("the login page", || path() == "/auth/login").await;
    wait_for("the notice", || status().is_some()).await;
    assert_eq!(status().as_deref(), Some("You have been logged out."));
}

#[wasm_bindgen_test]
async fn a_login_in_another_tab_reaches_this_one() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    set_storage(&[("token", "from.other.tab")]);
    fire_storage_event("token");

    wait_for("the dashboard", || path() == "/dashboard").await;
    wait_for("the user's details", || {
        document_text().contains("test@example.com")
    })
    .await;
    assert_eq!(
        bearer(&fake.requests_to("/users/me")[0]),
        Some("from.other.tab")
    );
}

#[wasm_bindgen_test]
async fn cookie_mode_stores_only_the_access_token_and_sends_credentials() {
    let fake = FakeStrapi::new(Reply::json(200, r#"{"jwt":"cookie.access.t","user":{}}"#));
    let _app = start_configured("/auth/login", &fake, &[], true);
    wait_for("the form", || has_field("Password")).await;
    log_in("test@example.com", "Passw0rd!");

    wait_for("the dashboard", || path() == "/dashboard").await;
    assert_eq!(
        stored_session_keys(),
        vec![("accessToken", "cookie.access.t".into())]
    );
    let login = &fake.requests_to("/auth/local")[0];
    assert!(
        login.refresh_cookie,
        "credentials and X-Strapi-Refresh-Cookie"
    );
}

#[wasm_bindgen_test]
async fn cookie_mode_renews_through_the_cookie() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| match (route(request), bearer(request)) {
        ("/users/me", Some("new.access.t")) => Some(Reply::json(200, USER_JSON)),
        ("/users/me", _) => Some(Reply::json(401, UNAUTHORIZED)),
        ("/auth/refresh", _) => Some(Reply::json(200, r#"{"jwt":"new.access.t"}"#)),
        _ => None,
    });
    let _app = start_configured(
        "/dashboard",
        &fake,
        &[("accessToken", "old.access.t")],
        true,
    );

    wait_for("the user's details", || {
        document_text().contains("test@example.com")
    })
    .await;
    let refresh = &fake.requests_to("/auth/refresh")[0];
    assert!(refresh.refresh_cookie);
    assert_eq!(
        refresh.json, None,
        "the refresh token is in the cookie, not the body"
    );
    assert_eq!(
        stored_session_keys(),
        vec![("accessToken", "new.access.t".into())]
    );
}

fn fire_storage_event(key: &str) {
    let init = web_sys::StorageEventInit::new();
    init.set_key(Some(key));
    let event = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap();
    window().dispatch_event(&event).unwrap();
}
