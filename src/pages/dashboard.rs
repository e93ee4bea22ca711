use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::auth::use_auth;
use crate::strapi::{ApiError, User};

/// `/dashboard`: who is logged in, from `GET /users/me`.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let auth = use_auth();
    let logging_out = RwSignal::new(false);

    // `None` while loading. Fetched again when someone else logs in (another tab), not on every
    // token renewal; an answer that arrives after a newer request started is dropped.
    let me = RwSignal::new(None::<Result<User, ApiError>>);
    let latest = StoredValue::new(0_u32);
    let load = move || {
        let this = latest.get_value().wrapping_add(1);
        latest.set_value(this);
        me.set(None);
        spawn_local(async move {
            let answer = auth
                .authorized(
                    |strapi, session| async move { strapi.me(session.access_token()).await },
                )
                .await;
            if latest.try_get_value() == Some(this) {
                me.try_set(Some(answer));
            }
        });
    };
    Effect::new(move || {
        if auth.is_logged_in() {
            load();
        }
    });

    let log_out = move |_| {
        logging_out.set(true);
        spawn_local(async move { auth.log_out().await });
    };

    let body = move || match me.get() {
        None => view! {
            <p class="status" role="status">
                "Loading your account…"
            </p>
        }
        .into_any(),
        Some(Ok(user)) => view! { <Account user /> }.into_any(),
        Some(Err(error)) => view! { <LoadError error retry=load /> }.into_any(),
    };

    view! {
        <main class="page">
            <section class="card" aria-labelledby="dashboard-title">
                <h1 id="dashboard-title">"Dashboard"</h1>
                {body}
                <button
                    type="button"
                    class="button button--secondary"
                    disabled=move || logging_out.get()
                    on:click=log_out
                >
                    {move || if logging_out.get() { "Logging out…" } else { "Log out" }}
                </button>
            </section>
        </main>
    }
}

/// The logged-in person's details.
#[component]
fn Account(user: User) -> impl IntoView {
    view! {
        <p class="card__lead">"You are logged in as " <strong>{user.username.clone()}</strong> "."</p>
        <dl class="details">
            <dt>"Username"</dt>
            <dd>{user.username}</dd>
            <dt>"Email"</dt>
            <dd>{user.email}</dd>
        </dl>
    }
}

/// Why the account could not be loaded, with a way to try again.
#[component]
fn LoadError(error: ApiError, retry: impl Fn() + 'static) -> impl IntoView {
    view! {
        <p class="alert" role="alert">
            "Your account could not be loaded. "
            {error.to_string()}
        </p>
        <button type="button" class="button" on:click=move |_| retry()>
            "Try again"
        </button>
    }
}
