//! Where the app is, and moving elsewhere: leptos_router's location layer (`BrowserUrl`: the
//! History API, back and forward, same-origin link clicks), without its route matching.
//!
//! The app has a handful of flat routes (`Page`), all fixed but one pattern with one parameter
//! (`/connect/:provider/redirect`, matched by `providers::provider_in`). leptos_router's `Router` +
//! `FlatRoutes` match them with machinery built for nested, parameterised routes, at 20 KB brotli
//! (BENCHMARKS.md). If the app grows nested routes, or more parameters, that machinery becomes
//! worth its bytes: put `Router` back then.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::location::{BrowserUrl, LocationChange, LocationProvider, State, Url};

use crate::Page;

/// Shared through Leptos context; `Copy`, so every closure can hold it.
#[derive(Clone, Copy)]
pub struct Navigation {
    browser: StoredValue<BrowserUrl>,
    url: RwSignal<Url>,
}

impl Navigation {
    /// Follows the browser's address from now on; `None` where there is no `window.location`.
    pub fn start() -> Option<Self> {
        let browser = BrowserUrl::new().ok()?;
        // Listens for back/forward and for clicks on this app's own links (removed with the owner).
        browser.init(None);
        let navigation = Self {
            url: RwSignal::from(browser.as_url().clone()),
            browser: StoredValue::new(browser),
        };
        // A followed link changes `url` first and waits for this to write the address bar.
        Effect::new(move || {
            navigation.url.track();
            navigation.browser.with_value(BrowserUrl::ready_to_complete);
        });
        Some(navigation)
    }

    /// The page at the current address (`None`: not one of ours). Tracked.
    pub fn page(&self) -> Option<Page> {
        self.url.with(|url| Page::at(url.path()))
    }

    /// The current path and query, as typed in the address bar (`/dashboard?x=1`).
    pub fn here_untracked(&self) -> String {
        self.url.with_untracked(|url| {
            let search = url.search();
            if search.is_empty() {
                url.path().to_owned()
            } else {
                format!("{}?{}", url.path(), search.trim_start_matches('?'))
            }
        })
    }

    /// The current path, without the query.
    pub fn path_untracked(&self) -> String {
        self.url.with_untracked(|url| url.path().to_owned())
    }

    /// A query parameter of the current address, decoded.
    pub fn query_untracked(&self, key: &str) -> Option<String> {
        self.url.with_untracked(|url| url.search_params().get(key))
    }

    /// Goes to `path` (a path of this app, with or without a query) in place of the current entry
    /// of the history, so Back never returns to a page that would only send the person on again.
    ///
    /// The new page is rendered and painted first, the address bar written just after:
    /// `history.replaceState` is one of the slowest steps of a login (1–5 ms measured), and the
    /// person should not wait for it to see the dashboard.
    pub fn replace(&self, path: &str) {
        let Ok(next) = BrowserUrl::parse(path) else {
            return;
        };
        self.url.set(next);
        let change = LocationChange {
            value: path.to_owned(),
            replace: true,
            scroll: true,
            state: State::new(None),
        };
        let browser = self.browser;
        // A task, not a microtask: the render `url` just scheduled, and the paint, come first.
        // (`try_`: the app may be gone by then.)
        set_timeout(
            move || {
                browser.try_with_value(|browser| browser.complete_navigation(&change));
            },
            Duration::ZERO,
        );
    }
}

impl Navigation {
    /// Like [`Navigation::replace`], but the address bar is written before this returns: for a
    /// secret in the address (a reset code) that must not stay in the history a moment longer.
    pub fn replace_now(&self, path: &str) {
        let Ok(next) = BrowserUrl::parse(path) else {
            return;
        };
        let change = LocationChange {
            value: path.to_owned(),
            replace: true,
            scroll: false,
            state: State::new(None),
        };
        self.browser
            .with_value(|browser| browser.complete_navigation(&change));
        self.url.set(next);
    }
}

pub fn use_navigation() -> Navigation {
    expect_context::<Navigation>()
}
