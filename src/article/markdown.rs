//! Markdown articles, as blogs and static sites keep them: YAML (`---`) or TOML (`+++`)
//! front matter for the title, date, link and source, then the Markdown body. The body
//! becomes plain paragraphs: markup, raw HTML and images go; link and code text stays.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{boilerplate, is_web_url, Parsed};
use crate::error::{Error, ErrorKind, Result};
use crate::model::Article;
use crate::text::fold;

/// Front-matter keys read, by what they fill.
const TITLE_KEYS: &[&str] = &["title"];
const DATE_KEYS: &[&str] = &["date", "published", "pubdate", "publishdate"];
const URL_KEYS: &[&str] = &["url", "link", "permalink", "canonical"];
const SOURCE_KEYS: &[&str] = &["source", "publisher", "site"];

/// Parses one Markdown article. `id` is the stable article id (the file stem).
pub fn parse(id: &str, raw: &str) -> Result<Parsed> {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let (meta, body) = front_matter(raw);
    let mut warnings = Vec::new();
    let get = |keys: &[&str]| meta.iter().find(|(k, _)| keys.contains(&k.as_str())).map(|(_, v)| v.clone());

    let (mut heading, paragraphs) = blocks(body);
    let title = match get(TITLE_KEYS).filter(|t| !t.is_empty()) {
        Some(t) => t,
        None => heading.take().ok_or_else(|| {
            Error::new(ErrorKind::BadArticle, format!("article {id}: no title (no front-matter title and no heading)"))
        })?,
    };
    let date = match get(DATE_KEYS) {
        Some(d) => {
            let iso = iso_date(&d);
            if iso.is_none() {
                warnings.push(format!("date {d:?} is not a YYYY-MM-DD date; the article has no date"));
            }
            iso
        }
        None => None,
    };
    let title_key = fold(&title).into_owned();
    let mut kept = Vec::new();
    // A first heading that was not used as the title is a paragraph like any other.
    for p in heading.into_iter().chain(paragraphs) {
        if fold(&p) == title_key || boilerplate(&p).is_some() {
            continue;
        }
        kept.push(p);
    }
    Ok(Parsed {
        article: Article {
            id: id.to_string(),
            title,
            paragraphs: kept,
            source: get(SOURCE_KEYS),
            date,
            // Only web links: a `javascript:` or `data:` link is never kept.
            url: get(URL_KEYS).filter(|u| is_web_url(u)),
        },
        dropped: Vec::new(),
        warnings,
    })
}

/// Splits off front matter: (lower-cased key, value) pairs, and the rest of the text.
fn front_matter(raw: &str) -> (Vec<(String, String)>, &str) {
    let (fence, sep) = if raw.starts_with("---") {
        ("---", ':')
    } else if raw.starts_with("+++") {
        ("+++", '=')
    } else {
        return (Vec::new(), raw);
    };
    let mut lines = raw.split_inclusive('\n');
    let mut consumed = lines.next().map_or(0, str::len);
    let mut meta = Vec::new();
    for line in lines {
        consumed += line.len();
        let t = line.trim();
        if t == fence || (fence == "---" && t == "...") {
            return (meta, raw.get(consumed..).unwrap_or_default());
        }
        if let Some((k, v)) = t.split_once(sep) {
            let v = v.trim().trim_matches(|c| c == '"' || c == '\'').trim();
            meta.push((k.trim().to_lowercase(), v.to_string()));
        }
    }
    // No closing fence: not front matter after all.
    (Vec::new(), raw)
}

/// "2024-04-22", "2024-04-22T09:20:00+08:00", "2024-04-22 09:20" -> "2024-04-22".
pub(crate) fn iso_date(s: &str) -> Option<String> {
    let d = s.get(..10)?;
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let ok = digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10);
    let month: u32 = d.get(5..7)?.parse().ok()?;
    let day: u32 = d.get(8..10)?.parse().ok()?;
    let rest_ok = s.get(10..).is_some_and(|r| r.is_empty() || r.starts_with(['T', ' ']));
    (ok && (1..=12).contains(&month) && (1..=31).contains(&day) && rest_ok).then(|| d.to_string())
}

/// The first level-1 heading (if it comes before any paragraph) and the text blocks.
fn blocks(body: &str) -> (Option<String>, Vec<String>) {
    let mut heading = None;
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut in_h1 = false;
    let mut skip = 0usize; // inside an image: its alt text is not article text
    for ev in Parser::new(body) {
        match ev {
            Event::Start(Tag::Image { .. }) => skip += 1,
            Event::End(TagEnd::Image) => skip = skip.saturating_sub(1),
            Event::Start(Tag::Heading { level, .. }) => {
                in_h1 = level == pulldown_cmark::HeadingLevel::H1 && heading.is_none() && out.is_empty();
            }
            Event::Text(t) | Event::Code(t) if skip == 0 => cur.push_str(&t),
            Event::SoftBreak | Event::HardBreak => cur.push(' '),
            Event::End(TagEnd::Heading(_)) if in_h1 => {
                in_h1 = false;
                let h = cur.trim().to_string();
                cur.clear();
                if !h.is_empty() {
                    heading = Some(h);
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Item) => {
                let p = cur.split_whitespace().collect::<Vec<_>>().join(" ");
                cur.clear();
                if !p.is_empty() {
                    out.push(p);
                }
            }
            _ => {}
        }
    }
    let p = cur.split_whitespace().collect::<Vec<_>>().join(" ");
    if !p.is_empty() {
        out.push(p);
    }
    (heading, out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_web_links_are_kept() {
        for (url, kept) in [
            ("https://a.example/x", true),
            ("javascript:alert(1)", false),
            ("JaVaScRiPt:alert(1)", false),
            ("data:text/html,x", false),
        ] {
            let p = parse("m", &format!("---\ntitle: T\nurl: {url}\n---\n\nBody.")).unwrap();
            assert_eq!(p.article.url.is_some(), kept, "{url}");
        }
    }

    use super::*;

    #[test]
    fn yaml_front_matter() {
        let p = parse(
            "post",
            "---\ntitle: \"Harbour cranes return\"\ndate: 2024-04-22T09:20:00+08:00\nlink: https://example.com/cranes\nsource: Port Weekly\ntags: [ports, cranes]\n---\n\nThe **port** said [cranes](https://x) are back.\n\n![a crane](crane.png)\n\n<script>alert(1)</script>\n\n- first item\n- second item\n",
        )
        .unwrap();
        let a = p.article;
        assert_eq!(a.title, "Harbour cranes return");
        assert_eq!(a.date.as_deref(), Some("2024-04-22"));
        assert_eq!(a.url.as_deref(), Some("https://example.com/cranes"));
        assert_eq!(a.source.as_deref(), Some("Port Weekly"));
        assert_eq!(a.paragraphs, ["The port said cranes are back.", "first item", "second item"]);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn toml_front_matter_and_headings() {
        let p = parse("t", "+++\ntitle = 'Rail strike ends'\ndate = \"2023-07-01\"\n+++\n# Rail strike ends\n\n## Aftermath\n\nTrains ran.\n\n```\ncode text\n```\n").unwrap();
        assert_eq!(p.article.title, "Rail strike ends");
        assert_eq!(p.article.date.as_deref(), Some("2023-07-01"));
        assert_eq!(p.article.paragraphs, ["Aftermath", "Trains ran.", "code text"]);
    }

    #[test]
    fn heading_as_title_and_bad_dates() {
        let p = parse("t", "---\ndate: last tuesday\n---\n# Big news\n\nIt happened.\n\nLeave a comment\n").unwrap();
        assert_eq!(p.article.title, "Big news");
        assert_eq!(p.article.date, None);
        assert!(p.warnings[0].contains("last tuesday"));
        assert_eq!(p.article.paragraphs, ["It happened."]);
        for (date, want) in
            [("2024-02-30", Some("2024-02-30")), ("2024-13-01", None), ("20240101", None), ("2024-01-01x", None)]
        {
            assert_eq!(iso_date(date).as_deref(), want, "{date}");
        }
    }

    #[test]
    fn untitled_or_unclosed() {
        assert!(parse("empty", "").is_err());
        assert!(parse("no-title", "just text without heading").is_err());
        // An unclosed fence is not front matter: the text is the article.
        let p = parse("t", "---\n# Title here\n\nBody.").unwrap();
        assert_eq!(p.article.title, "Title here");
    }
}
