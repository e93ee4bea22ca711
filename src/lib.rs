//! A Leptos client-side login frontend for Strapi: the app shell and its route table.

pub mod auth;
pub mod components;
pub mod config;
pub mod expiry;
pub mod http;
pub mod jwt;
pub mod pages;
pub mod panic_hook;
pub mod redirect;
pub mod session;
pub mod storage;
pub mod strapi;

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Redirect, Route, Router};
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::{NavigateOptions, path};

use auth::{Auth, Notice, use_auth};
use pages::{DashboardPage, LoginPage, NotFoundPage};
use strapi::Strapi;

/// The app's pages, so route strings live in one place (the route table below uses the same literals).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    Login,
    Dashboard,
}

impl Page {
    pub const fn path(self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::Login => "/auth/login",
            Page::Dashboard => "/dashboard",
        }
    }
}

/// The whole app, talking to `strapi`. `main` passes the real server; tests pass a fake transport.
#[component]
pub fn App(strapi: Strapi) -> impl IntoView {
    let auth = Auth::new(strapi);
    auth.start();
    provide_context(auth);
    view! {
        <Router>
            <AppRoutes />
        </Router>
    }
}

/// The route table. Private pages are `guarded`: a logged-out person is sent to the login page,
/// which remembers where they were going; a logged-in person opening the login page is sent on to
/// that target (or the dashboard).
#[component]
fn AppRoutes() -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    let query = use_query_map();

    let logged_in = move || auth.is_logged_in();
    let logged_out = move || !auth.is_logged_in();
    let to_login = move || {
        // After an explicit logout there is nowhere to return to.
        if auth.notice_untracked() == Some(Notice::LoggedOut) {
            return Page::Login.path().to_owned();
        }
        let search = location.search.get_untracked(); // without its `?`
        let mut here = location.pathname.get_untracked();
        if !search.is_empty() {
            here = format!("{here}?{search}");
        }
        redirect::login_path_returning_to(&here)
    };
    let after_login = move || redirect::safe_target(query.read_untracked().get_str("redirect"));

    view! {
        <FlatRoutes fallback=NotFoundPage>
            <Route path=path!("/") view=Home />
            <Route
                path=path!("/auth/login")
                view=move || guarded(logged_out, after_login, LoginPage)
            />
            <Route
                path=path!("/dashboard")
                view=move || guarded(logged_in, to_login, DashboardPage)
            />
        </FlatRoutes>
    }
}

/// `/` has no page of its own: it sends the person where they belong.
#[component]
fn Home() -> impl IntoView {
    let target = if use_auth().is_logged_in_untracked() {
        Page::Dashboard
    } else {
        Page::Login
    };
    let replace = NavigateOptions {
        replace: true,
        ..Default::default()
    };
    view! { <Redirect path=target.path() options=replace /> }
}

/// A route guard: shows `page` while `allowed` holds and otherwise replaces the URL with
/// `elsewhere()`. It decides synchronously (the router's `ProtectedRoute` wraps its page in a
/// `Transition`, an async round and extra code for a check that never waits), and reacts when
/// the session changes: logging in moves the login page on, logging out leaves the dashboard.
fn guarded<V: IntoView + 'static>(
    allowed: impl Fn() -> bool + Clone + Send + Sync + 'static,
    elsewhere: impl Fn() -> String + Send + Sync + 'static,
    page: fn() -> V,
) -> impl IntoView {
    let navigate = use_navigate();
    let still_allowed = allowed.clone();
    Effect::new(move || {
        if !still_allowed() {
            let replace = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate(&elsewhere(), replace);
        }
    });
    move || allowed().then(page)
}
