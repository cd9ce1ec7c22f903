//! No input reaches a panic: arbitrary article text, queries and index bytes.

use proptest::prelude::*;

use crate::common::*;
use newslens::search::{Engine, SearchRequest};

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_text_parses_extracts_and_searches(raw in "\\PC{0,400}", query in "\\PC{0,40}") {
        if let Ok(p) = newslens::article::parse("p", &raw) {
            let e = engine_for(vec![p.article]);
            let r = e.search(&SearchRequest::new(&query)).unwrap();
            for h in &r.hits {
                e.article(&h.id, &query).unwrap();
            }
        }
    }

    #[test]
    fn any_bytes_are_refused_or_read(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = Engine::from_bytes(&bytes);
    }

    #[test]
    fn damaged_index_is_refused_or_searchable(flip in 0usize..40_000, bit in 0u8..8) {
        let golden = format!("{}/tests/golden/v{}/seeds.newslens", env!("CARGO_MANIFEST_DIR"), newslens::format::FORMAT_VERSION);
        let mut bytes = std::fs::read(golden).unwrap();
        let at = flip % bytes.len();
        bytes[at] ^= 1 << bit;
        if let Ok(e) = Engine::from_bytes(&bytes) {
            e.search(&SearchRequest::new("xiaomi")).unwrap();
        }
    }

    #[test]
    fn a_damaged_shard_is_refused_or_searchable(file in 0usize..64, flip in 0usize..20_000, bit in 0u8..8) {
        // Any file of a sharded index, one bit flipped past its header (a flipped header is
        // the envelope tests' business): refused, or added and then searchable.
        let w = sharded_seeds();
        let (name, bytes) = &w.files[file % w.files.len()];
        let mut bytes = bytes.clone();
        let at = 28 + flip % (bytes.len() - 28);
        bytes[at] ^= 1 << bit;
        let mut e = Engine::from_manifest(&w.manifest).unwrap();
        for (n, b) in &w.files {
            if n != name && (n.starts_with("docs.") || n.starts_with("meta.")) {
                e.add_file(n, b).unwrap();
            }
        }
        let _ = e.add_file(name, &bytes);
        for (n, b) in &w.files {
            let _ = e.add_file(n, b);
        }
        for q in ["xiaomi", "lei j", "\"road assistance\"", "org:xiaomi", "after:2024"] {
            e.search(&SearchRequest::new(q)).unwrap();
        }
    }
}

/// The seeds as a sharded index with small term shards, built once for the property above.
fn sharded_seeds() -> &'static newslens::format::sharded::Written {
    static W: std::sync::OnceLock<newslens::format::sharded::Written> = std::sync::OnceLock::new();
    W.get_or_init(|| newslens::format::sharded::write(engine_for(seed_articles()).index(), 512))
}

#[test]
fn structured_text_edge_cases() {
    for raw in [
        "T\n\n$",
        "T\n\n$ million",
        "T\n\nApril",
        "T\n\n2024-13-45",
        "T\n\nMi",
        "T\n\nXiaomi’s",
        "T\n\nXiaomi Mi",
        "T\n\n1,",
        "T\n\n99 per",
        "T\n\nCEO",
        "T\n\nA B C D E F G said",
        "T\n\nDr.",
        "T\n\n– to 2025",
        "T\n\n雷军 小米 SU7",
        "\u{feff}\u{feff}x",
    ] {
        let p = newslens::article::parse("p", raw).unwrap();
        let e = engine_for(vec![p.article]);
        e.search(&SearchRequest::new(raw)).unwrap();
    }
}
