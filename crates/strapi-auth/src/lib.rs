#![doc = include_str!("../README.md")]
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
