//! Training of the [`super::Model`] (native only: the `cli` feature); scoring is in `eval.rs`.
// Training is native tooling over label numbers that `read_conll` keeps below L and
// arrays sized L: indexing here cannot go out of range, and writing every access through
// `get` would hide the arithmetic of the algorithm.
#![allow(clippy::indexing_slicing)]

use rustc_hash::FxHashMap as HashMap;

pub use super::eval::{evaluate_extractor, evaluate_tagger, extractor_errors, featurize, score, Score};
use super::eval::{per_doc, token_lists};
use super::{emissions_by, viterbi, GazetteerWords, History, Model, Sentence, Tagger, Votes, L};

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
        let mut weights = HashMap::with_capacity_and_hasher(self.slot.len(), Default::default());
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

/// Stage two's features of one article, given stage one's labels of it.
fn second_stage(doc: &[Sentence], first: &[Vec<u8>], feats: &[Vec<Vec<u32>>]) -> Vec<Vec<Vec<u32>>> {
    let votes = Votes::new(&token_lists(doc), first);
    doc.iter().zip(first).zip(feats).map(|((s, l), f)| votes.features(&s.tokens, l, f)).collect()
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
        slot: HashMap::default(),
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

/// (predicted, gold) labels of every sentence of `docs`, each article tagged by stage one
/// alone; `feats` are per article, sentence and token.
fn tag_all(model: &Model, docs: &[Vec<Sentence>], feats: &[Vec<Vec<Vec<u32>>>]) -> Vec<(Vec<u8>, Vec<u8>)> {
    docs.iter()
        .zip(feats)
        .flat_map(|(doc, f)| model.tag_doc(&token_lists(doc), f).into_iter().zip(doc.iter().map(|s| s.labels.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_tiny_pattern() {
        let mk = |toks: &[&str], labels: &[u8]| Sentence {
            tokens: toks.iter().map(|t| t.to_string()).collect(),
            labels: labels.to_vec(),
        };
        // Many names in the same two patterns: what can be learned is the context.
        const NAMES: [(&str, &str); 6] = [
            ("Alpha", "Beta"),
            ("Delta", "Epsilon"),
            ("Kappa", "Lambda"),
            ("Sigma", "Tau"),
            ("Omicron", "Rho"),
            ("Chi", "Psi"),
        ];
        const PLACES: [&str; 4] = ["Gamma", "Iota", "Upsilon", "Omega"];
        let data: Vec<Sentence> = (0..20)
            .flat_map(|k| {
                let (first, last) = NAMES[k % NAMES.len()];
                [
                    mk(&["Mr", first, last, "said", "hello"], &[0, 1, 2, 0, 0]),
                    mk(&["Visit", PLACES[k % PLACES.len()], "today"], &[0, 5, 0]),
                    mk(&["Mr", last, first, "said", "no"], &[0, 1, 2, 0, 0]),
                ]
            })
            .collect();
        let gaz = GazetteerWords::default();
        let model = train(std::slice::from_ref(&data), &[data[..3].to_vec()], &gaz, 10, &mut |_, _| {});
        let test = mk(&["Mr", "Zeta", "Eta", "said", "hi"], &[0, 1, 2, 0, 0]);
        let f = featurize(&[vec![test.clone()]], &gaz);
        assert_eq!(model.tag(&f[0]), test.labels);
        // Stage two learns from held-out stage-one labels, so it needs documents enough for
        // each fold to have some to learn from.
        let docs: Vec<Vec<Sentence>> = (0..FOLDS).map(|_| data.clone()).collect();
        let tagger = train_two_stage(&docs, &[data[..3].to_vec()], &gaz, 10, &mut |_, _| {});
        let doc = [test.clone()];
        assert_eq!(evaluate_tagger(&tagger, &[doc.to_vec()], &gaz).f1, 100.0);
    }
}
