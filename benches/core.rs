//! Native benchmarks of the four stages a corpus goes through: analysis, entity extraction,
//! index building and search (`cargo bench`; CI only compiles them with `cargo bench --no-run`).
//!
//! The corpus is the four seed articles, and a larger one made by recombining their
//! paragraphs (deterministically), so the benches run anywhere without fetching data. Set
//! NEWSLENS_BENCH_CORPUS to a JSON Lines file (for example bench/.cache/speed/10k/corpus.jsonl,
//! written by `./build.sh bench`) to measure building and searching on that corpus instead.

use std::hint::black_box;

// The tests' corpus helpers: the seeds as parsed articles, and an engine built the CLI's way.
#[path = "../tests/integration/common.rs"]
#[allow(dead_code)]
mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use newslens::article::json::FieldMap;
use newslens::entity::Extractor;
use newslens::index::IndexBuilder;
use newslens::model::Article;
use newslens::search::SearchRequest;

/// `n` articles recombined from the seeds' paragraphs by a fixed generator, or the articles of
/// NEWSLENS_BENCH_CORPUS when it is set.
fn corpus(n: usize) -> Vec<Article> {
    if let Ok(path) = std::env::var("NEWSLENS_BENCH_CORPUS") {
        let raw = std::fs::read_to_string(&path).expect("NEWSLENS_BENCH_CORPUS is readable");
        let (parsed, _) = newslens::article::json::parse("bench", &raw, &FieldMap::default()).expect("JSON Lines");
        return parsed.into_iter().map(|p| p.article).collect();
    }
    common::recombined_seeds(n)
}

fn benches(c: &mut Criterion) {
    let seeds = common::seed_articles();
    let extractor = Extractor::new().expect("gazetteer loads");
    let text: String = seeds.iter().map(|a| a.text()).collect::<Vec<_>>().join("\n\n");

    let mut g = c.benchmark_group("analysis");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("analyze seeds", |b| b.iter(|| newslens::text::analyze(black_box(&text))));
    g.finish();

    let mut g = c.benchmark_group("entities");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("extract seeds", |b| b.iter(|| extractor.extract_corpus(black_box(&seeds))));
    let mentions = extractor.extract_corpus(&seeds);
    g.bench_function("roles and quotes of the seeds", |b| {
        b.iter(|| seeds.iter().zip(&mentions).map(|(a, m)| extractor.relations(black_box(a), m)).collect::<Vec<_>>())
    });
    g.finish();

    // The statistical tagger alone (features and both stages), on the seeds cut into
    // whitespace tokens, one sentence per paragraph: `newslens eval-ner` and
    // bench/ner-wasm.mjs measure the same path on CoNLL-2003.
    let docs: Vec<Vec<newslens::ner::Sentence>> = seeds
        .iter()
        .map(|a| {
            std::iter::once(&a.title)
                .chain(&a.paragraphs)
                .map(|p| {
                    let tokens: Vec<String> = p.split_whitespace().map(str::to_string).collect();
                    newslens::ner::Sentence { labels: vec![0; tokens.len()], tokens }
                })
                .collect()
        })
        .collect();
    let tokens: usize = docs.iter().flatten().map(|s| s.tokens.len()).sum();
    let tagger = Extractor::shipped_tagger().expect("model loads");
    let gaz = newslens::entity::gazetteer_words().expect("lists load");
    let mut g = c.benchmark_group("tagger");
    g.throughput(Throughput::Elements(tokens as u64));
    g.bench_function("tag the seeds (tokens)", |b| {
        b.iter(|| newslens::ner::eval::evaluate_tagger(tagger, black_box(&docs), &gaz))
    });
    g.finish();
    let mut g = c.benchmark_group("tagger model");
    g.bench_function("read the model", |b| {
        b.iter(|| newslens::ner::Tagger::from_bytes(black_box(include_bytes!("../data/ner/model.bin"))))
    });
    g.finish();

    let articles = corpus(1000);
    let mentions = extractor.extract_corpus(&articles);
    let mut g = c.benchmark_group("index");
    g.sample_size(10);
    g.throughput(Throughput::Elements(articles.len() as u64));
    g.bench_function("build (mentions given)", |b| {
        b.iter_batched(
            || (articles.clone(), mentions.clone()),
            |(articles, mentions)| {
                let mut builder = IndexBuilder::new();
                for (a, m) in articles.into_iter().zip(mentions) {
                    builder.add(a, m).expect("article indexes");
                }
                newslens::format::write(&builder.build())
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();

    // NEWSLENS_BENCH_INDEX names a one-file index (`newslens index --layout single`) to
    // search instead: profiling a 10k or 100k collection then skips minutes of building.
    let engine = match std::env::var("NEWSLENS_BENCH_INDEX") {
        Ok(path) => {
            newslens::search::Engine::from_bytes(&std::fs::read(path).expect("NEWSLENS_BENCH_INDEX is readable"))
                .expect("NEWSLENS_BENCH_INDEX is an index")
        }
        Err(_) => common::engine_for(articles),
    };
    let mut g = c.benchmark_group("search");
    for (name, req) in [
        ("two words", SearchRequest::new("electric car")),
        ("common word", SearchRequest::new("government")),
        ("phrase", SearchRequest::new("\"Lei Jun\"")),
        ("typed prefix", SearchRequest::new("xiao").typing()),
        ("typo", SearchRequest::new("smartphnoe")),
        ("filter only", SearchRequest::new("").with_entities(["org:xiaomi"])),
    ] {
        g.bench_function(name, |b| b.iter(|| engine.search(black_box(&req)).expect("search answers")));
    }
    // NEWSLENS_BENCH_QUERIES names a file of queries, one per line (for example the browser
    // bench's sampled words): all of them, as the viewer asks (top 10, 20 facet values), so a
    // native profile sees the mix the browser figures come from.
    if let Ok(path) = std::env::var("NEWSLENS_BENCH_QUERIES") {
        let text = std::fs::read_to_string(path).expect("NEWSLENS_BENCH_QUERIES is readable");
        let reqs: Vec<SearchRequest> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|q| SearchRequest { limit: 10, facet_limit: 20, ..SearchRequest::new(q) })
            .collect();
        g.throughput(Throughput::Elements(reqs.len() as u64));
        g.bench_function("query file", |b| {
            b.iter(|| reqs.iter().map(|r| engine.search(black_box(r)).expect("search answers").total).sum::<usize>())
        });
    }
    g.finish();
}

criterion_group!(core, benches);
criterion_main!(core);
