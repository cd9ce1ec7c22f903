#![no_main]
//! Any bytes as a .xml file: decoding, the reader, extraction, indexing, search.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::read_and_index("fuzz.xml", data));
