//! The account pages around the login in a real browser, with a scripted Strapi: signing up,
//! confirming an email address, asking for a reset link, choosing a new password, and the
//! password toggle every password input has.
#![cfg(target_arch = "wasm32")]

mod support;

use strapi_auth::http::Method;
use strapi_login::config::Source;
use support::browser::*;
use support::exchanges;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ACCOUNT: &str =
    include_str!("../crates/strapi-auth/tests/fixtures/strapi-5.54.0/account-flows.txt");

fn recorded(file: &str, name: &str) -> Reply {
    let e = exchanges::find(file, name);
    Reply::Answer(e.status, e.body)
}

/// A fake Strapi answering `route` (a POST) with `reply`.
fn answering(route: &'static str, reply: Reply) -> std::sync::Arc<FakeStrapi> {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(move |request| {
        (request.method == Method::Post && support::browser::route(request) == route)
            .then(|| reply.clone())
    });
    fake
}

fn fill_sign_up(username: &str, email: &str, password: &str) {
    type_into("Username", username);
    type_into("Email", email);
    type_into("Password", password);
}

const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6Mn0.sig";

/// A session-mode answer (reset, change password) with tokens that never expire during a test:
/// recorded tokens carry a real `exp`, ten minutes after they were recorded.
const PAIR_ANSWER: &str = r#"{"jwt":"changed.access.t","refreshToken":"changed.refresh.t","user":{"username":"demo","email":"demo@example.com"}}"#;

#[wasm_bindgen_test]
async fn signing_up_sends_only_the_three_fields_and_logs_in() {
    let fake = answering(
        "/auth/local/register",
        Reply::json(
            200,
            &format!(
                r#"{{"jwt":"{TOKEN}","user":{{"id":2,"username":"newbie","email":"newbie@example.com"}}}}"#
            ),
        ),
    );
    let _app = start_at("/auth/register", &fake);
    wait_for("the form", || has_field("Username")).await;

    fill_sign_up(" newbie ", " newbie@example.com ", "Passw0rd!");
    button("Create account").click();
    wait_for("the dashboard", || path() == "/dashboard").await;

    assert_eq!(stored_session_keys(), vec![("token", TOKEN.to_owned())]);
    let sent = fake.requests_to("/auth/local/register");
    assert_eq!(sent.len(), 1);
    assert_eq!(
        json_body(&sent[0]),
        serde_json::json!({"username": "newbie", "email": "newbie@example.com", "password": "Passw0rd!"})
    );
    wait_for("who signed up", || {
        document_text().contains("You are logged in as newbie.")
    })
    .await;
}

#[wasm_bindgen_test]
async fn sign_up_slips_are_caught_before_anything_is_sent() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/auth/register", &fake);
    wait_for("the form", || has_field("Username")).await;

    fill_sign_up("ab", "not-an-email", "12345");
    button("Create account").click();
    wait_for("the alert", || alert().is_some()).await;

    for (label, says) in [
        ("Username", "3 characters"),
        ("Email", "name@example.com"),
        ("Password", "6 characters"),
    ] {
        let input = field(label);
        assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
        assert!(description_of(&input).unwrap().contains(says), "{label}");
    }
    assert_eq!(document().active_element(), Some(field("Username").into()));
    let password = field("Password");
    let described = password.get_attribute("aria-describedby").unwrap();
    assert_eq!(
        described, "password-error password-hint",
        "the hint stays read"
    );
    assert!(fake.requests().is_empty());
    assert_eq!(
        field("Password").value(),
        "12345",
        "a check keeps what was typed"
    );

    // 37 × "é" is 74 bytes: over Strapi's 72, though only 37 characters.
    fill_sign_up("newbie", "newbie@example.com", &"é".repeat(37));
    button("Create account").click();
    wait_for("the byte limit", || {
        alert().is_some_and(|a| a.contains("72 bytes"))
    })
    .await;
    assert!(fake.requests().is_empty());
}

#[wasm_bindgen_test]
async fn a_taken_account_shows_strapis_message_and_stores_nothing() {
    let fake = answering(
        "/auth/local/register",
        recorded(ACCOUNT, "register-duplicate"),
    );
    let _app = start_at("/auth/register", &fake);
    wait_for("the form", || has_field("Username")).await;

    fill_sign_up("demo", "demo@example.com", "Passw0rd!");
    button("Create account").click();
    wait_for("the alert", || alert().is_some()).await;

    assert_eq!(
        alert().as_deref(),
        Some("Email or Username are already taken")
    );
    assert_eq!(stored_session_keys(), vec![]);
    assert_eq!(field("Password").value(), "", "the password is cleared");
    assert_eq!(field("Email").value(), "demo@example.com");
    assert!(!button("Create account").disabled());
    assert_eq!(path(), "/auth/register");
}

#[wasm_bindgen_test]
async fn with_email_confirmation_on_nothing_is_stored_and_the_link_can_be_sent_again() {
    let fake = answering(
        "/auth/local/register",
        recorded(ACCOUNT, "register-confirmation-on"),
    );
    let _app = start_at("/auth/register", &fake);
    wait_for("the form", || has_field("Username")).await;

    fill_sign_up("newbie", "Newbie@Example.com", "Passw0rd!");
    button("Create account").click();
    wait_for("the status", || status().is_some()).await;

    let said = status().unwrap();
    assert!(said.contains("Check your email"), "{said}");
    assert!(said.contains("Newbie@Example.com"), "{said}");
    assert_eq!(stored_session_keys(), vec![]);
    assert_eq!(path(), "/auth/register");

    fake.respond_with(|request| {
        (route(request) == "/auth/send-email-confirmation")
            .then(|| recorded(ACCOUNT, "send-email-confirmation"))
    });
    button("Resend confirmation email").click();
    wait_for("the new link", || {
        status().is_some_and(|s| s.contains("A new confirmation link"))
    })
    .await;
    let sent = fake.requests_to("/auth/send-email-confirmation");
    assert_eq!(sent.len(), 1);
    assert_eq!(
        json_body(&sent[0]),
        serde_json::json!({"email": "Newbie@Example.com"})
    );
}

#[wasm_bindgen_test]
async fn sign_up_can_be_closed_by_the_page() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let closed = Source {
        register: Some("off"),
        ..Source::default()
    };
    let app = mount("/auth/login", configured_client(&fake, closed), &[]);
    wait_for("the form", || has_field("Password")).await;
    assert!(link("Create an account").is_none());
    assert!(link("Forgot password?").is_some());
    drop(app);

    let _app = mount("/auth/register", configured_client(&fake, closed), &[]);
    wait_for("the closed page", || alert().is_some()).await;
    assert!(alert().unwrap().contains("Sign-up is closed"));
    assert!(!has_field("Username"));
}

#[wasm_bindgen_test]
async fn the_login_page_links_to_recovery_and_sign_up() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    assert_eq!(
        link("Create an account")
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("/auth/register")
    );
    link("Forgot password?").unwrap().click();
    wait_for("the forgot-password page", || {
        path() == "/auth/forgot-password" && has_field("Email")
    })
    .await;
}

#[wasm_bindgen_test]
async fn an_unconfirmed_account_is_offered_a_new_confirmation_link() {
    let fake = FakeStrapi::new(recorded(ACCOUNT, "login-unconfirmed"));
    fake.respond_with(|request| {
        (route(request) == "/auth/send-email-confirmation")
            .then(|| recorded(ACCOUNT, "send-email-confirmation"))
    });
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    log_in("newbie@example.com", "Passw0rd!");
    wait_for("the alert", || alert().is_some()).await;
    assert!(
        alert()
            .unwrap()
            .starts_with("Your account email is not confirmed")
    );
    assert_eq!(stored_session_keys(), vec![]);

    button("Resend confirmation email").click();
    wait_for("the new link", || {
        alert().is_some_and(|a| {
            a.contains("A new confirmation link is on its way to newbie@example.com")
        })
    })
    .await;
    assert_eq!(
        json_body(&fake.requests_to("/auth/send-email-confirmation")[0]),
        serde_json::json!({"email": "newbie@example.com"})
    );
}

#[wasm_bindgen_test]
async fn the_confirmation_landing_page_says_so_above_the_login_form() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/auth/email-confirmed", &fake);
    wait_for("the form", || has_field("Password")).await;
    assert!(status().unwrap().contains("confirmed"));
    assert_eq!(heading().as_deref(), Some("Log in"));
}

#[wasm_bindgen_test]
async fn forgot_password_answers_the_same_for_every_address() {
    let fake = answering(
        "/auth/forgot-password",
        recorded(ACCOUNT, "forgot-password"),
    );
    let _app = start_at("/auth/forgot-password", &fake);
    wait_for("the form", || has_field("Email")).await;

    button("Send reset link").click();
    wait_for("the alert", || alert().is_some()).await;
    assert!(fake.requests().is_empty(), "an empty address is not sent");

    type_into("Email", "anyone@example.com");
    button("Send reset link").click();
    wait_for("the status", || status().is_some()).await;
    assert!(
        status()
            .unwrap()
            .contains("If an account uses anyone@example.com")
    );
    assert_eq!(
        json_body(&fake.requests_to("/auth/forgot-password")[0]),
        serde_json::json!({"email": "anyone@example.com"})
    );
}

#[wasm_bindgen_test]
async fn forgot_password_says_when_mail_cannot_be_sent_or_too_many_were_asked() {
    for (reply, says) in [
        (
            recorded(ACCOUNT, "forgot-password-mail-down"),
            "The email could not be sent",
        ),
        (
            recorded(ACCOUNT, "forgot-password-rate-limited"),
            "Too many requests, please try again later.",
        ),
    ] {
        let fake = answering("/auth/forgot-password", reply);
        let app = start_at("/auth/forgot-password", &fake);
        wait_for("the form", || has_field("Email")).await;
        type_into("Email", "demo@example.com");
        button("Send reset link").click();
        wait_for("the alert", || alert().is_some()).await;
        assert!(alert().unwrap().contains(says), "{:?}", alert());
        assert!(status().is_none());
        assert!(!button("Send reset link").disabled());
        drop(app);
    }
}

#[wasm_bindgen_test]
async fn the_reset_code_leaves_the_address_bar_at_once_and_logs_in() {
    let fake = answering(
        "/auth/reset-password",
        Reply::json(
            200,
            &format!(
                r#"{{"jwt":"{TOKEN}","user":{{"username":"demo","email":"demo@example.com"}}}}"#
            ),
        ),
    );
    let _app = start_at("/auth/reset-password?code=abc123", &fake);
    wait_for("the form", || has_field("New password")).await;
    assert_eq!(path_and_query(), "/auth/reset-password");

    type_into("New password", "N3w-Passw0rd!");
    type_into("Confirm new password", "N3w-Passw0rd?");
    button("Set new password").click();
    wait_for("the alert", || alert().is_some()).await;
    assert_eq!(
        description_of(&field("Confirm new password")).as_deref(),
        Some("The passwords do not match.")
    );
    assert!(fake.requests().is_empty());

    type_into("New password", "N3w-Passw0rd!");
    type_into("Confirm new password", "N3w-Passw0rd!");
    button("Set new password").click();
    wait_for("the dashboard", || path() == "/dashboard").await;
    assert_eq!(stored_session_keys(), vec![("token", TOKEN.to_owned())]);
    assert_eq!(
        json_body(&fake.requests_to("/auth/reset-password")[0]),
        serde_json::json!({"code": "abc123", "password": "N3w-Passw0rd!", "passwordConfirmation": "N3w-Passw0rd!"})
    );
}

#[wasm_bindgen_test]
async fn a_used_reset_code_says_so_and_links_to_a_new_request() {
    let fake = answering(
        "/auth/reset-password",
        recorded(ACCOUNT, "reset-password-bad-code"),
    );
    let _app = start_at("/auth/reset-password?code=used", &fake);
    wait_for("the form", || has_field("New password")).await;

    type_into("New password", "N3w-Passw0rd!");
    type_into("Confirm new password", "N3w-Passw0rd!");
    button("Set new password").click();
    wait_for("the alert", || alert().is_some()).await;

    assert!(alert().unwrap().contains("not valid"));
    assert!(link("Request a new password reset link").is_some());
    assert_eq!(stored_session_keys(), vec![]);
    assert_eq!(field("New password").value(), "", "passwords are cleared");
}

#[wasm_bindgen_test]
async fn a_reset_page_without_a_code_sends_nothing() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/auth/reset-password", &fake);
    wait_for("the alert", || alert().is_some()).await;
    assert!(alert().unwrap().contains("no reset code"));
    assert_eq!(
        link("Request a new password reset link")
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("/auth/forgot-password")
    );
    assert!(!has_field("New password"));
    assert!(fake.requests().is_empty());
}

#[wasm_bindgen_test]
async fn the_password_toggle_shows_and_hides_keeping_the_value() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;

    type_into("Password", "se cret");
    let input = field("Password");
    input.focus().unwrap();
    input.set_selection_range(2, 2).unwrap();
    let toggle = button("Show password");
    assert!(!is_pressed(&toggle));

    toggle.click();
    wait_for("the shown password", || field("Password").type_() == "text").await;
    assert!(is_pressed(&toggle));
    assert_eq!(field("Password").value(), "se cret");
    sleep(20).await;
    assert_eq!(field("Password").selection_start().unwrap(), Some(2));

    toggle.click();
    wait_for("the hidden password", || {
        field("Password").type_() == "password"
    })
    .await;
    assert!(!is_pressed(&toggle));
    assert_eq!(field("Password").value(), "se cret");
}

#[wasm_bindgen_test]
async fn cookie_mode_moves_a_sign_ups_refresh_token_into_the_cookie() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| match route(request) {
        "/auth/local/register" => Some(recorded(ACCOUNT, "register-cookie-mode")),
        "/auth/refresh" => Some(Reply::json(200, r#"{"jwt":"moved.access.t"}"#)),
        _ => None,
    });
    let _app = start_configured("/auth/register", &fake, &[], true);
    wait_for("the form", || has_field("Username")).await;

    fill_sign_up("newbie", "newbie@example.com", "Passw0rd!");
    button("Create account").click();
    wait_for("the dashboard", || path() == "/dashboard").await;

    assert_eq!(
        stored_session_keys(),
        vec![("accessToken", "moved.access.t".to_owned())],
        "no refresh token in storage"
    );
    let refresh = &fake.requests_to("/auth/refresh")[0];
    assert!(refresh.refresh_cookie);
    assert!(json_body(refresh)["refreshToken"].is_string());
}

#[wasm_bindgen_test]
async fn cookie_mode_clears_a_stale_cookie_once_and_says_so_when_renewal_is_impossible() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // A stale cookie: the first move is refused, the cookie cleared, the second move works.
    let refreshes = Arc::new(AtomicUsize::new(0));
    let fake = FakeStrapi::new(Reply::Unreachable);
    let counted = refreshes.clone();
    fake.respond_with(move |request| match route(request) {
        "/auth/reset-password" => Some(Reply::json(200, PAIR_ANSWER)),
        "/auth/refresh" if counted.fetch_add(1, Ordering::SeqCst) == 0 => {
            Some(Reply::json(401, UNAUTHORIZED))
        }
        "/auth/refresh" => Some(Reply::json(200, r#"{"jwt":"moved.access.t"}"#)),
        "/auth/logout" => Some(Reply::json(200, r#"{"ok":true}"#)),
        _ => None,
    });
    let app = start_configured("/auth/reset-password?code=c", &fake, &[], true);
    wait_for("the form", || has_field("New password")).await;
    type_into("New password", "N3w-Passw0rd!");
    type_into("Confirm new password", "N3w-Passw0rd!");
    button("Set new password").click();
    wait_for("the dashboard", || path() == "/dashboard").await;
    assert_eq!(
        stored_session_keys(),
        vec![("accessToken", "moved.access.t".to_owned())]
    );
    let logout = &fake.requests_to("/auth/logout")[0];
    assert!(
        json_body(logout)["deviceId"].is_string(),
        "revokes no session"
    );
    assert!(status().is_none(), "nothing to warn about");
    drop(app);

    // Strapi refuses every move: the access token is kept, and the person is told.
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| match route(request) {
        "/auth/reset-password" => Some(Reply::json(200, PAIR_ANSWER)),
        "/auth/refresh" => Some(Reply::json(401, UNAUTHORIZED)),
        "/auth/logout" => Some(Reply::json(200, r#"{"ok":true}"#)),
        _ => None,
    });
    let _app = start_configured("/auth/reset-password?code=c", &fake, &[], true);
    wait_for("the form", || has_field("New password")).await;
    type_into("New password", "N3w-Passw0rd!");
    type_into("Confirm new password", "N3w-Passw0rd!");
    button("Set new password").click();
    wait_for("the dashboard", || path() == "/dashboard").await;
    wait_for("the warning", || status().is_some()).await;
    assert!(status().unwrap().contains("log in again when it expires"));
    assert_eq!(
        stored_session_keys(),
        vec![("accessToken", "changed.access.t".to_owned())]
    );
}

fn document() -> web_sys::Document {
    leptos::prelude::document()
}

// The account page: changing the password, and where the person is signed in.

const PAIR: [(&str, &str); 2] = [
    ("accessToken", "old.access.t"),
    ("refreshToken", "old.refresh.t"),
];

fn fill_change(current: &str, new: &str, again: &str) {
    type_into("Current password", current);
    type_into("New password", new);
    type_into("Confirm new password", again);
}

#[wasm_bindgen_test]
async fn the_dashboard_links_to_the_password_change() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_with_storage("/dashboard", &fake, &[("token", "stored.jwt.value")]);
    wait_for("the link", || link("Change password").is_some()).await;
    link("Change password").unwrap().click();
    wait_for("the form", || has_field("Current password")).await;
    assert_eq!(path(), "/account/password");
}

#[wasm_bindgen_test]
async fn a_password_change_replaces_the_stored_token() {
    let fake = answering(
        "/auth/change-password",
        recorded(ACCOUNT, "change-password-legacy-mode"),
    );
    let _app = start_with_storage("/account/password", &fake, &[("token", "old.jwt.value")]);
    wait_for("the form", || has_field("Current password")).await;

    fill_change("Demo-Passw0rd!", "N3w-Passw0rd!", "N3w-Passw0rd!");
    button("Change password").click();
    wait_for("the confirmation", || {
        status().is_some_and(|s| s.contains("changed"))
    })
    .await;

    let sent = &fake.requests_to("/auth/change-password")[0];
    assert_eq!(bearer(sent), Some("old.jwt.value"));
    assert_eq!(
        json_body(sent),
        serde_json::json!({"currentPassword": "Demo-Passw0rd!", "password": "N3w-Passw0rd!", "passwordConfirmation": "N3w-Passw0rd!"})
    );
    let stored = stored_session_keys();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].0, "token");
    assert_ne!(stored[0].1, "old.jwt.value", "the answer's token is stored");
    // The form is gone (what password managers take for a successful submit), the way back stays.
    assert!(!has_field("Current password"), "the form is taken away");
    assert!(link("Back to the dashboard").is_some());
}

#[wasm_bindgen_test]
async fn a_401_mid_change_renews_and_retries_once() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let changes = Arc::new(AtomicUsize::new(0));
    let counted = changes.clone();
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(move |request| match route(request) {
        "/auth/change-password" if counted.fetch_add(1, Ordering::SeqCst) == 0 => {
            Some(Reply::json(401, UNAUTHORIZED))
        }
        "/auth/change-password" => Some(Reply::json(200, PAIR_ANSWER)),
        "/auth/refresh" => Some(Reply::json(
            200,
            r#"{"jwt":"renewed.access.t","refreshToken":"renewed.refresh.t"}"#,
        )),
        _ => None,
    });
    let _app = start_with_storage("/account/password", &fake, &PAIR);
    wait_for("the form", || has_field("Current password")).await;

    fill_change("Passw0rd!", "N3w-Passw0rd!", "N3w-Passw0rd!");
    button("Change password").click();
    wait_for("the confirmation", || {
        status().is_some_and(|s| s.contains("changed"))
    })
    .await;

    let sent = fake.requests_to("/auth/change-password");
    assert_eq!(sent.len(), 2, "one retry");
    assert_eq!(bearer(&sent[1]), Some("renewed.access.t"));
    assert_eq!(fake.requests_to("/auth/refresh").len(), 1);
    let stored = stored_session_keys();
    assert_eq!(
        stored.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        ["accessToken", "refreshToken"]
    );
    assert_eq!(
        stored,
        vec![
            ("accessToken", "changed.access.t".to_owned()),
            ("refreshToken", "changed.refresh.t".to_owned())
        ],
        "the change's own new pair replaced the renewed one"
    );
}

#[wasm_bindgen_test]
async fn a_wrong_current_password_is_flagged_on_its_field_and_nothing_changes() {
    let fake = answering(
        "/auth/change-password",
        recorded(ACCOUNT, "change-password-wrong-current"),
    );
    let _app = start_with_storage("/account/password", &fake, &[("token", "old.jwt.value")]);
    wait_for("the form", || has_field("Current password")).await;

    fill_change("nope-nope", "N3w-Passw0rd!", "N3w-Passw0rd!");
    button("Change password").click();
    wait_for("the alert", || alert().is_some()).await;

    assert_eq!(
        alert().as_deref(),
        Some("The provided current password is invalid")
    );
    let current = field("Current password");
    assert_eq!(
        description_of(&current).as_deref(),
        Some("The provided current password is invalid")
    );
    assert_eq!(document().active_element(), Some(current.into()));
    assert_eq!(
        stored_session_keys(),
        vec![("token", "old.jwt.value".to_owned())]
    );
}

#[wasm_bindgen_test]
async fn the_dashboard_lists_where_one_is_signed_in_and_ends_another_session() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| match (request.method, route(request)) {
        (Method::Get, "/auth/sessions") => Some(recorded(ACCOUNT, "sessions")),
        (Method::Delete, _) => Some(recorded(ACCOUNT, "session-end")),
        _ => None,
    });
    let _app = start_with_storage("/dashboard", &fake, &PAIR);
    wait_for("the list", || document_text().contains("Safari on iOS")).await;
    assert!(document_text().contains("This browser"));
    assert!(document_text().contains("Chrome on Linux"));

    let others: Vec<_> = all_buttons("Sign out")
        .into_iter()
        .filter(|b| b.get_attribute("aria-describedby").is_some())
        .collect();
    assert_eq!(others.len(), 3, "one button per session");
    // The second row: Safari on iOS, another device.
    others[1].click();
    wait_for("the session's end", || {
        !fake.requests_to_prefix("/auth/sessions/").is_empty()
    })
    .await;
    let ended = &fake.requests_to_prefix("/auth/sessions/")[0];
    assert_eq!(ended.method, Method::Delete);
    assert!(ended.url.ends_with(&session_id(1)));
    assert_eq!(bearer(ended), Some("old.access.t"));
    wait_for("the list reloaded", || {
        fake.requests_to("/auth/sessions").len() == 2
    })
    .await;
    assert_eq!(path(), "/dashboard", "this browser stays signed in");
}

#[wasm_bindgen_test]
async fn signing_out_of_all_other_devices_ends_every_other_session() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| match (request.method, route(request)) {
        (Method::Get, "/auth/sessions") => Some(recorded(ACCOUNT, "sessions")),
        (Method::Delete, _) => Some(recorded(ACCOUNT, "session-end")),
        _ => None,
    });
    let _app = start_with_storage("/dashboard", &fake, &PAIR);
    wait_for("the button", || {
        find_button("Sign out of all 2 other devices").is_some()
    })
    .await;
    button("Sign out of all 2 other devices").click();
    wait_for("both ended", || {
        fake.requests_to_prefix("/auth/sessions/").len() == 2
    })
    .await;
    let ended: Vec<_> = fake
        .requests_to_prefix("/auth/sessions/")
        .into_iter()
        .map(|r| r.url)
        .collect();
    assert!(ended[0].ends_with(&session_id(1)) && ended[1].ends_with(&session_id(2)));
    assert!(
        !ended.iter().any(|u| u.ends_with(&session_id(0))),
        "not this one"
    );
}

#[wasm_bindgen_test]
async fn a_forbidden_session_list_says_why_and_legacy_mode_explains_there_is_none() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| {
        (route(request) == "/auth/sessions").then(|| {
            Reply::json(
                403,
                r#"{"data":null,"error":{"status":403,"name":"ForbiddenError","message":"Forbidden","details":{}}}"#,
            )
        })
    });
    let app = start_with_storage("/dashboard", &fake, &PAIR);
    wait_for("the alert", || alert().is_some()).await;
    assert!(alert().unwrap().contains("permission"));
    assert_eq!(path(), "/dashboard");
    drop(app);

    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_with_storage("/dashboard", &fake, &[("token", "stored.jwt.value")]);
    wait_for("the explanation", || {
        document_text().contains("keeps no list")
    })
    .await;
    assert!(fake.requests_to("/auth/sessions").is_empty());
}

/// The id of the `n`th session in the recorded list.
fn session_id(n: usize) -> String {
    let e = exchanges::find(ACCOUNT, "sessions");
    let list: serde_json::Value = serde_json::from_str(&e.body).unwrap();
    list["data"][n]["id"].as_str().unwrap().to_owned()
}

// Provider login: the buttons and the page Strapi sends the browser back to.

fn with_providers(
    fake: &std::sync::Arc<FakeStrapi>,
    providers: &'static str,
) -> strapi_login::Backend {
    configured_client(
        fake,
        Source {
            providers: Some(providers),
            ..Source::default()
        },
    )
}

#[wasm_bindgen_test]
async fn each_configured_provider_gets_a_button_that_remembers_where_to_return() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = mount(
        "/auth/login?redirect=%2Fdashboard%3Fx%3D1",
        with_providers(&fake, "github,my-idp"),
        &[],
    );
    wait_for("the form", || has_field("Password")).await;
    let github = link("Continue with GitHub").expect("a GitHub button");
    assert_eq!(
        github.get_attribute("href").as_deref(),
        Some("http://strapi.test/api/connect/github")
    );
    assert!(
        link("Continue with my-idp").is_some(),
        "an unknown key shows as given"
    );
    // Clicking would leave the page; the remembering happens first, on the click itself.
    let remember = web_sys::Event::new("click").unwrap();
    github.dispatch_event(&remember).unwrap();
    let kept = leptos::prelude::window()
        .session_storage()
        .unwrap()
        .unwrap()
        .get_item(strapi_login::providers::RETURN_KEY)
        .unwrap();
    // gloo-storage keeps it as JSON.
    assert_eq!(kept.as_deref(), Some(r#""/dashboard?x=1""#));
}

#[wasm_bindgen_test]
async fn no_providers_no_buttons() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;
    assert!(!document_text().contains("Continue with"));
}

#[wasm_bindgen_test]
async fn the_return_page_finishes_the_login_with_cookies_and_goes_where_the_person_was_going() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| {
        (route(request).starts_with("/auth/github/callback")).then(|| {
            Reply::json(
                200,
                &format!(
                    r#"{{"jwt":"{TOKEN}","user":{{"username":"octo","email":"octo@example.com"}}}}"#
                ),
            )
        })
    });
    leptos::prelude::window()
        .session_storage()
        .unwrap()
        .unwrap()
        .set_item(
            strapi_login::providers::RETURN_KEY,
            r#""/dashboard?from=github""#,
        )
        .unwrap();
    let _app = mount(
        "/connect/github/redirect?access_token=old-style",
        with_providers(&fake, "github"),
        &[],
    );
    wait_for("the dashboard", || path() == "/dashboard").await;
    wait_for("the address", || {
        path_and_query() == "/dashboard?from=github"
    })
    .await;

    let sent = fake.requests_to_prefix("/auth/github/callback");
    assert_eq!(sent.len(), 1);
    assert!(sent[0].cookies, "Strapi's session cookie must come along");
    assert_eq!(sent[0].method, Method::Get);
    assert!(
        sent[0]
            .url
            .ends_with("/auth/github/callback?access_token=old-style")
    );
    assert_eq!(stored_session_keys(), vec![("token", TOKEN.to_owned())]);
    assert!(document_text().contains("octo@example.com"));
}

#[wasm_bindgen_test]
async fn a_refusal_at_the_provider_is_shown_as_text_and_nothing_is_asked_or_stored() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = mount(
        "/connect/github/redirect?error=access_denied&error_description=%3Cimg%20src%3Dx%3E%20no",
        with_providers(&fake, "github"),
        &[],
    );
    wait_for("the alert", || alert().is_some()).await;
    assert!(
        alert().unwrap().contains("<img src=x> no"),
        "as text, not markup"
    );
    assert_eq!(path_and_query(), "/connect/github/redirect");
    assert!(fake.requests().is_empty());
    assert_eq!(stored_session_keys(), vec![]);
    assert!(link("Back to the login page").is_some());
}

#[wasm_bindgen_test]
async fn a_provider_the_page_does_not_name_is_refused_without_asking_strapi() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = mount(
        "/connect/evil/redirect",
        with_providers(&fake, "github"),
        &[],
    );
    wait_for("the alert", || alert().is_some()).await;
    assert!(alert().unwrap().contains("not offered here"));
    assert!(fake.requests().is_empty());
}
