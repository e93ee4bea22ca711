//! A Leptos client-side login frontend for Strapi: the app shell and its route table. The Strapi
//! calls, the session and the route guards come from `strapi-auth` and `leptos-strapi-auth`.

pub mod account;
pub mod components;
pub mod config;
pub mod i18n;
pub mod lazy;
pub mod messages;
pub mod pages;
pub mod panic_hook;
pub mod prerendered;
pub mod providers;
pub mod rehearsal;
pub mod routes;

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::Lazy;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;
use leptos_strapi_auth::{RequireAuth, RequireGuest, provide_auth};
use strapi_auth::Strapi;
use strapi_auth::http::Transport;

use components::Language;
use config::StrapiConfig;
use lazy::{
    ChangePasswordRoute, DashboardRoute, ForgotPasswordRoute, ProviderReturnRoute, RegisterRoute,
    ResetPasswordRoute,
};
use pages::{HomePage, LoginPage, NotFoundPage};

/// The Strapi this app talks to: the app's settings, and the client built from them.
#[derive(Clone, Debug)]
pub struct Backend {
    pub config: StrapiConfig,
    pub strapi: Strapi,
}

impl Backend {
    /// The client of `config`'s Strapi, over `transport` (the browser's fetch; a fake in tests).
    pub fn new(config: StrapiConfig, transport: Arc<dyn Transport>) -> Self {
        let strapi = Strapi::new(config.client(), transport);
        Self { config, strapi }
    }
}

/// The whole app, talking to `backend`. `main` passes the real server; tests pass a fake transport.
#[component]
pub fn App(backend: Backend) -> impl IntoView {
    provide_auth(backend.strapi, routes::paths());
    provide_context(backend.config);
    provide_context(config::Brand::from_document());
    provide_context(Language::new());
    // Built once: a change of language re-words the texts in place (crate::i18n).
    view! { <Pages /> }
}

/// The route table. Private pages are behind [`RequireAuth`] (a signed-out person goes to the
/// login page, which brings them back); the login and sign-up pages behind [`RequireGuest`] (a
/// signed-in person goes on, which is also how a login moves on). The pages other than the login
/// are lazy routes ([`lazy`]): their code is fetched when needed.
#[component]
fn Pages() -> impl IntoView {
    view! {
        <Router>
            <FlatRoutes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage />
                <Route path=path!("/auth/login") view=|| guest(|| view! { <LoginPage /> }) />
                <Route
                    path=path!("/auth/email-confirmed")
                    view=|| guest(|| view! { <LoginPage email_confirmed=true /> })
                />
                <Route path=path!("/auth/register") view={Lazy::<RegisterRoute>::new()} />
                <Route path=path!("/auth/forgot-password") view={Lazy::<ForgotPasswordRoute>::new()} />
                // Open whether or not someone is signed in here: the link in the email is for
                // whoever owns that address, and resetting signs them in.
                <Route path=path!("/auth/reset-password") view={Lazy::<ResetPasswordRoute>::new()} />
                <Route path=path!("/dashboard") view={Lazy::<DashboardRoute>::new()} />
                <Route path=path!("/account/password") view={Lazy::<ChangePasswordRoute>::new()} />
                <Route
                    path=path!("/connect/:provider/redirect")
                    view={Lazy::<ProviderReturnRoute>::new()}
                />
            </FlatRoutes>
        </Router>
    }
}

/// `page`, for a signed-in person.
pub(crate) fn private<V: IntoView + 'static>(page: fn() -> V) -> impl IntoView {
    view! { <RequireAuth>{move || page()}</RequireAuth> }
}

/// `page`, for a signed-out person.
pub(crate) fn guest<V: IntoView + 'static>(
    page: impl Fn() -> V + Clone + Send + Sync + 'static,
) -> impl IntoView {
    view! { <RequireGuest>{page.clone()}</RequireGuest> }
}
