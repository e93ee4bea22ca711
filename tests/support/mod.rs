//! Shared by the test binaries: recorded Strapi answers, and helpers for the in-browser tests.
#![allow(dead_code)] // each test binary uses its own subset

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[path = "../../crates/strapi-auth/tests/support/exchanges.rs"]
pub mod exchanges;
