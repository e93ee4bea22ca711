//! What the app says about Strapi's errors and the session, in the person's language: the
//! library reports kinds ([`ErrorKind`], [`Issue`], [`Notice`]), the app words them here.

use leptos_strapi_auth::passkey::PasskeyError;
use leptos_strapi_auth::{Notice, SignInError};
use strapi_auth::{Error, ErrorKind, FieldError, Issue};

use crate::i18n::{T, t, tf, tn};

/// A failed Strapi call, for the person at the keyboard.
pub fn error_text(error: &Error) -> String {
    let status = || error.status().unwrap_or_default().to_string();
    match (error.kind(), error) {
        (ErrorKind::PayloadTooLarge, _) => t(T::TooLarge).to_owned(),
        (ErrorKind::ServerError, Error::Strapi { message, .. }) => {
            tf(T::ServerFailed, &[("reason", &message_text(message))])
        }
        (ErrorKind::ServerError, _) => tf(T::ServerUnavailable, &[("status", &status())]),
        (ErrorKind::RateLimited, Error::Http { .. }) => t(T::TooManyAttempts).to_owned(),
        (_, Error::Strapi { message, .. }) => message_text(message),
        (ErrorKind::Unreachable, _) => t(T::Unreachable).to_owned(),
        (ErrorKind::TimedOut, _) => t(T::TimedOut).to_owned(),
        (ErrorKind::UnexpectedAnswer, _) => t(T::UnexpectedAnswer).to_owned(),
        (ErrorKind::LoggedOut, _) => t(T::NotLoggedIn).to_owned(),
        (ErrorKind::ConfirmationRequired, _) => t(T::ConfirmFirst).to_owned(),
        _ => tf(T::ServerRefused, &[("status", &status())]),
    }
}

/// Why a passkey ceremony did not finish: signing in, or `creating` one on the account page.
pub fn passkey_text(error: &PasskeyError, creating: bool) -> String {
    let text = match error {
        // At a sign-in, a passkey Strapi does not know was removed (or never registered).
        PasskeyError::Strapi(SignInError::Strapi(error))
            if !creating && error.kind() == ErrorKind::PasskeyNotFound =>
        {
            T::PasskeyRefused
        }
        PasskeyError::Options(error) | PasskeyError::Strapi(SignInError::Strapi(error)) => {
            return error_text(error);
        }
        PasskeyError::Strapi(_) => T::StorageBlocked,
        PasskeyError::Unsupported if creating => T::PasskeysUnsupportedHere,
        PasskeyError::Unsupported => T::PasskeyUnsupported,
        PasskeyError::AlreadyRegistered if creating => T::PasskeyOnThisDevice,
        PasskeyError::NotAllowedHere => T::PasskeyNotAllowedHere,
        _ if creating => T::PasskeyNotCreated,
        _ => T::PasskeyCancelled,
    };
    t(text).to_owned()
}

/// Strapi's message about one field.
pub fn field_text(error: &FieldError) -> String {
    issue_text(error.issue).unwrap_or_else(|| message_text(&error.message))
}

/// What the next page tells the person about their session.
pub fn notice_text(notice: Notice) -> &'static str {
    t(match notice {
        Notice::LoggedOut => T::LoggedOut,
        Notice::SessionExpired => T::SessionExpired,
        Notice::NotRenewable => T::NotRenewable,
        // Kinds added to the library later: the nearest the app can say.
        _ => T::SessionExpired,
    })
}

/// One of Strapi's (English) messages: in the person's language when its kind is known, as
/// Strapi wrote it otherwise.
fn message_text(message: &str) -> String {
    if let Some(text) = ErrorKind::of_message(message).and_then(kind_text) {
        return text.to_owned();
    }
    if let Some(count) = Issue::count_of(message) {
        return tn(T::StrapiErrors, count, &[]);
    }
    issue_text(Issue::of_message(message)).unwrap_or_else(|| message.to_owned())
}

fn kind_text(kind: ErrorKind) -> Option<&'static str> {
    Some(t(match kind {
        ErrorKind::InvalidCredentials => T::StrapiInvalidCredentials,
        ErrorKind::EmailNotConfirmed => T::StrapiNotConfirmed,
        ErrorKind::Blocked => T::StrapiBlocked,
        ErrorKind::UsernameOrEmailTaken => T::StrapiEmailTaken,
        ErrorKind::EmailTaken => T::StrapiEmailAlreadyTaken,
        ErrorKind::RegistrationClosed => T::StrapiRegisterDisabled,
        ErrorKind::IncorrectCode => T::StrapiIncorrectCode,
        ErrorKind::PasswordsDoNotMatch => T::StrapiPasswordsDiffer,
        ErrorKind::IncorrectCurrentPassword => T::StrapiWrongCurrent,
        ErrorKind::SamePassword => T::StrapiSameAsCurrent,
        ErrorKind::PasswordTooLong => T::StrapiPasswordTooLong,
        ErrorKind::AlreadyConfirmed => T::StrapiAlreadyConfirmed,
        ErrorKind::EmailNotSent => T::StrapiMailFailed,
        ErrorKind::ProviderDisabled => T::StrapiProviderDisabled,
        ErrorKind::NoProviderSession => T::StrapiNoProviderSession,
        ErrorKind::Unauthorized => T::StrapiMissingCredentials,
        ErrorKind::RateLimited => T::StrapiTooManyRequests,
        ErrorKind::PasskeyRefused => T::PasskeyRefused,
        ErrorKind::PasskeyChallengeExpired => T::PasskeyExpired,
        ErrorKind::PasskeyTaken => T::PasskeyTaken,
        ErrorKind::PasskeyNotFound => T::PasskeyGone,
        ErrorKind::ConfirmationRequired => T::ConfirmFirst,
        ErrorKind::NoPassword => T::NoPasswordHere,
        ErrorKind::TooManyPasskeys => T::TooManyPasskeys,
        _ => return None,
    }))
}

fn issue_text(issue: Issue) -> Option<String> {
    Some(match issue {
        Issue::Required => t(T::StrapiRequired).to_owned(),
        Issue::InvalidEmail => t(T::StrapiInvalidEmail).to_owned(),
        Issue::TooShort { min } => tn(T::StrapiMinChars, min, &[]),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use strapi_auth::answers;

    #[test]
    fn known_messages_are_worded_by_the_app_and_others_kept() {
        let refusal = |message: &str| {
            let body = format!(r#"{{"error":{{"status":400,"message":"{message}"}}}}"#);
            error_text(&answers::error(400, &body))
        };
        assert_eq!(
            refusal("Invalid identifier or password"),
            "Invalid identifier or password"
        );
        assert_eq!(refusal("2 errors occurred"), "2 errors occurred");
        assert_eq!(
            refusal("password is a required field"),
            "This field is required."
        );
        assert_eq!(
            refusal("password must be at least 6 characters"),
            "Use at least 6 characters."
        );
        assert_eq!(
            refusal("Something only this server says"),
            "Something only this server says"
        );
    }

    #[test]
    fn passkey_failures_say_what_happened_and_what_to_do() {
        let refused = answers::error(
            400,
            r#"{"error":{"status":400,"name":"ValidationError","message":"Invalid passkey"}}"#,
        );
        let strapi = PasskeyError::Strapi(SignInError::Strapi(refused));
        assert_eq!(passkey_text(&strapi, false), t(T::PasskeyRefused));
        assert_eq!(
            passkey_text(&PasskeyError::Cancelled, false),
            t(T::PasskeyCancelled)
        );
        assert_eq!(
            passkey_text(&PasskeyError::Cancelled, true),
            t(T::PasskeyNotCreated)
        );
        assert_eq!(
            passkey_text(&PasskeyError::AlreadyRegistered, true),
            t(T::PasskeyOnThisDevice)
        );
        assert_eq!(
            passkey_text(&PasskeyError::Unsupported, false),
            t(T::PasskeyUnsupported)
        );
        assert_ne!(
            passkey_text(&PasskeyError::Unsupported, true),
            passkey_text(&PasskeyError::Unsupported, false)
        );
        // A passkey Strapi no longer knows, at a sign-in: refused, not "already removed".
        let unknown = answers::error(
            404,
            r#"{"error":{"status":404,"name":"NotFoundError","message":"Passkey not found"}}"#,
        );
        let strapi = PasskeyError::Strapi(SignInError::Strapi(unknown));
        assert_eq!(passkey_text(&strapi, false), t(T::PasskeyRefused));
    }

    #[test]
    fn confirmation_refusals_say_what_to_do() {
        let refusal = |status: u16, message: &str| {
            let body = format!(r#"{{"error":{{"status":{status},"message":"{message}"}}}}"#);
            error_text(&answers::error(status, &body))
        };
        assert_eq!(refusal(403, "Confirmation required"), t(T::ConfirmFirst));
        assert_eq!(error_text(&Error::NotConfirmed), t(T::ConfirmFirst));
        assert_eq!(
            refusal(400, "This account has no password"),
            t(T::NoPasswordHere)
        );
        assert_eq!(refusal(400, "Too many passkeys"), t(T::TooManyPasskeys));
        // Users & Permissions' own 403 stays Strapi's word.
        assert_eq!(refusal(403, "Forbidden"), "Forbidden");
    }

    #[test]
    fn answers_without_strapis_words_get_the_apps() {
        assert!(error_text(&Error::Http { status: 502 }).contains("502"));
        assert!(
            error_text(&answers::error(413, ""))
                .starts_with("That is more than the server accepts")
        );
        let failed = answers::error(
            500,
            r#"{"error":{"status":500,"message":"Internal Server Error"}}"#,
        );
        let shown = error_text(&failed);
        assert!(
            shown.contains("Internal Server Error") && shown.contains("try again"),
            "{shown}"
        );
        assert_eq!(error_text(&Error::Unreachable), t(T::Unreachable));
    }
}
