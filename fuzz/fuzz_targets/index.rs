#![no_main]
//! Any bytes as an index file: the envelope and the decoder must refuse what is wrong with
//! an error, never a panic, and whatever they accept must answer searches and articles.
use libfuzzer_sys::fuzz_target;
use newslens::search::{Engine, SearchRequest};

fuzz_target!(|data: &[u8]| {
    let _ = newslens::format::kind_of(data);
    if let Ok(engine) = Engine::from_bytes(data) {
        let _ = engine.stats();
        for query in ["", "a", "xiaomi car", "\"lei jun\" -huawei", "su"] {
            let req = SearchRequest { query: query.into(), limit: 5, facet_limit: 5, ..SearchRequest::default() };
            if let Ok(res) = engine.search(&req) {
                for hit in &res.hits {
                    let _ = engine.article(&hit.id, query);
                }
            }
        }
    }
    let _ = Engine::from_manifest(data);
});
