//! One module per page of the route table.

mod change_password;
mod dashboard;
mod forgot_password;
mod home;
mod login;
mod not_found;
mod provider_return;
mod register;
mod reset_password;

pub use change_password::ChangePasswordPage;
pub use dashboard::DashboardPage;
pub use forgot_password::ForgotPasswordPage;
pub use home::HomePage;
pub use login::{LoginPage, LoginPageProps};
pub use not_found::NotFoundPage;
pub use provider_return::ProviderReturnPage;
pub use register::RegisterPage;
pub use reset_password::ResetPasswordPage;
