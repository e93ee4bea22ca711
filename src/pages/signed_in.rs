use leptos::prelude::*;
use leptos::task::spawn_local;

use leptos_strapi_auth::{Auth, use_auth};
use strapi_auth::{Device, Error, SessionId};

use crate::i18n::{T, t, tf, tn};
use crate::messages::error_text;

/// "Where you are signed in" on the dashboard: the person's Strapi sessions (session mode only),
/// with a way to end any of them. Ending this browser's own session is a logout.
#[component]
pub fn SignedInDevices() -> impl IntoView {
    let auth = use_auth();
    let listed = auth.is_renewable_untracked();
    let list = RwSignal::new(None::<Result<Vec<Device>, Error>>);
    let busy = RwSignal::new(false);
    // Ends the sessions `ending` (none: just lists), then shows the list as it now stands.
    let update = move |ending: Vec<SessionId>| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let now = end_and_list(auth, ending).await;
            busy.try_set(false);
            list.try_set(Some(now));
        });
    };
    if listed {
        update(Vec::new());
    }

    // Options rather than type-erased views: each state is built only when it shows.
    let body = move || {
        let (error, sessions) = match list.get() {
            Some(Ok(sessions)) => (None, Some(sessions)),
            Some(Err(error)) => (Some(sessions_problem(&error)), None),
            None => (None, None),
        };
        let loading = (error.is_none() && sessions.is_none()).then(|| {
            view! { <p class="status">{t(T::Loading)}</p> }
        });
        let error = error.map(|message| {
            view! {
                <p class="alert" role="alert">{message}</p>
                <button
                    type="button"
                    class="button button--secondary"
                    on:click=move |_| update(Vec::new())
                >
                    {t(T::TryAgain)}
                </button>
            }
        });
        let sessions = sessions.map(|sessions| {
            let others: Vec<SessionId> = sessions
                .iter()
                .filter(|s| !s.current)
                .map(|s| s.id.clone())
                .collect();
            let rows: Vec<_> = sessions
                .into_iter()
                .map(|session| view! { <Entry session end=update /> })
                .collect();
            let all_others = (!others.is_empty()).then(|| {
                let label = tn(T::SignOutOthers, others.len(), &[]);
                view! {
                    <button
                        type="button"
                        class="button button--secondary"
                        disabled=move || busy.get()
                        on:click=move |_| update(others.clone())
                    >
                        {label}
                    </button>
                }
            });
            view! {
                <ul class="devices">{rows}</ul>
                {all_others}
            }
        });
        view! {
            {loading}
            {error}
            {sessions}
        }
    };
    let unlisted = (!listed).then(|| {
        view! {
            <p class="status">{t(T::NoSessionsLegacy)}</p>
        }
    });

    view! {
        <section class="section" aria-labelledby="devices-title">
            <h2 id="devices-title">{t(T::WhereSignedIn)}</h2>
            {unlisted}
            {listed.then_some(body)}
        </section>
    }
}

/// One session in the list, with its "Sign out" button (a logout for this browser's own).
#[component]
fn Entry(session: Device, end: impl Fn(Vec<SessionId>) + Copy + 'static) -> impl IntoView {
    let auth = use_auth();
    let Device {
        id,
        device,
        logged_in_at,
        last_active_at,
        current,
        ..
    } = session;
    let name = device.unwrap_or_else(|| t(T::UnknownDevice).to_owned());
    let since = logged_in_at.as_deref().and_then(readable_time);
    let active = last_active_at.as_deref().and_then(readable_time);
    let label_id = format!("device-{}", id.as_str());
    let sign_out = move |_| {
        if current {
            spawn_local(async move { auth.log_out().await });
        } else {
            end(vec![id.clone()]);
        }
    };
    view! {
        <li class="device">
            <div>
                <strong id=label_id.clone()>{name}</strong>
                {current.then(|| view! { " " <span class="badge">{t(T::ThisBrowser)}</span> })}
                <p class="device__when">
                    {since.map(|time| tf(T::SignedInAt, &[("time", &time)]))} " "
                    {active.map(|time| tf(T::LastActive, &[("time", &time)]))}
                </p>
            </div>
            <button
                type="button"
                class="button button--small"
                aria-describedby=label_id
                on:click=sign_out
            >
                {t(T::SignOut)}
            </button>
        </li>
    }
}

/// Ends the sessions `ending`, one after another (stopping at the first failure; one already
/// gone is no failure), then lists those that remain. One authorized call for both: a renewal or retry covers the whole step.
async fn end_and_list(auth: Auth, ending: Vec<SessionId>) -> Result<Vec<Device>, Error> {
    let ending = &ending;
    auth.authorized(|strapi, session| async move {
        let token = session.access_token();
        for id in ending {
            match strapi.end_session(token, id).await {
                // Already gone (ended in a first try before a renewal, or elsewhere): fine.
                Err(error) if error.status() == Some(404) => {}
                ended => ended?,
            }
        }
        strapi.sessions(token).await
    })
    .await
}

/// Why the list could not be shown. A 403 means the server's Authenticated role lacks the permission.
pub fn sessions_problem(error: &Error) -> String {
    match error.status() {
        Some(403) => t(T::NoSessionsPermission).to_owned(),
        _ => tf(T::SessionsNotLoaded, &[("reason", &error_text(error))]),
    }
}

/// `2026-11-27T14:57:12.123Z` as `2026-11-27 14:57 UTC`; `None` for anything else.
pub fn readable_time(iso: &str) -> Option<String> {
    let (date, time) = iso.split_once('T')?;
    let hm = time.get(..5)?;
    let digits = |s: &str, at: &[usize]| {
        s.bytes().enumerate().all(|(i, b)| {
            if at.contains(&i) {
                b == b'-' || b == b':'
            } else {
                b.is_ascii_digit()
            }
        })
    };
    (date.len() == 10 && digits(date, &[4, 7]) && digits(hm, &[2]) && time.ends_with('Z'))
        .then(|| format!("{date} {hm} UTC"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_to_the_minute_in_utc_and_garbage_is_not_shown() {
        assert_eq!(
            readable_time("2026-11-27T14:57:12.123Z").as_deref(),
            Some("2026-11-27 14:57 UTC")
        );
        for bad in [
            "",
            "yesterday",
            "2026-11-27",
            "2026-11-27T14:57:12+01:00",
            "<b>T12:00Z",
        ] {
            assert_eq!(readable_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_forbidden_list_names_the_missing_permission() {
        let forbidden = strapi_auth::answers::error(
            403,
            r#"{"data":null,"error":{"status":403,"name":"ForbiddenError","message":"Forbidden","details":{}}}"#,
        );
        assert!(sessions_problem(&forbidden).contains("permission"));
        assert!(sessions_problem(&Error::Unreachable).contains("Cannot reach the server"));
    }
}
