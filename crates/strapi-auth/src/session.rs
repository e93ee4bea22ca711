//! The tokens a login yields, and how they are laid out in key-value storage for each Strapi JWT mode.

use std::fmt;

/// Where a session is kept in key-value storage (`localStorage` in a browser). The default is what
/// Strapi's documentation uses, so other Strapi clients on the same origin find the same session.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StorageKeys {
    /// The JWT of Strapi's default "legacy" mode (`jwtManagement: 'legacy-support'`): `token`.
    pub token: String,
    /// The access token of Strapi's session mode (`jwtManagement: 'refresh'`): `accessToken`.
    pub access_token: String,
    /// The refresh token of session mode, unless it lives in Strapi's httpOnly cookie: `refreshToken`.
    pub refresh_token: String,
    /// How far the browser's clock is from Strapi's ([`crate::expiry::Skew`]), kept across
    /// sessions (it belongs to the clock): `strapi-auth:clock-skew`.
    pub clock_skew: String,
    /// The record of recent renewal attempts ([`crate::pacing::Pacing`]), removed with the
    /// session: `strapi-auth:renewal`.
    pub renewal: String,
}

impl Default for StorageKeys {
    fn default() -> Self {
        Self {
            token: "token".into(),
            access_token: "accessToken".into(),
            refresh_token: "refreshToken".into(),
            clock_skew: "strapi-auth:clock-skew".into(),
            renewal: "strapi-auth:renewal".into(),
        }
    }
}

impl StorageKeys {
    /// The keys a session's tokens are stored under; signing out removes all of them.
    pub fn session_keys(&self) -> [&str; 3] {
        [&self.token, &self.access_token, &self.refresh_token]
    }
}

/// A bearer credential. Its `Debug` never shows the value (and it has no `Display`), so a token
/// cannot leak into a log line or a panic message by accident; [`Token::expose`] is the one explicit way to read it.
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

    /// The token itself, to send or to store.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// A signed-in session, in the shape Strapi's JWT mode gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Session {
    /// Legacy mode: one long-lived JWT.
    Legacy {
        /// The JWT, sent as the bearer token.
        token: Token,
    },
    /// Session-management mode: a short-lived access token and the refresh token that renews it.
    Refresh {
        /// The short-lived access token, sent as the bearer token.
        access: Token,
        /// The refresh token, sent to `POST /auth/refresh` (and to `/auth/logout` to revoke it).
        refresh: Token,
    },
    /// Session-management mode with the refresh token in Strapi's httpOnly cookie, out of the
    /// client's reach: only the access token is kept.
    Cookie {
        /// The short-lived access token, sent as the bearer token.
        access: Token,
    },
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

    /// What storage must hold for this session: every one of the [session
    /// keys](StorageKeys::session_keys) with its value, or `None` for a key to remove, so that the
    /// keys of another mode never linger beside these.
    pub fn storage_entries<'a>(&'a self, keys: &'a StorageKeys) -> [(&'a str, Option<&'a str>); 3] {
        let (token, access, refresh) = match self {
            Session::Legacy { token } => (Some(token), None, None),
            Session::Refresh { access, refresh } => (None, Some(access), Some(refresh)),
            Session::Cookie { access } => (None, Some(access), None),
        };
        [
            (&keys.token, token.map(Token::expose)),
            (&keys.access_token, access.map(Token::expose)),
            (&keys.refresh_token, refresh.map(Token::expose)),
        ]
    }

    /// Rebuilds a session from stored values. A complete refresh pair wins over a legacy token; a
    /// lone access token is a session only when the refresh token lives in a cookie
    /// (`cookie_refresh`); a value that is not a valid token is not a session.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use strapi_auth::session::{Session, StorageKeys};
    ///
    /// let stored = HashMap::from([("accessToken", "a.b.c"), ("refreshToken", "r.s.t")]);
    /// let get = |key: &str| stored.get(key).map(|v| v.to_string());
    /// let session = Session::from_storage(get, &StorageKeys::default(), false).unwrap();
    /// assert!(session.is_renewable());
    /// assert_eq!(session.access_token().expose(), "a.b.c");
    /// ```
    pub fn from_storage(
        get: impl Fn(&str) -> Option<String>,
        keys: &StorageKeys,
        cookie_refresh: bool,
    ) -> Option<Self> {
        let token = |key: &str| get(key).and_then(Token::new);
        match (token(&keys.access_token), token(&keys.refresh_token)) {
            (Some(access), Some(refresh)) => Some(Session::Refresh { access, refresh }),
            (Some(access), None) if cookie_refresh => Some(Session::Cookie { access }),
            _ => token(&keys.token).map(|token| Session::Legacy { token }),
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
        for (key, value) in session.storage_entries(&StorageKeys::default()) {
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
                Session::from_storage(|k| store.get(k).cloned(), &StorageKeys::default(), false),
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
                Session::from_storage(
                    |k| store.get(k).map(|v| v.to_string()),
                    &StorageKeys::default(),
                    false
                ),
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
        assert_eq!(
            Session::from_storage(get, &StorageKeys::default(), true),
            Some(session)
        );
        assert_eq!(
            Session::from_storage(get, &StorageKeys::default(), false),
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
