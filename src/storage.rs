//! The one place the app touches `localStorage` (the session) and `sessionStorage` (where to go
//! after a provider login).
//!
//! Values are stored raw (the JWT itself, as other Strapi clients expect under `token`), and a browser
//! that blocks storage is an error to report, never a panic.

use web_sys::Storage;

/// The browser refused `localStorage` (site data blocked, quota exceeded, no window).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StorageUnavailable;

fn local_storage() -> Result<Storage, StorageUnavailable> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(StorageUnavailable)
}

pub fn read(key: &str) -> Option<String> {
    local_storage().ok()?.get_item(key).ok().flatten()
}

/// Sets each key to its value, or removes it for `None`. On failure, every key written so far is
/// removed again, so storage never holds half a session.
pub fn write(entries: &[(&str, Option<&str>)]) -> Result<(), StorageUnavailable> {
    let storage = local_storage()?;
    let result = entries.iter().try_for_each(|&(key, value)| match value {
        Some(v) => storage.set_item(key, v),
        None => storage.remove_item(key),
    });
    result.map_err(|_| {
        for &(key, _) in entries {
            let _ = storage.remove_item(key);
        }
        StorageUnavailable
    })
}

/// Keeps `value` for this tab only (`sessionStorage`), best effort: what is kept there is a
/// convenience (where to go after a provider login), never a credential.
pub fn keep_for_this_tab(key: &str, value: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = storage.set_item(key, value);
    }
}

/// What [`keep_for_this_tab`] kept under `key`, removed as it is read.
pub fn take_for_this_tab(key: &str) -> Option<String> {
    let storage = web_sys::window()?.session_storage().ok()??;
    let value = storage.get_item(key).ok().flatten();
    let _ = storage.remove_item(key);
    value
}
