//! A Leptos client-side login frontend for Strapi: the app shell and its route table.

pub mod auth;
pub mod components;
pub mod config;
pub mod expiry;
pub mod http;
pub mod i18n;
pub mod json;
pub mod jwt;
pub mod navigation;
pub mod pacing;
pub mod pages;
pub mod panic_hook;
pub mod prerendered;
pub mod providers;
pub mod redirect;
pub mod rehearsal;
pub mod session;
pub mod storage;
pub mod strapi;

use leptos::prelude::*;

use auth::{Auth, Notice, use_auth};
use components::Language;
use navigation::{Navigation, use_navigation};
use pages::{
    ChangePasswordPage, DashboardPage, ForgotPasswordPage, LoginPage, NotFoundPage,
    ProviderReturnPage, RegisterPage, ResetPasswordPage,
};
use strapi::Strapi;

/// The app's pages: the route table, in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    Login,
    Register,
    ForgotPassword,
    ResetPassword,
    EmailConfirmed,
    Dashboard,
    ChangePassword,
    /// `/connect/:provider/redirect`: where Strapi sends the browser back after a provider login.
    ProviderReturn,
}

impl Page {
    const ALL: [Page; 9] = [
        Page::Home,
        Page::Login,
        Page::Register,
        Page::ForgotPassword,
        Page::ResetPassword,
        Page::EmailConfirmed,
        Page::Dashboard,
        Page::ChangePassword,
        Page::ProviderReturn,
    ];

    pub const fn path(self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::Login => "/auth/login",
            Page::Register => "/auth/register",
            Page::ForgotPassword => "/auth/forgot-password",
            Page::ResetPassword => "/auth/reset-password",
            Page::EmailConfirmed => "/auth/email-confirmed",
            Page::Dashboard => "/dashboard",
            Page::ChangePassword => "/account/password",
            // A pattern: one page for every provider.
            Page::ProviderReturn => "/connect/:provider/redirect",
        }
    }

    /// The page at `path` (a trailing slash is ignored), if it is one of ours.
    pub fn at(path: &str) -> Option<Page> {
        let path = match path.trim_end_matches('/') {
            "" => "/",
            trimmed => trimmed,
        };
        if providers::provider_in(path).is_some() {
            return Some(Page::ProviderReturn);
        }
        Page::ALL.into_iter().find(|page| page.path() == path)
    }
}

/// The whole app, talking to `strapi`. `main` passes the real server; tests pass a fake transport.
#[component]
pub fn App(strapi: Strapi) -> impl IntoView {
    let auth = Auth::new(strapi);
    auth.start();
    provide_context(auth);
    provide_context(config::Brand::from_document());
    let language = Language::new();
    provide_context(language);
    provide_context(Navigation::start());
    // Texts are read as views are built: a change of language builds the page again.
    move || {
        language.version.track();
        view! { <Pages /> }
    }
}

/// The page for the address. Private pages are `guarded`: a logged-out person is sent to the login
/// page, which remembers where they were going; a logged-in person opening the login or sign-up
/// page is sent on to that target (or the dashboard), which is also how a login or sign-up moves on.
#[component]
fn Pages() -> impl IntoView {
    let auth = use_auth();
    let navigation = use_navigation();
    // Only a change of page rebuilds the view, not a change of query.
    let page = Memo::new(move |_| navigation.page());

    let logged_in = move || auth.is_logged_in();
    let logged_out = move || !auth.is_logged_in();
    let to_login = move || {
        // After an explicit logout there is nowhere to return to.
        if auth.notice_untracked() == Some(Notice::LoggedOut) {
            return Page::Login.path().to_owned();
        }
        redirect::login_path_returning_to(&navigation.here_untracked())
    };
    let after_login =
        move || redirect::safe_target(navigation.query_untracked("redirect").as_deref());
    // `/` has no page of its own: it sends the person where they belong.
    let home = move || {
        if auth.is_logged_in_untracked() {
            Page::Dashboard.path().to_owned()
        } else {
            Page::Login.path().to_owned()
        }
    };

    move || match page.get() {
        Some(Page::Home) => guarded(|| false, home, || ()).into_any(),
        Some(Page::Login) => guarded(logged_out, after_login, || login(false)).into_any(),
        Some(Page::EmailConfirmed) => guarded(logged_out, after_login, || login(true)).into_any(),
        Some(Page::Register) => guarded(logged_out, after_login, RegisterPage).into_any(),
        Some(Page::ForgotPassword) => ForgotPasswordPage().into_any(),
        // Open whether or not someone is logged in here: the link in the email is for whoever
        // owns that address, and resetting logs them in.
        Some(Page::ResetPassword) => ResetPasswordPage().into_any(),
        Some(Page::Dashboard) => guarded(logged_in, to_login, DashboardPage).into_any(),
        Some(Page::ChangePassword) => guarded(logged_in, to_login, ChangePasswordPage).into_any(),
        Some(Page::ProviderReturn) => ProviderReturnPage().into_any(),
        None => NotFoundPage().into_any(),
    }
}

fn login(email_confirmed: bool) -> impl IntoView {
    LoginPage(pages::LoginPageProps { email_confirmed })
}

/// A route guard: shows `page` while `allowed` holds and otherwise replaces the address with
/// `elsewhere()`. It decides synchronously (leptos_router's `ProtectedRoute` wraps its page in a
/// `Transition`, an async round and extra code for a check that never waits), and reacts when
/// the session changes: logging in moves the login page on, logging out leaves the dashboard.
fn guarded<V: IntoView + 'static>(
    allowed: impl Fn() -> bool + Send + Sync + 'static,
    elsewhere: impl Fn() -> String + Send + Sync + 'static,
    page: fn() -> V,
) -> impl IntoView {
    let navigation = use_navigation();
    // A memo: the page is built again only when the verdict changes, not whenever the session
    // does (a renewal, new tokens after a password change), which would reset what it shows.
    let allowed = Memo::new(move |_| allowed());
    // An effect, so the address changes after this view is built, not while it is.
    Effect::new(move || {
        if !allowed.get() {
            navigation.replace(&elsewhere());
        }
    });
    move || allowed.get().then(page)
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn every_page_is_found_at_its_own_path_and_nothing_else_is() {
        for page in Page::ALL {
            assert_eq!(Page::at(page.path()), Some(page));
        }
        assert_eq!(Page::at("/dashboard/"), Some(Page::Dashboard));
        assert_eq!(Page::at(""), Some(Page::Home));
        assert_eq!(Page::at("//"), Some(Page::Home));
        for other in [
            "/auth",
            "/auth/login/x",
            "/Dashboard",
            "/dashboard.html",
            "/auth//login",
        ] {
            assert_eq!(Page::at(other), None, "{other}");
        }
    }
}
