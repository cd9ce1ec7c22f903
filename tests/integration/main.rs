//! Integration tests: one binary (see Cargo.toml `autotests = false`), one module per area.
#![cfg(not(target_arch = "wasm32"))]

#[cfg(feature = "cli")]
mod cli;
mod common;
mod dedup;
mod golden;
mod limits;
mod pictures;
mod query;
mod reference;
mod robustness;
mod seed_gold;
mod seeds;
mod sharded;
mod written;
