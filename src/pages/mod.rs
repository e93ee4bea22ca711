//! One module per page of the route table.

mod dashboard;
mod login;
mod not_found;

pub use dashboard::DashboardPage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
