//! The ranking math checked against a reference: tantivy's BM25, given the same corpus
//! and the same analyzer, must agree with newslens's reference mode on the top 10.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::{doc, Index, TantivyDocument, Term};

use crate::common::engine_for;
use newslens::model::Article;

/// newslens's analyzer as a tantivy tokenizer.
#[derive(Clone)]
struct Newslens;

struct Tokens {
    tokens: Vec<Token>,
    at: usize,
}

impl Tokenizer for Newslens {
    type TokenStream<'a> = Tokens;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let tokens = newslens::text::analyze(text)
            .into_iter()
            .map(|t| Token {
                offset_from: t.start,
                offset_to: t.end,
                position: t.position as usize,
                text: t.term,
                position_length: 1,
            })
            .collect();
        Tokens { tokens, at: 0 }
    }
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

/// A deterministic pseudo-random generator (no dependency, same corpus every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    /// Zipf-like: small indexes much more often, as in real text.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() % 10_000) as f64 / 10_000.0;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

const SYLLABLES: &[&str] =
    &["ka", "lo", "mi", "ren", "tor", "va", "bel", "quin", "sar", "dun", "pel", "zor", "nia", "gar", "fen", "hol"];

fn vocabulary() -> Vec<String> {
    let mut rng = Lcg(7);
    let mut words: Vec<String> = (0..600)
        .map(|_| {
            let n = 2 + (rng.next() % 2) as usize;
            (0..n).map(|_| SYLLABLES[(rng.next() % SYLLABLES.len() as u64) as usize]).collect()
        })
        .collect();
    words.sort();
    words.dedup();
    words
}

fn corpus(words: &[String]) -> Vec<Article> {
    let mut rng = Lcg(42);
    (0..400)
        .map(|i| {
            let sentence = |rng: &mut Lcg, len: usize| -> String {
                (0..len).map(|_| words[rng.zipf(words.len())].as_str()).collect::<Vec<_>>().join(" ")
            };
            let title_len = 4 + (rng.next() % 4) as usize;
            let title = sentence(&mut rng, title_len);
            let paragraphs = (0..1 + rng.next() % 4)
                .map(|_| {
                    let len = 15 + (rng.next() % 60) as usize;
                    format!("{}.", sentence(&mut rng, len))
                })
                .collect();
            Article { id: format!("doc{i:03}"), title, paragraphs, ..Default::default() }
        })
        .collect()
}

#[test]
fn reference_mode_agrees_with_tantivy_on_the_top_10() {
    let words = vocabulary();
    let articles = corpus(&words);

    let mut schema = Schema::builder();
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("newslens")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let text = schema.add_text_field("text", options);
    let id = schema.add_text_field("id", STORED);
    let index = Index::create_in_ram(schema.build());
    index.tokenizers().register("newslens", TextAnalyzer::from(Newslens));
    let mut writer = index.writer(50_000_000).unwrap();
    for a in &articles {
        writer.add_document(doc!(text => a.text(), id => a.id.clone())).unwrap();
    }
    writer.commit().unwrap();
    let searcher = index.reader().unwrap().searcher();

    let engine = engine_for(articles);
    let mut rng = Lcg(99);
    let mut overlaps = Vec::new();
    for _ in 0..60 {
        let n = 1 + (rng.next() % 3) as usize;
        // Mid-frequency words: the top of the Zipf curve is in every article.
        let query: Vec<&str> = (0..n).map(|_| words[5 + rng.zipf(words.len() - 5)].as_str()).collect();
        let query = query.join(" ");
        let ours: Vec<String> = engine.search_reference(&query, 10).into_iter().map(|(id, _)| id).collect();

        let clauses: Vec<(Occur, Box<dyn Query>)> = newslens::text::analyze(&query)
            .into_iter()
            .map(|t| {
                let q: Box<dyn Query> =
                    Box::new(TermQuery::new(Term::from_field_text(text, &t.term), IndexRecordOption::WithFreqs));
                (Occur::Should, q)
            })
            .collect();
        let top = searcher.search(&BooleanQuery::new(clauses), &TopDocs::with_limit(10).order_by_score()).unwrap();
        let theirs: Vec<String> = top
            .into_iter()
            .map(|(_, addr)| {
                let d: TantivyDocument = searcher.doc(addr).unwrap();
                d.get_first(id).and_then(|v| v.as_str()).unwrap().to_string()
            })
            .collect();
        if theirs.is_empty() && ours.is_empty() {
            continue;
        }
        let common = ours.iter().filter(|x| theirs.contains(x)).count();
        overlaps.push(common as f64 / ours.len().max(theirs.len()) as f64);
    }
    assert!(overlaps.len() >= 40, "too few queries with results: {}", overlaps.len());
    let mean = overlaps.iter().sum::<f64>() / overlaps.len() as f64;
    println!("top-10 overlap with tantivy over {} queries: mean {mean:.3}", overlaps.len());
    assert!(mean >= 0.9, "mean top-10 overlap {mean:.3} < 0.9");
}
