//! What a lazy route shows when its chunk could not be fetched: the person is told, and "Try
//! again" fetches it again (a failure is not remembered). When it still cannot be fetched, the app
//! asks the site for its current `index.html`: if that names other files than the page's (a deploy
//! replaced the app since this page loaded, and its chunks have new names), the page is reloaded,
//! which loads the current ones; if the site cannot be reached or names the same files, the
//! message stays (a reload would only show the browser's own error page).

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use leptos::wasm_split::SplitLoaderError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::RequestCache;

use crate::components::Card;
use crate::i18n::{T, tr, tr_while};

/// The message and the retry, in place of the page `load` builds; the page once it has loaded.
pub(super) fn view<F>(load: fn() -> F) -> AnyView
where
    F: Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
{
    let trying = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    // Bumped by each failed retry: the alert is drawn anew, so a screen reader says it again.
    let failures = RwSignal::new(0u32);
    let page = StoredValue::new_local(None::<AnyView>);
    // The page is built in the route's owner, where it finds the session and the settings (an
    // event handler runs in none). Held weakly: the route's owner holds this view.
    let owner = StoredValue::new_local(Owner::current().map(|owner| owner.downgrade()));
    let retry = move |_| {
        let Some(owner) = owner.get_value().and_then(|owner| owner.upgrade()) else {
            return;
        };
        if trying.get_untracked() {
            return;
        }
        trying.set(true);
        owner.with(|| {
            spawn_local_scoped(async move {
                let loaded_page = load().await;
                // The person may have gone on meanwhile: then the route (and this view's
                // signals) is gone, and nothing is shown or reloaded.
                if loaded.try_get_untracked().is_none() {
                    return;
                }
                match loaded_page {
                    Ok(view) => {
                        page.set_value(Some(view));
                        loaded.set(true);
                    }
                    Err(_)
                        if replaced_by_a_deploy().await && loaded.try_get_untracked().is_some() =>
                    {
                        let _ = window().location().reload();
                    }
                    Err(_) => {
                        trying.set(false);
                        failures.update(|n| *n += 1);
                    }
                }
            })
        });
    };
    let shown = move || {
        if loaded.get() {
            return page
                .try_update_value(Option::take)
                .flatten()
                .unwrap_or_else(|| ().into_any());
        }
        let alert = move || {
            failures.track();
            view! {
                <p class="alert" role="alert">
                    {tr(T::CheckConnection)}
                </p>
            }
        };
        view! {
            <Card title=T::PageNotLoaded>
                {alert}
                <button
                    type="button"
                    class="button"
                    aria-busy=move || trying.get().then_some("true")
                    on:click=retry
                >
                    {tr_while(trying, T::Loading, T::TryAgain)}
                </button>
            </Card>
        }
        .into_any()
    };
    shown.into_any()
}

/// Whether the site's `index.html` names another build's chunks than this page does. `false` when
/// it cannot be fetched (offline), or this page names none.
async fn replaced_by_a_deploy() -> bool {
    let head = document()
        .head()
        .map(|head| head.inner_html())
        .unwrap_or_default();
    let Some(ours) = chunks_named(&head) else {
        return false;
    };
    let init = web_sys::RequestInit::new();
    init.set_cache(RequestCache::NoStore);
    let Ok(answer) = JsFuture::from(window().fetch_with_str_and_init("/index.html", &init)).await
    else {
        return false;
    };
    let Ok(answer) = answer.dyn_into::<web_sys::Response>() else {
        return false;
    };
    if !answer.ok() {
        return false;
    }
    let Ok(text) = answer.text() else {
        return false;
    };
    match JsFuture::from(text).await.map(|html| html.as_string()) {
        Ok(Some(html)) => chunks_named(&html).is_some_and(|theirs| theirs != ours),
        _ => false,
    }
}

/// The name of the chunks' loader (`/chunks-<build hash>.js`, scripts/wasm.mjs) that `html` links.
fn chunks_named(html: &str) -> Option<&str> {
    let start = html.find("/chunks-")?;
    let end = start + html[start..].find(".js")? + ".js".len();
    Some(&html[start..end])
}

#[cfg(test)]
mod tests {
    use super::chunks_named;

    #[test]
    fn a_build_is_known_by_its_chunks_loader() {
        let html = r#"<link rel="modulepreload" href="/chunks-0123456789abcdef.js" crossorigin="anonymous">"#;
        assert_eq!(chunks_named(html), Some("/chunks-0123456789abcdef.js"));
        assert_eq!(chunks_named("<title>Log in</title>"), None);
        assert_eq!(chunks_named("/chunks-without-end"), None);
    }
}
