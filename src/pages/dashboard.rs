use leptos::prelude::*;
use leptos::task::spawn_local;

use leptos_strapi_auth::{Auth, use_auth};
use strapi_auth::{Error, User};

use crate::account::{self, AfterReset, Passkeys, SignedInDevices};
use crate::components::{Card, SessionNotice};
use crate::config::use_config;
use crate::i18n::{T, around, tf, tr, tr_while};
use crate::messages::error_text;
use crate::routes::Page;

/// `/dashboard`: who is logged in (from the login answer, or else `GET /users/me`), the account's
/// sections (after a password reset, what to check first), and logging out.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let auth = use_auth();
    let passkeys = use_config().passkeys;
    let logging_out = RwSignal::new(false);
    // Bumped when one section changed what another lists.
    let changed = RwSignal::new(0u32);
    // Right after a reset from the mail, once per visit (read in an effect: never by a view
    // built ahead of time).
    let just_reset = RwSignal::new(false);
    Effect::new(move || {
        if account::after_reset::take() {
            just_reset.set(true);
        }
    });

    // Who is logged in comes with the login answer; after a reload (or a login in another tab)
    // it is asked of Strapi, once per person, not on every token renewal.
    let failed = RwSignal::new(None::<Error>);
    let load = move || load_user(auth, failed);
    Effect::new(move || {
        if auth.is_logged_in() && auth.user::<User>().is_none() {
            load();
        }
    });

    let log_out = move |_| {
        logging_out.set(true);
        spawn_local(async move { auth.log_out().await });
    };

    let body = move || match (auth.user::<User>(), failed.get()) {
        (Some(user), _) => view! { <Account user /> }.into_any(),
        (None, Some(error)) => view! { <LoadError error retry=load /> }.into_any(),
        (None, None) => view! {
            <p class="status" role="status">
                {tr(T::LoadingAccount)}
            </p>
        }
        .into_any(),
    };

    view! {
        <Card title=T::Dashboard>
            <SessionNotice />
            {body}
            <p class="card__footer">
                <a href=Page::ChangePassword.path()>{tr(T::ChangePassword)}</a>
            </p>
            {move || (passkeys && just_reset.get()).then(|| view! { <AfterReset changed /> })}
            {passkeys.then(|| view! { <Passkeys changed /> })}
            <SignedInDevices changed />
            <button
                type="button"
                class="button button--secondary"
                disabled=move || logging_out.get()
                on:click=log_out
            >
                {tr_while(logging_out, T::LoggingOut, T::LogOut)}
            </button>
        </Card>
    }
}

/// Asks Strapi who is logged in; a failure stays in `failed` for the page to show.
fn load_user(auth: Auth, failed: RwSignal<Option<Error>>) {
    failed.set(None);
    spawn_local(async move {
        if let Err(error) = auth.load_user::<User>().await {
            failed.try_set(Some(error));
        }
    });
}

/// The logged-in person's details.
#[component]
fn Account(user: User) -> impl IntoView {
    let before = move || around(T::LoggedInAs, "username").0;
    let after = move || around(T::LoggedInAs, "username").1;
    view! {
        <p class="card__lead">{before} <strong>{user.username.clone()}</strong> {after}</p>
        <dl class="details">
            <dt>{tr(T::Username)}</dt>
            <dd>{user.username}</dd>
            <dt>{tr(T::Email)}</dt>
            <dd>{user.email}</dd>
        </dl>
    }
}

/// Why the account could not be loaded, with a way to try again.
#[component]
fn LoadError(error: Error, retry: impl Fn() + 'static) -> impl IntoView {
    view! {
        <p class="alert" role="alert">
            {move || tf(T::AccountNotLoaded, &[("reason", &error_text(&error))])}
        </p>
        <button type="button" class="button" on:click=move |_| retry()>
            {tr(T::TryAgain)}
        </button>
    }
}
