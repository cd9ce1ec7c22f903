//! Dates, money, percentages and quantities: entities with a grammar rather than a name list.
//!
//! Canonical forms make the same value one entity however it is written: "April 22, 2024"
//! and "22 April 2024" are `date:2024-04-22`; "5000 yuan" and "RMB 5,000" are
//! `money:5000-cny`. A date without a year stays yearless ("April 22"): a year is never
//! guessed.

// Fx, as in the tagger (src/ner): looked up for every word, where SipHash showed in profiles.
use rustc_hash::FxHashMap as HashMap;

use super::words::{parse_number, Word};
use super::Candidate;
use crate::model::{Entity, EntityType};

const MONTHS: [(&str, &str); 12] = [
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may", "may"),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
];

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Words that, just before a four-digit number, make it a year ("in 2024", "the 2025 ...").
const YEAR_CUES: &[&str] = &[
    "in", "of", "for", "since", "by", "until", "till", "from", "to", "during", "the", "this", "next", "last", "early",
    "late", "mid", "year", "fiscal", "before", "after", "between", "and", "around", "through",
];

/// Words joining two dates into a range ("January 22 to February 9, 2025"): the first date
/// takes the year of the second.
const RANGE_WORDS: &[&str] = &["to", "until", "through", "and", "-", "–", "—"];

/// Scale words after a number.
const SCALES: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("k", 1e3),
    ("million", 1e6),
    ("mn", 1e6),
    ("m", 1e6),
    ("billion", 1e9),
    ("bn", 1e9),
    ("b", 1e9),
    ("trillion", 1e12),
    ("tn", 1e12),
];

fn month_of(word: &Word) -> Option<u32> {
    // Months are names: "may" and "march" in lowercase are verbs.
    if !word.text.starts_with(char::is_uppercase) {
        return None;
    }
    let w = word.lower();
    let w = w.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|(full, short)| w == *full || (w == *short && w != "may") || w == "sept" && *short == "sep")
        .map(|i| i as u32 + 1)
}

/// "25", "25th", "1st" -> 25, 1.
fn day_of(word: &Word) -> Option<u32> {
    let t = word.text;
    let digits: &str = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = t.get(digits.len()..)?;
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year_of(word: &Word) -> Option<i32> {
    if word.text.len() != 4 || !word.text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let y: i32 = word.text.parse().ok()?;
    (1800..=2199).contains(&y).then_some(y)
}

fn days_in_month(month: u32) -> u32 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct DateMatch {
    start_word: usize,
    end_word: usize, // exclusive
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
}

impl DateMatch {
    fn entity(&self) -> Option<Entity> {
        let month_name = |m: u32| MONTH_NAMES.get(m.checked_sub(1)? as usize).copied();
        let (key, name) = match (self.year, self.month, self.day) {
            (Some(y), Some(m), Some(d)) => (format!("{y:04}-{m:02}-{d:02}"), format!("{} {d}, {y}", month_name(m)?)),
            (Some(y), Some(m), None) => (format!("{y:04}-{m:02}"), format!("{} {y}", month_name(m)?)),
            (None, Some(m), Some(d)) => {
                let name = format!("{} {d}", month_name(m)?);
                (name.clone(), name)
            }
            (Some(y), None, None) => (y.to_string(), y.to_string()),
            _ => return None,
        };
        Some(Entity::with_key(EntityType::Date, &key, &name))
    }
}

const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm): weekday arithmetic
/// without a calendar crate for one function.
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((yoe + era * 400 + i64::from(m <= 2)) as i32, m, d)
}

/// "2024-04-22" -> days since 1970-01-01.
fn parse_iso(date: &str) -> Option<i64> {
    let mut parts = date.get(..10)?.split('-');
    let (y, m, d) = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| days_from_civil(y, m, d))
}

/// "Thursday", "this Thursday", "next Monday", "last Friday": resolved against the
/// article's date when it has one (plain and "this" mean the one within three days of it,
/// "next" the one after, "last" the one before), else kept as written.
fn weekday_at(words: &[Word], i: usize, article_date: Option<i64>) -> Option<(Candidate, usize)> {
    let w = words.get(i)?;
    let (modifier, day_word, used) = match w.lower().as_str() {
        m @ ("this" | "next" | "last") => (Some(m.to_string()), words.get(i + 1)?, 2),
        _ => (None, w, 1),
    };
    let wd = WEEKDAYS.iter().position(|d| *d == day_word.text)? as i64;
    let last = words.get(i + used - 1)?;
    let entity = match article_date {
        Some(base) => {
            // 1970-01-01 was a Thursday (weekday 3 with Monday as 0).
            let base_wd = (base + 3).rem_euclid(7);
            let delta = match modifier.as_deref() {
                Some("next") => (wd - base_wd).rem_euclid(7).max(1) + if wd == base_wd { 6 } else { 0 },
                Some("last") => -((base_wd - wd).rem_euclid(7).max(1) + if wd == base_wd { 6 } else { 0 }),
                _ => {
                    let ahead = (wd - base_wd).rem_euclid(7);
                    if ahead <= 3 {
                        ahead
                    } else {
                        ahead - 7
                    }
                }
            };
            let (y, m, d) = civil_from_days(base + delta);
            DateMatch { start_word: i, end_word: i + used, year: Some(y), month: Some(m), day: Some(d) }.entity()?
        }
        None => {
            let written: Vec<&str> = words.get(i..i + used)?.iter().map(|w| w.text).collect();
            Entity::new(EntityType::Date, &written.join(" "))
        }
    };
    Some((Candidate { start: w.start, end: last.end, entity, confidence: 0.7, priority: 4 }, used))
}

/// Finds dates in one paragraph's words; weekdays are resolved against `article_date`
/// (YYYY-MM-DD) when it is known.
pub fn dates(words: &[Word], article_date: Option<&str>) -> Vec<Candidate> {
    let base = article_date.and_then(parse_iso);
    let mut found: Vec<DateMatch> = Vec::new();
    let mut weekdays = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if let Some(m) = date_at(words, i) {
            i = m.end_word;
            found.push(m);
        } else if let Some((c, used)) = weekday_at(words, i, base) {
            weekdays.push(c);
            i += used;
        } else {
            i += 1;
        }
    }
    // Ranges: "January 22 to February 9, 2025".
    for k in 1..found.len() {
        let (Some(prev), Some(next)) = (found.get(k - 1).copied(), found.get(k).copied()) else {
            continue;
        };
        let joined = next.start_word == prev.end_word + 1
            && words.get(prev.end_word).is_some_and(|w| RANGE_WORDS.contains(&w.lower().as_str()));
        if joined && prev.year.is_none() && prev.month.is_some() && next.year.is_some() {
            if let Some(p) = found.get_mut(k - 1) {
                p.year = next.year;
            }
        }
    }
    found
        .into_iter()
        .filter_map(|m| {
            let first = words.get(m.start_word)?;
            let last = words.get(m.end_word.checked_sub(1)?)?;
            let bare_year = m.month.is_none();
            Some(Candidate {
                start: first.start,
                end: last.end,
                entity: m.entity()?,
                confidence: if bare_year { 0.7 } else { 0.9 },
                priority: 4,
            })
        })
        .chain(weekdays)
        .collect()
}

fn date_at(words: &[Word], i: usize) -> Option<DateMatch> {
    let w = words.get(i)?;
    let at = |k: usize| words.get(k);
    // ISO: 2024-04-22 is segmented as 2024 - 04 - 22.
    if let (Some(y), Some(d1), Some(m), Some(d2), Some(d)) = (year_of(w), at(i + 1), at(i + 2), at(i + 3), at(i + 4)) {
        if d1.text == "-" && d2.text == "-" && m.text.len() == 2 && d.text.len() == 2 {
            let month: u32 = m.text.parse().ok().filter(|m| (1..=12).contains(m))?;
            let day: u32 = d.text.parse().ok().filter(|d| *d >= 1 && *d <= days_in_month(month))?;
            return Some(DateMatch {
                start_word: i,
                end_word: i + 5,
                year: Some(y),
                month: Some(month),
                day: Some(day),
            });
        }
    }
    // Month Day[, Year] | Month Year
    if let Some(month) = month_of(w) {
        let mut end = i + 1;
        // "Apr." is segmented as "Apr" "."
        if at(end).is_some_and(|p| p.text == ".") && w.text.len() <= 4 {
            end += 1;
        }
        if let Some(day) = at(end).and_then(day_of).filter(|d| *d <= days_in_month(month)) {
            let mut m = DateMatch { start_word: i, end_word: end + 1, year: None, month: Some(month), day: Some(day) };
            let comma = usize::from(at(end + 1).is_some_and(|c| c.text == ","));
            if let Some(y) = at(end + 1 + comma).and_then(year_of) {
                m.year = Some(y);
                m.end_word = end + 2 + comma;
            }
            return Some(m);
        }
        if let Some(y) = at(end).and_then(year_of) {
            return Some(DateMatch { start_word: i, end_word: end + 1, year: Some(y), month: Some(month), day: None });
        }
        return None;
    }
    // Day Month [Year]
    if let Some(day) = day_of(w) {
        let month = at(i + 1).and_then(month_of).filter(|m| day <= days_in_month(*m))?;
        let mut m = DateMatch { start_word: i, end_word: i + 2, year: None, month: Some(month), day: Some(day) };
        if let Some(y) = at(i + 2).and_then(year_of) {
            m.year = Some(y);
            m.end_word = i + 3;
        }
        return Some(m);
    }
    // A bare year after a cue word.
    let y = year_of(w)?;
    let cue = i.checked_sub(1).and_then(|p| words.get(p)).is_some_and(|p| YEAR_CUES.contains(&p.lower().as_str()));
    cue.then_some(DateMatch { start_word: i, end_word: i + 1, year: Some(y), month: None, day: None })
}

/// A currency as written around a number.
#[derive(Debug, Clone)]
pub struct Currency {
    pub code: String,
    /// Written before the number: "$", "US$", "RMB".
    pub before: Vec<String>,
    /// Written after the number: "yuan", "euros", "Hong Kong dollars".
    pub after: Vec<String>,
}

/// The currency table with its forms indexed: looking a form up is a hash probe, where
/// scanning every currency's forms at every word took most of the extraction time.
#[derive(Debug, Clone, Default)]
pub struct Currencies {
    list: Vec<Currency>,
    before: Forms,
    after: Forms,
}

/// Forms written on one side of the number, to their currency's place in the list.
#[derive(Debug, Clone, Default)]
struct Forms {
    /// Symbols and codes, case-sensitive ("RMB").
    exact: HashMap<String, usize>,
    /// Words, lowercased: they ignore case ("Yuan").
    folded: HashMap<String, usize>,
}

impl Forms {
    fn add(&mut self, form: &str, n: usize) {
        // The first currency listed wins a shared form, as the table's order intends.
        self.exact.entry(form.to_string()).or_insert(n);
        if form.chars().all(char::is_alphabetic) {
            self.folded.entry(form.to_lowercase()).or_insert(n);
        }
    }

    fn find(&self, written: &str) -> Option<usize> {
        self.exact.get(written).or_else(|| self.folded.get(&written.to_lowercase())).copied()
    }
}

impl Currencies {
    fn new(list: Vec<Currency>) -> Currencies {
        let (mut before, mut after) = (Forms::default(), Forms::default());
        for (n, c) in list.iter().enumerate() {
            c.before.iter().for_each(|f| before.add(f, n));
            c.after.iter().for_each(|f| after.add(f, n));
        }
        Currencies { list, before, after }
    }

    fn find(&self, before: bool, written: &str) -> Option<&Currency> {
        let forms = if before { &self.before } else { &self.after };
        self.list.get(forms.find(written)?)
    }
}

/// Parses data/gazetteer/currencies.tsv.
pub fn parse_currencies(src: &str) -> Currencies {
    Currencies::new(
        src.lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let mut cols = l.split('\t');
                let list = |s: Option<&str>| -> Vec<String> {
                    s.unwrap_or("-").split('|').filter(|x| *x != "-" && !x.is_empty()).map(str::to_string).collect()
                };
                let code = cols.next()?.to_string();
                Some(Currency { code, before: list(cols.next()), after: list(cols.next()) })
            })
            .collect(),
    )
}

/// Text of words[i..i+n] joined as written (no spaces inside a symbol like "US$").
fn span_text<'t>(text: &'t str, words: &[Word], i: usize, n: usize) -> Option<&'t str> {
    let first = words.get(i)?;
    let last = words.get(i + n.checked_sub(1)?)?;
    text.get(first.start..last.end)
}

/// Longest currency form written before (`before`) or after the number, starting at word `i`.
fn currency_at<'c>(
    text: &str,
    words: &[Word],
    i: usize,
    currencies: &'c Currencies,
    before: bool,
) -> Option<(&'c Currency, usize)> {
    let mut best = None;
    for n in 1..=3 {
        let Some(s) = span_text(text, words, i, n) else {
            break;
        };
        if let Some(c) = currencies.find(before, s) {
            best = Some((c, n));
        }
    }
    best
}

/// Number at word `i`, possibly with a scale ("1.5 million", "10bn"): (value, words used).
fn amount_at(words: &[Word], i: usize) -> Option<(f64, usize)> {
    let w = words.get(i)?;
    // "10bn", "70k": number and scale in one word.
    let digits = w.text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = w.text.get(digits.len()..)?.to_lowercase();
    let mut value = parse_number(digits).filter(|_| digits.starts_with(|c: char| c.is_ascii_digit()))?;
    if !suffix.is_empty() {
        let (_, scale) = SCALES.iter().find(|(s, _)| *s == suffix)?;
        return Some((value * scale, 1));
    }
    if let Some(next) = words.get(i + 1) {
        let n = next.lower();
        // Single letters ("m", "b") only count when glued to the number.
        if let Some((_, scale)) = SCALES.iter().find(|(s, _)| s.len() > 2 && *s == n) {
            value *= scale;
            return Some((value, 2));
        }
    }
    Some((value, 1))
}

fn format_amount(value: f64) -> String {
    for (name, scale) in [("trillion", 1e12), ("billion", 1e9), ("million", 1e6)] {
        if value >= scale {
            let v = value / scale;
            let s = format!("{v:.2}");
            return format!("{} {name}", s.trim_end_matches('0').trim_end_matches('.'));
        }
    }
    let whole = value.trunc() as u64;
    let mut s = whole.to_string();
    let mut i = s.len();
    while i > 3 {
        i -= 3;
        s.insert(i, ',');
    }
    let cents = ((value - value.trunc()) * 100.0).round() as u64;
    if cents > 0 {
        s.push_str(&format!(".{cents:02}"));
    }
    s
}

fn money_entity(value: f64, code: &str) -> Entity {
    let key = format!("{value} {code}");
    Entity::with_key(EntityType::Money, &key, &format!("{} {code}", format_amount(value)))
}

/// Words before a number that make it a quantity even without a unit ("over 100,000").
const QUANTITY_QUALIFIERS: &[&[&str]] = &[
    &["over"],
    &["more", "than"],
    &["fewer", "than"],
    &["less", "than"],
    &["nearly"],
    &["almost"],
    &["about"],
    &["around"],
    &["roughly"],
    &["approximately"],
    &["up", "to"],
    &["at", "least"],
    &["at", "most"],
];

/// Countable things news counts ("70,000 units", "2 million users"). Durations ("5 days")
/// and ages are not quantities here.
const QUANTITY_UNITS: &[&str] = &[
    "unit",
    "units",
    "vehicle",
    "vehicles",
    "car",
    "cars",
    "order",
    "orders",
    "preorder",
    "preorders",
    "pre-orders",
    "phone",
    "phones",
    "smartphone",
    "smartphones",
    "device",
    "devices",
    "user",
    "users",
    "customer",
    "customers",
    "subscriber",
    "subscribers",
    "people",
    "employee",
    "employees",
    "worker",
    "workers",
    "job",
    "jobs",
    "store",
    "stores",
    "share",
    "shares",
    "delivery",
    "deliveries",
    "download",
    "downloads",
    "follower",
    "followers",
    "visitor",
    "visitors",
    "barrel",
    "barrels",
    "tonne",
    "tonnes",
    "ton",
    "tons",
    "km",
    "kilometres",
    "kilometers",
    "mile",
    "miles",
    "kg",
    "kilograms",
    "mw",
    "gw",
    "kwh",
    "copies",
    "seats",
    "passengers",
    "households",
    "homes",
];

/// A count: "70,000 units", "over 100,000", "70k", "2 million users". Returns the
/// candidate and the words it used.
fn quantity_at(words: &[Word], i: usize) -> Option<(Candidate, usize)> {
    let qualifier = qualifier_len(words, i);
    let n = i + qualifier;
    let num = words.get(n)?;
    if !num.text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (value, used) = amount_at(words, n)?;
    let glued_scale = used == 1 && num.text.ends_with(|c: char| c.is_ascii_alphabetic());
    let unit = words.get(n + used).map(Word::lower).filter(|u| QUANTITY_UNITS.contains(&u.as_str()));
    // A bare number is only a count with a qualifier, a unit or a scale: "2024" is a year,
    // "3" could be anything.
    if qualifier == 0 && unit.is_none() && !glued_scale && used == 1 {
        return None;
    }
    let end_word = n + used + usize::from(unit.is_some());
    let (first, last) = (words.get(i)?, words.get(end_word - 1)?);
    let unit = unit.unwrap_or_default();
    let key = format!("{value} {unit}");
    let name = format!("{} {unit}", format_amount(value)).trim().to_string();
    Some((
        Candidate {
            start: first.start,
            end: last.end,
            entity: Entity::with_key(EntityType::Quantity, &key, &name),
            confidence: 0.8,
            priority: 5,
        },
        end_word - i,
    ))
}

/// Finds money amounts, percentages and quantities in one paragraph's words.
pub fn amounts(text: &str, words: &[Word], currencies: &Currencies) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let candidate = money_at(text, words, i, currencies).or_else(|| percent_at(words, i)).or_else(|| {
            if is_year_word(words, i) {
                return None;
            }
            // "about 20 Hong Kong dollars": a qualified amount of money is money.
            let q = qualifier_len(words, i);
            if q > 0 && (money_at(text, words, i + q, currencies).is_some() || percent_at(words, i + q).is_some()) {
                return None;
            }
            quantity_at(words, i)
        });
        match candidate {
            Some((c, used)) => {
                out.push(c);
                i += used.max(1);
            }
            None => i += 1,
        }
    }
    out
}

fn money_at(text: &str, words: &[Word], i: usize, currencies: &Currencies) -> Option<(Candidate, usize)> {
    let first = words.get(i)?;
    let make = |value: f64, code: &str, used: usize| -> Option<(Candidate, usize)> {
        let last = words.get(i + used - 1)?;
        Some((
            Candidate {
                start: first.start,
                end: last.end,
                entity: money_entity(value, code),
                confidence: 0.9,
                priority: 5,
            },
            used,
        ))
    };
    // Symbol or code first: "$5 million", "US$3bn", "RMB 5,000".
    if let Some((cur, n)) = currency_at(text, words, i, currencies, true) {
        if let Some((value, m)) = amount_at(words, i + n) {
            return make(value, &cur.code, n + m);
        }
    }
    // Number first: "5000 yuan", "1.5 million euros".
    if first.text.starts_with(|c: char| c.is_ascii_digit()) {
        let (value, m) = amount_at(words, i)?;
        let (cur, n) = currency_at(text, words, i + m, currencies, false)?;
        return make(value, &cur.code, m + n);
    }
    None
}

/// Words of a quantity qualifier starting at word `i` (0 if none).
fn qualifier_len(words: &[Word], i: usize) -> usize {
    QUANTITY_QUALIFIERS
        .iter()
        .find(|q| q.iter().enumerate().all(|(k, w)| words.get(i + k).is_some_and(|x| x.lower() == *w)))
        .map_or(0, |q| q.len())
}

/// A four-digit year after a year cue ("in 2024"): the dates grammar's, not a count.
fn is_year_word(words: &[Word], i: usize) -> bool {
    words.get(i).and_then(year_of).is_some()
        && i.checked_sub(1).and_then(|p| words.get(p)).is_some_and(|p| YEAR_CUES.contains(&p.lower().as_str()))
}

fn percent_at(words: &[Word], i: usize) -> Option<(Candidate, usize)> {
    let w = words.get(i)?;
    if !w.is_number() {
        return None;
    }
    let value = parse_number(w.text)?;
    let next = words.get(i + 1)?;
    let used = match next.lower().as_str() {
        "%" | "percent" => 2,
        "per" if words.get(i + 2).is_some_and(|c| c.lower() == "cent") => 3,
        _ => return None,
    };
    let last = words.get(i + used - 1)?;
    let key = format!("{value}");
    Some((
        Candidate {
            start: w.start,
            end: last.end,
            entity: Entity::with_key(EntityType::Percent, &key, &format!("{value}%")),
            confidence: 0.9,
            priority: 5,
        },
        used,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::words::segment;
    use super::*;

    fn dates_in(text: &str) -> Vec<(String, String)> {
        let words = segment(text, 0);
        dates(&words, None).into_iter().map(|c| (text[c.start..c.end].to_string(), c.entity.id)).collect()
    }

    #[test]
    fn date_forms() {
        let t = |s: &str, want: &[(&str, &str)]| {
            let got = dates_in(s);
            let got: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            assert_eq!(got, want, "{s}");
        };
        t("On April 22, Xiaomi said", &[("April 22", "date:april-22")]);
        t("scheduled for April 25th at 9", &[("April 25th", "date:april-25")]);
        t(
            "from January 22 to February 9, 2025.",
            &[("January 22", "date:2025-01-22"), ("February 9, 2025", "date:2025-02-09")],
        );
        t("on 3 March 2023 and in May 2021", &[("3 March 2023", "date:2023-03-03"), ("May 2021", "date:2021-05")]);
        t("published 2024-04-22 here", &[("2024-04-22", "date:2024-04-22")]);
        t("target for the year 2024", &[("2024", "date:2024")]);
        t("in 2024?", &[("2024", "date:2024")]);
        t("Sept. 5, 2020", &[("Sept. 5, 2020", "date:2020-09-05")]);
        // Not dates: modal "may", model numbers, amounts, impossible days.
        t("we may 20 times", &[]);
        t("sold 2024 units", &[]);
        t("February 30 happened", &[]);
        t("March on", &[]);
    }

    fn amounts_in(text: &str) -> Vec<(String, String, String)> {
        let currencies = parse_currencies(super::super::gazetteer::CURRENCIES);
        let words = segment(text, 0);
        amounts(text, &words, &currencies)
            .into_iter()
            .map(|c| (text[c.start..c.end].to_string(), c.entity.id, c.entity.name))
            .collect()
    }

    #[test]
    fn weekdays_resolve_against_the_article_date() {
        // 2024-04-22 was a Monday.
        for (text, date, want) in [
            ("on Thursday", Some("2024-04-22"), "date:2024-04-25"),
            ("this Thursday", Some("2024-04-22"), "date:2024-04-25"),
            ("on Saturday", Some("2024-04-22"), "date:2024-04-20"),
            ("next Monday", Some("2024-04-22"), "date:2024-04-29"),
            ("last Friday", Some("2024-04-22"), "date:2024-04-19"),
            ("last Monday", Some("2024-04-22"), "date:2024-04-15"),
            ("on Sunday", Some("2025-01-01"), "date:2024-12-29"),
            ("this Thursday", None, "date:this-thursday"),
        ] {
            let words = segment(text, 0);
            let got: Vec<String> = dates(&words, date).into_iter().map(|c| c.entity.id).collect();
            assert_eq!(got, [want], "{text} from {date:?}");
        }
        assert!(dates(&segment("a sunday drive", 0), None).is_empty(), "weekdays are names");
    }

    #[test]
    fn civil_day_numbers_round_trip() {
        for (y, m, d) in [(1970, 1, 1), (2024, 2, 29), (2000, 12, 31), (1900, 3, 1), (2199, 7, 4)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        assert_eq!(days_from_civil(1970, 1, 2), 1);
    }

    #[test]
    fn money_and_percent_forms() {
        for (text, want) in [
            ("a deposit of 5000 yuan for", vec![("5000 yuan", "money:5000-cny", "5,000 CNY")]),
            ("starts at 999 euros in Spain", vec![("999 euros", "money:999-eur", "999 EUR")]),
            ("prices of 1,000 euros or more", vec![("1,000 euros", "money:1000-eur", "1,000 EUR")]),
            ("raised $1.5 million", vec![("$1.5 million", "money:1500000-usd", "1.5 million USD")]),
            ("a US$3bn deal", vec![("US$3bn", "money:3000000000-usd", "3 billion USD")]),
            ("RMB 5,000 deposit", vec![("RMB 5,000", "money:5000-cny", "5,000 CNY")]),
            ("about 20 Hong Kong dollars", vec![("20 Hong Kong dollars", "money:20-hkd", "20 HKD")]),
            ("costs $9.99 now", vec![("$9.99", "money:9-99-usd", "9.99 USD")]),
            ("up 12.5% on", vec![("12.5%", "percent:12-5", "12.5%")]),
            ("fell 3 per cent", vec![("3 per cent", "percent:3", "3%")]),
            ("sold 70,000 units", vec![("70,000 units", "quantity:70000-units", "70,000 units")]),
            ("over 100,000 this year", vec![("over 100,000", "quantity:100000", "100,000")]),
            ("over 70k preorders", vec![("over 70k preorders", "quantity:70000-preorders", "70,000 preorders")]),
            ("2 million users", vec![("2 million users", "quantity:2000000-users", "2 million users")]),
            ("in 2024 and 3 more", vec![]),
            ("the year 2024 units", vec![]),
            ("the $ sign", vec![]),
        ] {
            let got = amounts_in(text);
            let got: Vec<(&str, &str, &str)> =
                got.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
            assert_eq!(got, want, "{text}");
        }
    }
}
