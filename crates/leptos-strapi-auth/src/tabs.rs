//! Following the app's other tabs: they write the same storage, so a login, logout or renewal in
//! one becomes current in all.

use std::time::Duration;

use leptos::prelude::*;

use crate::auth::Auth;

impl Auth {
    /// Listens for storage changes to the session's keys, until the owner goes.
    pub(crate) fn follow_other_tabs(&self) {
        let auth = *self;
        let listener = window_event_listener(leptos::ev::storage, move |event| {
            let keys = auth.keys();
            // `key` is None when storage was cleared as a whole.
            if event
                .key()
                .is_some_and(|key| !keys.session_keys().contains(&key.as_str()))
            {
                return;
            }
            // A login, logout or renewal changes several keys; read once they have all landed.
            set_timeout(move || auth.sync_with_storage(), Duration::from_millis(50));
        });
        on_cleanup(move || listener.remove());
    }
}
