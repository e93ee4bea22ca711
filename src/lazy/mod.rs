//! The pages a login never needs, loaded when the person goes there.
//!
//! `/auth/login` carries the login: the account pages (dashboard, password change) and the other
//! flows (sign-up, forgotten and reset password, the provider return) are Leptos lazy routes whose
//! code a `split` build cuts out of the main wasm into chunks (`scripts/wasm.mjs`: cargo with
//! `--emit-relocs`, wasm-split, wasm-bindgen, wasm-opt). One chunk per group of pages that go
//! together ([`Chunk`]), so a page costs one request, not one per page.
//!
//! Once the login form is live and the browser idle, [`when_idle`] fetches both chunks and
//! rehearses the login (`crate::rehearsal`), so the first login goes on to the dashboard as fast
//! as without the split. A page opened directly (a reload, a link from a mail) has its chunk
//! fetched beside the main wasm: the loader preloads it by `pages.json` (scripts/post-build.mjs),
//! and the app asks for it as soon as it starts ([`preload_for`]), beside the language catalog.
//!
//! A chunk that cannot be fetched (offline, a deploy in between) gives a message and a way to try
//! again (`failed.rs`), never a dead app. Without the `split` feature (`trunk serve`, the tests
//! built by cargo) the same functions are ordinary ones and nothing is fetched.

mod failed;

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use leptos_router::LazyRoute;

use crate::config::StrapiConfig;
use crate::pages::{
    ChangePasswordPage, DashboardPage, ForgotPasswordPage, ProviderReturnPage, RegisterPage,
    ResetPasswordPage,
};
use crate::routes::Page;
use crate::{guest, private};

/// A function whose code lives in chunk `$chunk` of a `split` build: `$name()` fetches the chunk
/// (once; a failure is not remembered, so a later call tries again) and then runs `$body`;
/// `$preload()` only fetches it. Without the `split` feature both are plain async functions.
macro_rules! in_chunk {
    ($chunk:ident, $preload:ident, fn $name:ident($($arg:ident: $ty:ty),*) -> $out:ty $body:block) => {
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split(
            $chunk,
            wasm_split_path = ::leptos::wasm_split,
            preload($preload),
            fallible
        )]
        fn $name($($arg: $ty),*) -> Result<$out, SplitLoaderError> {
            Ok($body)
        }

        #[cfg(not(feature = "split"))]
        async fn $name($($arg: $ty),*) -> Result<$out, SplitLoaderError> {
            Ok($body)
        }

        #[cfg(not(feature = "split"))]
        async fn $preload() -> Result<(), SplitLoaderError> {
            Ok(())
        }
    };
}

// The account: what a signed-in person sees, and the login's rehearsal, which builds the dashboard.
in_chunk!(
    account,
    preload_dashboard,
    fn dashboard() -> AnyView {
        private(DashboardPage).into_any()
    }
);
in_chunk!(
    account,
    preload_change_password,
    fn change_password() -> AnyView {
        private(ChangePasswordPage).into_any()
    }
);
in_chunk!(
    account,
    preload_rehearsal,
    fn rehearse(config: StrapiConfig) -> bool {
        crate::rehearsal::rehearse(config)
    }
);

// The other flows: each starts from a link on the login page or in a mail.
in_chunk!(
    flows,
    preload_register,
    fn register() -> AnyView {
        guest(RegisterPage).into_any()
    }
);
in_chunk!(
    flows,
    preload_forgot_password,
    fn forgot_password() -> AnyView {
        ForgotPasswordPage().into_any()
    }
);
in_chunk!(
    flows,
    preload_reset_password,
    fn reset_password() -> AnyView {
        ResetPasswordPage().into_any()
    }
);
in_chunk!(
    flows,
    preload_provider_return,
    fn provider_return() -> AnyView {
        ProviderReturnPage().into_any()
    }
);

/// The groups of pages that load together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chunk {
    /// The dashboard and the password change.
    Account,
    /// Sign-up, forgotten and reset password, the return from a login provider.
    Flows,
}

impl Chunk {
    /// The chunk a page of the route table lives in (`None`: the main wasm). `pages.json` says the
    /// same for the loader, which starts fetching a page's chunk beside the main wasm
    /// (scripts/post-build.mjs); a test keeps the two in step.
    pub fn of(path: &str) -> Option<Chunk> {
        let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
        if under(Page::Dashboard.path()) || under(Page::ChangePassword.path()) {
            Some(Chunk::Account)
        } else if under(Page::Register.path())
            || under(Page::ForgotPassword.path())
            || under(Page::ResetPassword.path())
            || under("/connect")
        {
            Some(Chunk::Flows)
        } else {
            None
        }
    }

    /// Fetches the chunk; `false` if it could not be.
    pub async fn load(self) -> bool {
        match self {
            Chunk::Account => preload_dashboard().await.is_ok(),
            Chunk::Flows => preload_register().await.is_ok(),
        }
    }
}

/// Starts fetching the chunk of the page at `path`, if it has one: called as the app starts, so
/// a page opened directly does not wait for the router to ask for its code.
pub fn preload_for(path: &str) {
    if let Some(chunk) = Chunk::of(path) {
        // Before the app is mounted, Leptos's executor is not set up yet: wasm-bindgen's.
        wasm_bindgen_futures::spawn_local(async move {
            chunk.load().await;
        });
    }
}

/// Once the login form is live and the browser idle: fetches the account's chunk and rehearses
/// the login with it (unless the login page is gone by then), then fetches the other flows'
/// chunk. A chunk that fails here is fetched again when the person goes to its page.
pub fn when_idle(config: StrapiConfig) {
    crate::rehearsal::when_idle(move |login_page| {
        leptos::task::spawn_local(async move {
            if preload_rehearsal().await.is_ok() && login_page.is_alive() {
                let _ = rehearse(config).await;
            }
            Chunk::Flows.load().await;
        });
    });
}

/// A lazy route: the page's view, or [`failed`]'s message when its chunk cannot be fetched.
async fn shown<F>(load: fn() -> F) -> AnyView
where
    F: Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
{
    match load().await {
        Ok(view) => view,
        Err(_) => failed::view(load),
    }
}

macro_rules! lazy_routes {
    ($($(#[$doc:meta])* $route:ident => $load:ident, $preload:ident;)*) => {$(
        $(#[$doc])*
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(_: Self) -> AnyView {
                shown($load).await
            }

            async fn preload() {
                let _ = $preload().await;
            }
        }
    )*};
}

lazy_routes! {
    /// `/dashboard`, for a signed-in person.
    DashboardRoute => dashboard, preload_dashboard;
    /// `/account/password`, for a signed-in person.
    ChangePasswordRoute => change_password, preload_change_password;
    /// `/auth/register`, for a signed-out person.
    RegisterRoute => register, preload_register;
    /// `/auth/forgot-password`.
    ForgotPasswordRoute => forgot_password, preload_forgot_password;
    /// `/auth/reset-password`.
    ResetPasswordRoute => reset_password, preload_reset_password;
    /// `/connect/:provider/redirect`.
    ProviderReturnRoute => provider_return, preload_provider_return;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the loader reads: a page's path prefixes under the name of its chunk.
    fn loader_table() -> Vec<(String, Vec<String>)> {
        let table: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(include_str!("pages.json")).unwrap();
        table
            .into_iter()
            .map(|(chunk, paths)| {
                let paths = paths.as_array().unwrap().iter();
                (
                    chunk,
                    paths.map(|p| p.as_str().unwrap().to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn the_loader_fetches_the_chunk_the_app_asks_for() {
        let name = |chunk| match chunk {
            Some(Chunk::Account) => "account",
            Some(Chunk::Flows) => "flows",
            None => "main",
        };
        let table = loader_table();
        for (chunk, paths) in &table {
            for path in paths {
                assert_eq!(name(Chunk::of(path)), chunk, "{path}");
                assert_eq!(name(Chunk::of(&format!("{path}/x"))), chunk, "{path}/x");
            }
        }
        // Every page in a chunk is in the table, and the login's pages are in none.
        let listed = |path: &str| {
            table
                .iter()
                .any(|(_, paths)| paths.iter().any(|p| p == path))
        };
        let pages = [
            Page::Dashboard,
            Page::ChangePassword,
            Page::Register,
            Page::ForgotPassword,
        ];
        for page in pages.into_iter().chain([Page::ResetPassword]) {
            assert!(listed(page.path()), "{page:?}");
        }
        assert!(listed("/connect"));
        for page in [Page::Home, Page::Login, Page::EmailConfirmed] {
            assert_eq!(Chunk::of(page.path()), None, "{page:?}");
            assert!(!listed(page.path()), "{page:?}");
        }
        assert_eq!(Chunk::of("/dashboards"), None);
    }
}
