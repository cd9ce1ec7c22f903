//! Training and evaluation of the [`super::Model`] (native only: the `cli` feature).
// Training is native tooling over label numbers that `read_conll` keeps below L and
// arrays sized L: indexing here cannot go out of range, and writing every access through
// `get` would hide the arithmetic of the algorithm.
#![allow(clippy::indexing_slicing)]

use std::collections::HashMap;

use super::{
    emissions_by, features, spans, viterbi, DocContext, GazetteerWords, History, Model, Sentence, Tagger, Votes, L,
};

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

/// Scores predicted against gold label sequences.
pub fn score(pairs: &[(Vec<u8>, Vec<u8>)]) -> Score {
    let mut tp = [0usize; 5];
    let mut pred = [0usize; 5];
    let mut gold = [0usize; 5];
    for (p, g) in pairs {
        let ps = spans(p);
        let gs = spans(g);
        for s in &ps {
            pred[s.0 as usize] += 1;
            pred[0] += 1;
            if gs.contains(s) {
                tp[s.0 as usize] += 1;
                tp[0] += 1;
            }
        }
        for s in &gs {
            gold[s.0 as usize] += 1;
            gold[0] += 1;
        }
    }
    let (precision, recall, f1) = prf(tp[0], pred[0], gold[0]);
    let per_type = ["PER", "ORG", "LOC", "MISC"]
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let (p, r, f) = prf(tp[k + 1], pred[k + 1], gold[k + 1]);
            (*name, p, r, f, gold[k + 1])
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

/// A structured perceptron with averaging (the "w - u/c" form of Daumé III).
struct Trainer {
    slot: HashMap<u32, usize>,
    w: Vec<[f32; L]>,
    u: Vec<[f32; L]>,
    tw: [[f32; L]; L + 1],
    tu: [[f32; L]; L + 1],
    c: f32,
}

impl Trainer {
    fn emissions(&self, feats: &[Vec<u32>]) -> Vec<[f32; L]> {
        emissions_by(feats, |f| self.slot.get(&f).map(|&k| &self.w[k]))
    }

    fn update(&mut self, feats: &[u32], label: usize, delta: f32) {
        for f in feats {
            let k = *self.slot.entry(*f).or_insert_with(|| {
                self.w.push([0.0; L]);
                self.u.push([0.0; L]);
                self.w.len() - 1
            });
            self.w[k][label] += delta;
            self.u[k][label] += self.c * delta;
        }
    }

    fn averaged(&self) -> Model {
        let mut weights = HashMap::with_capacity(self.slot.len());
        let average = |w: &[f32; L], u: &[f32; L]| -> [f32; L] { std::array::from_fn(|y| w[y] - u[y] / self.c) };
        for (&f, &k) in &self.slot {
            weights.insert(f, average(&self.w[k], &self.u[k]));
        }
        let trans = std::array::from_fn(|a| average(&self.tw[a], &self.tu[a]));
        Model { weights, trans }
    }
}

/// Sees the averaged model after each pass.
type OnPass<'a> = &'a mut dyn FnMut(usize, &Model);

/// One line per epoch: its number and the dev score after it.
pub type Progress<'a> = &'a mut dyn FnMut(usize, &Score);

/// Trains stage one for `epochs` passes over `train` (shuffled each pass with a fixed seed),
/// scoring `dev` after each pass. Returns the averaged model of the last pass.
pub fn train(
    train_docs: &[Vec<Sentence>],
    dev_docs: &[Vec<Sentence>],
    gaz: &GazetteerWords,
    epochs: usize,
    progress: Progress,
) -> Model {
    let feats = per_doc(train_docs, featurize(train_docs, gaz));
    let dev_feats = per_doc(dev_docs, featurize(dev_docs, gaz));
    let docs: Vec<&Vec<Sentence>> = train_docs.iter().collect();
    fit(&docs, &feats, true, epochs, Some(&mut |epoch, m| progress(epoch, &score(&tag_all(m, dev_docs, &dev_feats)))))
}

/// Folds of the training articles whose stage-one labels stage two learns from: each fold
/// is tagged by a model that never saw it, so stage two learns how wrong stage one is on
/// unseen news, not on its own training set.
const FOLDS: usize = 5;

/// Trains both stages ([`Tagger`]): stage one on all of `train`; stage two on `train`'s
/// static features plus the [`Votes`] of stage-one labels made by [`FOLDS`] held-out models.
/// `progress` sees stage two's dev score after each of its passes (stage one's last pass
/// is reported as pass 0).
pub fn train_two_stage(
    train_docs: &[Vec<Sentence>],
    dev_docs: &[Vec<Sentence>],
    gaz: &GazetteerWords,
    epochs: usize,
    progress: Progress,
) -> Tagger {
    let feats = per_doc(train_docs, featurize(train_docs, gaz));
    let dev_feats = per_doc(dev_docs, featurize(dev_docs, gaz));
    let docs: Vec<&Vec<Sentence>> = train_docs.iter().collect();
    let first = fit(&docs, &feats, true, epochs, None);
    // Stage-one labels of every training article from the model that did not see it.
    let mut held_out: Vec<Vec<Vec<u8>>> = vec![Vec::new(); train_docs.len()];
    for fold in 0..FOLDS {
        let keep: Vec<usize> = (0..train_docs.len()).filter(|d| d % FOLDS != fold).collect();
        let sub_docs: Vec<&Vec<Sentence>> = keep.iter().map(|&d| &train_docs[d]).collect();
        let sub_feats: Vec<Vec<Vec<Vec<u32>>>> = keep.iter().map(|&d| feats[d].clone()).collect();
        let m = fit(&sub_docs, &sub_feats, true, epochs, None);
        for d in (0..train_docs.len()).filter(|d| d % FOLDS == fold) {
            held_out[d] = m.tag_doc(&token_lists(&train_docs[d]), &feats[d]);
        }
    }
    let second_feats: Vec<Vec<Vec<Vec<u32>>>> =
        (0..train_docs.len()).map(|d| second_stage(&train_docs[d], &held_out[d], &feats[d])).collect();
    let dev_second: Vec<Vec<Vec<Vec<u32>>>> = dev_docs
        .iter()
        .zip(&dev_feats)
        .map(|(doc, f)| second_stage(doc, &first.tag_doc(&token_lists(doc), f), f))
        .collect();
    progress(0, &score(&tag_all(&first, dev_docs, &dev_feats)));
    let second = fit(
        &docs,
        &second_feats,
        false,
        epochs,
        Some(&mut |epoch, m| {
            let pairs: Vec<(Vec<u8>, Vec<u8>)> = dev_docs
                .iter()
                .zip(&dev_second)
                .flat_map(|(doc, f)| {
                    f.iter().map(|s| m.tag(s)).zip(doc.iter().map(|s| s.labels.clone())).collect::<Vec<_>>()
                })
                .collect();
            progress(epoch, &score(&pairs));
        }),
    );
    Tagger { first, second }
}

fn token_lists(doc: &[Sentence]) -> Vec<&[String]> {
    doc.iter().map(|s| s.tokens.as_slice()).collect()
}

/// Stage two's features of one article, given stage one's labels of it.
fn second_stage(doc: &[Sentence], first: &[Vec<u8>], feats: &[Vec<Vec<u32>>]) -> Vec<Vec<Vec<u32>>> {
    let votes = Votes::new(&token_lists(doc), first);
    doc.iter().zip(first).zip(feats).map(|((s, l), f)| votes.features(&s.tokens, l, f)).collect()
}

/// Flattened per-sentence features regrouped by document.
fn per_doc(docs: &[Vec<Sentence>], flat: Vec<Vec<Vec<u32>>>) -> Vec<Vec<Vec<Vec<u32>>>> {
    let mut it = flat.into_iter();
    docs.iter().map(|d| it.by_ref().take(d.len()).collect()).collect()
}

/// The perceptron's passes over `docs` (features per document, sentence, token). With
/// `history`, each sentence also gets the [`History`] of the model's own live predictions
/// on the sentences before it, as it will when tagging new text.
fn fit(
    docs: &[&Vec<Sentence>],
    feats: &[Vec<Vec<Vec<u32>>>],
    history: bool,
    epochs: usize,
    mut on_pass: Option<OnPass>,
) -> Model {
    let mut t = Trainer {
        slot: HashMap::new(),
        w: Vec::new(),
        u: Vec::new(),
        tw: [[0.0; L]; L + 1],
        tu: [[0.0; L]; L + 1],
        c: 1.0,
    };
    let mut order: Vec<usize> = (0..docs.len()).collect();
    let mut seed: u64 = 2003;
    for epoch in 1..=epochs {
        for i in (1..order.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (seed >> 33) as usize % (i + 1));
        }
        for &d in &order {
            let mut hist = History::default();
            for (s, sf) in docs[d].iter().zip(&feats[d]) {
                let f = if history { hist.extend(&s.tokens, sf) } else { sf.clone() };
                let pred = viterbi(&t.emissions(&f), &t.tw);
                if history {
                    hist.record(&s.tokens, &pred);
                }
                if pred != s.labels {
                    for (i, (&p, &g)) in pred.iter().zip(&s.labels).enumerate() {
                        let (pp, gp) = if i == 0 { (L, L) } else { (pred[i - 1] as usize, s.labels[i - 1] as usize) };
                        if p != g {
                            t.update(&f[i], g as usize, 1.0);
                            t.update(&f[i], p as usize, -1.0);
                        }
                        if p != g || pp != gp {
                            t.tw[gp][g as usize] += 1.0;
                            t.tu[gp][g as usize] += t.c;
                            t.tw[pp][p as usize] -= 1.0;
                            t.tu[pp][p as usize] -= t.c;
                        }
                    }
                }
                t.c += 1.0;
            }
        }
        if let Some(f) = on_pass.as_mut() {
            f(epoch, &t.averaged());
        }
    }
    t.averaged()
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

/// (predicted, gold) labels of every sentence of `docs`, each article tagged by stage one
/// alone; `feats` are per article, sentence and token.
fn tag_all(model: &Model, docs: &[Vec<Sentence>], feats: &[Vec<Vec<Vec<u32>>>]) -> Vec<(Vec<u8>, Vec<u8>)> {
    docs.iter()
        .zip(feats)
        .flat_map(|(doc, f)| model.tag_doc(&token_lists(doc), f).into_iter().zip(doc.iter().map(|s| s.labels.clone())))
        .collect()
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
    const TYPES: [&str; 5] = ["", "PER", "ORG", "LOC", "MISC"];
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (pred, gold, tokens) in extractor_pairs(extractor, docs) {
        let (ps, gs) = (spans(&pred), spans(&gold));
        for (what, mine, other) in [("extra", &ps, &gs), ("missed", &gs, &ps)] {
            for s in mine.iter().filter(|s| !other.contains(s)) {
                let words = tokens[s.1..s.2].join(" ");
                *counts.entry(format!("{what} {} {words}", TYPES[s.0 as usize])).or_default() += 1;
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
    // Per article: per sentence, the byte start of each token in the article text.
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
                match (a, b) {
                    (Some(a), Some(b)) if a <= b && pred[a..=b].iter().all(|&l| l == 0) => {
                        pred[a] = 2 * ty - 1;
                        pred[a + 1..=b].fill(2 * ty);
                    }
                    // A mention that does not sit on token edges is a wrong span: mark
                    // the tokens it touches so it counts against precision.
                    _ => {
                        for (k, t) in off.iter().enumerate() {
                            if t.0 < m.end && m.start < t.1 && pred[k] == 0 {
                                pred[k] = 2 * ty - 1;
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

    #[test]
    fn learns_a_tiny_pattern() {
        let mk = |toks: &[&str], labels: &[u8]| Sentence {
            tokens: toks.iter().map(|t| t.to_string()).collect(),
            labels: labels.to_vec(),
        };
        let data: Vec<Sentence> = (0..20)
            .flat_map(|_| {
                [
                    mk(&["Mr", "Alpha", "Beta", "said", "hello"], &[0, 1, 2, 0, 0]),
                    mk(&["Visit", "Gamma", "today"], &[0, 5, 0]),
                    mk(&["Mr", "Delta", "Epsilon", "said", "no"], &[0, 1, 2, 0, 0]),
                ]
            })
            .collect();
        let gaz = GazetteerWords::new();
        let model = train(std::slice::from_ref(&data), &[data[..3].to_vec()], &gaz, 3, &mut |_, _| {});
        let test = mk(&["Mr", "Zeta", "Eta", "said", "hi"], &[0, 1, 2, 0, 0]);
        let f = featurize(&[vec![test.clone()]], &gaz);
        assert_eq!(model.tag(&f[0]), test.labels);
        let tagger = train_two_stage(std::slice::from_ref(&data), &[data[..3].to_vec()], &gaz, 3, &mut |_, _| {});
        let doc = [test.clone()];
        assert_eq!(evaluate_tagger(&tagger, &[doc.to_vec()], &gaz).f1, 100.0);
    }
}
