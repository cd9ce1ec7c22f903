//! Evaluates a parsed query over the index: which articles match, how well, and why.
//!
//! Every node yields a [`Matches`]: per article, whether it matches, its BM25F score, its
//! tier (how far its matches are from exact: 0 exact, +1 per prefix, +2 per typo) and how
//! many positive leaves it matched. Ranking sorts by tier, then score, so an exact match
//! always ranks above a prefix match, and a prefix above a typo, of the same word.

use serde::Serialize;

use super::expand::{expand, Class};
use super::Engine;
use crate::index::{Doc, Field};
use crate::model::EntityType;
use crate::query::{Field as QField, Node};
use crate::sort::Set;
use crate::text::{analyze, fold, is_cjk};

/// Weight of an adjacent-words bonus relative to a quoted phrase's score. Range 0–1:
/// 0 turns it off; 1 would rank side-by-side words as if quoted.
pub const PROXIMITY_BONUS: f32 = 0.5;

#[derive(Debug, Clone)]
pub struct Matches {
    pub hit: Vec<bool>,
    pub score: Vec<f32>,
    pub tier: Vec<u32>,
    pub matched: Vec<u16>,
}

impl Matches {
    fn none(n: usize) -> Matches {
        Matches { hit: vec![false; n], score: vec![0.0; n], tier: vec![0; n], matched: vec![0; n] }
    }

    pub fn all(n: usize) -> Matches {
        Matches { hit: vec![true; n], ..Matches::none(n) }
    }
}

/// Why one article matched one part of the query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explain {
    /// The query part, as understood.
    pub query: String,
    /// The words of the article that matched it, as usually written.
    pub matched: Vec<String>,
    /// "exact", "prefix", "typo" or "phrase".
    pub kind: &'static str,
    pub title: u32,
    pub lede: u32,
    pub body: u32,
    pub score: f32,
}

/// One positive word or phrase of the query, kept so "why this result" can be worked out
/// for the few articles shown, instead of recording details for every matching article.
#[derive(Debug, Clone)]
struct Leaf {
    label: String,
    idf: f32,
    only: Option<Field>,
    kind: LeafKind,
}

#[derive(Debug, Clone)]
enum LeafKind {
    /// The word's expansions, best class first.
    Word(Vec<(usize, Class)>),
    /// The phrase's terms with their positions relative to the first.
    Phrase(Vec<(usize, u32)>),
}

pub struct Evaluator<'e> {
    engine: &'e Engine,
    n: usize,
    /// Terms (index numbers) to highlight: what positive leaves matched.
    pub highlight: Set<usize>,
    /// The positive leaves evaluated so far.
    leaves: Vec<Leaf>,
    pub warnings: Vec<String>,
}

impl<'e> Evaluator<'e> {
    pub fn new(engine: &'e Engine) -> Evaluator<'e> {
        Evaluator {
            engine,
            n: engine.index.docs.len(),
            highlight: Set::new(),
            leaves: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub fn eval(&mut self, node: &Node) -> Matches {
        match node {
            Node::Word { text, prefix } => self.word(text, *prefix, None),
            Node::Phrase { text } => self.phrase(text, &format!("\"{text}\""), None),
            Node::Field { field, value, phrase, prefix } => self.field(*field, value, *phrase, *prefix),
            Node::Not(inner) => {
                // Excluded words are not highlighted and not explained.
                let saved = (self.highlight.clone(), self.leaves.len());
                let m = self.eval(inner);
                self.highlight = saved.0;
                self.leaves.truncate(saved.1);
                let mut out = Matches::none(self.n);
                for (o, h) in out.hit.iter_mut().zip(&m.hit) {
                    *o = !h;
                }
                out
            }
            Node::And(items) => {
                let mut acc = Matches::all(self.n);
                for item in items {
                    let m = self.eval(item);
                    for d in 0..self.n {
                        let keep = acc.hit.get(d).copied().unwrap_or(false) && m.hit.get(d).copied().unwrap_or(false);
                        set(&mut acc, d, keep, &m);
                    }
                }
                self.proximity_bonus(items, &mut acc);
                acc
            }
            Node::Or(items) => {
                let mut acc = Matches::none(self.n);
                let mut any = vec![false; self.n];
                for item in items {
                    let m = self.eval(item);
                    for d in 0..self.n {
                        if !m.hit.get(d).copied().unwrap_or(false) {
                            continue;
                        }
                        let first = !any.get(d).copied().unwrap_or(true);
                        if let Some(a) = any.get_mut(d) {
                            *a = true;
                        }
                        if let (Some(h), Some(s), Some(t), Some(k)) =
                            (acc.hit.get_mut(d), acc.score.get_mut(d), acc.tier.get_mut(d), acc.matched.get_mut(d))
                        {
                            *h = true;
                            *s += m.score.get(d).copied().unwrap_or(0.0);
                            let mt = m.tier.get(d).copied().unwrap_or(0);
                            *t = if first { mt } else { (*t).min(mt) };
                            *k += m.matched.get(d).copied().unwrap_or(0);
                        }
                    }
                }
                acc
            }
        }
    }

    /// Why article `doc` matched, one entry per positive word or phrase it matched. Worked
    /// out again for this article by the same per-article functions the evaluation used.
    pub fn explain(&self, doc: u32) -> Vec<Explain> {
        let index = &self.engine.index;
        let Some(d) = index.docs.get(doc as usize) else {
            return Vec::new();
        };
        self.leaves
            .iter()
            .filter_map(|leaf| {
                let (kind, terms, counts) = match &leaf.kind {
                    LeafKind::Word(expansions) => {
                        let (class, terms, counts) = word_in_doc(index, expansions, doc, leaf.only)?;
                        (class.name(), terms, counts)
                    }
                    LeafKind::Phrase(terms) => {
                        let first = terms.first().and_then(|(t, _)| index.terms.get(*t))?;
                        let k = first.postings.binary_search_by_key(&doc, |p| p.doc).ok()?;
                        let starts = phrase_starts(index, terms, first.postings.get(k)?, d, leaf.only);
                        if starts.is_empty() {
                            return None;
                        }
                        ("phrase", terms.iter().map(|(t, _)| *t).collect(), field_counts(d, &starts))
                    }
                };
                Some(Explain {
                    query: leaf.label.clone(),
                    matched: terms.iter().filter_map(|&t| index.surface(t).map(str::to_string)).collect(),
                    kind,
                    title: counts[0],
                    lede: counts[1],
                    body: counts[2],
                    score: self.engine.bm25f(d, counts, leaf.idf),
                })
            })
            .collect()
    }

    /// A typed word: its expansions, scored as one BM25F term. `only` restricts the fields
    /// counted (title:word).
    fn word(&mut self, text: &str, prefix: bool, only: Option<Field>) -> Matches {
        let label = match only {
            Some(_) => format!("title:{text}"),
            None if prefix => format!("{text}…"),
            None => text.to_string(),
        };
        let tokens = analyze(text);
        if tokens.len() > 1 {
            // "e-mail", "雷军": several tokens from one word are a phrase.
            return self.phrase(text, &label, only);
        }
        let mut out = Matches::none(self.n);
        let mut expansions = expand(&self.engine.index, &self.engine.typos, text, prefix);
        if expansions.is_empty() {
            self.warnings.push(format!("no article contains \"{text}\""));
            return out;
        }
        crate::sort::sort_by(&mut expansions, &|a, b| a.1.cmp(&b.1));
        // Per article, dense: the best class reached and the field counts of that class's
        // terms. Expansions come best class first, so a class never has to be undone.
        let index = &self.engine.index;
        let mut best: Vec<Option<Class>> = vec![None; self.n];
        let mut counts: Vec<[u32; 3]> = vec![[0; 3]; self.n];
        for &(t, class) in &expansions {
            let Some(term) = index.terms.get(t) else {
                continue;
            };
            let mut contributed = false;
            for p in &term.postings {
                let d = p.doc as usize;
                let (Some(b), Some(c), Some(doc)) = (best.get_mut(d), counts.get_mut(d), index.docs.get(d)) else {
                    continue;
                };
                if b.is_some_and(|have| have < class) {
                    continue;
                }
                let fc = field_counts_in(doc, &p.positions, only);
                if fc == [0; 3] {
                    continue;
                }
                *b = Some(class);
                for (x, y) in c.iter_mut().zip(fc) {
                    *x += y;
                }
                contributed = true;
            }
            if contributed {
                self.highlight.insert(t);
            }
        }
        let idf = self.engine.idf_df(best.iter().filter(|b| b.is_some()).count());
        for (d, (class, counts)) in best.iter().zip(&counts).enumerate() {
            let (Some(class), Some(doc)) = (class, index.docs.get(d)) else {
                continue;
            };
            mark(&mut out, d, self.engine.bm25f(doc, *counts, idf), *class as u32);
        }
        self.leaves.push(Leaf { label, idf, only, kind: LeafKind::Word(expansions) });
        out
    }

    /// Consecutive plain words of the query that also stand side by side in an article
    /// ("san francisco", "lei jun") are most likely a name or a set phrase the user meant:
    /// such articles get [`PROXIMITY_BONUS`] times the pair's phrase score on top.
    /// Matching is unchanged; only the order moves.
    fn proximity_bonus(&mut self, items: &[Node], acc: &mut Matches) {
        for pair in items.windows(2) {
            let (Some(Node::Word { text: a, .. }), Some(Node::Word { text: b, prefix: false })) =
                (pair.first(), pair.get(1))
            else {
                continue;
            };
            let saved = (self.highlight.clone(), self.leaves.len());
            let m = self.phrase(&format!("{a} {b}"), "", None);
            self.highlight = saved.0;
            self.leaves.truncate(saved.1);
            for d in 0..self.n {
                if acc.hit.get(d).copied().unwrap_or(false) && m.hit.get(d).copied().unwrap_or(false) {
                    if let (Some(s), Some(bonus)) = (acc.score.get_mut(d), m.score.get(d)) {
                        *s += PROXIMITY_BONUS * bonus;
                    }
                }
            }
        }
    }

    /// Words that must appear in this order, at these relative positions (in field `only`
    /// when given).
    fn phrase(&mut self, text: &str, label: &str, only: Option<Field>) -> Matches {
        let mut out = Matches::none(self.n);
        let parts = phrase_terms(text);
        let index = &self.engine.index;
        let mut terms = Vec::with_capacity(parts.len());
        for (t, rel) in &parts {
            match index.terms.binary_search_by(|x| x.term.as_str().cmp(t)) {
                Ok(i) => terms.push((i, *rel)),
                Err(_) => return out,
            }
        }
        let Some(first) = terms.first().and_then(|(t, _)| index.terms.get(*t)) else {
            return out;
        };
        let mut found: Vec<(usize, [u32; 3])> = Vec::new();
        for p in &first.postings {
            let Some(doc) = index.docs.get(p.doc as usize) else {
                continue;
            };
            let starts = phrase_starts(index, &terms, p, doc, only);
            if !starts.is_empty() {
                found.push((p.doc as usize, field_counts(doc, &starts)));
            }
        }
        let idf = self.engine.idf_df(found.len());
        for &(d, counts) in &found {
            if let Some(doc) = index.docs.get(d) {
                mark(&mut out, d, self.engine.bm25f(doc, counts, idf), 0);
            }
        }
        if !found.is_empty() {
            self.highlight.extend(terms.iter().map(|(t, _)| *t));
        }
        self.leaves.push(Leaf { label: label.to_string(), idf, only, kind: LeafKind::Phrase(terms) });
        out
    }

    fn field(&mut self, field: QField, value: &str, phrase: bool, prefix: bool) -> Matches {
        match field {
            QField::Title if phrase => {
                // A phrase in the title: a phrase match counted in the title only.
                self.phrase(value, &format!("title:\"{value}\""), Some(Field::Title))
            }
            QField::Title => self.word(value, prefix, Some(Field::Title)),
            QField::Source => {
                let want = fold(value).into_owned();
                self.filter(|doc| {
                    doc.source.as_deref().is_some_and(|s| {
                        let s = fold(s);
                        if prefix {
                            s.split_whitespace().any(|w| w.starts_with(want.as_str())) || s.contains(want.as_str())
                        } else {
                            s.contains(want.as_str())
                        }
                    })
                })
            }
            QField::After | QField::Before => {
                let Some(bound) = date_bound(value) else {
                    self.warnings.push(format!(
                        "{}:{value} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD); ignored",
                        field.name()
                    ));
                    return Matches::all(self.n);
                };
                if !self.engine.index.docs.iter().any(|d| d.date.is_some()) {
                    self.warnings.push("no article here has a known date, so date filters match nothing".into());
                }
                let after = field == QField::After;
                self.filter(|doc| {
                    doc.date.as_deref().is_some_and(|d| if after { d >= bound.as_str() } else { d < bound.as_str() })
                })
            }
            QField::Entity(ty) => {
                let ids = self.engine.entities_named(ty, value, prefix);
                if ids.is_empty() {
                    self.warnings.push(format!("no {} named \"{value}\" in these articles", ty.as_str()));
                }
                let set = self.engine.docs_with_any(&ids);
                let mut out = Matches::none(self.n);
                for (o, h) in out.hit.iter_mut().zip(set) {
                    *o = h;
                }
                out
            }
        }
    }

    fn filter(&self, keep: impl Fn(&Doc) -> bool) -> Matches {
        let mut out = Matches::none(self.n);
        for (o, doc) in out.hit.iter_mut().zip(&self.engine.index.docs) {
            *o = keep(doc);
        }
        out
    }
}

fn set(acc: &mut Matches, d: usize, keep: bool, m: &Matches) {
    if let (Some(h), Some(s), Some(t), Some(k)) =
        (acc.hit.get_mut(d), acc.score.get_mut(d), acc.tier.get_mut(d), acc.matched.get_mut(d))
    {
        *h = keep;
        if keep {
            *s += m.score.get(d).copied().unwrap_or(0.0);
            *t += m.tier.get(d).copied().unwrap_or(0);
            *k += m.matched.get(d).copied().unwrap_or(0);
        }
    }
}

fn mark(out: &mut Matches, d: usize, score: f32, tier: u32) {
    if let (Some(h), Some(s), Some(t), Some(k)) =
        (out.hit.get_mut(d), out.score.get_mut(d), out.tier.get_mut(d), out.matched.get_mut(d))
    {
        *h = true;
        *s = score;
        *t = tier;
        *k = 1;
    }
}

/// The best class of `expansions` that article `doc` has, with that class's terms and
/// their field counts.
fn word_in_doc(
    index: &crate::index::Index,
    expansions: &[(usize, Class)],
    doc: u32,
    only: Option<Field>,
) -> Option<(Class, Vec<usize>, [u32; 3])> {
    let d = index.docs.get(doc as usize)?;
    let mut best: Option<(Class, Vec<usize>, [u32; 3])> = None;
    for &(t, class) in expansions {
        if best.as_ref().is_some_and(|(have, _, _)| *have < class) {
            break;
        }
        let Some(term) = index.terms.get(t) else { continue };
        let Some(p) = term.postings.binary_search_by_key(&doc, |p| p.doc).ok().and_then(|k| term.postings.get(k))
        else {
            continue;
        };
        let fc = field_counts_in(d, &p.positions, only);
        if fc == [0; 3] {
            continue;
        }
        let entry = best.get_or_insert_with(|| (class, Vec::new(), [0; 3]));
        entry.1.push(t);
        for (x, y) in entry.2.iter_mut().zip(fc) {
            *x += y;
        }
    }
    best
}

/// Where the phrase `terms` starts in the article of posting `first` (a posting of its first
/// term), counting only starts in field `only` when given.
fn phrase_starts(
    index: &crate::index::Index,
    terms: &[(usize, u32)],
    first: &crate::index::Posting,
    doc: &Doc,
    only: Option<Field>,
) -> Vec<u32> {
    let mut starts = Vec::new();
    'pos: for &pos in &first.positions {
        if only.is_some_and(|f| doc.field_of(pos) != f) {
            continue;
        }
        for &(t, rel) in terms.iter().skip(1) {
            let want = pos + rel;
            let has = index
                .terms
                .get(t)
                .and_then(|x| {
                    x.postings.binary_search_by_key(&first.doc, |q| q.doc).ok().and_then(|k| x.postings.get(k))
                })
                .is_some_and(|q| q.positions.binary_search(&want).is_ok());
            if !has {
                continue 'pos;
            }
        }
        starts.push(pos);
    }
    starts
}

/// Occurrences per field, [title, lede, body], of those in field `only` when given.
fn field_counts_in(doc: &Doc, positions: &[u32], only: Option<Field>) -> [u32; 3] {
    let mut c = field_counts(doc, positions);
    match only {
        Some(Field::Title) => c = [c[0], 0, 0],
        Some(Field::Lede) => c = [0, c[1], 0],
        Some(Field::Body) => c = [0, 0, c[2]],
        None => {}
    }
    c
}

/// Occurrences per field: [title, lede, body].
fn field_counts(doc: &Doc, positions: &[u32]) -> [u32; 3] {
    let mut c = [0u32; 3];
    for &p in positions {
        let slot = match doc.field_of(p) {
            Field::Title => &mut c[0],
            Field::Lede => &mut c[1],
            Field::Body => &mut c[2],
        };
        *slot += 1;
    }
    c
}

/// The analyzed terms of a phrase with their positions relative to the first. For CJK
/// runs the bigrams stand for the characters they cover, as at indexing.
pub fn phrase_terms(text: &str) -> Vec<(String, u32)> {
    let tokens = analyze(text);
    let bigram_starts: Set<u32> = tokens
        .iter()
        .filter(|t| t.term.chars().count() == 2 && t.term.chars().all(is_cjk))
        .map(|t| t.position)
        .collect();
    let covered = |t: &crate::text::Token| {
        t.term.chars().count() == 1
            && t.term.chars().all(is_cjk)
            && (bigram_starts.contains(&t.position)
                || t.position.checked_sub(1).is_some_and(|p| bigram_starts.contains(&p)))
    };
    let kept: Vec<&crate::text::Token> = tokens.iter().filter(|t| !covered(t)).collect();
    let base = kept.first().map_or(0, |t| t.position);
    kept.iter().map(|t| (t.term.clone(), t.position - base)).collect()
}

/// "2024", "2024-04", "2024-04-01" as a comparable prefix of an ISO date.
fn date_bound(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split('-').collect();
    let ok = match parts.as_slice() {
        [y] => y.len() == 4,
        [y, m] => y.len() == 4 && m.len() == 2,
        [y, m, d] => y.len() == 4 && m.len() == 2 && d.len() == 2,
        _ => false,
    };
    (ok && s.chars().all(|c| c.is_ascii_digit() || c == '-')).then(|| s.to_string())
}

/// The entity types a bare word may complete to while typing, in the order shown.
pub const SUGGESTION_TYPES: [EntityType; 5] =
    [EntityType::Person, EntityType::Org, EntityType::Product, EntityType::Place, EntityType::Event];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrase_terms_use_bigrams_for_cjk() {
        assert_eq!(phrase_terms("lei jun"), [("lei".to_string(), 0), ("jun".to_string(), 1)]);
        assert_eq!(phrase_terms("雷军"), [("雷军".to_string(), 0)]);
        assert_eq!(
            phrase_terms("雷军小米"),
            [("雷军".to_string(), 0), ("军小".to_string(), 1), ("小米".to_string(), 2)]
        );
        assert_eq!(phrase_terms("雷"), [("雷".to_string(), 0)]);
    }

    #[test]
    fn date_bounds() {
        for (s, ok) in [
            ("2024", true),
            ("2024-04", true),
            ("2024-04-01", true),
            ("24-4-1", false),
            ("soon", false),
            ("2024-04-01-9", false),
        ] {
            assert_eq!(date_bound(s).is_some(), ok, "{s}");
        }
    }
}
