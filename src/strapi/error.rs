//! Everything that can go wrong talking to Strapi, worded for the person at the keyboard.

use std::fmt;

use crate::i18n::{T, strapi_message, t, tf};

/// A failed Strapi call. `Display` is the sentence shown to the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// Strapi answered with its error envelope `{"error": {status, name, message, details}}`.
    Strapi {
        status: u16,
        name: String,
        message: String,
        fields: Vec<FieldError>,
    },
    /// An HTTP error without Strapi's envelope: a proxy's HTML page, an empty body.
    Http { status: u16 },
    /// No answer at all: server down, network down, or the browser refused it (CORS).
    Unreachable,
    /// No answer in time; the request was given up.
    TimedOut,
    /// A success status whose body is not what this endpoint returns.
    UnexpectedAnswer,
    /// The call needs a session and there is none (any more).
    LoggedOut,
}

/// A form field Strapi can complain about, named as in its request bodies. The name is also the
/// `id` of the input that holds it, so a message finds its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Identifier,
    Password,
    Username,
    Email,
    PasswordConfirmation,
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

/// Strapi's message about one field (`details.errors[]` of a validation error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Strapi { status, .. } | ApiError::Http { status } => Some(*status),
            ApiError::Unreachable
            | ApiError::TimedOut
            | ApiError::UnexpectedAnswer
            | ApiError::LoggedOut => None,
        }
    }

    /// Strapi's message for a field, if it sent one.
    pub fn field_message(&self, field: Field) -> Option<&str> {
        match self {
            ApiError::Strapi { fields, .. } => fields
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.as_str()),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Strapi {
                status, message, ..
            } if *status >= 500 => f.write_str(&tf(
                T::ServerFailed,
                &[("reason", &strapi_message(message))],
            )),
            ApiError::Strapi { status: 413, .. } | ApiError::Http { status: 413 } => {
                f.write_str(t(T::TooLarge))
            }
            ApiError::Strapi { message, .. } => f.write_str(&strapi_message(message)),
            ApiError::Http { status: 429 } => f.write_str(t(T::TooManyAttempts)),
            ApiError::Http { status } if *status >= 500 => f.write_str(&tf(
                T::ServerUnavailable,
                &[("status", &status.to_string())],
            )),
            ApiError::Http { status } => {
                f.write_str(&tf(T::ServerRefused, &[("status", &status.to_string())]))
            }
            ApiError::Unreachable => f.write_str(t(T::Unreachable)),
            ApiError::TimedOut => f.write_str(t(T::TimedOut)),
            ApiError::UnexpectedAnswer => f.write_str(t(T::UnexpectedAnswer)),
            ApiError::LoggedOut => f.write_str(t(T::NotLoggedIn)),
        }
    }
}
