//! Shared by the test binaries: the answers recorded from a real Strapi.
#![allow(dead_code)] // each test binary uses its own subset

pub mod exchanges;
