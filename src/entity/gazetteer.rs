//! The curated name lists (data/gazetteer/*.tsv) and a matcher over them.
//!
//! Lists live in data files, reviewed like code, and are compiled in with `include_str!`
//! so that the extractor needs no file system (it must also run in the browser).

use aho_corasick::{AhoCorasick, MatchKind};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Entity, EntityType};
use crate::text::is_word_edge;

const ENTITIES: &str = include_str!("../../data/gazetteer/entities.tsv");
const PLACES: &str = include_str!("../../data/gazetteer/places.tsv");
const CITIES: &str = include_str!("../../data/gazetteer/cities.tsv");
pub(crate) const CURRENCIES: &str = include_str!("../../data/gazetteer/currencies.tsv");
/// English first names (Moby Word II, public domain): a feature of the statistical tagger,
/// never a rule (many are also words: "Will", "May", "Grant").
pub(crate) const FIRST_NAMES: &str = include_str!("../../data/gazetteer/first-names.txt");

/// One row of a gazetteer file.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub entity: Entity,
    /// Products of this org are written "<brand> <model>".
    pub brand: bool,
    /// A product line written "<line> <model>".
    pub line: bool,
    /// Only a mention when a model follows.
    pub needs_model: bool,
    /// Display name of the org that owns this brand or line.
    pub brand_of: Option<String>,
}

/// A gazetteer name found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub entry: usize,
}

pub struct Gazetteer {
    entries: Vec<Entry>,
    /// Pattern number -> entry number.
    pattern_entry: Vec<usize>,
    matcher: AhoCorasick,
}

impl Gazetteer {
    /// The lists shipped with newslens.
    pub fn builtin() -> Result<Gazetteer> {
        let mut rows = Vec::new();
        for (file, src) in [("entities.tsv", ENTITIES), ("places.tsv", PLACES), ("cities.tsv", CITIES)] {
            rows.extend(
                parse_rows(src).map_err(|e| Error::new(ErrorKind::BadRequest, format!("gazetteer {file}: {e}")))?,
            );
        }
        Gazetteer::new(rows)
    }

    /// Builds a matcher from rows of (entry, surface forms). Rows naming the same entity id
    /// are merged; a surface form claimed twice keeps its first owner.
    pub fn new(rows: Vec<(Entry, Vec<String>)>) -> Result<Gazetteer> {
        let mut entries: Vec<Entry> = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_entry = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (entry, surfaces) in rows {
            let index = match entries.iter().position(|e| e.entity.id == entry.entity.id) {
                Some(i) => i,
                None => {
                    entries.push(entry);
                    entries.len() - 1
                }
            };
            for s in surfaces {
                if seen.insert(s.clone()) {
                    patterns.push(s);
                    pattern_entry.push(index);
                }
            }
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| Error::new(ErrorKind::BadRequest, format!("gazetteer matcher: {e}")))?;
        Ok(Gazetteer { entries, pattern_entry, matcher })
    }

    pub fn entry(&self, index: usize) -> Option<&Entry> {
        self.entries.get(index)
    }

    /// Whole-word, case-sensitive, leftmost-longest matches ("New York City" over "New York").
    pub fn find(&self, text: &str) -> Vec<Hit> {
        self.matcher
            .find_iter(text)
            .filter(|m| is_word_edge(text, m.start()) && is_word_edge(text, m.end()))
            .filter_map(|m| {
                Some(Hit { start: m.start(), end: m.end(), entry: *self.pattern_entry.get(m.pattern().as_usize())? })
            })
            .collect()
    }

    /// The entry for an org by display name (for "brand-of" links).
    pub fn org(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.entity.ty == EntityType::Org && e.entity.name == name)
    }
}

/// The rows of every list shipped with newslens.
pub fn builtin_rows() -> Result<Vec<(Entry, Vec<String>)>> {
    let mut rows = Vec::new();
    for (file, src) in [("entities.tsv", ENTITIES), ("places.tsv", PLACES), ("cities.tsv", CITIES)] {
        rows.extend(parse_rows(src).map_err(|e| Error::new(ErrorKind::BadRequest, format!("gazetteer {file}: {e}")))?);
    }
    Ok(rows)
}

/// Parses gazetteer TSV: `type  name  aliases  flags`, '#' comments, blank lines.
pub fn parse_rows(src: &str) -> Result<Vec<(Entry, Vec<String>)>, String> {
    let mut rows = Vec::new();
    for (n, line) in src.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [ty, name, aliases, flags] = cols.as_slice() else {
            return Err(format!("line {}: expected 4 tab-separated columns", n + 1));
        };
        let ty = EntityType::parse(ty).ok_or_else(|| format!("line {}: unknown entity type {ty:?}", n + 1))?;
        let mut entry =
            Entry { entity: Entity::new(ty, name), brand: false, line: false, needs_model: false, brand_of: None };
        for flag in flags.split(',').filter(|f| *f != "-") {
            match flag.split_once('=') {
                None if flag == "brand" => entry.brand = true,
                None if flag == "line" => entry.line = true,
                None if flag == "needs-model" => entry.needs_model = true,
                Some(("brand-of", org)) => entry.brand_of = Some(org.to_string()),
                _ => return Err(format!("line {}: unknown flag {flag:?}", n + 1)),
            }
        }
        let mut surfaces = vec![name.to_string()];
        surfaces.extend(aliases.split('|').filter(|a| *a != "-" && !a.is_empty()).map(str::to_string));
        rows.push((entry, surfaces));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lists_parse() {
        for src in [ENTITIES, PLACES, CITIES] {
            let rows = parse_rows(src).unwrap();
            assert!(!rows.is_empty());
        }
        let g = Gazetteer::builtin().unwrap();
        // Every brand-of names an org that exists.
        for e in &g.entries {
            if let Some(owner) = &e.brand_of {
                assert!(g.org(owner).is_some(), "{} is brand-of unknown {owner}", e.entity.name);
            }
        }
    }

    #[test]
    fn bad_rows_are_reported_with_line_numbers() {
        for (src, want) in [
            ("org\tAcme", "line 1: expected 4"),
            ("# c\nthing\tAcme\t-\t-", "line 2: unknown entity type"),
            ("org\tAcme\t-\tshiny", "line 1: unknown flag"),
        ] {
            let e = parse_rows(src).unwrap_err();
            assert!(e.starts_with(want), "{e}");
        }
    }

    #[test]
    fn matches_whole_words_longest_first() {
        let rows = parse_rows("place\tNew York\t-\t-\nplace\tNew York City\tNYC\t-\norg\tApple\t-\tbrand\n").unwrap();
        let g = Gazetteer::new(rows).unwrap();
        let text = "New York City and NYC, not Applebee's or apple; Apple’s.";
        let found: Vec<&str> = g.find(text).iter().map(|h| &text[h.start..h.end]).collect();
        assert_eq!(found, ["New York City", "NYC", "Apple"]);
    }
}
