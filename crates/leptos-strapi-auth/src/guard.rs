//! Guards for `leptos_router` routes: pages for signed-in people only, and pages for signed-out
//! people only. Both decide as the page is built, show nothing while the verdict is no, and move on
//! a task later with history `replace`, so Back never lands on a page that would only bounce again.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use strapi_auth::redirect;

use crate::auth::{Auth, Notice, use_auth};

/// Shows `children` to a signed-in person; anyone else is sent to the login page, which brings
/// them back here afterwards (`?redirect=`), unless they just logged out. Reacts to the session:
/// logging out here or in another tab leaves the page.
///
/// (`leptos_router`'s `ProtectedRoute` wraps its page in a `Transition` and navigates with a new
/// history entry; this guard never waits, and replaces.)
#[component]
pub fn RequireAuth(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    let to_login = move || {
        let login = auth.paths().login;
        // After an explicit logout there is nowhere to return to.
        if auth.notice_untracked() == Some(Notice::LoggedOut) {
            return login.to_owned();
        }
        // The router's `search` has no `?`.
        let (path, query) = (
            location.pathname.get_untracked(),
            location.search.get_untracked(),
        );
        let here = match query.as_str() {
            "" => path,
            query => format!("{path}?{query}"),
        };
        redirect::returning_to(login, &here)
    };
    guarded(move || auth.is_logged_in(), to_login, children)
}

/// Shows `children` (a login or sign-up page) to a signed-out person; a signed-in one is sent on
/// to where the page's `redirect` parameter asks, when that is a path of this app, or home. This
/// is also how a login moves on: the session appears, the guard sends the person on.
#[component]
pub fn RequireGuest(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let onward = move || after_sign_in(auth, query.with_untracked(|q| q.get("redirect")));
    guarded(move || !auth.is_logged_in(), onward, children)
}

/// Where to go after signing in: `requested` (a `redirect` parameter) when it is a safe path of
/// this app, else the home path.
pub fn after_sign_in(auth: Auth, requested: Option<String>) -> String {
    let paths = auth.paths();
    requested
        .as_deref()
        .and_then(|target| redirect::safe_target(target, &[paths.login]))
        .unwrap_or(paths.home)
        .to_owned()
}

fn guarded(
    allowed: impl Fn() -> bool + Send + Sync + 'static,
    elsewhere: impl Fn() -> String + Send + Sync + 'static,
    children: ChildrenFn,
) -> impl IntoView {
    let elsewhere = Arc::new(elsewhere);
    let navigate = use_navigate();
    // A memo: the page is built again only when the verdict changes, not whenever the session
    // does (a renewal, new tokens after a password change), which would reset what it shows.
    let allowed = Memo::new(move |_| allowed());
    // An effect, so the address changes after this view is built, not while it is; and a task
    // later, so that a link's navigation to this page has reached the history first (the router
    // writes it once the page is built): replacing before would replace the page the link was on,
    // and Back would leave the app.
    Effect::new(move || {
        if !allowed.get() {
            let (navigate, elsewhere) = (navigate.clone(), elsewhere.clone());
            set_timeout(
                move || {
                    // The verdict may have changed meanwhile, or the app gone.
                    if allowed.try_get_untracked() == Some(false) {
                        let options = NavigateOptions {
                            replace: true,
                            ..NavigateOptions::default()
                        };
                        navigate(&elsewhere(), options);
                    }
                },
                Duration::ZERO,
            );
        }
    });
    move || allowed.get().then(|| children())
}
