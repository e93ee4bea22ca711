//! Property tests: whatever bytes or JSON a server (or a crafted link) sends, the parsers never
//! panic, they always end in a session or an error, and a redirect target never leaves the app.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::Value;
use strapi_auth::{Session, Token, User, answers, confirmation, jwt, passkeys, redirect};

/// Any JSON document, nested a few levels, with Strapi's own keys likely to appear.
fn json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("jwt".to_owned()),
        Just("refreshToken".to_owned()),
        Just("user".to_owned()),
        Just("username".to_owned()),
        Just("email".to_owned()),
        Just("error".to_owned()),
        Just("message".to_owned()),
        Just("details".to_owned()),
        Just("errors".to_owned()),
        Just("path".to_owned()),
        Just("confirmation".to_owned()),
        Just("expiresAt".to_owned()),
        Just("password".to_owned()),
        Just("passkey".to_owned()),
        Just("provider".to_owned()),
        Just("removed".to_owned()),
        Just("rpId".to_owned()),
        Just("userId".to_owned()),
        Just("credentialIds".to_owned()),
        Just("challenge".to_owned()),
        Just("id".to_owned()),
        ".{0,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
        "[A-Za-z0-9._-]{1,40}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn check_every_parser(status: u16, body: &str) {
    match answers::login(status, body, false) {
        Ok(session) => {
            assert!((200..300).contains(&status));
            assert!(body.contains("jwt"));
            assert!(!session.access_token().expose().is_empty());
        }
        Err(error) => assert!(!error.to_string().trim().is_empty()),
    }
    let _ = answers::login(status, body, true);
    let _ = answers::me::<User>(status, body);
    if let Some(user) = answers::login_user::<User>(body) {
        assert!(body.contains("user"));
        assert!(body.contains(&user.username) || user.username.is_empty() || body.contains('\\'));
    }
    if answers::accepted(status, body).is_ok() {
        assert!((200..300).contains(&status));
    }
    match answers::registered(status, body, false) {
        Ok(answers::Registered::ConfirmEmail) => {
            assert!((200..300).contains(&status) && !body.contains("\"jwt\":\""));
        }
        Ok(answers::Registered::LoggedIn(session)) => {
            assert!(!session.access_token().expose().is_empty());
        }
        Err(error) => assert!(!error.to_string().trim().is_empty()),
    }
    if let Ok(list) = answers::sessions(status, body) {
        assert!((200..300).contains(&status));
        assert!(list.iter().all(|s| !s.id.as_str().contains('/')));
    }
    if let Ok(session) = answers::moved_to_cookie(status, body) {
        assert!(matches!(session, Session::Cookie { .. }));
    }
    let previous = Session::Refresh {
        access: Token::new("a").unwrap(),
        refresh: Token::new("r").unwrap(),
    };
    if let Err(error) = answers::refreshed(status, body, &previous) {
        assert!(!error.to_string().trim().is_empty());
    }
    if let Ok(confirmation) = confirmation::confirmation(status, body) {
        assert!((200..300).contains(&status));
        assert!(body.contains(confirmation.expose()) || body.contains('\\'));
        assert!(format!("{confirmation:?}").contains("<redacted>"));
    }
    if let Some(carried) = confirmation::carried(body) {
        assert!(body.contains("confirmation"));
        assert!(!carried.expose().is_empty());
    }
    if let Ok(methods) = confirmation::methods(status, body) {
        assert!(methods.provider.iter().all(|p| !p.contains('/')));
    }
    let _ = confirmation::removed_count(status, body);
    if let Ok(signals) = passkeys::signals(status, body) {
        assert!(!signals.rp_id.is_empty() && !signals.rp_id.contains(' '));
    }
    if let Ok(options) = passkeys::options(status, body) {
        assert!((200..300).contains(&status) && !options.as_json().is_empty());
    }
    let _ = passkeys::passkeys(status, body);
    let _ = passkeys::passkey(status, body);
    let shown = answers::error(status, body).to_string();
    assert!(shown.chars().count() <= 400, "{shown}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(status in any::<u16>(), bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_every_parser(status, &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_json_never_panics(status in prop_oneof![Just(200u16), Just(400), Just(401), Just(429), Just(500), any::<u16>()], value in json()) {
        check_every_parser(status, &value.to_string());
    }

    #[test]
    fn arbitrary_envelopes_keep_the_message_short(message in ".{0,2000}", status in 400u16..600) {
        let body = serde_json::json!({"data": null, "error": {"status": status, "message": message}}).to_string();
        let shown = answers::error(status, &body).to_string();
        prop_assert!(shown.chars().count() <= 400);
        prop_assert!(!shown.chars().any(char::is_control));
    }

    #[test]
    fn arbitrary_tokens_never_panic(token in ".{0,300}") {
        let _ = jwt::lifetime(&token);
        let _ = Token::new(token);
    }

    #[test]
    fn every_redirect_target_stays_on_this_origin(target in ".{0,80}") {
        if let Some(chosen) = redirect::safe_target(&target, &["/auth/login"]) {
            prop_assert!(chosen.starts_with('/'));
            prop_assert!(!chosen.starts_with("//") && !chosen.starts_with("/\\"));
            prop_assert!(!chosen.contains('\\'));
            prop_assert_eq!(chosen, target.as_str());
        }
    }
}
