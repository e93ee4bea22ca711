//! Everything that can go wrong talking to Strapi, as kinds a caller can match on. No sentence here
//! is meant for people: an app words each [`ErrorKind`] in its own language.

use std::fmt;

/// A failed Strapi call.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Strapi answered with its error envelope `{"error": {status, name, message, details}}`.
    Strapi {
        /// The HTTP status.
        status: u16,
        /// Strapi's error class (`ApplicationError`, `ValidationError`, …), clipped.
        name: String,
        /// Strapi's message, in English, clipped to 300 characters without control characters:
        /// [`Error::kind`] recognises the known ones; an app may show an unknown one as it is.
        message: String,
        /// Strapi's messages about single fields (`details.errors[]`).
        fields: Vec<FieldError>,
    },
    /// An HTTP error without Strapi's envelope: a proxy's HTML page, an empty body.
    Http {
        /// The HTTP status.
        status: u16,
    },
    /// No answer at all: server down, network down, or the browser refused it (CORS).
    Unreachable,
    /// No answer in time; the request was given up.
    TimedOut,
    /// A success status whose body is not what this endpoint returns.
    UnexpectedAnswer,
    /// The call needs a session and there is none (any more).
    LoggedOut,
    /// The call needs a recent [confirmation](crate::Confirmation) that the person proved
    /// themselves (strapi-plugin-passkeys' "confirm it's you") and the caller has none: nothing
    /// was sent.
    NotConfirmed,
}

/// What went wrong, as an app decides what to say and do about it. Strapi answers in English only:
/// its known messages are recognised here, word for word, so an app can say them in its own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `Invalid identifier or password`.
    InvalidCredentials,
    /// `Your account email is not confirmed`: the person must click the link Strapi mailed.
    EmailNotConfirmed,
    /// `Your account has been blocked by an administrator` (a login), `User blocked` (a refresh).
    Blocked,
    /// `Email or Username are already taken` (sign-up).
    UsernameOrEmailTaken,
    /// `Email is already taken.` (sign-up with an address someone else confirmed).
    EmailTaken,
    /// `Register action is currently disabled`: Strapi's `allow_register` is off.
    RegistrationClosed,
    /// `Incorrect code provided`: a password-reset code that is wrong, used or expired.
    IncorrectCode,
    /// `Passwords do not match`.
    PasswordsDoNotMatch,
    /// `The provided current password is invalid` (change password).
    IncorrectCurrentPassword,
    /// `Your new password must be different than your current password`.
    SamePassword,
    /// `Password must be less than 73 bytes`.
    PasswordTooLong,
    /// `Already confirmed` (a new confirmation link for a confirmed address).
    AlreadyConfirmed,
    /// `Error sending confirmation email`: the account exists, Strapi's mail failed.
    EmailNotSent,
    /// `This provider is disabled`.
    ProviderDisabled,
    /// `OAuth authentication requires a completed provider session`: a provider's return without
    /// the session cookie Strapi set when the login began (another browser, cookies blocked).
    NoProviderSession,
    /// `Missing or invalid credentials`, `Invalid refresh token`, or any other 401: the token is
    /// not (or no longer) good.
    Unauthorized,
    /// Strapi's validation failed (`N errors occurred`, `… is a required field`, …); see
    /// [`Error::fields`].
    Invalid,
    /// `Invalid passkey` (strapi-plugin-passkeys): Strapi does not accept this passkey for a
    /// sign-in or a registration: not (or no longer) registered, or its answer failed a check.
    PasskeyRefused,
    /// `Passkey challenge expired or already used`: the prompt took too long, or its answer was
    /// sent before; start again with new options.
    PasskeyChallengeExpired,
    /// `Passkey already registered`: this passkey is someone's already.
    PasskeyTaken,
    /// `Passkey not found`: no such passkey among the person's own (removed meanwhile); at a
    /// sign-in, a passkey Strapi does not know (never registered, or removed), which the browser
    /// may be told to forget.
    PasskeyNotFound,
    /// `Confirmation required` (a 403, strapi-plugin-passkeys): adding or removing a passkey
    /// needs a recent confirmation and the request carried none, or one that is unknown, expired
    /// or another person's; or a sign-in token that cannot be exchanged for one. Also
    /// [`Error::NotConfirmed`]. Other 403s (a missing permission) are [`ErrorKind::Refused`].
    ConfirmationRequired,
    /// `This account has no password`: the person cannot confirm with a password (an account
    /// made through a provider); another way is needed.
    NoPassword,
    /// `Too many passkeys`: the account holds as many passkeys as the plugin's `maxPasskeys`.
    TooManyPasskeys,
    /// HTTP 429: too many attempts; wait before the next.
    RateLimited,
    /// HTTP 413: more than the server accepts.
    PayloadTooLarge,
    /// Any other refusal (4xx) with a message this crate does not know.
    Refused,
    /// A 5xx: the server (or a proxy before it) failed.
    ServerError,
    /// See [`Error::Unreachable`].
    Unreachable,
    /// See [`Error::TimedOut`].
    TimedOut,
    /// See [`Error::UnexpectedAnswer`].
    UnexpectedAnswer,
    /// See [`Error::LoggedOut`].
    LoggedOut,
}

impl ErrorKind {
    /// The kind Strapi means by `message` (its exact English text), if it is one of its known ones.
    pub fn of_message(message: &str) -> Option<ErrorKind> {
        use ErrorKind::*;
        Some(match message {
            "Invalid identifier or password" => InvalidCredentials,
            "Your account email is not confirmed" => EmailNotConfirmed,
            "Your account has been blocked by an administrator" | "User blocked" => Blocked,
            "Email or Username are already taken" => UsernameOrEmailTaken,
            "Email is already taken." => EmailTaken,
            "Register action is currently disabled" => RegistrationClosed,
            "Incorrect code provided" => IncorrectCode,
            "Passwords do not match" => PasswordsDoNotMatch,
            "The provided current password is invalid" => IncorrectCurrentPassword,
            "Your new password must be different than your current password" => SamePassword,
            "Password must be less than 73 bytes" => PasswordTooLong,
            "Already confirmed" => AlreadyConfirmed,
            "Error sending confirmation email" => EmailNotSent,
            "This provider is disabled" => ProviderDisabled,
            "OAuth authentication requires a completed provider session" => NoProviderSession,
            "Missing or invalid credentials" | "Invalid refresh token" => Unauthorized,
            "Too many requests, please try again later." => RateLimited,
            "Invalid passkey" => PasskeyRefused,
            "Passkey challenge expired or already used" => PasskeyChallengeExpired,
            "Passkey already registered" => PasskeyTaken,
            "Passkey not found" => PasskeyNotFound,
            "Confirmation required" => ConfirmationRequired,
            "This account has no password" => NoPassword,
            "Too many passkeys" => TooManyPasskeys,
            "Invalid passkey name" => Invalid,
            _ if Issue::count_of(message).is_some() => Invalid,
            _ => return None,
        })
    }
}

/// A form field Strapi can complain about, named as in its request bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// `identifier`: the email address or username of a login.
    Identifier,
    /// `password`.
    Password,
    /// `username`.
    Username,
    /// `email`.
    Email,
    /// `passwordConfirmation`.
    PasswordConfirmation,
    /// `currentPassword`.
    CurrentPassword,
}

impl Field {
    const ALL: [Field; 6] = [
        Field::Identifier,
        Field::Password,
        Field::Username,
        Field::Email,
        Field::PasswordConfirmation,
        Field::CurrentPassword,
    ];

    /// The field's name in Strapi's request bodies (`passwordConfirmation`).
    pub const fn name(self) -> &'static str {
        match self {
            Field::Identifier => "identifier",
            Field::Password => "password",
            Field::Username => "username",
            Field::Email => "email",
            Field::PasswordConfirmation => "passwordConfirmation",
            Field::CurrentPassword => "currentPassword",
        }
    }

    /// The field Strapi means by `name` (the first segment of a validation error's `path`).
    pub fn named(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// What Strapi found wrong with one field, recognised from its (English) validation message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Issue {
    /// `… is a required field`.
    Required,
    /// `… must be a valid email`.
    InvalidEmail,
    /// `… must be at least N characters`.
    TooShort {
        /// The least number of characters Strapi accepts.
        min: usize,
    },
    /// A message this crate does not know: see [`FieldError::message`].
    Other,
}

impl Issue {
    /// The issue Strapi means by a field's `message`.
    pub fn of_message(message: &str) -> Issue {
        let count = |s: &str| s.parse::<usize>().ok();
        if message.ends_with(" is a required field") {
            Issue::Required
        } else if message.ends_with(" must be a valid email") {
            Issue::InvalidEmail
        } else if let Some(min) = message
            .split_once(" must be at least ")
            .and_then(|(_, rest)| rest.strip_suffix(" characters"))
            .and_then(count)
        {
            Issue::TooShort { min }
        } else {
            Issue::Other
        }
    }

    /// How many errors a summary such as `3 errors occurred` counts.
    pub fn count_of(message: &str) -> Option<usize> {
        message
            .strip_suffix(" errors occurred")
            .or_else(|| message.strip_suffix(" error occurred"))
            .and_then(|n| n.parse().ok())
    }
}

/// Strapi's message about one field (`details.errors[]` of a validation error).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldError {
    /// The field it is about.
    pub field: Field,
    /// What is wrong, as far as this crate recognises it.
    pub issue: Issue,
    /// Strapi's message, in English, clipped.
    pub message: String,
}

impl FieldError {
    /// A field's `message`, with its [`Issue`] recognised.
    pub fn new(field: Field, message: String) -> Self {
        Self {
            field,
            issue: Issue::of_message(&message),
            message,
        }
    }
}

impl Error {
    /// What went wrong, to decide what to say and do.
    ///
    /// ```
    /// use strapi_auth::{Error, ErrorKind};
    ///
    /// let error = Error::Http { status: 429 };
    /// assert_eq!(error.kind(), ErrorKind::RateLimited);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Strapi {
                status, message, ..
            } => match (*status, ErrorKind::of_message(message)) {
                (500.., _) => ErrorKind::ServerError,
                (429, _) => ErrorKind::RateLimited,
                (413, _) => ErrorKind::PayloadTooLarge,
                // Only the plugin's 403 says so: the same words at another status are not its.
                (403, Some(ErrorKind::ConfirmationRequired)) => ErrorKind::ConfirmationRequired,
                (_, Some(ErrorKind::ConfirmationRequired)) => ErrorKind::Refused,
                (_, Some(kind)) => kind,
                (401, None) => ErrorKind::Unauthorized,
                _ if !self.fields().is_empty() => ErrorKind::Invalid,
                _ => ErrorKind::Refused,
            },
            Error::Http { status } => match status {
                500.. => ErrorKind::ServerError,
                429 => ErrorKind::RateLimited,
                413 => ErrorKind::PayloadTooLarge,
                401 => ErrorKind::Unauthorized,
                _ => ErrorKind::Refused,
            },
            Error::Unreachable => ErrorKind::Unreachable,
            Error::TimedOut => ErrorKind::TimedOut,
            Error::UnexpectedAnswer => ErrorKind::UnexpectedAnswer,
            Error::LoggedOut => ErrorKind::LoggedOut,
            Error::NotConfirmed => ErrorKind::ConfirmationRequired,
        }
    }

    /// The HTTP status, when an answer came.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Strapi { status, .. } | Error::Http { status } => Some(*status),
            Error::Unreachable
            | Error::TimedOut
            | Error::UnexpectedAnswer
            | Error::LoggedOut
            | Error::NotConfirmed => None,
        }
    }

    /// Strapi's messages about single fields, if it sent any.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Strapi { fields, .. } => fields,
            _ => &[],
        }
    }

    /// Strapi's first message about `field`, if it sent one.
    pub fn field(&self, field: Field) -> Option<&FieldError> {
        self.fields().iter().find(|e| e.field == field)
    }
}

/// For logs and developers, in English; people should see the app's wording of [`Error::kind`].
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Strapi {
                status, message, ..
            } => write!(f, "Strapi answered {status}: {message}"),
            Error::Http { status } => write!(f, "HTTP {status} without Strapi's error envelope"),
            Error::Unreachable => f.write_str("Strapi could not be reached"),
            Error::TimedOut => f.write_str("Strapi did not answer in time"),
            Error::UnexpectedAnswer => {
                f.write_str("Strapi's answer was not what this call returns")
            }
            Error::LoggedOut => f.write_str("no session"),
            Error::NotConfirmed => f.write_str("no confirmation"),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    fn strapi(status: u16, message: &str) -> Error {
        Error::Strapi {
            status,
            name: "ApplicationError".into(),
            message: message.into(),
            fields: Vec::new(),
        }
    }

    #[test]
    fn strapi_messages_are_recognised_word_for_word() {
        assert_eq!(
            strapi(400, "Invalid identifier or password").kind(),
            ErrorKind::InvalidCredentials
        );
        assert_eq!(
            strapi(400, "Your account email is not confirmed").kind(),
            ErrorKind::EmailNotConfirmed
        );
        assert_eq!(strapi(401, "User blocked").kind(), ErrorKind::Blocked);
        assert_eq!(
            strapi(400, "Incorrect code provided").kind(),
            ErrorKind::IncorrectCode
        );
        assert_eq!(strapi(400, "3 errors occurred").kind(), ErrorKind::Invalid);
        assert_eq!(
            strapi(400, "invalid identifier or password").kind(),
            ErrorKind::Refused
        );
        assert_eq!(
            strapi(401, "Something else").kind(),
            ErrorKind::Unauthorized
        );
    }

    #[test]
    fn the_status_wins_over_the_message_for_server_trouble_and_limits() {
        assert_eq!(
            strapi(500, "Invalid identifier or password").kind(),
            ErrorKind::ServerError
        );
        assert_eq!(
            strapi(429, "Too many requests, please try again later.").kind(),
            ErrorKind::RateLimited
        );
        assert_eq!(
            strapi(413, "request entity too large").kind(),
            ErrorKind::PayloadTooLarge
        );
        assert_eq!(Error::Http { status: 502 }.kind(), ErrorKind::ServerError);
        assert_eq!(Error::Http { status: 404 }.kind(), ErrorKind::Refused);
    }

    #[test]
    fn field_messages_are_recognised() {
        assert_eq!(
            Issue::of_message("email is a required field"),
            Issue::Required
        );
        assert_eq!(
            Issue::of_message("email must be a valid email"),
            Issue::InvalidEmail
        );
        assert_eq!(
            Issue::of_message("password must be at least 6 characters"),
            Issue::TooShort { min: 6 }
        );
        assert_eq!(
            Issue::of_message("password must be at least six characters"),
            Issue::Other
        );
        assert_eq!(Issue::count_of("1 error occurred"), Some(1));
        assert_eq!(Issue::count_of("12 errors occurred"), Some(12));
        assert_eq!(Issue::count_of("many errors occurred"), None);
    }

    #[test]
    fn confirmation_required_is_the_plugins_403_and_no_other() {
        let refusal = |status, name: &str, message: &str| Error::Strapi {
            status,
            name: name.into(),
            message: message.into(),
            fields: Vec::new(),
        };
        assert_eq!(
            refusal(403, "ForbiddenError", "Confirmation required").kind(),
            ErrorKind::ConfirmationRequired
        );
        // Users & Permissions' own 403 (a permission the role lacks, an API token): not a step-up.
        assert_eq!(
            refusal(403, "ForbiddenError", "Forbidden").kind(),
            ErrorKind::Refused
        );
        assert_eq!(Error::Http { status: 403 }.kind(), ErrorKind::Refused);
        assert_eq!(
            refusal(400, "ApplicationError", "Confirmation required").kind(),
            ErrorKind::Refused
        );
        assert_eq!(
            refusal(403, "ForbiddenError", "confirmation required").kind(),
            ErrorKind::Refused
        );
        assert_eq!(Error::NotConfirmed.kind(), ErrorKind::ConfirmationRequired);
        assert_eq!(Error::NotConfirmed.status(), None);
    }

    #[test]
    fn the_confirmation_refusals_are_kinds() {
        assert_eq!(
            strapi(400, "This account has no password").kind(),
            ErrorKind::NoPassword
        );
        assert_eq!(
            strapi(400, "Too many passkeys").kind(),
            ErrorKind::TooManyPasskeys
        );
        // A wrong password at a confirmation is change-password's refusal, word for word.
        assert_eq!(
            strapi(400, "The provided current password is invalid").kind(),
            ErrorKind::IncorrectCurrentPassword
        );
    }

    #[test]
    fn display_is_for_developers_and_names_the_status() {
        assert_eq!(
            strapi(400, "Incorrect code provided").to_string(),
            "Strapi answered 400: Incorrect code provided"
        );
    }
}
