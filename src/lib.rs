//! A Leptos client-side login frontend for Strapi: the app shell and its route table.

pub mod auth;
pub mod components;
pub mod config;
pub mod http;
pub mod pages;
pub mod panic_hook;
pub mod session;
pub mod storage;
pub mod strapi;

use leptos::prelude::*;
use leptos_router::components::{ProtectedRoute, Redirect, Route, Router, Routes};
use leptos_router::{NavigateOptions, path};

use auth::{Auth, use_auth};
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
    provide_context(strapi);
    let auth = Auth::restore();
    provide_context(auth);
    let logged_in = move || Some(auth.is_logged_in());
    let logged_out = move || Some(!auth.is_logged_in());

    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=Home />
                <ProtectedRoute
                    path=path!("/auth/login")
                    view=LoginPage
                    condition=logged_out
                    redirect_path=|| Page::Dashboard.path()
                />
                <ProtectedRoute
                    path=path!("/dashboard")
                    view=DashboardPage
                    condition=logged_in
                    redirect_path=|| Page::Login.path()
                />
            </Routes>
        </Router>
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
