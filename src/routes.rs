//! Route knowledge in one place: the paths of the app's pages (the route table in `lib.rs` and
//! every link use them), where the guards send people, and moving on without a history entry.

use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use leptos_strapi_auth::Paths;

/// The app's pages.
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
}

impl Page {
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
        }
    }
}

/// Where the guards send people: the login page, and the dashboard after signing in.
pub fn paths() -> Paths {
    Paths {
        login: Page::Login.path(),
        home: Page::Dashboard.path(),
    }
}

/// Goes to a path of this app in place of the current entry of the history, so Back never returns
/// to a page that would only send the person on again. The address bar is written before it
/// returns (a reset code must not stay there a moment longer). Call where a view is built.
pub fn use_replace() -> impl Fn(&str) + Clone + Send + Sync + 'static {
    let navigate = use_navigate();
    move |path: &str| {
        let options = NavigateOptions {
            replace: true,
            ..NavigateOptions::default()
        };
        navigate(path, options);
    }
}
