//! Every answer recorded from a real Strapi 5.54.0 is understood the way a person needs it: sessions
//! from logins, the user from `/users/me`, Strapi's own words for every error.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::fs;
use std::path::Path;

use strapi_login::session::Session;
use strapi_login::strapi::{ApiError, Field, answers};
use support::exchanges::{self, Exchange};

fn fixture(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/strapi-5.54.0")
        .join(file);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn exchange(file: &str, name: &str) -> Exchange {
    exchanges::find(&fixture(file), name)
}

fn login(file: &str, name: &str) -> Result<Session, ApiError> {
    let e = exchange(file, name);
    answers::login(e.status, &e.body, false)
}

#[test]
fn legacy_login_yields_the_jwt_alone() {
    let e = exchange("legacy-login.txt", "login-good");
    let Ok(Session::Legacy { token }) = answers::login(e.status, &e.body, false) else {
        panic!("expected a legacy session");
    };
    assert!(e.body.contains(&format!(r#""jwt":"{}""#, token.expose())));
}

#[test]
fn refresh_mode_login_yields_the_pair() {
    let e = exchange("refresh-1.txt", "R-login-good");
    let Ok(Session::Refresh { access, refresh }) = answers::login(e.status, &e.body, false) else {
        panic!("expected a refresh session");
    };
    assert!(e.body.contains(&format!(r#""jwt":"{}""#, access.expose())));
    assert!(
        e.body
            .contains(&format!(r#""refreshToken":"{}""#, refresh.expose()))
    );
}

#[test]
fn every_mode_names_the_user_in_its_login_answer() {
    for (file, name) in [
        ("legacy-login.txt", "login-good"),
        ("refresh-1.txt", "R-login-good"),
        ("cookie.txt", "C-login-cookie-mode"),
    ] {
        let e = exchange(file, name);
        let user = answers::login_user(&e.body).unwrap_or_else(|| panic!("{name}: no user"));
        assert_eq!(user.username, "test", "{name}");
        assert_eq!(user.email, "test@example.com", "{name}");
    }
}

#[test]
fn a_login_answer_without_a_usable_user_leaves_it_unknown() {
    for body in [
        r#"{"jwt":"a.b.c"}"#,
        r#"{"jwt":"a.b.c","user":{}}"#,
        r#"{"jwt":"a.b.c","user":null}"#,
        r#"{"jwt":"a.b.c","user":{"username":42}}"#,
        r#"{"jwt":"a.b.c","user":["test"]}"#,
    ] {
        assert_eq!(answers::login_user(body), None, "{body}");
        assert!(
            answers::login(200, body, false).is_ok(),
            "{body}: still a login"
        );
    }
}

#[test]
fn cookie_mode_login_has_no_refresh_token_in_the_body() {
    assert!(matches!(
        login("cookie.txt", "C-login-cookie-mode"),
        Ok(Session::Legacy { .. })
    ));
}

#[test]
fn wrong_password_and_unknown_user_show_strapis_message() {
    for name in ["login-wrong-password", "login-unknown-email"] {
        let err = login("legacy-login.txt", name).unwrap_err();
        assert_eq!(err.to_string(), "Invalid identifier or password", "{name}");
        assert_eq!(err.status(), Some(400));
    }
}

#[test]
fn missing_fields_come_with_a_message_per_field() {
    let err = login("legacy-login.txt", "login-empty-json").unwrap_err();
    assert_eq!(err.to_string(), "2 errors occurred");
    assert_eq!(
        err.field_message(Field::Identifier),
        Some("identifier is a required field")
    );
    assert_eq!(
        err.field_message(Field::Password),
        Some("password is a required field")
    );

    let err = login("legacy-login.txt", "login-missing-identifier").unwrap_err();
    assert!(err.field_message(Field::Identifier).is_some());
    assert_eq!(err.field_message(Field::Password), None);
}

#[test]
fn rate_limit_shows_strapis_message() {
    let err = login("legacy-ratelimit.txt", "login-wrong-3").unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(
        err.to_string(),
        "Too many requests, please try again later."
    );
}

#[test]
fn server_errors_keep_strapis_words_and_ask_to_retry() {
    let shown = login("legacy-misc.txt", "login-no-body-no-ct")
        .unwrap_err()
        .to_string();
    assert!(shown.contains("Internal Server Error"), "{shown}");
    assert!(shown.contains("try again"), "{shown}");
}

#[test]
fn users_me_gives_username_and_email() {
    let e = exchange("legacy-misc.txt", "me-with-jwt");
    let user = answers::me(e.status, &e.body).unwrap();
    assert_eq!(
        (user.username.as_str(), user.email.as_str()),
        ("test", "test@example.com")
    );
}

#[test]
fn users_me_with_a_bad_token_is_a_401() {
    let e = exchange("legacy-misc.txt", "me-bad-jwt");
    let err = answers::me(e.status, &e.body).unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.to_string(), "Missing or invalid credentials");
}

/// Whatever Strapi answered, parsing ends in a session or an error whose message is not empty.
#[test]
fn every_recorded_answer_parses_to_a_session_or_a_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/strapi-5.54.0");
    let mut seen = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        for e in exchanges::parse(&text) {
            seen += 1;
            match answers::login(e.status, &e.body, false) {
                Ok(_) => assert!(e.body.contains("\"jwt\""), "{}", e.name),
                Err(err) => assert!(!err.to_string().is_empty(), "{}", e.name),
            }
        }
    }
    assert!(seen >= 50, "only {seen} exchanges read");
}
