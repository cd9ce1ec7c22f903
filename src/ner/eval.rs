//! Scoring the tagger and the whole extractor on CoNLL-2003 files: exact spans with
//! conlleval semantics. Kept apart from training (`train.rs`, native only) so the importer's
//! wasm scores with the same code in the browser, where a CoNLL file is input like any
//! other: nothing here indexes without a check.

use std::collections::HashMap;

use super::{features, spans, DocContext, GazetteerWords, Sentence, Tagger};

/// Precision, recall and F1 over exact spans (conlleval semantics), overall and per type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// (type name, precision, recall, f1, gold spans)
    pub per_type: Vec<(&'static str, f64, f64, f64, usize)>,
}

fn prf(tp: usize, pred: usize, gold: usize) -> (f64, f64, f64) {
    let p = if pred == 0 { 0.0 } else { tp as f64 / pred as f64 };
    let r = if gold == 0 { 0.0 } else { tp as f64 / gold as f64 };
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p * 100.0, r * 100.0, f * 100.0)
}

const TYPES: [&str; 5] = ["", "PER", "ORG", "LOC", "MISC"];

/// Scores predicted against gold label sequences.
pub fn score(pairs: &[(Vec<u8>, Vec<u8>)]) -> Score {
    let mut tp = [0usize; 5];
    let mut pred = [0usize; 5];
    let mut gold = [0usize; 5];
    let add = |counts: &mut [usize; 5], ty: u8| {
        if let Some(c) = counts.get_mut(ty as usize) {
            *c += 1;
        }
        counts[0] += 1;
    };
    for (p, g) in pairs {
        let ps = spans(p);
        let gs = spans(g);
        for s in &ps {
            add(&mut pred, s.0);
            if gs.contains(s) {
                add(&mut tp, s.0);
            }
        }
        for s in &gs {
            add(&mut gold, s.0);
        }
    }
    let (precision, recall, f1) = prf(tp[0], pred[0], gold[0]);
    let per_type = TYPES
        .iter()
        .enumerate()
        .skip(1)
        .map(|(k, name)| {
            let at = |c: &[usize; 5]| c.get(k).copied().unwrap_or(0);
            let (p, r, f) = prf(at(&tp), at(&pred), at(&gold));
            (*name, p, r, f, at(&gold))
        })
        .collect();
    Score { precision, recall, f1, per_type }
}

/// Features of every token of every sentence of every document (sentences in
/// `docs.iter().flatten()` order), computed once.
pub fn featurize(docs: &[Vec<Sentence>], gaz: &GazetteerWords) -> Vec<Vec<Vec<u32>>> {
    let mut out = Vec::new();
    for doc in docs {
        let token_lists: Vec<&[String]> = doc.iter().map(|s| s.tokens.as_slice()).collect();
        let ctx = DocContext::new(&token_lists);
        for s in doc {
            out.push((0..s.tokens.len()).map(|i| features(&s.tokens, i, gaz, &ctx)).collect());
        }
    }
    out
}

pub(super) fn token_lists(doc: &[Sentence]) -> Vec<&[String]> {
    doc.iter().map(|s| s.tokens.as_slice()).collect()
}

/// Flattened per-sentence features regrouped by document.
pub(super) fn per_doc(docs: &[Vec<Sentence>], flat: Vec<Vec<Vec<u32>>>) -> Vec<Vec<Vec<Vec<u32>>>> {
    let mut it = flat.into_iter();
    docs.iter().map(|d| it.by_ref().take(d.len()).collect()).collect()
}

/// Tags every article of `docs` with both stages and scores them.
pub fn evaluate_tagger(tagger: &Tagger, docs: &[Vec<Sentence>], gaz: &GazetteerWords) -> Score {
    let feats = per_doc(docs, featurize(docs, gaz));
    let pairs: Vec<(Vec<u8>, Vec<u8>)> = docs
        .iter()
        .zip(&feats)
        .flat_map(|(doc, f)| tagger.tag_doc(&token_lists(doc), f).into_iter().zip(doc.iter().map(|s| s.labels.clone())))
        .collect();
    score(&pairs)
}

/// The whole extractor (lists, grammars, rules and, if it has one, the tagger) on CoNLL
/// articles, scored like the tagger: each article becomes an [`crate::model::Article`]
/// (first sentence the title, each other sentence a paragraph, tokens joined by spaces), and
/// each mention must cover exactly the tokens of a gold name. person -> PER, org -> ORG,
/// place -> LOC, product, event and norp -> MISC; dates and amounts are not scored.
pub fn evaluate_extractor(extractor: &crate::entity::Extractor, docs: &[Vec<Sentence>]) -> Score {
    score(&extractor_pairs(extractor, docs).into_iter().map(|(p, g, _)| (p, g)).collect::<Vec<_>>())
}

/// The extractor's most frequent mistakes on CoNLL articles: (count, "missed|extra TYPE
/// words"), most frequent first.
pub fn extractor_errors(
    extractor: &crate::entity::Extractor,
    docs: &[Vec<Sentence>],
    top: usize,
) -> Vec<(usize, String)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (pred, gold, tokens) in extractor_pairs(extractor, docs) {
        let (ps, gs) = (spans(&pred), spans(&gold));
        for (what, mine, other) in [("extra", &ps, &gs), ("missed", &gs, &ps)] {
            for s in mine.iter().filter(|s| !other.contains(s)) {
                let words = tokens.get(s.1..s.2).map(|t| t.join(" ")).unwrap_or_default();
                let ty = TYPES.get(s.0 as usize).unwrap_or(&"?");
                *counts.entry(format!("{what} {ty} {words}")).or_default() += 1;
            }
        }
    }
    let mut v: Vec<(usize, String)> = counts.into_iter().map(|(k, c)| (c, k)).collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    v.truncate(top);
    v
}

/// (predicted labels, gold labels, tokens) of every sentence of `docs`, the predictions
/// mapped from the extractor's mentions.
fn extractor_pairs(
    extractor: &crate::entity::Extractor,
    docs: &[Vec<Sentence>],
) -> Vec<(Vec<u8>, Vec<u8>, Vec<String>)> {
    use crate::model::{Article, EntityType};
    let mut articles = Vec::new();
    // Per article: per sentence, the byte range of each token in the article text.
    let mut offsets: Vec<Vec<Vec<(usize, usize)>>> = Vec::new();
    for (n, doc) in docs.iter().enumerate() {
        let lines: Vec<String> = doc.iter().map(|s| s.tokens.join(" ")).collect();
        let a = Article {
            id: format!("conll-{n}"),
            title: lines.first().cloned().unwrap_or_default(),
            paragraphs: lines.iter().skip(1).cloned().collect(),
            ..Default::default()
        };
        let starts: Vec<usize> = a.spans().iter().map(|s| s.0).collect();
        offsets.push(
            doc.iter()
                .zip(starts)
                .map(|(s, mut at)| {
                    s.tokens
                        .iter()
                        .map(|t| {
                            let r = (at, at + t.len());
                            at += t.len() + 1;
                            r
                        })
                        .collect()
                })
                .collect(),
        );
        articles.push(a);
    }
    let mentions = extractor.extract_corpus(&articles);
    let mut pairs = Vec::new();
    for ((doc, offs), ms) in docs.iter().zip(&offsets).zip(&mentions) {
        for (s, off) in doc.iter().zip(offs) {
            let mut pred = vec![0u8; s.tokens.len()];
            let (Some(first), Some(last)) = (off.first(), off.last()) else { continue };
            for m in ms.iter().filter(|m| m.start >= first.0 && m.end <= last.1) {
                let ty = match m.entity.ty {
                    EntityType::Person => 1,
                    EntityType::Org => 2,
                    EntityType::Place => 3,
                    EntityType::Product | EntityType::Event | EntityType::Norp => 4,
                    _ => continue,
                };
                let a = off.iter().position(|t| t.0 == m.start);
                let b = off.iter().position(|t| t.1 == m.end);
                let free = |a: usize, b: usize, pred: &[u8]| pred.get(a..=b).is_some_and(|r| r.iter().all(|&l| l == 0));
                match (a, b) {
                    (Some(a), Some(b)) if a <= b && free(a, b, &pred) => {
                        for (k, l) in pred.iter_mut().enumerate().take(b + 1).skip(a) {
                            *l = if k == a { 2 * ty - 1 } else { 2 * ty };
                        }
                    }
                    // A mention that does not sit on token edges is a wrong span: mark
                    // the tokens it touches so it counts against precision.
                    _ => {
                        for (t, l) in off.iter().zip(pred.iter_mut()) {
                            if t.0 < m.end && m.start < t.1 && *l == 0 {
                                *l = 2 * ty - 1;
                            }
                        }
                    }
                }
            }
            pairs.push((pred, s.labels.clone(), s.tokens.clone()));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_scores() {
        // gold: PER 0-2, LOC 3-4; predicted: PER 0-2 (right), ORG 3-4 (wrong type)
        let s = score(&[(vec![1, 2, 0, 3], vec![1, 2, 0, 5])]);
        assert!((s.precision - 50.0).abs() < 1e-9 && (s.recall - 50.0).abs() < 1e-9 && (s.f1 - 50.0).abs() < 1e-9);
        assert_eq!(s.per_type[0], ("PER", 100.0, 100.0, 100.0, 1));
    }
}
