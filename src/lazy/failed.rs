//! What a lazy route shows when its chunk could not be fetched: the person is told, and "Try
//! again" fetches it again (a failure is not remembered). If it still cannot be fetched while the
//! browser is online, the app's files have most likely been replaced by a deploy since this page
//! loaded (its chunks have new names): the page is then reloaded, which loads the current ones.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use leptos::wasm_split::SplitLoaderError;

use crate::components::Card;
use crate::i18n::{T, tr, tr_while};

/// The message and the retry, in place of the page `load` builds; the page once it has loaded.
pub(super) fn view<F>(load: fn() -> F) -> AnyView
where
    F: Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
{
    let trying = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    let page = StoredValue::new_local(None::<AnyView>);
    // The page is built in the route's owner, where it finds the session and the settings (an
    // event handler runs in none).
    let owner = StoredValue::new_local(Owner::current().unwrap_or_default());
    let retry = move |_| {
        if trying.get_untracked() {
            return;
        }
        trying.set(true);
        let owner = owner.get_value();
        owner.with(|| {
            spawn_local_scoped(async move {
                match load().await {
                    Ok(view) => {
                        page.set_value(Some(view));
                        loaded.set(true);
                    }
                    Err(_) if online() => {
                        let _ = window().location().reload();
                    }
                    Err(_) => trying.set(false),
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
        view! {
            <Card title=T::PageNotLoaded>
                <p class="alert" role="alert">
                    {tr(T::CheckConnection)}
                </p>
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

/// Whether the browser says it is online (`true` when it cannot say).
fn online() -> bool {
    window().navigator().on_line()
}
