//! Small views shared by pages, and the form machinery every page's form goes through.

mod card;
mod field;
pub mod form;
mod language;
mod passkey;
mod providers;
mod resend;

pub use card::{Card, SessionNotice};
pub use field::{HiddenUsername, Input, NewPassword};
pub use form::{Form, FormView, Problem};
pub use language::{Language, LanguagePicker};
pub use passkey::PasskeyLogin;
pub use providers::ProviderLogins;
pub use resend::ResendConfirmation;
