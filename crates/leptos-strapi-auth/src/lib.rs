#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod auth;
mod guard;
mod lock;
mod renewal;
mod storage;
mod tabs;

pub use auth::{Auth, Notice, Paths, SignInError, SignedUp, provide_auth, use_auth};
pub use guard::{RequireAuth, RequireGuest, after_sign_in};
pub use storage::StorageUnavailable;
pub use strapi_auth;
