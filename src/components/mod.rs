//! Small views shared by pages.

mod field;

pub use field::Field;
