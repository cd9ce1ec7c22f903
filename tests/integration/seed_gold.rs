//! The extractor against a hand-labelled gold file of the four seeds
//! (tests/gold/seeds-entities.tsv): exact spans and types, and canonical ids where the gold
//! names one. `cargo test --features cli seed_gold -- --nocapture` prints the figures and
//! every miss.
//!
//! The seeds are a check, not training data: the tagger never saw them, and the lists were
//! curated for the seeds' industries (which the brief asks for), so this measures the whole
//! extractor on the news it was built around, not how it generalises (CoNLL measures that).

use std::collections::BTreeSet;

use newslens::entity::Extractor;

use crate::common::seed_articles;

/// (article prefix, surface, type, id or None), from the gold file.
fn gold_rows() -> Vec<(String, String, String, Option<String>)> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gold/seeds-entities.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 4, "gold line {l:?}");
            let id = (cols[3] != "-").then(|| cols[3].to_string());
            (cols[0].into(), cols[1].into(), cols[2].into(), id)
        })
        .collect()
}

fn word_edge(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric))
}

/// Gold spans of one article: each surface's whole-word occurrences, longest surfaces first,
/// never overlapping.
fn gold_spans(
    text: &str,
    rows: &[&(String, String, String, Option<String>)],
) -> Vec<(usize, usize, String, Option<String>)> {
    let mut rows = rows.to_vec();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1.len()));
    let mut out: Vec<(usize, usize, String, Option<String>)> = Vec::new();
    for (_, surface, ty, id) in rows {
        for (at, _) in text.match_indices(surface.as_str()) {
            let end = at + surface.len();
            if word_edge(text, at) && word_edge(text, end) && !out.iter().any(|g| at < g.1 && g.0 < end) {
                out.push((at, end, ty.clone(), id.clone()));
            }
        }
    }
    out
}

#[test]
fn the_extractor_on_the_hand_labelled_seeds() {
    mention_counts(true);
}

/// Scores the mentions against the gold file: (right, predicted, gold). With `report`,
/// prints the figures and every miss and asserts the targets.
fn mention_counts(report: bool) -> (usize, usize, usize) {
    let articles = seed_articles();
    let rows = gold_rows();
    let mentions = Extractor::new().unwrap().extract_corpus(&articles);
    let (mut tp, mut pred_n, mut gold_n, mut id_right, mut id_checked) = (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut per_type: std::collections::BTreeMap<String, [usize; 3]> = Default::default();
    let mut misses = Vec::new();
    for (a, ms) in articles.iter().zip(&mentions) {
        let text = a.text();
        let mine: Vec<_> = rows.iter().filter(|r| a.id.starts_with(&r.0)).collect();
        assert!(!mine.is_empty(), "no gold rows for {}", a.id);
        let gold = gold_spans(&text, &mine);
        let predicted: BTreeSet<(usize, usize, String)> =
            ms.iter().map(|m| (m.start, m.end, m.entity.ty.as_str().to_string())).collect();
        let gold_set: BTreeSet<(usize, usize, String)> = gold.iter().map(|g| (g.0, g.1, g.2.clone())).collect();
        for g in &gold {
            per_type.entry(g.2.clone()).or_default()[1] += 1;
            let key = (g.0, g.1, g.2.clone());
            if predicted.contains(&key) {
                tp += 1;
                per_type.entry(g.2.clone()).or_default()[2] += 1;
                if let Some(id) = &g.3 {
                    id_checked += 1;
                    let m = ms.iter().find(|m| m.start == g.0 && m.end == g.1).unwrap();
                    if &m.entity.id == id {
                        id_right += 1;
                    } else {
                        misses.push(format!("{} id: {:?} is {} (gold {id})", &a.id[..3], &text[g.0..g.1], m.entity.id));
                    }
                }
            } else {
                misses.push(format!("{} missed: {:?} {}", &a.id[..3], &text[g.0..g.1], g.2));
            }
        }
        for p in &predicted {
            per_type.entry(p.2.clone()).or_default()[0] += 1;
            if !gold_set.contains(p) {
                misses.push(format!("{} extra: {:?} {}", &a.id[..3], &text[p.0..p.1], p.2));
            }
        }
        pred_n += predicted.len();
        gold_n += gold.len();
    }
    if !report {
        return (tp, pred_n, gold_n);
    }
    let p = tp as f64 / pred_n.max(1) as f64;
    let r = tp as f64 / gold_n.max(1) as f64;
    let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    println!("seeds: P {:.3} R {:.3} F1 {:.3} ({tp} of {gold_n} gold, {pred_n} predicted); ids right {id_right} of {id_checked}", p, r, f1);
    for (ty, [pr, g, t]) in &per_type {
        println!("  {ty:9} predicted {pr:3} gold {g:3} right {t:3}");
    }
    for m in &misses {
        println!("  {m}");
    }
    // The target: a change that loses or invents names on the seeds fails here.
    assert!(f1 >= 0.95, "seed F1 {f1:.3} is below 0.95");
    assert!(id_right * 100 >= id_checked * 95, "canonical ids: {id_right} of {id_checked}");
    (tp, pred_n, gold_n)
}

/// Precision, recall and F1 of `predicted` against `gold`.
fn prf<T: Ord>(predicted: &BTreeSet<T>, gold: &BTreeSet<T>) -> (f64, f64, f64) {
    let tp = predicted.intersection(gold).count() as f64;
    let p = tp / predicted.len().max(1) as f64;
    let r = tp / gold.len().max(1) as f64;
    (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
}

#[test]
fn roles_and_quotes_on_the_hand_labelled_seeds() {
    let articles = seed_articles();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gold/seeds-relations.tsv")).unwrap();
    let (mut gold_links, mut gold_titles, mut gold_quotes) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for l in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cols: Vec<&str> = l.split('\t').collect();
        match cols.as_slice() {
            [a, "role", p, o, title] => {
                gold_links.insert((a.to_string(), p.to_string(), o.to_string()));
                gold_titles.insert((a.to_string(), p.to_string(), o.to_string(), title.to_string()));
            }
            [a, "quote", s, q] => {
                gold_quotes.insert((a.to_string(), s.to_string(), q.to_string()));
            }
            _ => panic!("relations gold line {l:?}"),
        }
    }
    let ex = Extractor::new().unwrap();
    let mentions = ex.extract_corpus(&articles);
    let (mut links, mut titles, mut quotes) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for (a, ms) in articles.iter().zip(&mentions) {
        let prefix = a.id[..3].to_string();
        let text = a.text();
        let r = ex.relations(a, ms);
        for role in &r.roles {
            links.insert((prefix.clone(), role.person.id.clone(), role.org.id.clone()));
            titles.insert((prefix.clone(), role.person.id.clone(), role.org.id.clone(), role.title.clone()));
        }
        for q in &r.quotes {
            quotes.insert((prefix.clone(), q.speaker.id.clone(), text[q.start..q.end].trim().to_string()));
        }
    }
    let (lp, lr, lf) = prf(&links, &gold_links);
    let (tp, tr, tf) = prf(&titles, &gold_titles);
    let (qp, qr, qf) = prf(&quotes, &gold_quotes);
    println!("seed roles (person, organisation): P {lp:.3} R {lr:.3} F1 {lf:.3} ({} gold)", gold_links.len());
    println!("seed roles with their title as written: P {tp:.3} R {tr:.3} F1 {tf:.3} ({} gold)", gold_titles.len());
    println!("seed quotes (speaker, words): P {qp:.3} R {qr:.3} F1 {qf:.3} ({} gold)", gold_quotes.len());
    for x in links.symmetric_difference(&gold_links) {
        println!("  role {} {x:?}", if gold_links.contains(x) { "missed" } else { "extra" });
    }
    for x in titles.symmetric_difference(&gold_titles) {
        println!("  title {} {x:?}", if gold_titles.contains(x) { "missed" } else { "extra" });
    }
    for x in quotes.symmetric_difference(&gold_quotes) {
        println!("  quote {} {x:?}", if gold_quotes.contains(x) { "missed" } else { "extra" });
    }
    // The figure: every span, role and quote of the gold, as one F1 (canonical ids
    // are checked by the mention test).
    let (mt, mp, mg) = mention_counts(false);
    let right = mt + links.intersection(&gold_links).count() + quotes.intersection(&gold_quotes).count();
    let predicted = mp + links.len() + quotes.len();
    let gold = mg + gold_links.len() + gold_quotes.len();
    let (p, r) = (right as f64 / predicted as f64, right as f64 / gold as f64);
    let all = 2.0 * p * r / (p + r);
    println!("seed spans, roles and quotes together: P {p:.3} R {r:.3} F1 {all:.3}");
    assert!(all >= 0.95, "seed F1 over spans, roles and quotes {all:.3} is below 0.95");
    // Floors under today's figures (links 0.889, titles 0.909, quotes 1.0): a change that loses a role or
    // a quote the rules find, or invents one, fails here.
    assert!(lf >= 0.85, "seed role F1 {lf:.3}");
    assert!(qf >= 0.95, "seed quote F1 {qf:.3}");
}
