//! A client for [Strapi](https://strapi.io)'s Users & Permissions plugin, for Rust in the browser
//! (WebAssembly) and anywhere else a [`Transport`](http::Transport) can carry HTTP.
//!
//! - [`Strapi`]: every call of the plugin's auth routes (login, sign-up, password recovery,
//!   email confirmation, change password, refresh, logout, the sessions list, provider logins,
//!   `/users/me`), answering with a [`Session`](session::Session) in the shape Strapi's JWT mode
//!   gave it (legacy, refresh pair, or refresh token in an httpOnly cookie), a user of the
//!   caller's type, or an [`Error`] whose [`kind`](Error::kind) says what happened.
//! - [`session`]: tokens that never show in `Debug`, and how sessions are laid out in storage
//!   (the keys of Strapi's docs by default).
//! - [`jwt`], [`expiry`], [`pacing`]: when a token needs renewing, on Strapi's clock, and how
//!   renewal attempts are paced so that a client never storms a server in trouble.
//! - [`redirect`]: redirect-back targets that cannot leave the app.
//!
//! The crate holds no sentence meant for people: errors are kinds, and an app says them in its own
//! words and languages.
//!
//! ```no_run
//! # async fn demo() {
//! use std::sync::Arc;
//! use strapi_auth::{Config, ErrorKind, Strapi, User, http::Fetch};
//!
//! let strapi = Strapi::new(Config::new("http://localhost:1337"), Arc::new(Fetch));
//! match strapi.login::<User>("ann@example.com", "secret").await {
//!     Ok(logged_in) => println!("renewable: {}", logged_in.session.is_renewable()),
//!     Err(error) if error.kind() == ErrorKind::InvalidCredentials => println!("try again"),
//!     Err(error) => println!("{error}"),
//! }
//! # }
//! ```
//!
//! For Leptos apps, `leptos-strapi-auth` builds the signed-in state, renewal across tabs and
//! route guards on this crate.

#![warn(missing_docs)]

pub mod answers;
mod client;
pub mod error;
pub mod expiry;
pub mod http;
pub mod jwt;
pub mod pacing;
pub mod redirect;
pub mod session;

pub use answers::{Device, SessionId, User};
pub use client::{Config, LoggedIn, NotRefreshed, Registration, Strapi};
pub use error::{Error, ErrorKind, Field, FieldError, Issue};
pub use session::{Session, StorageKeys, Token};
