#![doc = include_str!("../README.md")]
//!
//! ## Where things are
//!
//! - [`provide_auth`], [`use_auth`], and the [`Auth`] they share, with [`Paths`].
//! - What the flows answer: [`SignInError`] (or [`StorageUnavailable`] inside it), [`SignedUp`];
//!   what to tell the person: [`Notice`].
//! - Passkeys: [`Auth::log_in_with_passkey`], [`Auth::add_passkey`], [`Auth::passkeys`],
//!   [`Auth::remove_passkey`], [`Auth::remove_all_passkeys`], [`Auth::signal_passkeys`]; the
//!   browser's half and its [`passkey::PasskeyError`] in [`passkey`].
//! - "Confirm it's you", which adding and removing passkeys need: [`Auth::confirmation_methods`],
//!   [`Auth::confirm_with_password`], [`Auth::confirm_with_passkey`], [`Auth::has_confirmation`].
//! - The guards [`RequireAuth`] and [`RequireGuest`], and [`after_sign_in`].
//! - The client underneath: [`strapi_auth`] ([`strapi_auth::Strapi`], [`strapi_auth::Config`],
//!   [`strapi_auth::StorageKeys`], [`strapi_auth::ErrorKind`], [`strapi_auth::pacing`]).
#![warn(missing_docs)]

mod auth;
mod guard;
mod lock;
pub mod passkey;
mod renewal;
mod storage;
mod tabs;

pub use auth::{Auth, Notice, Paths, SignInError, SignedUp, provide_auth, use_auth};
pub use guard::{RequireAuth, RequireGuest, after_sign_in};
pub use storage::StorageUnavailable;
pub use strapi_auth;
