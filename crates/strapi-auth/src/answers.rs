//! Turning Strapi's HTTP answers (status and body text) into sessions, users and errors.
//!
//! Pure functions, no I/O: [`Strapi`](crate::Strapi) uses them on what its transport brings
//! back, and a caller with an HTTP client of its own can use them on its answers.
//! Answers are read defensively: a body that is not what the endpoint returns is
//! [`Error::UnexpectedAnswer`], and every text that reaches a caller is clipped.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::error::{Error, Field, FieldError};
use crate::session::{Session, Token};

/// Texts from the server end up on a page; a hostile or broken one must not fill it.
pub const MAX_MESSAGE_CHARS: usize = 300;

/// The person Strapi's Users & Permissions plugin describes, with the fields every Strapi has.
///
/// Projects add their own fields to the user; to read them, give the calls a type of your own
/// instead (`Strapi::me::<MyUser>`): any `serde::Deserialize` type will do.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// The user's numeric id.
    #[serde(default)]
    pub id: Option<u64>,
    /// The username (Strapi requires one).
    pub username: String,
    /// The email address (empty when Strapi did not send one).
    #[serde(default)]
    pub email: String,
}

impl User {
    /// A user with this username and email address and no id.
    pub fn new(username: impl Into<String>, email: impl Into<String>) -> Self {
        Self {
            id: None,
            username: username.into(),
            email: email.into(),
        }
    }

    /// The name the person most likely signs in with (what a password manager keeps their
    /// password under): the email address, else the username.
    pub fn login_name(&self) -> &str {
        if self.email.is_empty() {
            &self.username
        } else {
            &self.email
        }
    }
}

/// One place the person is signed in (a Strapi session), as `GET /auth/sessions` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Device {
    /// Strapi's id of the session, to end it with.
    pub id: SessionId,
    /// What Strapi made of the browser's user agent ("Chrome on Linux"), if anything.
    pub device: Option<String>,
    /// When the person signed in there (ISO 8601, as Strapi sent it).
    pub logged_in_at: Option<String>,
    /// When the session was last renewed (ISO 8601, as Strapi sent it).
    pub last_active_at: Option<String>,
    /// The session of the token that asked: this browser.
    pub current: bool,
}

/// A session's id, as Strapi issued it: safe to put in a URL path (letters, digits, `-`, `_`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SessionId(String);

impl SessionId {
    /// `id` when it is at most 128 letters, digits, `-` and `_`.
    pub fn new(id: &str) -> Option<Self> {
        url_safe(id, 128).then(|| Self(id.to_owned()))
    }

    /// The id as Strapi wrote it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `id` is 1 to `max` letters, digits, `-` and `_` (base64url): safe in a URL path.
pub(crate) fn url_safe(id: &str, max: usize) -> bool {
    !id.is_empty()
        && id.len() <= max
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `GET /auth/sessions`: `{data: [{id, deviceId, deviceName?, current, loginAt?, lastActiveAt?}]}`.
/// An entry whose id could not be sent back in a URL is left out; texts are clipped.
pub fn sessions(status: u16, body: &str) -> Result<Vec<Device>, Error> {
    #[derive(Deserialize)]
    struct List {
        data: Vec<Entry>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Entry {
        id: String,
        device_name: Option<String>,
        login_at: Option<String>,
        last_active_at: Option<String>,
        #[serde(default)]
        current: bool,
    }
    let list: List = parse(status, body)?;
    let text = |text: Option<String>| text.map(|t| clip(t.trim())).filter(|t| !t.is_empty());
    Ok(list
        .data
        .into_iter()
        .filter_map(|entry| {
            Some(Device {
                id: SessionId::new(&entry.id)?,
                device: text(entry.device_name),
                logged_in_at: text(entry.login_at),
                last_active_at: text(entry.last_active_at),
                current: entry.current,
            })
        })
        .collect())
}

/// The tokens of a login answer `{jwt, refreshToken?, user}`.
#[derive(Deserialize)]
struct Tokens {
    jwt: Option<String>,
    #[serde(rename = "refreshToken")]
    refresh_token: Option<String>,
}

/// `POST /auth/local`: `{jwt, refreshToken?, user}`. A refresh token in the body means Strapi's
/// session mode; without one it is the legacy mode, or, when the caller says so
/// (`cookie_refresh`), session mode with the refresh token in Strapi's httpOnly cookie.
pub fn login(status: u16, body: &str, cookie_refresh: bool) -> Result<Session, Error> {
    let (access, refresh) = tokens(status, body)?;
    Ok(match refresh {
        Some(refresh) => Session::Refresh { access, refresh },
        None if cookie_refresh => Session::Cookie { access },
        None => Session::Legacy { token: access },
    })
}

/// The `user` a login answer sends with the tokens, when it is an object that reads as a `U`
/// (`Box<serde_json::value::RawValue>` keeps it as Strapi wrote it, to read later).
pub fn login_user<U: DeserializeOwned>(body: &str) -> Option<U> {
    #[derive(Deserialize)]
    struct WithUser<'a> {
        #[serde(borrow)]
        user: &'a RawValue,
    }
    if !is_object(body) {
        return None;
    }
    let answer: WithUser = serde_json::from_str(body).ok()?;
    let user = answer.user.get();
    is_object(user).then(|| serde_json::from_str(user).ok())?
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
pub fn registered(status: u16, body: &str, cookie_refresh: bool) -> Result<Registered, Error> {
    let without_jwt = parse::<Tokens>(status, body).is_ok_and(|answer| answer.jwt.is_none());
    if without_jwt {
        return login_user::<User>(body)
            .map(|_| Registered::ConfirmEmail)
            .ok_or(Error::UnexpectedAnswer);
    }
    login(status, body, cookie_refresh).map(Registered::LoggedIn)
}

/// `POST /auth/refresh` with the refresh token in the body, in cookie mode: `{jwt}`, the refresh
/// token now in Strapi's httpOnly cookie, out of the caller's reach.
pub fn moved_to_cookie(status: u16, body: &str) -> Result<Session, Error> {
    match tokens(status, body)? {
        (access, None) => Ok(Session::Cookie { access }),
        (_, Some(_)) => Err(Error::UnexpectedAnswer),
    }
}

/// `POST /auth/refresh`: `{jwt, refreshToken}` (or `{jwt}` in cookie mode), replacing `previous`.
pub fn refreshed(status: u16, body: &str, previous: &Session) -> Result<Session, Error> {
    let (access, refresh) = tokens(status, body)?;
    match (previous, refresh) {
        (Session::Refresh { .. }, Some(refresh)) => Ok(Session::Refresh { access, refresh }),
        (Session::Cookie { .. }, None) => Ok(Session::Cookie { access }),
        _ => Err(Error::UnexpectedAnswer),
    }
}

/// An answer whose body does not matter, only that it succeeded: `POST /auth/logout` and
/// `/auth/forgot-password` (`{ok: true}`), `/auth/send-email-confirmation` (`{email, sent}`).
pub fn accepted(status: u16, body: &str) -> Result<(), Error> {
    if is_success(status) {
        Ok(())
    } else {
        Err(error(status, body))
    }
}

fn tokens(status: u16, body: &str) -> Result<(Token, Option<Token>), Error> {
    let answer: Tokens = parse(status, body)?;
    let token = |value: String| Token::new(value).ok_or(Error::UnexpectedAnswer);
    let access = token(answer.jwt.ok_or(Error::UnexpectedAnswer)?)?;
    let refresh = answer.refresh_token.map(token).transpose()?;
    Ok((access, refresh))
}

/// `GET /users/me`: the bare user object, as a `U`.
pub fn me<U: DeserializeOwned>(status: u16, body: &str) -> Result<U, Error> {
    parse(status, body)
}

/// A success's body as a `T`, read from one JSON object (Strapi never answers with anything
/// else); an error answer as its [`Error`].
fn parse<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, Error> {
    if !is_success(status) {
        return Err(error(status, body));
    }
    if !is_object(body) {
        return Err(Error::UnexpectedAnswer);
    }
    serde_json::from_str(body).map_err(|_| Error::UnexpectedAnswer)
}

/// Whether `json` can only be an object: serde's derived structs would also read an array.
fn is_object(json: &str) -> bool {
    json.trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with('{')
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// An error answer: Strapi's envelope when it sent one, otherwise just the status.
pub fn error(status: u16, body: &str) -> Error {
    #[derive(Deserialize)]
    struct Envelope<'a> {
        #[serde(borrow)]
        error: Body<'a>,
    }
    #[derive(Deserialize)]
    struct Body<'a> {
        #[serde(default)]
        name: Option<String>,
        message: String,
        #[serde(default, borrow)]
        details: Option<Details<'a>>,
    }
    #[derive(Deserialize)]
    struct Details<'a> {
        #[serde(default, borrow)]
        errors: Vec<Issue<'a>>,
    }
    #[derive(Deserialize)]
    struct Issue<'a> {
        /// Field names and indexes; anything else is not Strapi's envelope.
        #[serde(default, borrow)]
        path: Vec<&'a RawValue>,
        #[serde(default)]
        message: String,
    }

    let envelope = is_object(body)
        .then(|| serde_json::from_str::<Envelope>(body).ok())
        .flatten();
    let Some(Envelope { error }) = envelope else {
        return Error::Http { status };
    };
    let message = clip(error.message.trim());
    if message.is_empty() {
        return Error::Http { status };
    }
    let issues = error
        .details
        .map(|details| details.errors)
        .unwrap_or_default();
    let scalar = |segment: &&RawValue| !segment.get().starts_with(['{', '[', 'n']);
    if !issues.iter().all(|issue| issue.path.iter().all(scalar)) {
        return Error::Http { status };
    }
    let fields = issues
        .into_iter()
        .filter_map(|issue| {
            let name: String = serde_json::from_str(issue.path.first()?.get()).ok()?;
            let field = Field::named(&name)?;
            let text = clip(issue.message.trim());
            (!text.is_empty()).then(|| FieldError::new(field, text))
        })
        .collect();
    Error::Strapi {
        status,
        name: error.name.as_deref().map(clip).unwrap_or_default(),
        message,
        fields,
    }
}

/// Keeps at most [`MAX_MESSAGE_CHARS`] characters, control characters removed: for any text from
/// outside that a page may show.
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
            Err(Error::UnexpectedAnswer),
            "a rotated pair without its refresh token would strand the session"
        );
        let legacy = Session::Legacy { token: t("j") };
        assert_eq!(
            refreshed(200, r#"{"jwt":"a2"}"#, &legacy),
            Err(Error::UnexpectedAnswer)
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
                Err(Error::UnexpectedAnswer),
                "{body:?}"
            );
        }
    }

    #[test]
    fn non_json_error_bodies_keep_their_status() {
        assert_eq!(
            login(502, "<html><h1>502 Bad Gateway</h1></html>", false),
            Err(Error::Http { status: 502 })
        );
        assert_eq!(
            login(500, r#"{"error":{"message":""}}"#, false),
            Err(Error::Http { status: 500 })
        );
        assert_eq!(login(404, "", false), Err(Error::Http { status: 404 }));
    }

    #[test]
    fn a_body_too_large_is_its_own_kind_with_or_without_the_envelope() {
        let strapi = r#"{"data":null,"error":{"status":413,"name":"PayloadTooLargeError","message":"request entity too large"}}"#;
        for err in [
            login(413, strapi, false).unwrap_err(),
            login(413, "<html>413</html>", false).unwrap_err(),
        ] {
            assert_eq!(err.kind(), crate::ErrorKind::PayloadTooLarge);
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
        assert_eq!(err.kind(), crate::ErrorKind::Invalid);
        let identifier = err.field(Field::Identifier).unwrap();
        assert_eq!(identifier.message, "identifier is a required field");
        assert_eq!(identifier.issue, crate::error::Issue::Required);
        assert!(err.field(Field::Password).is_some());
        assert_eq!(
            err.fields().len(),
            2,
            "no field for an empty or numeric path"
        );
    }

    #[test]
    fn long_and_control_laden_messages_are_clipped() {
        let long = "x".repeat(10_000);
        let body = format!(r#"{{"error":{{"message":"a\u0000b\n{long}"}}}}"#);
        let Error::Strapi { message: shown, .. } = login(400, &body, false).unwrap_err() else {
            panic!("Strapi's envelope");
        };
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
                id: Some(1),
                username: "ann".into(),
                email: "a@x.io".into()
            })
        );
        assert_eq!(me::<User>(200, r#"{"id":1}"#), Err(Error::UnexpectedAnswer));
    }
}
