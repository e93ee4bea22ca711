//! Serialising token refreshes: across every tab of the app with the Web Locks API where the browser
//! has it (secure contexts: https, localhost), within this tab otherwise.
//!
//! Strapi rotates the refresh token on every refresh and rejects the old one, so two refreshes with
//! the same token log the person out. Whoever holds this lock re-reads storage before refreshing.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, future_to_promise};

const LOCK_NAME: &str = "strapi-auth:refresh";

type Work = Pin<Box<dyn Future<Output = ()>>>;

thread_local! {
    /// The end of this tab's queue of lock holders (the fallback lock).
    static TAIL: RefCell<Promise> = RefCell::new(Promise::resolve(&JsValue::UNDEFINED));
}

/// Runs `work` while no other holder of the lock runs, in this tab or, with Web Locks, another.
/// `None` only if the browser aborted the lock request before `work` could run.
pub async fn exclusive<T: 'static>(work: impl Future<Output = T> + 'static) -> Option<T> {
    let output = Rc::new(RefCell::new(None));
    let slot = output.clone();
    let work: Rc<RefCell<Option<Work>>> = Rc::new(RefCell::new(Some(Box::pin(async move {
        *slot.borrow_mut() = Some(work.await);
    }))));

    if !with_web_lock(work.clone()).await {
        let pending = work.borrow_mut().take();
        if let Some(pending) = pending {
            with_tab_lock(pending).await;
        }
    }
    output.borrow_mut().take()
}

/// `navigator.locks.request(name, callback)`, called through JS reflection: web-sys only exposes
/// Web Locks behind an unstable cfg. `false` if the browser has no Web Locks here.
async fn with_web_lock(work: Rc<RefCell<Option<Work>>>) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let Ok(locks) = Reflect::get(&navigator, &JsValue::from_str("locks")) else {
        return false;
    };
    let Ok(request) = Reflect::get(&locks, &JsValue::from_str("request")) else {
        return false;
    };
    let Ok(request) = request.dyn_into::<Function>() else {
        return false;
    };
    let callback = Closure::once_into_js(move |_lock: JsValue| -> Promise {
        let pending = work.borrow_mut().take();
        future_to_promise(async move {
            if let Some(pending) = pending {
                pending.await;
            }
            Ok(JsValue::UNDEFINED)
        })
    });
    let args = Array::of2(&JsValue::from_str(LOCK_NAME), &callback);
    match Reflect::apply(&request, &locks, &args) {
        Ok(promise) => JsFuture::from(Promise::from(promise)).await.is_ok(),
        Err(_) => false,
    }
}

/// A queue of promises: each holder waits for the one before it.
async fn with_tab_lock(work: Work) {
    let mut release = None;
    let mine = Promise::new(&mut |resolve, _| release = Some(resolve));
    let previous = TAIL.with(|tail| tail.replace(mine));
    let _ = JsFuture::from(previous).await;
    work.await;
    if let Some(release) = release {
        let _ = release.call0(&JsValue::UNDEFINED);
    }
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}
