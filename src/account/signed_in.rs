//! "Where you are signed in" on the account page: the person's Strapi sessions, and ending them.

use leptos::prelude::*;
use leptos::task::spawn_local;

use leptos_strapi_auth::{Auth, use_auth};
use strapi_auth::{Device, Error, SessionId};

use crate::i18n::{self, T, t, tf, tn, tr};
use crate::messages::error_text;

/// "Where you are signed in" on the dashboard: the person's Strapi sessions (session mode only),
/// with a way to end any of them. Ending this browser's own session is a logout. `changed`
/// lists them again (someone else ended sessions).
#[component]
pub fn SignedInDevices(changed: RwSignal<u32>) -> impl IntoView {
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
        Effect::new(move |first: Option<()>| {
            changed.track();
            if first.is_some() {
                update(Vec::new());
            }
        });
    }

    // Options rather than type-erased views: each state is built only when it shows.
    let body = move || {
        let (error, sessions) = match list.get() {
            Some(Ok(sessions)) => (None, Some(sessions)),
            Some(Err(error)) => (Some(error), None),
            None => (None, None),
        };
        let loading = (error.is_none() && sessions.is_none()).then(|| {
            view! { <p class="status">{tr(T::Loading)}</p> }
        });
        let error = error.map(|error| {
            view! {
                <p class="alert" role="alert">{move || sessions_problem(&error)}</p>
                <button
                    type="button"
                    class="button button--secondary"
                    on:click=move |_| update(Vec::new())
                >
                    {tr(T::TryAgain)}
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
                let count = others.len();
                let label = move || tn(T::SignOutOthers, count, &[]);
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
            <p class="status">{tr(T::NoSessionsLegacy)}</p>
        }
    });

    view! {
        <section class="section" aria-labelledby="devices-title">
            <h2 id="devices-title">{tr(T::WhereSignedIn)}</h2>
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
    let name = move || {
        device
            .clone()
            .unwrap_or_else(|| t(T::UnknownDevice).to_owned())
    };
    // In the words and the date format of the language shown (the browser's `Intl`).
    let when = |text: T, at: Option<String>| {
        at.filter(|iso| is_timestamp(iso))
            .map(|iso| move || tf(text, &[("time", &local_time(&iso, i18n::current().0))]))
    };
    let since = when(T::SignedInAt, logged_in_at);
    let active = when(T::LastActive, last_active_at);
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
                {current.then(|| view! { " " <span class="badge">{tr(T::ThisBrowser)}</span> })}
                <p class="device__when">
                    {since} " "
                    {active}
                </p>
            </div>
            <button
                type="button"
                class="button button--small"
                aria-describedby=label_id
                on:click=sign_out
            >
                {tr(T::SignOut)}
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

/// Ends every session of the person but this browser's (one already gone is no failure), and
/// lists those that remain. One authorized call: a renewal or retry covers the whole step.
pub async fn end_other_sessions(auth: Auth) -> Result<Vec<Device>, Error> {
    auth.authorized(|strapi, session| async move {
        let token = session.access_token();
        let listed = strapi.sessions(token).await?;
        for device in listed.iter().filter(|device| !device.current) {
            match strapi.end_session(token, &device.id).await {
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

/// A UTC timestamp as Strapi writes them: `2026-11-27T14:57:12.123Z`.
pub fn is_timestamp(iso: &str) -> bool {
    let Some((date, time)) = iso.split_once('T') else {
        return false;
    };
    let Some(hm) = time.get(..5) else {
        return false;
    };
    let digits = |s: &str, at: &[usize]| {
        s.bytes().enumerate().all(|(i, b)| {
            if at.contains(&i) {
                b == b'-' || b == b':'
            } else {
                b.is_ascii_digit()
            }
        })
    };
    date.len() == 10 && digits(date, &[4, 7]) && digits(hm, &[2]) && time.ends_with('Z')
}

/// A [timestamp](is_timestamp) as people of `locale` write a date and time, in the browser's
/// time zone (`Intl.DateTimeFormat`'s medium date, short time: "27 Nov 2026, 15:57"). Natively
/// (in tests) as `2026-11-27 14:57 UTC`.
pub fn local_time(iso: &str, locale: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        use js_sys::{Array, Date, Intl, Object, Reflect};
        let options = Object::new();
        let _ = Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        let _ = Reflect::set(&options, &"timeStyle".into(), &"short".into());
        let format = Intl::DateTimeFormat::new(&Array::of1(&locale.into()), &options);
        let date = Date::new(&iso.into());
        if let Some(text) = format
            .format()
            .call1(&format, &date)
            .ok()
            .and_then(|t| t.as_string())
        {
            return text;
        }
    }
    let _ = locale;
    let (date, time) = iso.split_once('T').unwrap_or((iso, ""));
    format!("{date} {} UTC", time.get(..5).unwrap_or(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_strapi_s_utc_timestamps_are_shown_and_natively_to_the_minute() {
        assert!(is_timestamp("2026-11-27T14:57:12.123Z"));
        assert_eq!(
            local_time("2026-11-27T14:57:12.123Z", "de"),
            "2026-11-27 14:57 UTC"
        );
        for bad in [
            "",
            "yesterday",
            "2026-11-27",
            "2026-11-27T14:57:12+01:00",
            "<b>T12:00Z",
        ] {
            assert!(!is_timestamp(bad), "{bad}");
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
