#![no_main]
//! Any text as a query: the parser (with and without as-you-type), its canonical form,
//! and a search of the seed index (filters, phrases, prefixes, typos, snippets).
use libfuzzer_sys::fuzz_target;
use newslens::search::{Engine, SearchRequest, Sort};
use std::sync::OnceLock;

static ENGINE: OnceLock<Engine> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let engine = ENGINE.get_or_init(|| {
        // The current format version's golden seeds (read at run time: the path has the version).
        let path = format!(
            "{}/../tests/golden/v{}/seeds.newslens",
            env!("CARGO_MANIFEST_DIR"),
            newslens::format::FORMAT_VERSION
        );
        Engine::from_bytes(&std::fs::read(path).expect("golden index")).expect("golden index opens")
    });
    let text = String::from_utf8_lossy(data);
    // The first line is the query; the next four are entity filters, then a date range.
    let mut lines = text.lines();
    let query = lines.next().unwrap_or_default().to_string();
    let entities: Vec<String> = lines.by_ref().take(4).map(str::to_string).collect();
    let date_from = lines.next().map(str::to_string);
    let date_to = lines.next().map(str::to_string);
    for as_you_type in [false, true] {
        let q = newslens::query::parse(&query, as_you_type);
        let _ = q.understood();
        for sort in [Sort::Relevance, Sort::Date] {
            let req = SearchRequest {
                query: query.clone(),
                entities: entities.clone(),
                limit: 10,
                offset: data.len() % 3,
                facet_limit: 10,
                sort,
                as_you_type,
                date_from: date_from.clone(),
                date_to: date_to.clone(),
            };
            if let Ok(res) = engine.search(&req) {
                if let Some(hit) = res.hits.first() {
                    let _ = engine.article(&hit.id, &query);
                }
            }
        }
    }
});
