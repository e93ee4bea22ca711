//! The one place this crate touches `localStorage`.
//!
//! Values are stored raw (the JWT itself, as other Strapi clients expect under `token`; a JSON
//! encoding such as `gloo-storage`'s would store it in quotes), and a browser that blocks storage
//! is an error to report, never a panic.

use web_sys::Storage;

/// The browser refused `localStorage` (site data blocked, quota exceeded, no window).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StorageUnavailable;

impl std::fmt::Display for StorageUnavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the browser refused localStorage")
    }
}

impl std::error::Error for StorageUnavailable {}

fn local_storage() -> Result<Storage, StorageUnavailable> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(StorageUnavailable)
}

/// The value under `key`, if storage is reachable and holds one.
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
