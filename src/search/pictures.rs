//! The pictures the page draws beside the results: a timeline of the matching articles by
//! date, and which people, organisations and products appear together in them.
//!
//! Both are counted here rather than in JavaScript because only the engine sees every
//! matching article; the page gets the top hits only. The timeline's axis spans the whole
//! collection's dates (so it stays put while the reader filters) and its counts ignore the
//! date range being chosen, the way a facet's counts ignore its own filter: the bars outside
//! the range show what widening it would add.

use serde::Serialize;

use super::Engine;
use crate::model::EntityType;

/// Articles by date, in buckets of one day, month or year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// "day", "month" or "year": the widest unit that still gives more than a few bars.
    pub unit: &'static str,
    pub buckets: Vec<Bucket>,
    /// Matching articles without a date (they are left out of any date range).
    pub undated: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    /// "2024", "2024-04" or "2024-04-22".
    pub key: String,
    /// First and last day of the bucket, YYYY-MM-DD: what a range made of it filters on.
    pub from: String,
    pub to: String,
    /// Articles in it matching the query and the entity filters (the date range aside).
    pub count: usize,
}

/// Entities seen together: the most frequent people, organisations and products among the
/// matching articles, and for each pair the number of those articles naming both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cooccurrence {
    pub nodes: Vec<CoNode>,
    pub links: Vec<CoLink>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoNode {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub ty: &'static str,
    /// Matching articles that mention it.
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoLink {
    /// Indexes into `nodes`.
    pub a: usize,
    pub b: usize,
    /// Matching articles that mention both.
    pub count: usize,
}

/// Most entities the co-occurrence picture shows: beyond a dozen, a circle of names is a blur.
const CO_NODES: usize = 12;
const CO_TYPES: [EntityType; 3] = [EntityType::Person, EntityType::Org, EntityType::Product];

/// Whether `date` (YYYY-MM-DD) lies in the range; either end may be a prefix ("2024",
/// "2024-04") and is then read as the whole year or month.
pub(super) fn in_range(date: &str, from: Option<&str>, to: Option<&str>) -> bool {
    let after = from.is_none_or(|f| date.get(..f.len()).unwrap_or(date) >= f);
    let before = to.is_none_or(|t| date.get(..t.len()).unwrap_or(date) <= t);
    after && before
}

/// Checks a range end: a date or a prefix of one, as the page and the CLI pass them.
pub(super) fn valid_bound(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7),
        10 => digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10),
        _ => false,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn ymd(date: &str) -> Option<(u32, u32, u32)> {
    Some((date.get(0..4)?.parse().ok()?, date.get(5..7)?.parse().ok()?, date.get(8..10)?.parse().ok()?))
}

impl Engine {
    /// The timeline over the articles marked in `base`, or None while the dates of a sharded
    /// index are not loaded or when no article of the collection has a date.
    pub(super) fn timeline(&self, base: &[bool]) -> Option<Timeline> {
        if !self.dates_known() {
            return None;
        }
        // Dates never change once known, so their span is found once.
        let (first, last) = (*self.date_span.get_or_init(|| {
            let dates = || self.index.docs.iter().filter_map(|d| d.date.as_deref()).filter_map(ymd);
            Some((dates().min()?, dates().max()?))
        }))?;
        let months = (last.0 * 12 + last.1).saturating_sub(first.0 * 12 + first.1);
        let unit = if first.0 == last.0 && first.1 == last.1 {
            "day"
        } else if months <= 96 {
            "month"
        } else {
            "year"
        };
        let mut buckets = Vec::new();
        match unit {
            "day" => {
                for day in 1..=days_in_month(first.0, first.1) {
                    let key = format!("{:04}-{:02}-{day:02}", first.0, first.1);
                    buckets.push(Bucket { from: key.clone(), to: key.clone(), key, count: 0 });
                }
            }
            "month" => {
                let (mut y, mut m) = (first.0, first.1);
                while (y, m) <= (last.0, last.1) {
                    buckets.push(Bucket {
                        key: format!("{y:04}-{m:02}"),
                        from: format!("{y:04}-{m:02}-01"),
                        to: format!("{y:04}-{m:02}-{:02}", days_in_month(y, m)),
                        count: 0,
                    });
                    (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                }
            }
            _ => {
                for y in first.0..=last.0 {
                    buckets.push(Bucket {
                        key: format!("{y:04}"),
                        from: format!("{y:04}-01-01"),
                        to: format!("{y:04}-12-31"),
                        count: 0,
                    });
                }
            }
        }
        let mut undated = 0;
        for (d, doc) in self.index.docs.iter().enumerate() {
            if !base.get(d).copied().unwrap_or(false) {
                continue;
            }
            let Some(date) = doc.date.as_deref() else {
                undated += 1;
                continue;
            };
            // Buckets are in order and their keys are prefixes of the dates they hold.
            let at = buckets.partition_point(|b| b.key.as_str() < date.get(..b.key.len()).unwrap_or(date));
            if let Some(b) = buckets.get_mut(at).filter(|b| date.starts_with(&b.key)) {
                b.count += 1;
            }
        }
        Some(Timeline { unit, buckets, undated })
    }

    /// Who appears with whom among the articles marked in `base`; None while the entity
    /// table of a sharded index is not loaded.
    pub(super) fn cooccurrence(&self, base: &[bool]) -> Option<Cooccurrence> {
        if !self.entities_known() {
            return None;
        }
        let in_base = |d: &u32| base.get(*d as usize).copied().unwrap_or(false);
        let mut counted: Vec<(usize, usize)> = self
            .index
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| CO_TYPES.contains(&e.ty))
            .filter_map(|(i, _)| {
                let n = self.entity_docs.get(i)?.iter().filter(|d| in_base(d)).count();
                (n > 0).then_some((n, i))
            })
            .collect();
        // Most mentioned first; equal counts in entity order, so the picture is stable.
        crate::sort::sort_by(&mut counted, &|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        counted.truncate(CO_NODES);
        let nodes: Vec<CoNode> = counted
            .iter()
            .filter_map(|&(count, i)| {
                let e = self.index.entities.get(i)?;
                Some(CoNode { id: e.id.clone(), name: e.name.clone(), ty: e.ty.as_str(), count })
            })
            .collect();
        let masks: Vec<Vec<bool>> = counted
            .iter()
            .map(|&(_, i)| {
                let mut m = vec![false; self.index.docs.len()];
                for d in self.entity_docs.get(i).map_or(&[][..], Vec::as_slice).iter().filter(|d| in_base(d)) {
                    if let Some(x) = m.get_mut(*d as usize) {
                        *x = true;
                    }
                }
                m
            })
            .collect();
        let mut links = Vec::new();
        for (a, &(_, ea)) in counted.iter().enumerate() {
            for (b, mask_b) in masks.iter().enumerate().skip(a + 1) {
                let both = self.entity_docs.get(ea).map_or(0, |docs| {
                    docs.iter().filter(|d| mask_b.get(**d as usize).copied().unwrap_or(false)).count()
                });
                if both > 0 {
                    links.push(CoLink { a, b, count: both });
                }
            }
        }
        Some(Cooccurrence { nodes, links })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_bounds() {
        for (date, from, to, want) in [
            ("2024-04-22", Some("2024-04-01"), Some("2024-04-30"), true),
            ("2024-04-22", Some("2024-04"), Some("2024-04"), true),
            ("2024-04-22", Some("2024-05"), None, false),
            ("2024-04-22", None, Some("2023"), false),
            ("2024-04-22", Some("2024"), Some("2024"), true),
            ("2024-04-22", None, None, true),
        ] {
            assert_eq!(in_range(date, from, to), want, "{date} in {from:?}..{to:?}");
        }
        for (s, ok) in [("2024", true), ("2024-04", true), ("2024-04-22", true), ("24-04", false), ("2024-4-1", false)]
        {
            assert_eq!(valid_bound(s), ok, "{s}");
        }
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
    }
}
