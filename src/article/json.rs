//! JSON exports: an array of article objects, or JSON Lines (one object a line). Fields
//! are found by the usual names, or by a mapping the user gives (`title=headline,...`).
//!
//! Ids follow the contract in ARCHITECTURE.md: the item's own id (or guid, or url) when it
//! has one, else `<file stem>#<item number>` (1-based), so re-importing updates items.

use serde_json::Value;

use super::markdown::iso_date;
use super::{boilerplate, is_web_url, Parsed};
use crate::model::Article;

/// The fields an article takes from an item, and the names looked for by default.
const FIELDS: &[(&str, &[&str])] = &[
    ("id", &["id", "guid", "uuid"]),
    ("title", &["title", "headline", "name"]),
    ("body", &["body", "content", "text", "articleBody", "description", "summary"]),
    ("date", &["date", "published", "published_at", "publishedAt", "pubDate", "datePublished"]),
    ("url", &["url", "link", "permalink"]),
    ("source", &["source", "publisher", "site", "site_name"]),
];

/// A user's field names, as "field=name" pairs, over the defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldMap(Vec<(String, String)>);

impl FieldMap {
    /// Parses "title=headline,body=content". Unknown fields are an error naming them.
    pub fn parse(spec: &str) -> Result<FieldMap, String> {
        let mut out = Vec::new();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, name) =
                pair.split_once('=').ok_or_else(|| format!("field mapping {pair:?} is not field=name"))?;
            if !FIELDS.iter().any(|(f, _)| *f == field.trim()) {
                let known: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
                return Err(format!("unknown field {:?} in mapping (known: {})", field.trim(), known.join(", ")));
            }
            out.push((field.trim().to_string(), name.trim().to_string()));
        }
        Ok(FieldMap(out))
    }

    fn get<'v>(&self, item: &'v serde_json::Map<String, Value>, field: &str) -> Option<&'v Value> {
        if let Some((_, name)) = self.0.iter().find(|(f, _)| f == field) {
            return item.get(name);
        }
        let names = FIELDS.iter().find(|(f, _)| *f == field).map_or(&[][..], |(_, n)| *n);
        names.iter().find_map(|n| item.get(*n))
    }
}

/// A value as text: strings as they are, numbers written out, `{ "name": … }` objects
/// (JSON-LD publishers) by their name.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => o.get("name").and_then(text),
        _ => None,
    }
}

/// Parses a JSON array or JSON Lines file. Returns the articles and, per bad item, a
/// warning naming it ("item 3: no title"); a file that is neither is one error.
pub fn parse(stem: &str, raw: &str, map: &FieldMap) -> Result<(Vec<Parsed>, Vec<String>), String> {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let mut articles = Vec::new();
    let mut warnings = Vec::new();
    if raw.trim_start().starts_with('[') {
        let all: Value = serde_json::from_str(raw).map_err(|e| format!("not valid JSON: {e}"))?;
        if let Value::Array(list) = all {
            for (i, v) in list.into_iter().enumerate() {
                item(stem, &format!("item {}", i + 1), i + 1, Ok(v), map, &mut articles, &mut warnings);
            }
        }
    } else {
        // Each line becomes its article before the next is parsed: a JSON value is several
        // times the size of its text, and a million-line export held as values was most of
        // the memory its import took.
        let (mut lines, mut bad) = (0usize, 0usize);
        for (i, line) in raw.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let value = serde_json::from_str(line).map_err(|e| format!("line {}: not valid JSON: {e}", i + 1));
            lines += 1;
            bad += usize::from(value.is_err());
            item(stem, &format!("line {}", i + 1), i + 1, value, map, &mut articles, &mut warnings);
        }
        if lines > 0 && bad == lines {
            return Err("neither a JSON array nor JSON Lines".into());
        }
    }
    Ok((articles, warnings))
}

/// One item (`place` says where: "line 3", "item 3"; `n` numbers it for an id) as an
/// article, or a warning.
fn item(
    stem: &str,
    place: &str,
    n: usize,
    item: Result<Value, String>,
    map: &FieldMap,
    articles: &mut Vec<Parsed>,
    warnings: &mut Vec<String>,
) {
    let item = match item {
        Ok(Value::Object(o)) => o,
        Ok(_) => {
            warnings.push(format!("{place}: not an object"));
            return;
        }
        Err(e) => {
            warnings.push(e);
            return;
        }
    };
    let Some(title) = map.get(&item, "title").and_then(text) else {
        warnings.push(format!("{place}: no title"));
        return;
    };
    let id =
        ["id", "url"].iter().find_map(|f| map.get(&item, f).and_then(text)).unwrap_or_else(|| format!("{stem}#{n}"));
    let body = map.get(&item, "body").and_then(text).unwrap_or_default();
    let paragraphs: Vec<String> = body
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty() && boilerplate(p).is_none())
        .collect();
    let date = map.get(&item, "date").and_then(text).and_then(|d| {
        let iso = iso_date(&d);
        if iso.is_none() {
            warnings.push(format!("{place}: date {d:?} is not a YYYY-MM-DD date; the article has no date"));
        }
        iso
    });
    let article = Article {
        id,
        title,
        paragraphs,
        source: map.get(&item, "source").and_then(text),
        date,
        // Only web links: a `javascript:` or `data:` link is never kept.
        url: map.get(&item, "url").and_then(text).filter(|u| is_web_url(u)),
    };
    articles.push(Parsed { article, dropped: Vec::new(), warnings: Vec::new() });
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_web_links_are_kept() {
        for (url, kept) in [
            ("https://a.example/x", true),
            ("HTTP://a.example", true),
            ("javascript:alert(1)", false),
            ("data:text/html,x", false),
            ("ftp://a", false),
        ] {
            let line = serde_json::json!({ "title": "T", "body": "B", "url": url }).to_string();
            let (parsed, _) = parse("f", &line, &FieldMap::default()).unwrap();
            assert_eq!(parsed[0].article.url.is_some(), kept, "{url}");
        }
    }

    use super::*;

    fn ids(r: &(Vec<Parsed>, Vec<String>)) -> Vec<&str> {
        r.0.iter().map(|p| p.article.id.as_str()).collect()
    }

    #[test]
    fn arrays_and_lines_with_default_names() {
        let arr = r#"[{"id": "a1", "title": "One", "body": "First para.\n\nSecond para.", "date": "2024-05-02T10:00:00Z", "publisher": {"name": "Wire"}},
                      {"headline": "Two", "content": "Text", "link": "https://x/2"},
                      {"title": "Three"}]"#;
        let r = parse("feed", arr, &FieldMap::default()).unwrap();
        assert_eq!(ids(&r), ["a1", "https://x/2", "feed#3"]);
        let a = &r.0[0].article;
        assert_eq!((a.paragraphs.len(), a.date.as_deref(), a.source.as_deref()), (2, Some("2024-05-02"), Some("Wire")));
        let lines = "{\"title\": \"L1\"}\n\n{\"title\": \"L2\", \"guid\": \"g2\"}\n";
        assert_eq!(ids(&parse("f", lines, &FieldMap::default()).unwrap()), ["f#1", "g2"]);
    }

    #[test]
    fn bad_items_are_warnings_naming_them() {
        let lines = "{\"title\": \"ok\"}\n{broken\n[1,2]\n{\"body\": \"no title\"}\n{\"title\": \"d\", \"date\": \"yesterday\"}\n";
        let (arts, warnings) = parse("f", lines, &FieldMap::default()).unwrap();
        assert_eq!(arts.len(), 2);
        assert!(warnings.iter().any(|w| w.starts_with("line 2: not valid JSON")), "{warnings:?}");
        assert!(warnings.iter().any(|w| w == "line 3: not an object"), "{warnings:?}");
        assert!(warnings.iter().any(|w| w == "line 4: no title"), "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("\"yesterday\"")), "{warnings:?}");
        assert!(parse("f", "[1, 2", &FieldMap::default()).unwrap_err().contains("not valid JSON"));
        assert!(parse("f", "hello\nworld", &FieldMap::default()).is_err());
    }

    #[test]
    fn field_mapping() {
        let map = FieldMap::parse("title=h, body=txt ,id=key").unwrap();
        let r = parse("f", r#"[{"h": "Mapped", "txt": "Body", "key": "k1", "title": "ignored"}]"#, &map).unwrap();
        assert_eq!((r.0[0].article.title.as_str(), ids(&r)[0]), ("Mapped", "k1"));
        assert!(FieldMap::parse("colour=c").unwrap_err().contains("unknown field"));
        assert!(FieldMap::parse("title").unwrap_err().contains("field=name"));
    }
}
