//! Renewal that never storms Strapi, in a real browser with a scripted Strapi: a computer clock
//! hours ahead or behind in every JWT mode, and Strapi failing, rate limiting or never answering
//! `/auth/refresh`, with the refresh requests counted.
#![cfg(target_arch = "wasm32")]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use support::browser::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const HOUR_MS: f64 = 3_600_000.0;
/// How long the scripted Strapi's access tokens live: renewed about a second before they expire.
const LIFE_S: u64 = 4;
const SERVER_ERROR: &str = r#"{"data":null,"error":{"status":500,"name":"InternalServerError","message":"Internal Server Error","details":{}}}"#;
const RATE_LIMITED: &str = r#"{"data":null,"error":{"status":429,"name":"RateLimitError","message":"Too many requests, please try again later.","details":{}}}"#;

/// A Strapi in session mode that issues `LIFE_S`-second access tokens (on the real clock) at
/// login and at every refresh, and accepts any token at `/users/me`. `cookie`: the refresh token
/// lives in Strapi's cookie, not in the body. The newest access token is in `newest`.
fn session_strapi(cookie: bool, newest: &Arc<std::sync::Mutex<String>>) -> Arc<FakeStrapi> {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let issued = Arc::new(AtomicUsize::new(0));
    let newest = newest.clone();
    fake.respond_with(move |request| {
        let user = match route(request) {
            "/auth/local" => format!(r#","user":{USER_JSON}"#),
            "/auth/refresh" => String::new(),
            _ => return None,
        };
        let n = issued.fetch_add(1, Ordering::SeqCst);
        let jwt = fresh_jwt(LIFE_S, n);
        *newest.lock().unwrap() = jwt.clone();
        let refresh = if cookie {
            String::new()
        } else {
            format!(r#","refreshToken":"refresh.{n}.t""#)
        };
        Some(Reply::json(
            200,
            &format!(r#"{{"jwt":"{jwt}"{refresh}{user}}}"#),
        ))
    });
    fake
}

async fn logged_in_at_the_dashboard(fake: &Arc<FakeStrapi>, cookie: bool) -> Mounted {
    let app = start_configured("/auth/login", fake, &[], cookie);
    wait_for("the form", || has_field("Password")).await;
    log_in("test@example.com", "Passw0rd!");
    wait_for("the dashboard", || path() == "/dashboard").await;
    app
}

#[wasm_bindgen_test]
async fn a_clock_hours_off_renews_once_per_token_life_in_both_session_modes() {
    for cookie in [false, true] {
        for offset in [2.0 * HOUR_MS, -2.0 * HOUR_MS, 26.0 * HOUR_MS] {
            shift_clock(offset);
            let newest = Arc::default();
            let fake = session_strapi(cookie, &newest);
            let app = logged_in_at_the_dashboard(&fake, cookie).await;

            // One renewal is due about a second before the first token expires, the next one
            // lifetime later.
            sleep((LIFE_S * 1000 + 1_500) as i32).await;
            let refreshes = fake.requests_to("/auth/refresh").len();
            let case = format!("cookie {cookie}, clock {} h off", offset / HOUR_MS);
            assert!(
                (1..=2).contains(&refreshes),
                "{case}: {refreshes} refreshes; requests {:?}",
                fake.requests()
                    .iter()
                    .map(|r| route(r).to_owned())
                    .collect::<Vec<_>>(),
            );
            assert_eq!(
                path(),
                "/dashboard",
                "{case}: still logged in, {}",
                document_text()
            );
            assert_eq!(
                stored("accessToken").as_deref(),
                Some(newest.lock().unwrap().as_str()),
                "{case}: the newest token is stored"
            );
            drop(app);
        }
    }
    shift_clock(0.0);
}

#[wasm_bindgen_test]
async fn a_legacy_token_lives_its_own_life_under_a_wrong_clock() {
    // Two hours ahead, an hour-long token is not taken for expired.
    shift_clock(2.0 * HOUR_MS);
    let hour_token = fresh_jwt(3_600, 0);
    let fake = FakeStrapi::new(Reply::json(
        200,
        &format!(r#"{{"jwt":"{hour_token}","user":{USER_JSON}}}"#),
    ));
    let app = logged_in_at_the_dashboard(&fake, false).await;
    sleep(1_000).await;
    assert_eq!(path(), "/dashboard");
    assert_eq!(stored("token"), Some(hour_token));
    drop(app);

    // Two hours behind, a 2-second token still ends when it expires.
    shift_clock(-2.0 * HOUR_MS);
    let short_token = fresh_jwt(2, 1);
    let fake = FakeStrapi::new(Reply::json(
        200,
        &format!(r#"{{"jwt":"{short_token}","user":{USER_JSON}}}"#),
    ));
    let _app = logged_in_at_the_dashboard(&fake, false).await;
    expect_logged_out_with(EXPIRED).await;
    shift_clock(0.0);
    assert!(fake.requests_to("/auth/refresh").is_empty());
}

#[wasm_bindgen_test]
async fn a_session_stored_before_the_clock_was_known_costs_one_refresh() {
    // Tokens an earlier version stored, without what it knew of the clock, two hours ahead.
    shift_clock(2.0 * HOUR_MS);
    let newest = Arc::default();
    let fake = session_strapi(false, &newest);
    let access = fresh_jwt(LIFE_S, 99);
    let _app = start_with_storage(
        "/dashboard",
        &fake,
        &[("accessToken", &access), ("refreshToken", "refresh.old.t")],
    );
    wait_for("the account", || {
        document_text().contains("test@example.com")
    })
    .await;
    sleep(1_500).await;
    shift_clock(0.0);
    assert_eq!(fake.requests_to("/auth/refresh").len(), 1);
    assert_eq!(
        stored("accessToken").as_deref(),
        Some(newest.lock().unwrap().as_str())
    );
}

/// A session whose access token expired a minute ago, and a Strapi that refuses it at
/// `/users/me` and answers `/auth/refresh` with `refresh`. The person presses "Try again" on the
/// dashboard every half second for `seconds`; the refresh requests are counted, and the alert the
/// page shows at the end is returned with the count.
async fn pressing_try_again_while_refresh_answers(
    refresh: Reply,
    seconds: u32,
) -> (usize, Option<String>) {
    shift_clock(0.0);
    let fake = FakeStrapi::new(Reply::Unreachable);
    let refreshes = Arc::new(AtomicUsize::new(0));
    let count = refreshes.clone();
    fake.respond_with(move |request| match route(request) {
        "/users/me" => Some(Reply::json(401, UNAUTHORIZED)),
        "/auth/refresh" => {
            count.fetch_add(1, Ordering::SeqCst);
            Some(refresh.clone())
        }
        _ => None,
    });
    let now = strapi_now_s();
    let expired = jwt_with(&format!(r#""id":1,"iat":{},"exp":{}"#, now - 660, now - 60));
    let stored_pair = [("accessToken", expired.as_str()), ("refreshToken", "r.e.f")];
    let _app = start_with_storage("/dashboard", &fake, &stored_pair);
    for _ in 0..seconds * 2 {
        sleep(500).await;
        if let Some(again) = find_button("Try again") {
            again.click();
        }
    }
    // The last attempt's answer (its renewal may hold the lock a moment longer): the account's
    // error and its "Try again" are back.
    wait_for("the last attempt's answer", || {
        find_button("Try again").is_some()
    })
    .await;
    assert_eq!(
        path(),
        "/dashboard",
        "the session is kept while Strapi fails"
    );
    assert_eq!(stored("refreshToken").as_deref(), Some("r.e.f"));
    (refreshes.load(Ordering::SeqCst), alert())
}

#[wasm_bindgen_test]
async fn a_failing_strapi_is_asked_again_only_after_a_backoff() {
    // The first attempt at once, the next after 5 to 7.5 s: at most two in 6 s, however often
    // the person asks.
    let (refreshes, alert) =
        pressing_try_again_while_refresh_answers(Reply::json(500, SERVER_ERROR), 6).await;
    assert!((1..=2).contains(&refreshes), "{refreshes} refreshes");
    assert!(
        alert
            .as_ref()
            .is_some_and(|text| text.contains("Internal Server Error")),
        "Strapi's failure is what the page says: {alert:?}"
    );
    let (refreshes, _) = pressing_try_again_while_refresh_answers(Reply::Unreachable, 4).await;
    assert_eq!(refreshes, 1, "unreachable");
}

#[wasm_bindgen_test]
async fn a_rate_limited_refresh_waits_as_long_as_retry_after_says() {
    // The backoff alone would ask again after 5 to 7.5 s; Strapi asked for 10.
    let (refreshes, _) = pressing_try_again_while_refresh_answers(
        Reply::RetryAfter(429, RATE_LIMITED.into(), 10),
        8,
    )
    .await;
    assert_eq!(refreshes, 1);
}

#[wasm_bindgen_test]
async fn a_refresh_that_hangs_is_not_sent_again_beside_it() {
    // Held for 3 s and then given up, as the app's transport gives up after 15 s.
    let (refreshes, _) = pressing_try_again_while_refresh_answers(Reply::Stall(3_000), 4).await;
    assert_eq!(refreshes, 1);
}
