//! newslens: parse news articles, extract the entities they mention, index them and search
//! them, all inside one library that compiles natively (the `newslens` CLI) and to
//! WebAssembly (the viewer).
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! raw text ─► article ─► entity ─► index ─► format (bytes) ─► index ─► search
//!               (parse)   (NER)    (build)   (write / read)            (query)
//! ```
//!
//! Every stage that looks at words goes through the one analyzer in [`text`], so the terms
//! written at indexing time are exactly the terms looked up at query time.
//!
//! ```
//! # #[cfg(feature = "extract")] {
//! use newslens::{article, entity::Extractor, index::IndexBuilder, search::{Engine, SearchRequest}};
//!
//! let parsed = article::parse("note", "Apple opens a store\n\nApple opened a store in Paris.").unwrap();
//! let extractor = Extractor::new().unwrap();
//! let mut builder = IndexBuilder::new();
//! let mentions = extractor.extract_corpus(std::slice::from_ref(&parsed.article));
//! builder.add(parsed.article, mentions.into_iter().next().unwrap_or_default());
//! let bytes = newslens::format::write(&builder.build());
//! let engine = Engine::from_bytes(&bytes).unwrap();
//! let found = engine.search(&SearchRequest::new("stores")).unwrap();
//! assert_eq!(found.total, 1);
//! # }
//! ```

// Input must never be able to panic the library: on wasm a panic is a trap that kills the
// engine. Tests may unwrap freely.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::unreachable,
        clippy::todo
    )
)]

#[cfg(feature = "extract")]
pub mod article;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "extract")]
pub mod entity;
pub mod error;
pub mod format;
#[cfg(feature = "extract")]
pub mod import;
pub mod index;
pub mod model;
#[cfg(feature = "extract")]
pub mod ner;
#[cfg(all(feature = "extract", not(target_arch = "wasm32")))]
pub mod parallel;
pub mod query;
pub mod search;
pub mod sort;
pub mod text;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, Result};
