#![doc = include_str!("../README.md")]
//!
//! ## Where things are
//!
//! - [`Strapi`] and its [`Config`]: the calls; [`LoggedIn`], [`Registration`], [`NotRefreshed`]
//!   and the user [`User`] they answer with.
//! - [`session`]: [`Session`], [`Token`], [`StorageKeys`].
//! - [`error`]: [`Error`], [`ErrorKind`], [`FieldError`], [`Field`], [`Issue`].
//! - [`answers`]: Strapi's answers parsed without I/O; [`Device`] and [`SessionId`] of
//!   `GET /auth/sessions`.
//! - [`passkeys`]: [`Passkey`], [`PasskeyId`], [`PasskeyOptions`], [`PasskeySignals`] of the
//!   passkey calls (`strapi-plugin-passkeys`).
//! - [`confirmation`]: [`Confirmation`] and [`ConfirmationMethods`], the plugin's "confirm it's
//!   you" that adding or removing a passkey needs.
//! - [`jwt`], [`expiry`], [`pacing`]: a token's lifetime, when to renew it on Strapi's clock
//!   ([`expiry::Skew`]), and how often ([`pacing::Pacing`]).
//! - [`redirect`]: [`redirect::returning_to`], [`redirect::safe_target`].
//! - [`http`]: the [`http::Transport`] seam and [`http::Fetch`].
#![warn(missing_docs)]

pub mod answers;
mod client;
pub mod confirmation;
pub mod error;
pub mod expiry;
pub mod http;
pub mod jwt;
pub mod pacing;
pub mod passkeys;
pub mod redirect;
pub mod session;

pub use answers::{Device, SessionId, User};
pub use client::{Config, LoggedIn, NotRefreshed, Registration, Strapi};
pub use confirmation::{Confirmation, ConfirmationMethods};
pub use error::{Error, ErrorKind, Field, FieldError, Issue};
pub use passkeys::{Passkey, PasskeyId, PasskeyOptions, PasskeySignals};
pub use session::{Session, StorageKeys, Token};
