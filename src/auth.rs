//! The logged-in state: one reactive source of truth, restored from storage at start and kept in
//! step with it by [`Auth::sign_in`] and [`Auth::sign_out`].

use leptos::prelude::*;

use crate::session::{ALL_KEYS, Session};
use crate::storage::{self, StorageUnavailable};

/// Why the person is looking at the login page, said once there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    LoggedOut,
    SessionExpired,
}

impl Notice {
    pub fn text(self) -> &'static str {
        match self {
            Notice::LoggedOut => "You have been logged out.",
            Notice::SessionExpired => "Your session has expired. Please log in again.",
        }
    }
}

/// Shared through Leptos context; `Copy`, so every closure can hold it.
#[derive(Clone, Copy)]
pub struct Auth {
    session: RwSignal<Option<Session>>,
    notice: RwSignal<Option<Notice>>,
}

impl Auth {
    /// The session stored by an earlier visit, if any.
    pub fn restore() -> Self {
        Self {
            session: RwSignal::new(Session::from_storage(storage::read)),
            notice: RwSignal::new(None),
        }
    }

    /// The current session (tracked: readers re-run when it changes).
    pub fn session(&self) -> Option<Session> {
        self.session.get()
    }

    pub fn is_logged_in(&self) -> bool {
        self.session.with(Option::is_some)
    }

    /// For one-off decisions that must not re-run when the session changes.
    pub fn is_logged_in_untracked(&self) -> bool {
        self.session.with_untracked(Option::is_some)
    }

    /// Stores the session and makes it current. If storage refuses, nothing is kept and the person
    /// stays logged out: a login that vanishes on reload would be worse than an error now.
    pub fn sign_in(&self, session: Session) -> Result<(), StorageUnavailable> {
        storage::write(&session.storage_entries())?;
        self.notice.set(None);
        self.session.set(Some(session));
        Ok(())
    }

    /// Forgets the session locally, leaving `notice` for the login page to show.
    pub fn sign_out(&self, notice: Option<Notice>) {
        let removals = ALL_KEYS.map(|key| (key, None));
        // Removing keys only fails when storage is unreachable, and then nothing was stored anyway.
        let _ = storage::write(&removals);
        self.notice.set(notice);
        self.session.set(None);
    }

    pub fn notice(&self) -> Option<Notice> {
        self.notice.get()
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
