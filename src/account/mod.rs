//! The account page's sections, one file each: who is signed in is the dashboard's own
//! (`pages/dashboard.rs`); here are the person's passkeys, where they are signed in, what to check
//! after a password reset, and "Confirm it's you", which the passkey changes go through.

pub mod after_reset;
pub mod confirm;
mod passkeys;
mod said;
mod signed_in;

pub use after_reset::AfterReset;
pub use confirm::ConfirmStep;
pub use passkeys::{Passkeys, name_problem};
pub use signed_in::{SignedInDevices, end_other_sessions, is_timestamp, local_time};
