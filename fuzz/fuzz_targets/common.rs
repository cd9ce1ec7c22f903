// Shared by every input-parser target: a file's bytes go through the same reader the CLI
// and the browser importer use, then the articles through entity extraction, indexing,
// encoding, decoding and a search, so a panic anywhere downstream of untrusted text shows.
// (The steps of `import::Importer`, with one extractor built once: building its name lists
// per input would leave the fuzzer a dozen runs a second.)

use std::sync::OnceLock;

use newslens::article::{files, json::FieldMap};
use newslens::entity::Extractor;
use newslens::index::IndexBuilder;
use newslens::search::{Engine, SearchRequest};

static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();

pub fn read_and_index(name: &str, data: &[u8]) {
    let extractor = EXTRACTOR.get_or_init(|| Extractor::new().expect("the shipped name lists load"));
    let Ok((parsed, _warnings)) = files::read(name, data, &FieldMap::default()) else { return };
    let articles: Vec<_> = parsed.into_iter().map(|p| p.article).collect();
    let mentions = extractor.extract_corpus(&articles);
    let mut builder = IndexBuilder::new();
    for (article, mentions) in articles.into_iter().zip(mentions) {
        let _ = builder.add(article, mentions);
    }
    if builder.is_empty() {
        return;
    }
    let index = builder.build();
    let bytes = newslens::format::write(&index);
    let engine = Engine::from_bytes(&bytes).expect("an index we just wrote opens");
    // Search for the first word of the first title: positions, snippets, facets.
    let word = index.docs.first().and_then(|d| d.title.split_whitespace().next()).unwrap_or("a").to_string();
    let req = SearchRequest { query: word, limit: 5, facet_limit: 5, ..SearchRequest::default() };
    let res = engine.search(&req).expect("a plain search of a fresh index answers");
    for hit in &res.hits {
        engine.article(&hit.id, &req.query).expect("a hit's article opens");
    }
}
