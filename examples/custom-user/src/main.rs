//! A second app on `leptos-strapi-auth`: a login page and a profile page showing a field this
//! project added to Strapi's user (`favouriteColour`), read through a user type of its own.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{NavigateOptions, path};
use leptos_strapi_auth::{Paths, RequireAuth, RequireGuest, SignInError, provide_auth, use_auth};
use serde::Deserialize;
use strapi_auth::{Config, ErrorKind, Strapi, http::Fetch};

/// Who is logged in, as this project's Strapi keeps them: the plugin's user fields it needs, and
/// the attribute `strapi/src/extensions/users-permissions` adds.
#[derive(Clone, PartialEq, Deserialize)]
struct Member {
    username: String,
    email: String,
    #[serde(default, rename = "favouriteColour")]
    favourite_colour: Option<String>,
}

/// The guards' paths: `RequireAuth` sends people to `login`, `RequireGuest` on to `home`.
const PATHS: Paths = Paths {
    login: "/login",
    home: "/profile",
};

fn main() {
    mount_to_body(App);
}

/// Strapi's address: the `<meta name="strapi-url">` of index.html, else a local Strapi.
fn strapi_url() -> String {
    let meta = document().query_selector(r#"meta[name="strapi-url"]"#);
    let url = meta.ok().flatten().and_then(|m| m.get_attribute("content"));
    url.filter(|url| !url.trim().is_empty())
        .unwrap_or_else(|| "http://localhost:1337".to_owned())
}

/// The pages. `/` leads to the profile (replacing itself, so that Back does not bounce), whose
/// guard leads signed-out people on to the login page.
#[component]
fn App() -> impl IntoView {
    let strapi = Strapi::new(Config::new(strapi_url()), Arc::new(Fetch));
    provide_auth(strapi, PATHS);
    view! {
        <Router>
            <main>
                <Routes fallback=|| view! { <h1>"Page not found"</h1> }>
                    <Route path=path!("/") view=|| {
                        let options = NavigateOptions { replace: true, ..Default::default() };
                        view! { <Redirect path=PATHS.home options /> }
                    } />
                    <Route path=path!("/login")
                        view=|| view! { <RequireGuest><Login /></RequireGuest> } />
                    <Route path=path!("/profile")
                        view=|| view! { <RequireAuth><Profile /></RequireAuth> } />
                </Routes>
            </main>
        </Router>
    }
}

/// What to tell the person when a login fails, in this app's words.
fn say(error: &SignInError) -> &'static str {
    match error.kind() {
        Some(ErrorKind::InvalidCredentials) => "Wrong email or password.",
        None => "Your browser did not let this site keep you logged in.",
        _ => "Could not log in just now. Please try again.",
    }
}

/// The login form. On success `RequireGuest` moves on: to the `?redirect=` page, or the profile.
#[component]
fn Login() -> impl IntoView {
    let auth = use_auth();
    let (identifier, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let log_in = Action::new_local(move |(): &()| {
        let (identifier, password) = (identifier.get_untracked(), password.get_untracked());
        async move { auth.log_in(identifier.trim(), &password).await }
    });
    let failure = move || log_in.value().get().and_then(Result::err);
    view! {
        <h1>"Log in"</h1>
        <form on:submit=move |event| {
            event.prevent_default();
            log_in.dispatch(());
        }>
            {move || failure().map(|error| view! { <p role="alert">{say(&error)}</p> })}
            <label for="identifier">"Email or username"</label>
            <input id="identifier" autocomplete="username" required bind:value=identifier />
            <label for="password">"Password"</label>
            <input id="password" type="password" autocomplete="current-password" required
                bind:value=password />
            <button type="submit" disabled=log_in.pending()>"Log in"</button>
        </form>
    }
}

/// Who is logged in: the login answer's user right after a login, `GET /users/me` after a reload.
#[component]
fn Profile() -> impl IntoView {
    let auth = use_auth();
    let member = Memo::new(move |_| auth.user::<Member>());
    let failed = RwSignal::new(false);
    Effect::new(move || {
        if member.with(Option::is_none) {
            spawn_local(async move { failed.set(auth.load_user::<Member>().await.is_err()) });
        }
    });
    let shown = move || match (member.get(), failed.get()) {
        (Some(member), _) => details(member).into_any(),
        (None, true) => view! { <p role="alert">"Could not load your profile."</p> }.into_any(),
        (None, false) => view! { <p>"Loading…"</p> }.into_any(),
    };
    view! {
        <h1>"Your profile"</h1>
        {shown}
        <button type="button" on:click=move |_| spawn_local(async move { auth.log_out().await })>
            "Log out"
        </button>
    }
}

/// The member's details, the project's own field among them.
fn details(member: Member) -> impl IntoView {
    let colour = member.favourite_colour;
    view! {
        <dl>
            <dt>"Username"</dt><dd>{member.username}</dd>
            <dt>"Email"</dt><dd>{member.email}</dd>
            <dt>"Favourite colour"</dt>
            <dd>
                <span class="swatch" style:background-color=colour.clone()></span>
                {colour.unwrap_or_else(|| "none yet".to_owned())}
            </dd>
        </dl>
    }
}
