//! Where the app is, and moving elsewhere: the address as a signal, the History API, back and
//! forward, and clicks on the app's own links, which change the page without a reload.
//!
//! The app has a handful of flat routes (`Page`), all fixed but one pattern with one parameter
//! (`/connect/:provider/redirect`, matched by `providers::provider_in`). leptos_router matches
//! routes with machinery built for nested, parameterised ones: its `Router` + `FlatRoutes` cost
//! 20 KB brotli, its location layer alone 5 KB more than this module (BENCHMARKS.md). If the
//! app grows nested routes, or more parameters, that machinery becomes worth its bytes.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, MouseEvent, UrlSearchParams};

use crate::Page;

/// The address: its path, and its query without the `?`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Address {
    path: String,
    query: String,
}

impl Address {
    /// The browser's current address.
    fn current() -> Self {
        let location = window().location();
        let path = location.pathname().unwrap_or_default();
        let search = location.search().unwrap_or_default();
        Self::of(&format!("{path}{search}"))
    }

    /// A path of this app, with or without a query (`/auth/login?redirect=%2Fdashboard`) and
    /// a fragment (which is not part of the address).
    fn of(path: &str) -> Self {
        let path = path.split_once('#').map_or(path, |(path, _)| path);
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        Self {
            path: path.to_owned(),
            query: query.to_owned(),
        }
    }

    /// As typed in the address bar: `/dashboard?x=1`.
    fn to_path(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }
}

/// Shared through Leptos context; `Copy`, so every closure can hold it.
#[derive(Clone, Copy)]
pub struct Navigation {
    address: RwSignal<Address>,
}

impl Navigation {
    /// Follows the browser's address from now on: back and forward, and clicks on this app's
    /// own links (both stop with the calling owner).
    pub fn start() -> Self {
        let navigation = Self {
            address: RwSignal::new(Address::current()),
        };
        let back_or_forward = window_event_listener(ev::popstate, move |_| {
            navigation.address.set(Address::current());
        });
        let link = window_event_listener(ev::click, move |ev| {
            if let Some(path) = own_link(&ev) {
                ev.prevent_default();
                // A link to where the person already is adds no entry to the history (as in
                // the browser's own navigation).
                let here = path == navigation.here_untracked();
                navigation.go(&path, here);
            }
        });
        on_cleanup(move || {
            back_or_forward.remove();
            link.remove();
        });
        navigation
    }

    /// The page at the current address (`None`: not one of ours). Tracked.
    pub fn page(&self) -> Option<Page> {
        self.address.with(|address| Page::at(&address.path))
    }

    /// The current path and query, as typed in the address bar (`/dashboard?x=1`).
    pub fn here_untracked(&self) -> String {
        self.address.with_untracked(Address::to_path)
    }

    /// The current path, without the query.
    pub fn path_untracked(&self) -> String {
        self.address.with_untracked(|address| address.path.clone())
    }

    /// A query parameter of the current address, decoded.
    pub fn query_untracked(&self, key: &str) -> Option<String> {
        let query = self.address.with_untracked(|address| address.query.clone());
        UrlSearchParams::new_with_str(&query).ok()?.get(key)
    }

    /// Goes to `path` (a path of this app, with or without a query) in place of the current entry
    /// of the history, so Back never returns to a page that would only send the person on again.
    pub fn replace(&self, path: &str) {
        self.go(path, true);
    }

    /// Like [`Navigation::replace`], but the address bar is written before this returns: for a
    /// secret in the address (a reset code) that must not stay in the history a moment longer.
    pub fn replace_now(&self, path: &str) {
        write_history(path, true);
        self.address.set(Address::of(path));
    }

    /// The new page is rendered and painted first, the address bar written just after:
    /// `history.replaceState` is one of the slowest steps of a login (1–5 ms measured), and the
    /// person should not wait for it to see the dashboard.
    fn go(&self, path: &str, replace: bool) {
        self.address.set(Address::of(path));
        let (path, address) = (path.to_owned(), self.address);
        // A task, not a microtask: the render the address just scheduled, and the paint, come
        // first.
        set_timeout(
            move || {
                // The app is gone meanwhile (a test unmounted it): the address bar is no longer
                // its to write.
                if address.try_with_untracked(|_| ()).is_none() {
                    return;
                }
                write_history(&path, replace);
                // A new page starts at its top, as after a reload.
                window().scroll_to_with_x_and_y(0.0, 0.0);
            },
            Duration::ZERO,
        );
    }
}

/// Puts `path` in the address bar, as a new entry of the history or in place of the current one.
fn write_history(path: &str, replace: bool) {
    let Ok(history) = window().history() else {
        return;
    };
    let _ = if replace {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
    } else {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
    };
}

/// The path and query a click on a link of this app goes to, when the app should follow it
/// itself: a plain left click (no modifier: those open new tabs and windows), on a link to this
/// origin that opens in this tab and is no download.
fn own_link(ev: &MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.alt_key()
        || ev.ctrl_key()
        || ev.shift_key()
    {
        return None;
    }
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let link: HtmlAnchorElement = target.closest("a[href]").ok()??.dyn_into().ok()?;
    let external = link
        .rel()
        .split_ascii_whitespace()
        .any(|rel| rel.eq_ignore_ascii_case("external"));
    if !link.target().is_empty() || link.has_attribute("download") || external {
        return None;
    }
    let url = web_sys::Url::new(&link.href()).ok()?;
    let here = window().location();
    let same_page =
        url.pathname() == here.pathname().ok()? && url.search() == here.search().ok()?;
    // A link to a fragment of this very page is the browser's to follow (it scrolls there).
    if url.origin() != here.origin().ok()? || (same_page && !url.hash().is_empty()) {
        return None;
    }
    Some(format!("{}{}", url.pathname(), url.search()))
}

pub fn use_navigation() -> Navigation {
    expect_context::<Navigation>()
}

#[cfg(test)]
mod tests {
    use super::Address;

    #[test]
    fn an_app_path_splits_into_path_and_query() {
        let address = Address::of("/auth/login?redirect=%2Fdashboard");
        assert_eq!(address.path, "/auth/login");
        assert_eq!(address.query, "redirect=%2Fdashboard");
        assert_eq!(address.to_path(), "/auth/login?redirect=%2Fdashboard");
    }

    #[test]
    fn an_empty_query_and_a_fragment_are_not_part_of_the_address() {
        assert_eq!(Address::of("/dashboard?").to_path(), "/dashboard");
        assert_eq!(Address::of("/dashboard").query, "");
        assert_eq!(Address::of("/x?a=1#top").query, "a=1");
        assert_eq!(Address::of("/x?a=1?b").query, "a=1?b");
        assert_eq!(Address::of("/dashboard#x").to_path(), "/dashboard");
    }
}
