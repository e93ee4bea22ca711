//! Strapi sign-in for [Leptos](https://leptos.dev) apps, on [`strapi_auth`]: the signed-in state
//! as a context ([`provide_auth`], [`use_auth`]), kept fresh before its token expires, renewed
//! once across all of the app's tabs, followed from tab to tab, and guards for `leptos_router`
//! routes ([`RequireAuth`], [`RequireGuest`]).
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use leptos::prelude::*;
//! use leptos_router::components::{Route, Router, Routes};
//! use leptos_router::path;
//! use leptos_strapi_auth::{Paths, RequireAuth, provide_auth, use_auth};
//! use strapi_auth::{Config, Strapi, User, http::Fetch};
//!
//! #[component]
//! fn App() -> impl IntoView {
//!     let strapi = Strapi::new(Config::new("http://localhost:1337"), Arc::new(Fetch));
//!     provide_auth(strapi, Paths::default());
//!     view! {
//!         <Router>
//!             <Routes fallback=|| "Not found">
//!                 <Route path=path!("/dashboard") view=|| view! {
//!                     <RequireAuth><Dashboard /></RequireAuth>
//!                 } />
//!             </Routes>
//!         </Router>
//!     }
//! }
//!
//! #[component]
//! fn Dashboard() -> impl IntoView {
//!     let auth = use_auth();
//!     // The login answer's user, or `GET /users/me`'s after a reload.
//!     Effect::new(move || if auth.user::<User>().is_none() {
//!         leptos::task::spawn_local(async move { let _ = auth.load_user::<User>().await; });
//!     });
//!     move || auth.user::<User>().map(|user| user.username)
//! }
//! ```
//!
//! Tokens are stored raw in `localStorage`, under the keys of Strapi's docs unless
//! [`strapi_auth::Config::storage_keys`] says otherwise, so other Strapi clients on the same
//! origin share the session.

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
