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

/// Indexes articles the way the CLI does: entities over the corpus, then each article's
/// roles and quotes.
pub fn index_of(articles: Vec<Article>) -> newslens::index::Index {
    let ex = Extractor::new().unwrap();
    let mentions = ex.extract_corpus(&articles);
    let mut b = IndexBuilder::new();
    for (a, m) in articles.into_iter().zip(mentions) {
        let relations = ex.relations(&a, &m);
        b.add_with(a, m, relations).unwrap();
    }
    b.build()
}

/// Builds an engine the way the CLI does: parse, extract over the corpus, index, write
/// bytes, read them back.
pub fn engine_for(articles: Vec<Article>) -> Engine {
    Engine::from_bytes(&newslens::format::write(&index_of(articles))).unwrap()
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

/// `n` articles made of the seeds' titles and paragraphs recombined (deterministic), with
/// dates and sources: a corpus larger than the seeds without any third-party text.
pub fn recombined_seeds(n: usize) -> Vec<Article> {
    let seeds = seed_articles();
    let paragraphs: Vec<&String> = seeds.iter().flat_map(|a| &a.paragraphs).collect();
    let titles: Vec<&str> = seeds.iter().map(|a| a.title.as_str()).collect();
    let mut state = 0x2545_f491_u64;
    let mut next = |m: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % m as u64) as usize
    };
    (0..n)
        .map(|i| {
            let count = 3 + next(6);
            Article {
                id: format!("gen-{i}"),
                title: titles[next(titles.len())].to_string(),
                paragraphs: (0..count).map(|_| paragraphs[next(paragraphs.len())].clone()).collect(),
                source: Some(format!("Wire {}", next(3))),
                date: (next(10) > 0).then(|| format!("2024-{:02}-{:02}", 1 + next(12), 1 + next(28))),
                url: None,
            }
        })
        .collect()
}
