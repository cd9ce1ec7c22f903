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
pub fn expand(index: &Index, masks: &[Vec<u64>], word: &str, prefix: bool) -> Vec<(usize, Class)> {
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
        let mut found: Vec<usize> = typo_candidates(index, masks, &folded, budget)
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

/// Per term, the masks of its written forms (or of the term itself when it has none).
pub fn term_masks(terms: &[crate::index::Term]) -> Vec<Vec<u64>> {
    terms
        .iter()
        .map(|t| {
            if t.surfaces.is_empty() {
                vec![char_mask(&t.term)]
            } else {
                t.surfaces.iter().map(|s| char_mask(s)).collect()
            }
        })
        .collect()
}

/// Terms with a written form within `budget` edits of the word as typed (folded). Typos
/// are errors in what was typed, so they are measured on written forms, not on stems:
/// stems are shorter, and "intercept" is two edits from "interest" while "interception"
/// is not. `masks` is [`term_masks`] of the same index.
pub fn typo_candidates(index: &Index, masks: &[Vec<u64>], typed: &str, budget: usize) -> Vec<(usize, usize)> {
    let typed_chars: Vec<char> = typed.chars().collect();
    let typed_mask = char_mask(typed);
    let mut cand: Vec<char> = Vec::new();
    let mut out = Vec::new();
    for (i, t) in index.terms.iter().enumerate() {
        let forms = if t.surfaces.is_empty() { std::slice::from_ref(&t.term) } else { t.surfaces.as_slice() };
        let form_masks = masks.get(i).map_or(&[][..], Vec::as_slice);
        let mut best: Option<usize> = None;
        for (k, form) in forms.iter().enumerate() {
            let m = form_masks.get(k).copied().unwrap_or(u64::MAX);
            let missing = (typed_mask & !m).count_ones() as usize;
            let extra = (m & !typed_mask).count_ones() as usize;
            if missing > budget || extra > budget || form.len().abs_diff(typed.len()) > budget * 4 {
                continue;
            }
            cand.clear();
            cand.extend(form.chars());
            if let Some(d) = distance(&typed_chars, &cand, budget) {
                best = Some(best.map_or(d, |b| b.min(d)));
            }
        }
        if let Some(d) = best.filter(|d| *d > 0) {
            out.push((i, d));
        }
    }
    out
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, which are
/// the commonest typo), or None when it exceeds `max`.
pub fn distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut prev2 = vec![0usize; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur = vec![0usize; w];
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
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(b.len()).copied().filter(|d| *d <= max)
}

/// The most likely intended word for one that matches nothing: the closest written form
/// of any term (ties: the most frequent term).
pub fn did_you_mean(index: &Index, masks: &[Vec<u64>], word: &str) -> Option<String> {
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
    typo_candidates(index, masks, &folded, budget)
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

    #[test]
    fn budgets() {
        for (letters, want) in [(3, 0), (4, 0), (5, 1), (8, 1), (9, 2), (20, 2)] {
            assert_eq!(typo_budget(letters), want);
        }
    }
}
