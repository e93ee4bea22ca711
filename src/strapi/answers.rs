//! Turning Strapi's HTTP answers (status and body text) into sessions, users and errors.
//!
//! Pure functions: no browser, no I/O, so every answer Strapi can give is tested natively.

use super::error::{ApiError, Field, FieldError};
use crate::json::Json;
use crate::session::{Session, Token};

/// Strapi's messages are shown to people; a hostile or broken server must not fill the page.
const MAX_MESSAGE_CHARS: usize = 300;

/// The person `GET /users/me` describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub email: String,
}

impl User {
    /// The name the person most likely logs in with (what a password manager keeps their
    /// password under): the email address, else the username.
    pub fn login_name(&self) -> String {
        if self.email.is_empty() {
            self.username.clone()
        } else {
            self.email.clone()
        }
    }

    /// `{username, email?, …}`: an object with a string `username`; `email` missing is empty.
    fn from_json(value: &Json) -> Option<Self> {
        if !value.is_object() {
            return None;
        }
        Some(User {
            username: value.get("username")?.as_str()?.to_owned(),
            email: match value.get("email") {
                None => String::new(),
                Some(email) => email.as_str()?.to_owned(),
            },
        })
    }
}

/// One place the person is signed in (a Strapi session), as `GET /auth/sessions` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub id: SessionId,
    /// What Strapi made of the browser's user agent ("Chrome on Linux"), if anything.
    pub device: Option<String>,
    /// When the person logged in there, and when the session was last renewed (ISO 8601).
    pub logged_in_at: Option<String>,
    pub last_active_at: Option<String>,
    /// The session of the token that asked: this browser.
    pub current: bool,
}

/// A session's id, as Strapi issued it: safe to put in a URL path (letters, digits, `-`, `_`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionId(String);

impl SessionId {
    pub fn new(id: &str) -> Option<Self> {
        let safe = !id.is_empty()
            && id.len() <= 128
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        safe.then(|| Self(id.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `GET /auth/sessions`: `{data: [{id, deviceId, deviceName?, current, loginAt?, lastActiveAt?}]}`.
/// An entry whose id could not be sent back in a URL is left out; texts are clipped.
pub fn sessions(status: u16, body: &str) -> Result<Vec<SignedIn>, ApiError> {
    if !is_success(status) {
        return Err(error(status, body));
    }
    let answer = object(body)?;
    let entries = answer
        .get("data")
        .and_then(Json::as_array)
        .ok_or(ApiError::UnexpectedAnswer)?;
    // `None`: not a session entry (the whole answer is then unexpected); `Some(None)`: an entry
    // whose id could not be sent back in a URL, left out.
    let entry = |entry: &Json| -> Option<Option<SignedIn>> {
        if !entry.is_object() {
            return None;
        }
        let text = |key| -> Option<Option<String>> {
            Some(
                entry
                    .optional_str(key)?
                    .map(|v| clip(v.trim()))
                    .filter(|v| !v.is_empty()),
            )
        };
        let current = match entry.get("current") {
            None => false,
            Some(current) => current.as_bool()?,
        };
        let id = entry.get("id").and_then(Json::as_str)?;
        let signed_in = SignedIn {
            device: text("deviceName")?,
            logged_in_at: text("loginAt")?,
            last_active_at: text("lastActiveAt")?,
            current,
            id: match SessionId::new(id) {
                Some(id) => id,
                None => return Some(None),
            },
        };
        Some(Some(signed_in))
    };
    let listed: Option<Vec<_>> = entries.iter().map(entry).collect();
    Ok(listed
        .ok_or(ApiError::UnexpectedAnswer)?
        .into_iter()
        .flatten()
        .collect())
}

/// `POST /auth/local`: `{jwt, refreshToken?, user}`. A refresh token in the body means Strapi's
/// session mode; without one it is the legacy mode, or, when the app is configured for it
/// (`cookie_refresh`), session mode with the refresh token in Strapi's httpOnly cookie.
pub fn login(status: u16, body: &str, cookie_refresh: bool) -> Result<Session, ApiError> {
    let (access, refresh) = tokens(status, body)?;
    Ok(match refresh {
        Some(refresh) => Session::Refresh { access, refresh },
        None if cookie_refresh => Session::Cookie { access },
        None => Session::Legacy { token: access },
    })
}

/// The `user` that `POST /auth/local` sends with the tokens, when it is one the dashboard can show
/// (so it need not ask `GET /users/me` right after logging in).
pub fn login_user(body: &str) -> Option<User> {
    User::from_json(object(body).ok()?.get("user")?)
}

/// What `POST /auth/local/register` led to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Registered {
    /// `{jwt, refreshToken?, user}`: signed up and logged in, as after a login.
    LoggedIn(Session),
    /// `{user}` alone: Strapi's email confirmation is on; the person must confirm before logging in.
    ConfirmEmail,
}

/// `POST /auth/local/register`: a login answer, or `{user}` without tokens when the new account
/// must confirm its email first.
pub fn registered(status: u16, body: &str, cookie_refresh: bool) -> Result<Registered, ApiError> {
    let without_jwt = |answer: Json| matches!(answer.get("jwt"), None | Some(Json::Null));
    if is_success(status) && object(body).is_ok_and(without_jwt) {
        return login_user(body)
            .map(|_| Registered::ConfirmEmail)
            .ok_or(ApiError::UnexpectedAnswer);
    }
    login(status, body, cookie_refresh).map(Registered::LoggedIn)
}

/// `POST /auth/refresh` with the refresh token in the body, in cookie mode: `{jwt}`, the refresh
/// token now in Strapi's httpOnly cookie, out of the app's reach.
pub fn moved_to_cookie(status: u16, body: &str) -> Result<Session, ApiError> {
    match tokens(status, body)? {
        (access, None) => Ok(Session::Cookie { access }),
        (_, Some(_)) => Err(ApiError::UnexpectedAnswer),
    }
}

/// `POST /auth/refresh`: `{jwt, refreshToken}` (or `{jwt}` in cookie mode), replacing `previous`.
pub fn refreshed(status: u16, body: &str, previous: &Session) -> Result<Session, ApiError> {
    let (access, refresh) = tokens(status, body)?;
    match (previous, refresh) {
        (Session::Refresh { .. }, Some(refresh)) => Ok(Session::Refresh { access, refresh }),
        (Session::Cookie { .. }, None) => Ok(Session::Cookie { access }),
        _ => Err(ApiError::UnexpectedAnswer),
    }
}

/// An answer whose body does not matter, only that it succeeded: `POST /auth/logout` and
/// `/auth/forgot-password` (`{ok: true}`), `/auth/send-email-confirmation` (`{email, sent}`).
pub fn accepted(status: u16, body: &str) -> Result<(), ApiError> {
    if is_success(status) {
        Ok(())
    } else {
        Err(error(status, body))
    }
}

fn tokens(status: u16, body: &str) -> Result<(Token, Option<Token>), ApiError> {
    if !is_success(status) {
        return Err(error(status, body));
    }
    let answer = object(body)?;
    let jwt = answer.get("jwt").and_then(Json::as_str);
    let access = jwt
        .and_then(|jwt| Token::new(jwt.to_owned()))
        .ok_or(ApiError::UnexpectedAnswer)?;
    let refresh = match answer
        .optional_str("refreshToken")
        .ok_or(ApiError::UnexpectedAnswer)?
    {
        None => None,
        Some(refresh) => Some(Token::new(refresh.to_owned()).ok_or(ApiError::UnexpectedAnswer)?),
    };
    Ok((access, refresh))
}

/// `GET /users/me`: the bare user object.
pub fn me(status: u16, body: &str) -> Result<User, ApiError> {
    if !is_success(status) {
        return Err(error(status, body));
    }
    User::from_json(&object(body)?).ok_or(ApiError::UnexpectedAnswer)
}

/// A whole answer that is one JSON object (Strapi never answers with anything else).
fn object(body: &str) -> Result<Json, ApiError> {
    Json::parse(body)
        .filter(Json::is_object)
        .ok_or(ApiError::UnexpectedAnswer)
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// An error answer: Strapi's envelope when it sent one, otherwise just the status.
pub fn error(status: u16, body: &str) -> ApiError {
    object(body)
        .ok()
        .and_then(|answer| envelope(status, &answer))
        .unwrap_or(ApiError::Http { status })
}

/// `{"error": {name?, message, details?: {errors?: [{path?: [..], message?}]}}}` as
/// [`ApiError::Strapi`], with the messages about fields this app has (the first segment of a
/// `path`); `None` when the answer is not that envelope or its message is blank.
fn envelope(status: u16, answer: &Json) -> Option<ApiError> {
    let error = answer.get("error").filter(|e| e.is_object())?;
    let name = error.optional_str("name")?;
    let message = clip(error.get("message")?.as_str()?.trim());
    let issues = match error.get("details") {
        None | Some(Json::Null) => &[][..],
        Some(details) if details.is_object() => match details.get("errors") {
            None => &[][..],
            Some(errors) => errors.as_array()?,
        },
        Some(_) => return None,
    };
    let mut fields = Vec::new();
    for issue in issues {
        if !issue.is_object() {
            return None;
        }
        let path = match issue.get("path") {
            None => &[][..],
            Some(path) => path.as_array()?,
        };
        // A path segment is a field name or an index; anything else is not Strapi's envelope.
        if !path
            .iter()
            .all(|p| matches!(p, Json::String(_) | Json::Number(_) | Json::Bool(_)))
        {
            return None;
        }
        let text = match issue.get("message") {
            None => "",
            Some(message) => message.as_str()?,
        };
        let field = path.first().and_then(Json::as_str).and_then(Field::named);
        let text = clip(text.trim());
        if let Some(field) = field.filter(|_| !text.is_empty()) {
            fields.push(FieldError {
                field,
                message: text,
            });
        }
    }
    (!message.is_empty()).then(|| ApiError::Strapi {
        status,
        name: name.map(clip).unwrap_or_default(),
        message,
        fields,
    })
}

/// Keeps at most [`MAX_MESSAGE_CHARS`] characters, control characters removed: for any text from
/// outside that the page shows.
pub fn clip(text: &str) -> String {
    let mut out: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_MESSAGE_CHARS + 1)
        .collect();
    if out.chars().count() > MAX_MESSAGE_CHARS {
        out = out.chars().take(MAX_MESSAGE_CHARS).collect();
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_alone_is_a_legacy_session() {
        let s = login(200, r#"{"jwt":"a.b.c","user":{"username":"u"}}"#, false).unwrap();
        assert_eq!(
            s,
            Session::Legacy {
                token: Token::new("a.b.c").unwrap()
            }
        );
    }

    #[test]
    fn jwt_with_refresh_token_is_a_refresh_session() {
        let s = login(200, r#"{"jwt":"a","refreshToken":"r","user":{}}"#, false).unwrap();
        assert_eq!(
            s,
            Session::Refresh {
                access: Token::new("a").unwrap(),
                refresh: Token::new("r").unwrap()
            }
        );
    }

    #[test]
    fn cookie_mode_turns_a_bare_jwt_into_a_cookie_session() {
        let s = login(200, r#"{"jwt":"a","user":{}}"#, true).unwrap();
        assert_eq!(
            s,
            Session::Cookie {
                access: Token::new("a").unwrap()
            }
        );
    }

    #[test]
    fn a_refresh_answer_must_match_the_session_it_renews() {
        let t = |s| Token::new(s).unwrap();
        let pair = Session::Refresh {
            access: t("a"),
            refresh: t("r"),
        };
        let cookie = Session::Cookie { access: t("a") };
        assert_eq!(
            refreshed(200, r#"{"jwt":"a2","refreshToken":"r2"}"#, &pair),
            Ok(Session::Refresh {
                access: t("a2"),
                refresh: t("r2")
            })
        );
        assert_eq!(
            refreshed(200, r#"{"jwt":"a2"}"#, &cookie),
            Ok(Session::Cookie { access: t("a2") })
        );
        assert_eq!(
            refreshed(200, r#"{"jwt":"a2"}"#, &pair),
            Err(ApiError::UnexpectedAnswer),
            "a rotated pair without its refresh token would strand the session"
        );
        let legacy = Session::Legacy { token: t("j") };
        assert_eq!(
            refreshed(200, r#"{"jwt":"a2"}"#, &legacy),
            Err(ApiError::UnexpectedAnswer)
        );
        let rejected = refreshed(
            401,
            r#"{"error":{"status":401,"message":"Invalid refresh token"}}"#,
            &pair,
        );
        assert_eq!(rejected.unwrap_err().status(), Some(401));
    }

    #[test]
    fn success_status_without_a_usable_jwt_is_unexpected() {
        for body in [
            "{}",
            r#"{"user":{}}"#,
            r#"{"jwt":""}"#,
            r#"{"jwt":null}"#,
            r#"{"jwt":42}"#,
            r#"{"jwt":"a b"}"#,
            r#"{"jwt":"a","refreshToken":""}"#,
            r#"{"jwt":"a","refreshToken":7}"#,
            "<html>ok</html>",
            "",
            "null",
            "[]",
            r#"["a.b.c"]"#,
            r#"["a.b.c","r.s.t"]"#,
        ] {
            assert_eq!(
                login(200, body, false),
                Err(ApiError::UnexpectedAnswer),
                "{body:?}"
            );
        }
    }

    #[test]
    fn non_json_error_bodies_keep_their_status() {
        assert_eq!(
            login(502, "<html><h1>502 Bad Gateway</h1></html>", false),
            Err(ApiError::Http { status: 502 })
        );
        assert_eq!(
            login(500, r#"{"error":{"message":""}}"#, false),
            Err(ApiError::Http { status: 500 })
        );
        assert_eq!(login(404, "", false), Err(ApiError::Http { status: 404 }));
    }

    #[test]
    fn a_body_too_large_for_strapi_gets_a_message_of_our_own() {
        let strapi = r#"{"data":null,"error":{"status":413,"name":"PayloadTooLargeError","message":"request entity too large"}}"#;
        for err in [
            login(413, strapi, false).unwrap_err(),
            login(413, "<html>413</html>", false).unwrap_err(),
        ] {
            assert!(
                err.to_string()
                    .starts_with("That is more than the server accepts")
            );
        }
    }

    #[test]
    fn field_errors_map_to_their_fields_and_others_are_ignored() {
        let body = r#"{"data":null,"error":{"status":400,"name":"ValidationError","message":"3 errors occurred","details":{"errors":[
            {"path":["identifier"],"message":"identifier is a required field","name":"ValidationError"},
            {"path":["password"],"message":"password is a required field","name":"ValidationError"},
            {"path":[],"message":"whole body","name":"ValidationError"},
            {"path":[0],"message":"numeric","name":"ValidationError"}]}}}"#;
        let err = login(400, body, false).unwrap_err();
        assert_eq!(err.to_string(), "3 errors occurred");
        assert_eq!(
            err.field_message(Field::Identifier),
            Some("identifier is a required field")
        );
        assert_eq!(
            err.field_message(Field::Password),
            Some("password is a required field")
        );
    }

    #[test]
    fn long_and_control_laden_messages_are_clipped() {
        let long = "x".repeat(10_000);
        let body = format!(r#"{{"error":{{"message":"a\u0000b\n{long}"}}}}"#);
        let shown = login(400, &body, false).unwrap_err().to_string();
        assert!(shown.starts_with("abx"), "{shown:.20}");
        assert_eq!(shown.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(shown.ends_with('…'));
    }

    #[test]
    fn users_me_needs_a_username() {
        assert_eq!(
            me(
                200,
                r#"{"id":1,"username":"ann","email":"a@x.io","blocked":false}"#
            ),
            Ok(User {
                username: "ann".into(),
                email: "a@x.io".into()
            })
        );
        assert_eq!(me(200, r#"{"id":1}"#), Err(ApiError::UnexpectedAnswer));
    }
}
