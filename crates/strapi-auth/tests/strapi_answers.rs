//! Every answer recorded from a real Strapi 5.54.0 is understood the way a person needs it: sessions
//! from logins, the user from `/users/me`, a kind and Strapi's own words for every error.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::fs;
use std::path::Path;

use strapi_auth::{Error, ErrorKind, Field, Session, User, answers, confirmation, passkeys};
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

/// Strapi's own message, as it sent it (empty without its envelope).
fn message(error: &Error) -> &str {
    match error {
        Error::Strapi { message, .. } => message,
        _ => "",
    }
}

fn field_message(error: &Error, field: Field) -> Option<&str> {
    error.field(field).map(|e| e.message.as_str())
}

fn login(file: &str, name: &str) -> Result<Session, Error> {
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
        let user =
            answers::login_user::<User>(&e.body).unwrap_or_else(|| panic!("{name}: no user"));
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
        assert_eq!(answers::login_user::<User>(body), None, "{body}");
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
fn wrong_password_and_unknown_user_are_invalid_credentials() {
    for name in ["login-wrong-password", "login-unknown-email"] {
        let err = login("legacy-login.txt", name).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidCredentials, "{name}");
        assert_eq!(message(&err), "Invalid identifier or password", "{name}");
        assert_eq!(err.status(), Some(400));
    }
}

#[test]
fn missing_fields_come_with_a_message_per_field() {
    let err = login("legacy-login.txt", "login-empty-json").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(message(&err), "2 errors occurred");
    assert_eq!(
        field_message(&err, Field::Identifier),
        Some("identifier is a required field")
    );
    assert_eq!(
        field_message(&err, Field::Password),
        Some("password is a required field")
    );

    let err = login("legacy-login.txt", "login-missing-identifier").unwrap_err();
    assert!(field_message(&err, Field::Identifier).is_some());
    assert_eq!(field_message(&err, Field::Password), None);
}

#[test]
fn a_rate_limit_is_its_own_kind() {
    let err = login("legacy-ratelimit.txt", "login-wrong-3").unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(message(&err), "Too many requests, please try again later.");
}

#[test]
fn server_errors_keep_strapis_words() {
    let err = login("legacy-misc.txt", "login-no-body-no-ct").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert_eq!(message(&err), "Internal Server Error");
}

#[test]
fn users_me_gives_username_and_email() {
    let e = exchange("legacy-misc.txt", "me-with-jwt");
    let user: User = answers::me(e.status, &e.body).unwrap();
    assert_eq!(
        (user.username.as_str(), user.email.as_str()),
        ("test", "test@example.com")
    );
}

#[test]
fn users_me_with_a_bad_token_is_a_401() {
    let e = exchange("legacy-misc.txt", "me-bad-jwt");
    let err = answers::me::<User>(e.status, &e.body).unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
}

/// Whatever Strapi answered, parsing ends in a session or an error of a kind an app can word.
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
                // A success without tokens (a sign-up to confirm, a list) is unexpected for a
                // login; a refusal always has a kind of its own.
                Err(err) => assert!(
                    err.kind() != ErrorKind::UnexpectedAnswer || (200..300).contains(&e.status),
                    "{}",
                    e.name
                ),
            }
        }
    }
    assert!(seen >= 50, "only {seen} exchanges read");
}

// The account flows (the repository's tests/fixtures/record-account-flows.mjs records them from
// real servers).

fn account(name: &str) -> Exchange {
    exchange("account-flows.txt", name)
}

#[test]
fn sign_up_with_email_confirmation_on_logs_nobody_in() {
    let e = account("register-confirmation-on");
    assert_eq!(
        answers::registered(e.status, &e.body, false),
        Ok(answers::Registered::ConfirmEmail)
    );
}

#[test]
fn sign_up_without_confirmation_is_a_login_in_every_mode() {
    let e = exchange("register.txt", "register");
    assert!(matches!(
        answers::registered(e.status, &e.body, false),
        Ok(answers::Registered::LoggedIn(Session::Legacy { .. }))
    ));
    // Strapi puts the refresh token in the body even when asked for its cookie: the app then
    // has a pair to hand over (Auth::sign_in), not a cookie session.
    for name in ["register-refresh-mode", "register-cookie-mode"] {
        let e = account(name);
        assert!(
            matches!(
                answers::registered(e.status, &e.body, true),
                Ok(answers::Registered::LoggedIn(Session::Refresh { .. }))
            ),
            "{name}"
        );
    }
}

#[test]
fn sign_up_refusals_have_their_kinds_and_fields() {
    for (name, kind, says) in [
        (
            "register-duplicate",
            ErrorKind::UsernameOrEmailTaken,
            "Email or Username are already taken",
        ),
        (
            "register-closed",
            ErrorKind::RegistrationClosed,
            "Register action is currently disabled",
        ),
        (
            "register-extra-key",
            ErrorKind::Refused,
            "Invalid parameters: deviceId",
        ),
        (
            "register-password-too-long",
            ErrorKind::PasswordTooLong,
            "Password must be less than 73 bytes",
        ),
    ] {
        let e = account(name);
        let err = answers::registered(e.status, &e.body, false).unwrap_err();
        assert_eq!((err.kind(), message(&err)), (kind, says), "{name}");
    }
    let e = account("register-several-errors");
    let err = answers::registered(e.status, &e.body, false).unwrap_err();
    for field in [Field::Username, Field::Email, Field::Password] {
        assert!(field_message(&err, field).is_some(), "{field:?}");
    }
}

#[test]
fn an_unconfirmed_login_says_why() {
    let e = account("login-unconfirmed");
    let err = answers::login(e.status, &e.body, false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::EmailNotConfirmed);
}

#[test]
fn mail_requests_succeed_alike_for_known_and_unknown_addresses() {
    for name in [
        "forgot-password",
        "forgot-password-unknown",
        "send-email-confirmation",
    ] {
        let e = account(name);
        assert_eq!(answers::accepted(e.status, &e.body), Ok(()), "{name}");
    }
    for (name, status) in [
        ("forgot-password-mail-down", 500),
        ("forgot-password-rate-limited", 429),
        ("forgot-password-bad-email", 400),
        ("send-email-confirmation-already-confirmed", 400),
    ] {
        let e = account(name);
        let err = answers::accepted(e.status, &e.body).unwrap_err();
        assert_eq!(err.status(), Some(status), "{name}");
    }
}

#[test]
fn a_reset_logs_in_and_its_refusals_have_their_kinds() {
    let e = account("reset-password");
    assert!(matches!(
        answers::login(e.status, &e.body, false),
        Ok(Session::Legacy { .. })
    ));
    let e = account("reset-password-refresh-mode");
    assert!(matches!(
        answers::login(e.status, &e.body, true),
        Ok(Session::Refresh { .. })
    ));
    let err = login("account-flows.txt", "reset-password-bad-code").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IncorrectCode);
    let err = login("account-flows.txt", "reset-password-mismatch").unwrap_err();
    assert_eq!(
        field_message(&err, Field::PasswordConfirmation),
        Some("Passwords do not match")
    );
}

#[test]
fn a_refresh_token_moves_into_the_cookie_once_a_stale_cookie_is_cleared() {
    let e = account("refresh-body-token-with-stale-cookie");
    assert_eq!(
        answers::moved_to_cookie(e.status, &e.body)
            .unwrap_err()
            .status(),
        Some(401)
    );
    let e = account("logout-clearing-the-cookie");
    assert_eq!(answers::accepted(e.status, &e.body), Ok(()));
    let e = account("refresh-body-token-without-cookie");
    assert!(matches!(
        answers::moved_to_cookie(e.status, &e.body),
        Ok(Session::Cookie { .. })
    ));
}

#[test]
fn the_session_list_names_each_device_and_marks_this_one() {
    let e = account("sessions");
    let list = answers::sessions(e.status, &e.body).unwrap();
    assert_eq!(list.len(), 3);
    assert!(list[0].current, "Strapi lists this browser first");
    assert_eq!(list[0].device.as_deref(), Some("Chrome on Linux"));
    assert_eq!(list[1].device.as_deref(), Some("Safari on iOS"));
    assert_eq!(
        list[2].device, None,
        "the sign-up's session has no user agent"
    );
    assert!(list.iter().filter(|s| s.current).count() == 1);
    assert!(list.iter().all(|s| s.logged_in_at.is_some()));
}

#[test]
fn a_session_list_with_hostile_entries_keeps_only_what_can_be_shown() {
    let body = r#"{"data":[
        {"id":"../../users/me","current":false},
        {"id":"abc","deviceName":"<b>x</b>\u0000y","current":true},
        {"id":""}]}"#;
    let list = answers::sessions(200, body).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id.as_str(), "abc");
    assert_eq!(list[0].device.as_deref(), Some("<b>x</b>y"));
    assert_eq!(answers::sessions(200, "[]"), Err(Error::UnexpectedAnswer));
    let e = account("sessions-in-legacy-mode");
    assert_eq!(
        answers::sessions(e.status, &e.body).unwrap_err().status(),
        Some(404)
    );
}

#[test]
fn ending_a_session_succeeds_once() {
    let e = account("session-end");
    assert_eq!(answers::accepted(e.status, &e.body), Ok(()));
    let e = account("session-end-unknown");
    let err = answers::accepted(e.status, &e.body).unwrap_err();
    assert_eq!(
        (err.kind(), message(&err)),
        (ErrorKind::Refused, "Session not found")
    );
    let e = account("refresh-after-session-ended");
    assert_eq!(
        answers::login(e.status, &e.body, false)
            .unwrap_err()
            .status(),
        Some(401)
    );
}

#[test]
fn a_password_change_yields_new_tokens_and_its_refusals_have_their_kinds() {
    let e = account("change-password-refresh-mode");
    assert!(matches!(
        answers::login(e.status, &e.body, false),
        Ok(Session::Refresh { .. })
    ));
    let e = account("change-password-legacy-mode");
    assert!(matches!(
        answers::login(e.status, &e.body, false),
        Ok(Session::Legacy { .. })
    ));
    for (name, kind) in [
        (
            "change-password-wrong-current",
            ErrorKind::IncorrectCurrentPassword,
        ),
        ("change-password-same", ErrorKind::SamePassword),
        ("change-password-mismatch", ErrorKind::PasswordsDoNotMatch),
        ("change-password-without-token", ErrorKind::Refused),
    ] {
        let e = account(name);
        let err = answers::login(e.status, &e.body, false).unwrap_err();
        assert_eq!(err.kind(), kind, "{name}");
    }
    let e = account("refresh-with-token-from-before-the-change");
    assert_eq!(
        answers::login(e.status, &e.body, false)
            .unwrap_err()
            .status(),
        Some(401)
    );
}

// "Confirm it's you" of strapi-plugin-passkeys 0.2 (the repository's
// tests/fixtures/record-confirmation.mjs records them from a real server).

fn confirming(name: &str) -> Exchange {
    exchange("passkeys-confirmation.txt", name)
}

#[test]
fn a_confirmation_is_issued_for_the_right_password_and_refused_for_a_wrong_one() {
    let e = confirming("confirmation-methods");
    assert_eq!(
        confirmation::methods(e.status, &e.body),
        Ok(strapi_auth::ConfirmationMethods::new(true, false, None))
    );
    let e = confirming("confirmation-password");
    let issued = confirmation::confirmation(e.status, &e.body).unwrap();
    assert_eq!(issued.expose().len(), 43, "32 random bytes, base64url");
    assert!(
        issued.expires_at_ms().is_some(),
        "{:?}",
        issued.expires_at()
    );
    let e = confirming("confirmation-wrong-password");
    let err = confirmation::confirmation(e.status, &e.body).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IncorrectCurrentPassword);
    assert_eq!(message(&err), "The provided current password is invalid");
}

#[test]
fn passkey_changes_without_a_good_confirmation_are_refused_as_such() {
    for name in [
        "registration-options-unconfirmed",
        "remove-all-made-up-confirmation",
        "remove-all-confirmation-from-before-the-reset",
    ] {
        let e = confirming(name);
        assert_eq!(e.status, 403, "{name}");
        let err = passkeys::options(e.status, &e.body).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConfirmationRequired, "{name}");
        assert_eq!(
            confirmation::removed_count(e.status, &e.body)
                .unwrap_err()
                .kind(),
            ErrorKind::ConfirmationRequired,
            "{name}"
        );
    }
    let e = confirming("registration-options-confirmed");
    assert!(passkeys::options(e.status, &e.body).is_ok());
}

#[test]
fn removals_signals_and_a_person_without_passkeys() {
    let e = confirming("remove-all");
    assert_eq!(confirmation::removed_count(e.status, &e.body), Ok(0));
    let e = confirming("remove-all-with-the-resets-confirmation");
    assert_eq!(confirmation::removed_count(e.status, &e.body), Ok(0));
    let e = confirming("remove-unknown");
    assert_eq!(
        answers::accepted(e.status, &e.body).unwrap_err().kind(),
        ErrorKind::PasskeyNotFound
    );
    let e = confirming("confirmation-passkey-options-none");
    assert_eq!(
        passkeys::options(e.status, &e.body).unwrap_err().kind(),
        ErrorKind::PasskeyNotFound
    );
    let e = confirming("signals-none");
    let signals = passkeys::signals(e.status, &e.body).unwrap();
    assert_eq!(signals.rp_id, "localhost");
    assert_eq!(signals.user_id, None, "no passkey yet, no user handle");
    assert!(signals.credential_ids.is_empty());
}

#[test]
fn a_reset_carries_a_confirmation_and_a_password_login_none() {
    let e = confirming("reset-password-carries-a-confirmation");
    assert!(answers::login(e.status, &e.body, false).is_ok());
    let carried = confirmation::carried(&e.body).expect("a reset's confirmation");
    assert_eq!(carried.expose().len(), 43);
    let e = confirming("login-carries-no-confirmation");
    assert!(answers::login(e.status, &e.body, false).is_ok());
    assert_eq!(confirmation::carried(&e.body), None);
}
