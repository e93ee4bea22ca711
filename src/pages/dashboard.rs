use leptos::prelude::*;

use crate::auth::{Notice, use_auth};
use crate::strapi::{ApiError, Strapi, User};

/// `/dashboard`: who is logged in, from `GET /users/me`.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let auth = use_auth();
    let strapi = expect_context::<Strapi>();

    let me = LocalResource::new(move || {
        let strapi = strapi.clone();
        let session = auth.session();
        async move {
            match session {
                Some(session) => strapi.me(session.access_token()).await.map(Some),
                None => Ok(None),
            }
        }
    });

    // Strapi no longer accepts the token (expired, revoked, signed with a rotated secret).
    Effect::new(move || {
        if let Some(Err(error)) = me.get()
            && error.status() == Some(401)
        {
            auth.sign_out(Some(Notice::SessionExpired));
        }
    });

    let body = move || match me.get() {
        None => view! {
            <p class="status" role="status">
                "Loading your account…"
            </p>
        }
        .into_any(),
        Some(Ok(Some(user))) => view! { <Account user /> }.into_any(),
        Some(Ok(None)) => ().into_any(),
        Some(Err(error)) => view! { <LoadError error retry=move || me.refetch() /> }.into_any(),
    };

    view! {
        <main class="page">
            <section class="card" aria-labelledby="dashboard-title">
                <h1 id="dashboard-title">"Dashboard"</h1>
                {body}
                <button
                    type="button"
                    class="button button--secondary"
                    on:click=move |_| auth.sign_out(Some(Notice::LoggedOut))
                >
                    "Log out"
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
