//! The tokens a login yields, and how they are laid out in key-value storage for each Strapi JWT mode.

use std::fmt;

/// `localStorage` key of the JWT in Strapi's default "legacy" mode (`jwtManagement: 'legacy-support'`).
pub const KEY_TOKEN: &str = "token";
/// `localStorage` keys of the pair in Strapi's session mode (`jwtManagement: 'refresh'`).
pub const KEY_ACCESS_TOKEN: &str = "accessToken";
pub const KEY_REFRESH_TOKEN: &str = "refreshToken";

/// Every key a session is stored under; clearing a session removes all of them.
pub const ALL_KEYS: [&str; 3] = [KEY_TOKEN, KEY_ACCESS_TOKEN, KEY_REFRESH_TOKEN];

/// This app's own keys beside the session, shared by its tabs: how far the browser's clock is
/// from Strapi's (`expiry::Skew`, kept across sessions: it belongs to the clock), and how renewal
/// is paced (`pacing::Pacing`, removed with the session).
pub const KEY_CLOCK_SKEW: &str = "strapi-login:clock-skew";
pub const KEY_RENEWAL: &str = "strapi-login:renewal";

/// A bearer credential. Its `Debug` and `Display` never show the value, so a token cannot leak into a
/// log line or a panic message by accident; [`Token::expose`] is the one explicit way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Accepts what can travel in an `Authorization` header: non-empty, no whitespace or control
    /// characters, printable ASCII only. Anything else is not a token Strapi issued.
    pub fn new(value: impl Into<String>) -> Option<Self> {
        let value = value.into();
        let valid = !value.is_empty() && value.bytes().all(|b| b.is_ascii_graphic());
        valid.then_some(Self(value))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// A logged-in session, in the shape Strapi's JWT mode gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Session {
    /// Legacy mode: one long-lived JWT.
    Legacy { token: Token },
    /// Session-management mode: a short-lived access token and the refresh token that renews it.
    Refresh { access: Token, refresh: Token },
    /// Session-management mode with the refresh token in Strapi's httpOnly cookie, out of the app's
    /// reach: only the access token is kept.
    Cookie { access: Token },
}

impl Session {
    /// The token to send as `Authorization: Bearer …`.
    pub fn access_token(&self) -> &Token {
        match self {
            Session::Legacy { token } => token,
            Session::Refresh { access, .. } | Session::Cookie { access } => access,
        }
    }

    /// Whether Strapi can renew this session's access token (`POST /auth/refresh`).
    pub fn is_renewable(&self) -> bool {
        !matches!(self, Session::Legacy { .. })
    }

    /// What storage must hold for this session: every key of [`ALL_KEYS`] with its value, or `None`
    /// for a key to remove, so that the keys of the other mode never linger beside these.
    pub fn storage_entries(&self) -> [(&'static str, Option<&str>); 3] {
        match self {
            Session::Legacy { token } => [
                (KEY_TOKEN, Some(token.expose())),
                (KEY_ACCESS_TOKEN, None),
                (KEY_REFRESH_TOKEN, None),
            ],
            Session::Refresh { access, refresh } => [
                (KEY_TOKEN, None),
                (KEY_ACCESS_TOKEN, Some(access.expose())),
                (KEY_REFRESH_TOKEN, Some(refresh.expose())),
            ],
            Session::Cookie { access } => [
                (KEY_TOKEN, None),
                (KEY_ACCESS_TOKEN, Some(access.expose())),
                (KEY_REFRESH_TOKEN, None),
            ],
        }
    }

    /// Rebuilds a session from stored values. A complete refresh pair wins over a legacy token; a
    /// lone access token is a session only when the refresh token lives in a cookie
    /// (`cookie_refresh`); a value that is not a valid token is not a session.
    pub fn from_storage(
        get: impl Fn(&str) -> Option<String>,
        cookie_refresh: bool,
    ) -> Option<Self> {
        let token = |key| get(key).and_then(Token::new);
        match (token(KEY_ACCESS_TOKEN), token(KEY_REFRESH_TOKEN)) {
            (Some(access), Some(refresh)) => Some(Session::Refresh { access, refresh }),
            (Some(access), None) if cookie_refresh => Some(Session::Cookie { access }),
            _ => token(KEY_TOKEN).map(|token| Session::Legacy { token }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn token(s: &str) -> Token {
        Token::new(s).unwrap()
    }

    fn apply(store: &mut HashMap<String, String>, session: &Session) {
        for (key, value) in session.storage_entries() {
            match value {
                Some(v) => store.insert(key.to_owned(), v.to_owned()),
                None => store.remove(key),
            };
        }
    }

    #[test]
    fn legacy_session_stores_only_token() {
        let mut store = HashMap::new();
        apply(
            &mut store,
            &Session::Refresh {
                access: token("a"),
                refresh: token("r"),
            },
        );
        apply(&mut store, &Session::Legacy { token: token("j") });
        assert_eq!(store, HashMap::from([("token".to_owned(), "j".to_owned())]));
    }

    #[test]
    fn refresh_session_stores_the_pair_and_removes_token() {
        let mut store = HashMap::from([("token".to_owned(), "old".to_owned())]);
        apply(
            &mut store,
            &Session::Refresh {
                access: token("a"),
                refresh: token("r"),
            },
        );
        assert_eq!(
            store,
            HashMap::from([
                ("accessToken".to_owned(), "a".to_owned()),
                ("refreshToken".to_owned(), "r".to_owned()),
            ])
        );
    }

    #[test]
    fn sessions_round_trip_through_storage() {
        for session in [
            Session::Legacy { token: token("j") },
            Session::Refresh {
                access: token("a"),
                refresh: token("r"),
            },
        ] {
            let mut store = HashMap::new();
            apply(&mut store, &session);
            assert_eq!(
                Session::from_storage(|k| store.get(k).cloned(), false),
                Some(session)
            );
        }
    }

    #[test]
    fn half_pairs_and_garbage_are_not_sessions() {
        let cases: [&[(&str, &str)]; 4] = [
            &[],
            &[("accessToken", "a")],
            &[("token", "")],
            &[("token", "has space")],
        ];
        for entries in cases {
            let store: HashMap<_, _> = entries.iter().copied().collect();
            assert_eq!(
                Session::from_storage(|k| store.get(k).map(|v| v.to_string()), false),
                None,
                "{entries:?}"
            );
        }
    }

    #[test]
    fn cookie_sessions_keep_only_the_access_token() {
        let mut store = HashMap::from([("refreshToken".to_owned(), "old".to_owned())]);
        let session = Session::Cookie { access: token("a") };
        apply(&mut store, &session);
        assert_eq!(
            store,
            HashMap::from([("accessToken".to_owned(), "a".to_owned())])
        );
        let get = |k: &str| store.get(k).cloned();
        assert_eq!(Session::from_storage(get, true), Some(session));
        assert_eq!(
            Session::from_storage(get, false),
            None,
            "half a refresh pair"
        );
    }

    #[test]
    fn tokens_reject_values_that_cannot_be_a_bearer_credential() {
        for bad in ["", " ", "a b", "a\nb", "é", "a\u{0}"] {
            assert!(Token::new(bad).is_none(), "{bad:?}");
        }
        assert!(Token::new("eyJ.a-b_c.d").is_some());
    }

    #[test]
    fn debug_output_never_shows_a_token() {
        let session = Session::Refresh {
            access: token("secret-access"),
            refresh: token("secret-refresh"),
        };
        let shown = format!("{session:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("redacted"));
    }
}
