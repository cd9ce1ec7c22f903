use std::path::PathBuf;

use newslens::entity::Extractor;
use newslens::index::IndexBuilder;
use newslens::model::Article;
use newslens::search::{Engine, SearchRequest, SearchResponse, SegmentKind};

pub fn seeds_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/articles")
}

/// The seed articles, parsed, in file-name order.
pub fn seed_articles() -> Vec<Article> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let id = p.file_stem().unwrap().to_str().unwrap();
            newslens::article::parse(id, &std::fs::read_to_string(p).unwrap()).unwrap().article
        })
        .collect()
}

/// Builds an engine the way the CLI does: parse, extract over the corpus, index, write
/// bytes, read them back.
pub fn engine_for(articles: Vec<Article>) -> Engine {
    let mentions = Extractor::new().unwrap().extract_corpus(&articles);
    let mut b = IndexBuilder::new();
    for (a, m) in articles.into_iter().zip(mentions) {
        b.add(a, m).unwrap();
    }
    Engine::from_bytes(&newslens::format::write(&b.build())).unwrap()
}

pub fn search(e: &Engine, q: &str, entities: &[&str]) -> SearchResponse {
    e.search(&SearchRequest::new(q).with_entities(entities.iter().copied())).unwrap()
}

/// Hit ids with the numeric prefix only ("000"), in rank order.
pub fn short_ids(r: &SearchResponse) -> Vec<String> {
    r.hits.iter().map(|h| h.id.chars().take(3).collect()).collect()
}

pub fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

pub fn highlighted(r: &SearchResponse, hit: usize) -> Vec<String> {
    r.hits[hit].snippet.iter().filter(|s| s.kind == SegmentKind::Hit).map(|s| s.text.clone()).collect()
}
