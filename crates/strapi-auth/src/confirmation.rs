//! "Confirm it's you", through `strapi-plugin-passkeys` (0.2 or later): a [`Confirmation`] proves
//! that the person proved themselves recently (their password, a passkey, or a password reset or
//! provider sign-in that just happened, whose answers carry one), and the plugin asks for one
//! before a passkey is added or removed, so that a copied access token alone cannot change how the
//! account signs in. The plugin's answers parsed without I/O, and the types the
//! [`Strapi`](crate::Strapi) confirmation calls take and give.
//!
//! A confirmation is a secret, like a token: keep it in memory only, never in storage. It is good
//! for a few minutes (the plugin's `confirmationTtl`, 10 by default) for any number of calls of the
//! person it was issued to; a password change or reset ends every confirmation of the person.

use std::fmt;

use serde::Deserialize;

use crate::answers::{clip, error};
use crate::error::Error;

/// A recent proof that the person is who the session says, as strapi-plugin-passkeys issued it.
/// Its `Debug` never shows the secret (and it has no `Display`); [`Confirmation::expose`] is the
/// one explicit way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Confirmation {
    secret: String,
    expires_at: String,
}

impl Confirmation {
    /// A confirmation `secret` (printable ASCII without spaces, as the plugin issues them:
    /// 43 base64url characters) that Strapi said lasts until `expires_at` (ISO 8601).
    pub fn new(secret: impl Into<String>, expires_at: impl Into<String>) -> Option<Self> {
        let secret = secret.into();
        let valid = !secret.is_empty()
            && secret.len() <= 512
            && secret.bytes().all(|b| b.is_ascii_graphic());
        valid.then(|| Self {
            secret,
            expires_at: clip(expires_at.into().trim()),
        })
    }

    /// The secret itself, to send.
    pub fn expose(&self) -> &str {
        &self.secret
    }

    /// When Strapi said it stops being accepted (ISO 8601, as Strapi sent it; possibly empty).
    pub fn expires_at(&self) -> &str {
        &self.expires_at
    }

    /// [`Confirmation::expires_at`] in milliseconds since the Unix epoch, on Strapi's clock, when
    /// it reads as a UTC timestamp (`2026-12-08T10:15:00.000Z`).
    ///
    /// ```
    /// let confirmation = strapi_auth::Confirmation::new("s3cret", "1970-01-01T00:01:00.500Z").unwrap();
    /// assert_eq!(confirmation.expires_at_ms(), Some(60_500));
    /// ```
    pub fn expires_at_ms(&self) -> Option<u64> {
        utc_ms(&self.expires_at)
    }
}

impl fmt::Debug for Confirmation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Confirmation")
            .field("secret", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The ways the signed-in person can confirm it's them (`GET /passkeys/confirmation`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfirmationMethods {
    /// The account has a password ([`Strapi::confirm_with_password`](crate::Strapi::confirm_with_password)).
    pub password: bool,
    /// The account has at least one passkey
    /// ([`Strapi::passkey_confirmation_options`](crate::Strapi::passkey_confirmation_options)).
    pub passkey: bool,
    /// The provider the account was made through (Strapi's key: `github`, `google`, …), if any:
    /// a new sign-in there carries a confirmation
    /// ([`LoggedIn::confirmation`](crate::LoggedIn::confirmation)).
    pub provider: Option<String>,
}

impl ConfirmationMethods {
    /// These ways: `password`, `passkey`, and the account's `provider` (`None` for a local one).
    pub fn new(password: bool, passkey: bool, provider: Option<String>) -> Self {
        Self {
            password,
            passkey,
            provider,
        }
    }
}

/// `GET /passkeys/confirmation`: `{password, passkey, provider}`. A provider that is not a short
/// name of letters, digits, `-` and `_` is left out.
pub fn methods(status: u16, body: &str) -> Result<ConfirmationMethods, Error> {
    #[derive(Deserialize)]
    struct Methods {
        password: bool,
        passkey: bool,
        #[serde(default)]
        provider: Option<String>,
    }
    let answer: Methods = object(status, body)?;
    let provider = answer
        .provider
        .filter(|p| crate::answers::url_safe(p, 64) && p != "local");
    Ok(ConfirmationMethods {
        password: answer.password,
        passkey: answer.passkey,
        provider,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Issued {
    confirmation: String,
    #[serde(default)]
    expires_at: Option<String>,
}

impl Issued {
    fn read(self) -> Option<Confirmation> {
        Confirmation::new(self.confirmation, self.expires_at.unwrap_or_default())
    }
}

/// `POST /passkeys/confirmation/password` and `…/passkey`: `{"confirmation", "expiresAt"}`.
pub fn confirmation(status: u16, body: &str) -> Result<Confirmation, Error> {
    let answer: Issued = object(status, body)?;
    answer.read().ok_or(Error::UnexpectedAnswer)
}

/// The confirmation a login answer carries (`POST /auth/reset-password` and
/// `GET /auth/:provider/callback` with strapi-plugin-passkeys 0.2 or later):
/// `{"jwt", "user", "confirmation": {"confirmation", "expiresAt"}}`. `None` when there is none, or
/// none that reads as one: the login stands either way.
///
/// ```
/// let answer = r#"{"jwt":"a.b.c","user":{},"confirmation":{"confirmation":"s3cret","expiresAt":"2026-12-08T10:15:00.000Z"}}"#;
/// let carried = strapi_auth::confirmation::carried(answer).unwrap();
/// assert_eq!(carried.expose(), "s3cret");
/// assert!(strapi_auth::confirmation::carried(r#"{"jwt":"a.b.c","user":{}}"#).is_none());
/// ```
pub fn carried(body: &str) -> Option<Confirmation> {
    #[derive(Deserialize)]
    struct Carrying {
        confirmation: Option<Issued>,
    }
    if !body.trim_start().starts_with('{') {
        return None;
    }
    let answer: Carrying = serde_json::from_str(body).ok()?;
    answer.confirmation?.read()
}

/// `POST /passkeys/remove-all`: `{"removed": <count>}`, the number of passkeys removed.
pub fn removed_count(status: u16, body: &str) -> Result<u64, Error> {
    #[derive(Deserialize)]
    struct Removed {
        removed: u64,
    }
    object::<Removed>(status, body).map(|answer| answer.removed)
}

/// A success's body as a `T`, read from one JSON object; an error answer as its [`Error`].
pub(crate) fn object<T: for<'de> Deserialize<'de>>(status: u16, body: &str) -> Result<T, Error> {
    if !(200..300).contains(&status) {
        return Err(error(status, body));
    }
    if !body.trim_start().starts_with('{') {
        return Err(Error::UnexpectedAnswer);
    }
    serde_json::from_str(body).map_err(|_| Error::UnexpectedAnswer)
}

/// Milliseconds since the Unix epoch of a UTC timestamp `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
fn utc_ms(iso: &str) -> Option<u64> {
    let (date, time) = iso.split_once('T')?;
    let time = time.strip_suffix('Z')?;
    let number = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let mut ymd = date.split('-');
    let (year, month, day) = (
        number(ymd.next()?)?,
        number(ymd.next()?)?,
        number(ymd.next()?)?,
    );
    if ymd.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut hms = clock.split(':');
    let (hours, minutes, seconds) = (
        number(hms.next()?)?,
        number(hms.next()?)?,
        number(hms.next()?)?,
    );
    if hms.next().is_some() || hours > 23 || minutes > 59 || seconds > 60 || year < 1970 {
        return None;
    }
    let millis = match fraction {
        "" => 0,
        digits => {
            let first3: String = digits.chars().chain("00".chars()).take(3).collect();
            number(digits)?;
            number(&first3)?
        }
    };
    // Days from the civil date (Howard Hinnant's algorithm), for years from 1970.
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y / 400;
    let year_of_era = y - era * 400;
    let day_of_year = (153 * m + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = (era * 146_097 + day_of_era).checked_sub(719_468)?;
    let seconds = days * 86_400 + hours * 3_600 + minutes * 60 + seconds;
    seconds.checked_mul(1_000)?.checked_add(millis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn a_confirmation_keeps_its_secret_out_of_debug_output() {
        let body = r#"{"confirmation":"q2B1-x_9ZkHf0u3nT5yVw8pL4aRc6dEe7gIi1jKk2Ms","expiresAt":"2026-12-08T10:15:00.000Z"}"#;
        let confirmation = confirmation(200, body).unwrap();
        assert_eq!(
            confirmation.expose(),
            "q2B1-x_9ZkHf0u3nT5yVw8pL4aRc6dEe7gIi1jKk2Ms"
        );
        assert_eq!(confirmation.expires_at(), "2026-12-08T10:15:00.000Z");
        let shown = format!("{confirmation:?}");
        assert!(!shown.contains("q2B1"), "{shown}");
        assert!(shown.contains("<redacted>") && shown.contains("2026-12-08"));
    }

    #[test]
    fn an_answer_without_a_usable_secret_is_unexpected() {
        for body in [
            "{}",
            r#"{"confirmation":""}"#,
            r#"{"confirmation":"a b"}"#,
            r#"{"confirmation":42}"#,
            r#"["abc"]"#,
            "<html>",
        ] {
            assert_eq!(
                confirmation(200, body),
                Err(Error::UnexpectedAnswer),
                "{body}"
            );
        }
        assert!(confirmation(200, r#"{"confirmation":"abc"}"#).is_ok());
    }

    #[test]
    fn the_refusals_of_a_confirmation_are_kinds() {
        let refusal = |status: u16, name: &str, message: &str| {
            format!(
                r#"{{"data":null,"error":{{"status":{status},"name":"{name}","message":"{message}","details":{{}}}}}}"#
            )
        };
        let kind = |status, name, message| {
            confirmation(status, &refusal(status, name, message))
                .unwrap_err()
                .kind()
        };
        assert_eq!(
            kind(
                400,
                "ValidationError",
                "The provided current password is invalid"
            ),
            ErrorKind::IncorrectCurrentPassword
        );
        assert_eq!(
            kind(400, "ApplicationError", "This account has no password"),
            ErrorKind::NoPassword
        );
        assert_eq!(
            kind(403, "ForbiddenError", "Confirmation required"),
            ErrorKind::ConfirmationRequired
        );
        assert_eq!(kind(403, "ForbiddenError", "Forbidden"), ErrorKind::Refused);
        assert_eq!(
            kind(
                429,
                "RateLimitError",
                "Too many requests, please try again later."
            ),
            ErrorKind::RateLimited
        );
    }

    #[test]
    fn a_login_answer_may_carry_a_confirmation_and_the_login_stands_without_one() {
        let reset = r#"{"jwt":"a.b.c","user":{"id":1},"confirmation":{"confirmation":"q2B1","expiresAt":"2026-12-08T10:15:00.000Z"}}"#;
        let carried = carried(reset).unwrap();
        assert_eq!(carried.expose(), "q2B1");
        assert_eq!(carried.expires_at_ms(), Some(1_796_724_900_000));
        for body in [
            r#"{"jwt":"a.b.c","user":{}}"#,
            r#"{"jwt":"a.b.c","confirmation":null}"#,
            r#"{"jwt":"a.b.c","confirmation":"q2B1"}"#,
            r#"{"jwt":"a.b.c","confirmation":{"confirmation":""}}"#,
            r#"{"jwt":"a.b.c","confirmation":{"confirmation":"a b"}}"#,
            r#"[{"confirmation":"q2B1"}]"#,
            "<html>",
        ] {
            assert_eq!(super::carried(body), None, "{body}");
        }
        // The login answer itself reads the same with it.
        assert!(crate::answers::login(200, reset, false).is_ok());
    }

    #[test]
    fn methods_name_the_ways_and_a_provider_only_when_it_is_one() {
        let read = |body| methods(200, body).unwrap();
        assert_eq!(
            read(r#"{"password":true,"passkey":false,"provider":null}"#),
            ConfirmationMethods::new(true, false, None)
        );
        assert_eq!(
            read(r#"{"password":false,"passkey":true,"provider":"github"}"#),
            ConfirmationMethods::new(false, true, Some("github".into()))
        );
        assert_eq!(
            read(r#"{"password":true,"passkey":false,"provider":"local"}"#).provider,
            None
        );
        assert_eq!(
            read(r#"{"password":true,"passkey":false,"provider":"../x"}"#).provider,
            None
        );
        assert_eq!(methods(200, "{}"), Err(Error::UnexpectedAnswer));
        assert_eq!(
            methods(200, r#"[true,true,null]"#),
            Err(Error::UnexpectedAnswer)
        );
    }

    #[test]
    fn remove_all_counts_what_it_removed() {
        assert_eq!(removed_count(200, r#"{"removed":3}"#), Ok(3));
        assert_eq!(removed_count(200, r#"{"removed":0}"#), Ok(0));
        assert_eq!(
            removed_count(200, r#"{"removed":-1}"#),
            Err(Error::UnexpectedAnswer)
        );
        assert_eq!(removed_count(200, "{}"), Err(Error::UnexpectedAnswer));
    }

    #[test]
    fn expiry_reads_strapis_utc_timestamps_only() {
        assert_eq!(utc_ms("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(utc_ms("1970-01-02T00:00:01Z"), Some(86_401_000));
        // 2026-12-08T10:15:00.250Z, checked against JavaScript's Date.UTC.
        assert_eq!(utc_ms("2026-12-08T10:15:00.250Z"), Some(1_796_724_900_250));
        assert_eq!(utc_ms("2024-02-29T23:59:59.9Z"), Some(1_709_251_199_900));
        for bad in [
            "",
            "soon",
            "2026-12-08",
            "2026-12-08T10:15:00+01:00",
            "2026-13-08T10:15:00Z",
            "2026-12-08T24:00:00Z",
            "1969-12-31T23:59:59Z",
            "2026-12-08T10:15:00.x5Z",
            "+2026-12-08T10:15:00Z",
        ] {
            assert_eq!(utc_ms(bad), None, "{bad}");
        }
    }
}
