//! Which index terms a typed word stands for: itself, the words it begins (the last word
//! while typing), and the words one or two typos away (Meilisearch's rule, which users
//! expect: 1 typo from 5 letters, 2 from 9).

use crate::index::Index;
use crate::text::{fold, term};

/// How a word met a term; lower is better and ranks first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    Exact = 0,
    Prefix = 1,
    Typo = 2,
}

impl Class {
    pub fn name(self) -> &'static str {
        match self {
            Class::Exact => "exact",
            Class::Prefix => "prefix",
            Class::Typo => "typo",
        }
    }
}

/// Letters from which one typo is allowed, and two.
pub const ONE_TYPO_FROM: usize = 5;
pub const TWO_TYPOS_FROM: usize = 9;
/// Terms a prefix may expand to, most frequent first: "a" must not drag in the dictionary.
pub const MAX_PREFIX_TERMS: usize = 64;
/// Terms a typo may expand to, most frequent first.
pub const MAX_TYPO_TERMS: usize = 16;

pub fn typo_budget(letters: usize) -> usize {
    if letters >= TWO_TYPOS_FROM {
        2
    } else if letters >= ONE_TYPO_FROM {
        1
    } else {
        0
    }
}

/// The typed word folded but not stemmed, for prefix and typo comparison.
pub fn folded_word(word: &str) -> String {
    fold(word).trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

/// Term numbers (into `index.terms`) a word stands for, with how each was reached.
pub fn expand(index: &Index, typos: &TypoTable, word: &str, prefix: bool) -> Vec<(usize, Class)> {
    let stemmed = term(word);
    let folded = folded_word(word);
    let mut out: Vec<(usize, Class)> = Vec::new();
    if stemmed.is_empty() {
        return out;
    }
    let find = |t: &str| index.terms.binary_search_by(|x| x.term.as_str().cmp(t)).ok();
    if let Some(i) = find(&stemmed) {
        out.push((i, Class::Exact));
    }
    if prefix && !folded.is_empty() {
        let start = index.terms.partition_point(|x| x.term.as_str() < folded.as_str());
        let mut found: Vec<usize> = index
            .terms
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|x| x.term.starts_with(folded.as_str()))
            .enumerate()
            .map(|(k, _)| start + k)
            .filter(|i| !out.iter().any(|(j, _)| j == i))
            .collect();
        by_frequency(index, &mut found, MAX_PREFIX_TERMS);
        out.extend(found.into_iter().map(|i| (i, Class::Prefix)));
    }
    let letters = folded.chars().count();
    let budget = typo_budget(letters);
    if budget > 0 && folded.chars().any(char::is_alphabetic) {
        let mut found: Vec<usize> = typo_candidates(typos, &folded, budget)
            .into_iter()
            .map(|(i, _)| i)
            .filter(|i| !out.iter().any(|(j, _)| j == i))
            .collect();
        by_frequency(index, &mut found, MAX_TYPO_TERMS);
        out.extend(found.into_iter().map(|i| (i, Class::Typo)));
    }
    out
}

fn by_frequency(index: &Index, terms: &mut Vec<usize>, keep: usize) {
    let df = |i: &usize| index.terms.get(*i).map_or(0, |t| t.postings.len());
    crate::sort::sort_by(terms, &|a, b| df(b).cmp(&df(a)));
    terms.truncate(keep);
}

/// A 64-bit set of the characters in a word: a-z and 0-9 each have a bit, anything else
/// shares the rest by code point. Every character in one word's set and not in another's
/// costs at least one edit, so the counts bound the edit distance from below: most terms
/// are ruled out by two popcounts instead of a distance computation.
pub fn char_mask(s: &str) -> u64 {
    s.chars().fold(0u64, |m, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            _ => 36 + c as u32 % 28,
        };
        m | (1u64 << bit)
    })
}

/// Every term's written forms (or the term itself when it has none) as one flat array in
/// term order, with their text in one pool: the typo scan reads these two arrays only.
/// Walking every `Term`'s own strings and a mask list per term cost a pointer chase or
/// more for each term and each form the masks let through, most of a one-word search
/// (perf, 10k articles: 15% of the sampled words' searches, nearly all cache misses).
#[derive(Debug, Clone, Default)]
pub struct TypoTable {
    forms: Vec<FormKey>,
    /// The forms' text, appended as terms arrive (never moved, so offsets stay valid).
    text: String,
}

#[derive(Debug, Clone, Copy)]
struct FormKey {
    mask: u64,
    term: u32,
    /// Byte range in `TypoTable::text`.
    start: u32,
    end: u32,
    /// Characters: lengths further apart than the budget are further apart in edits.
    chars: u32,
}

impl TypoTable {
    pub fn new(terms: &[crate::index::Term]) -> TypoTable {
        let mut table = TypoTable::default();
        table.insert(0, terms);
        table
    }

    /// `terms` inserted into the term list at `at` (a shard arriving): later terms move up.
    pub fn insert(&mut self, at: usize, terms: &[crate::index::Term]) {
        let added = terms.len() as u32;
        let from = self.forms.partition_point(|f| (f.term as usize) < at);
        for f in self.forms.get_mut(from..).unwrap_or_default() {
            f.term += added;
        }
        let mut new = Vec::new();
        for (k, t) in terms.iter().enumerate() {
            for s in written_forms(t) {
                let start = self.text.len() as u32;
                self.text.push_str(s);
                let end = self.text.len() as u32;
                let (mask, chars) = (char_mask(s), s.chars().count() as u32);
                new.push(FormKey { mask, term: (at + k) as u32, start, end, chars });
            }
        }
        self.forms.splice(from..from, new);
    }
}

/// A term's written forms, or the term itself when it has none.
fn written_forms(t: &crate::index::Term) -> &[String] {
    if t.surfaces.is_empty() {
        std::slice::from_ref(&t.term)
    } else {
        t.surfaces.as_slice()
    }
}

/// Terms with a written form within `budget` edits of the word as typed (folded), in term
/// order with their closest distance. Typos are errors in what was typed, so they are
/// measured on written forms, not on stems: stems are shorter, and "intercept" is two edits
/// from "interest" while "interception" is not. `table` is [`TypoTable`] of the index's terms.
pub fn typo_candidates(table: &TypoTable, typed: &str, budget: usize) -> Vec<(usize, usize)> {
    let typed_chars: Vec<char> = typed.chars().collect();
    let typed_mask = char_mask(typed);
    let mut cand: Vec<char> = Vec::new();
    let mut rows = Rows::default();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for f in &table.forms {
        let missing = (typed_mask & !f.mask).count_ones() as usize;
        let extra = (f.mask & !typed_mask).count_ones() as usize;
        if missing > budget || extra > budget || (f.chars as usize).abs_diff(typed_chars.len()) > budget {
            continue;
        }
        let Some(form) = table.text.get(f.start as usize..f.end as usize) else { continue };
        cand.clear();
        cand.extend(form.chars());
        let Some(d) = rows.distance(&typed_chars, &cand, budget) else { continue };
        match out.last_mut() {
            Some((t, best)) if *t == f.term as usize => *best = (*best).min(d),
            _ => out.push((f.term as usize, d)),
        }
    }
    // A term one of whose forms is the word itself is no typo of it.
    out.retain(|(_, d)| *d > 0);
    out
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, which are
/// the commonest typo), or None when it exceeds `max`.
pub fn distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    Rows::default().distance(a, b, max)
}

/// The three rows of the distance table, kept across the many distances of one typo scan
/// (three allocations a candidate otherwise).
#[derive(Default)]
struct Rows {
    prev2: Vec<usize>,
    prev: Vec<usize>,
    cur: Vec<usize>,
}

impl Rows {
    fn distance(&mut self, a: &[char], b: &[char], max: usize) -> Option<usize> {
        if a.len().abs_diff(b.len()) > max {
            return None;
        }
        let w = b.len() + 1;
        let Rows { prev2, prev, cur } = self;
        prev2.clear();
        prev2.resize(w, 0);
        prev.clear();
        prev.extend(0..w);
        cur.clear();
        cur.resize(w, 0);
        for i in 1..=a.len() {
            if let Some(c) = cur.first_mut() {
                *c = i;
            }
            let mut row_min = i;
            for j in 1..w {
                let (ai, bj) = (a.get(i - 1), b.get(j - 1));
                let cost = usize::from(ai != bj);
                let mut v = (prev.get(j).copied().unwrap_or(usize::MAX) + 1)
                    .min(cur.get(j - 1).copied().unwrap_or(usize::MAX) + 1)
                    .min(prev.get(j - 1).copied().unwrap_or(usize::MAX) + cost);
                if i > 1 && j > 1 && ai == b.get(j - 2) && a.get(i - 2) == bj {
                    v = v.min(prev2.get(j - 2).copied().unwrap_or(usize::MAX) + 1);
                }
                if let Some(c) = cur.get_mut(j) {
                    *c = v;
                }
                row_min = row_min.min(v);
            }
            if row_min > max {
                return None;
            }
            std::mem::swap(prev2, prev);
            std::mem::swap(prev, cur);
        }
        prev.get(b.len()).copied().filter(|d| *d <= max)
    }
}

/// The most likely intended word for one that matches nothing: the closest written form
/// of any term (ties: the most frequent term).
pub fn did_you_mean(index: &Index, typos: &TypoTable, word: &str) -> Option<String> {
    let folded = folded_word(word);
    let letters = folded.chars().count();
    let budget = if letters >= 8 {
        2
    } else if letters >= 4 {
        1
    } else {
        0
    };
    if budget == 0 || !folded.chars().any(char::is_alphabetic) {
        return None;
    }
    let typed: Vec<char> = folded.chars().collect();
    typo_candidates(typos, &folded, budget)
        .into_iter()
        .filter_map(|(i, d)| {
            let t = index.terms.get(i)?;
            // The written form closest to what was typed.
            let form = t
                .surfaces
                .iter()
                .filter_map(|s| Some((distance(&typed, &s.chars().collect::<Vec<_>>(), budget + 2)?, s)))
                .min()
                .map_or_else(|| t.term.clone(), |(_, s)| s.clone());
            Some((d, std::cmp::Reverse(t.postings.len()), form))
        })
        .min()
        .map(|(_, _, form)| form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        let d =
            |a: &str, b: &str, m: usize| distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>(), m);
        for (a, b, max, want) in [
            ("xiaomi", "xiaomi", 2, Some(0)),
            ("xioami", "xiaomi", 1, Some(1)),
            ("xiaomi", "xiaom", 1, Some(1)),
            ("huawie", "huawei", 1, Some(1)),
            ("huawei", "hauwie", 1, None),
            ("intercepetd", "intercepted", 2, Some(1)),
            ("kitten", "sitting", 3, Some(3)),
            ("kitten", "sitting", 2, None),
            ("", "ab", 2, Some(2)),
            ("雷军", "雷", 1, Some(1)),
        ] {
            assert_eq!(d(a, b, max), want, "{a} {b}");
        }
    }

    #[test]
    fn masks_bound_the_distance_from_below() {
        for (a, b) in
            [("xiaomi", "xioami"), ("huawei", "hauwie"), ("kitten", "sitting"), ("léon", "leon"), ("su7", "su8")]
        {
            let missing = (char_mask(a) & !char_mask(b)).count_ones() as usize;
            let extra = (char_mask(b) & !char_mask(a)).count_ones() as usize;
            let d = distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>(), 10).unwrap();
            assert!(missing.max(extra) <= d, "{a} {b}");
        }
    }

    /// A table grown shard by shard (terms spliced in at their places, in any order) finds
    /// what one built over all the terms finds, with the same term numbers.
    #[test]
    fn typo_table_grown_in_pieces_finds_the_same() {
        let term = |t: &str, forms: &[&str]| crate::index::Term {
            term: t.to_string(),
            surfaces: forms.iter().map(|s| s.to_string()).collect(),
            postings: Vec::new(),
        };
        let all = vec![
            term("car", &[]),
            term("huawei", &["huawei", "huaweis"]),
            term("intercept", &["intercepted", "interception"]),
            term("interest", &["interest", "interests"]),
            term("xiaom", &[]),
            term("xiaomi", &["xiaomi"]),
        ];
        let whole = TypoTable::new(&all);
        // Pieces arrive out of order: [3..5], then [0..1], then [5..], then [1..3].
        let mut grown = TypoTable::default();
        let mut terms: Vec<crate::index::Term> = Vec::new();
        for range in [3..5, 0..1, 5..6, 1..3] {
            let piece = &all[range];
            let at = terms.partition_point(|t| t.term < piece[0].term);
            grown.insert(at, piece);
            terms.splice(at..at, piece.iter().cloned());
        }
        assert_eq!(terms, all);
        let index = Index { terms: all, ..Index::default() };
        for (typed, budget) in
            [("xioami", 1), ("huawie", 1), ("intercepetd", 2), ("interst", 1), ("cars", 1), ("xiaomi", 1)]
        {
            let a = typo_candidates(&whole, typed, budget);
            assert_eq!(a, typo_candidates(&grown, typed, budget), "{typed}");
            // The word's own term ("xiaomi" for "xiaomi") is never its typo.
            assert!(a.iter().all(|(t, d)| *d > 0 && index.terms[*t].term != typed), "{typed}: {a:?}");
        }
        assert_eq!(typo_candidates(&whole, "xioami", 1), vec![(5, 1)]);
    }

    #[test]
    fn budgets() {
        for (letters, want) in [(3, 0), (4, 0), (5, 1), (8, 1), (9, 2), (20, 2)] {
            assert_eq!(typo_budget(letters), want);
        }
    }
}
