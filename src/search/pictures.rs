//! The pictures the page draws beside the results: a timeline of the matching articles by
//! date, and which people, organisations and products appear together in them (the types
//! are here; `facets.rs` counts the second, from the same pass as the facets).
//!
//! Both are counted in the engine rather than in JavaScript because only the engine sees every
//! matching article; the page gets the top hits only. The timeline's axis spans the whole
//! collection's dates (so it stays put while the reader filters) and its counts ignore the
//! date range being chosen, the way a facet's counts ignore its own filter: the bars outside
//! the range show what widening it would add.

use serde::Serialize;

use super::Engine;

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

/// The timeline's axis, fixed once the collection's dates are known: the buckets, and the
/// bucket of every article, so a search only counts.
#[derive(Debug)]
pub(super) struct Axis {
    unit: &'static str,
    buckets: Vec<Bucket>,
    /// Per article: its bucket, [`UNDATED`], or [`OFF_AXIS`] (a date that does not parse).
    of_doc: Vec<u32>,
}

const UNDATED: u32 = u32::MAX;
const OFF_AXIS: u32 = u32::MAX - 1;

impl Axis {
    fn new<'a>(dates: impl Iterator<Item = Option<&'a str>> + Clone) -> Option<Axis> {
        let parsed = || dates.clone().flatten().filter_map(ymd);
        let (first, last) = (parsed().min()?, parsed().max()?);
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
        let of_doc = dates
            .map(|date| {
                let Some(date) = date else { return UNDATED };
                // Buckets are in order and their keys are prefixes of the dates they hold.
                let at = buckets.partition_point(|b| b.key.as_str() < date.get(..b.key.len()).unwrap_or(date));
                match buckets.get(at) {
                    Some(b) if date.starts_with(&b.key) => at as u32,
                    _ => OFF_AXIS,
                }
            })
            .collect();
        Some(Axis { unit, buckets, of_doc })
    }
}

impl Engine {
    /// The timeline over `docs`, or None while the dates of a sharded index are not loaded
    /// or when no article of the collection has a date.
    pub(super) fn timeline(&self, docs: impl Iterator<Item = usize>) -> Option<Timeline> {
        if !self.dates_known() {
            return None;
        }
        // Dates never change once known, so the axis is laid out once.
        let axis = self.axis.get_or_init(|| Axis::new(self.index.docs.iter().map(|d| d.date.as_deref()))).as_ref()?;
        let mut buckets = axis.buckets.clone();
        let mut undated = 0;
        for d in docs {
            match axis.of_doc.get(d).copied() {
                Some(UNDATED) => undated += 1,
                Some(b) => {
                    if let Some(bucket) = buckets.get_mut(b as usize) {
                        bucket.count += 1;
                    }
                }
                None => {}
            }
        }
        Some(Timeline { unit: axis.unit, buckets, undated })
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
