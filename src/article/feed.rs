//! RSS 2.0 and Atom feeds: one article per item or entry. Full content (`content:encoded`,
//! Atom `content`) is preferred over the summary (`description`, `summary`); either may be
//! HTML, whose blocks become paragraphs. A feed broken part-way (truncated, bad markup) keeps
//! the items before the break, with a warning saying where it broke.

use quick_xml::events::Event;
use quick_xml::Reader;
use quick_xml::XmlVersion;

use super::html::fragment_paragraphs;
use super::markdown::iso_date;
use super::{boilerplate, is_web_url, Parsed};
use crate::model::Article;
use crate::text::fold;

/// What one item or entry said, as read.
#[derive(Default)]
struct Item {
    title: Option<String>,
    content: Option<String>,
    summary: Option<String>,
    id: Option<String>,
    link: Option<String>,
    date: Option<String>,
}

/// Parses a feed. `stem` names items without an id or link (`<stem>#<n>`). Returns the
/// articles and warnings naming the item (1-based) and the reason; an error when no item
/// could be read.
pub fn parse(stem: &str, raw: &str) -> Result<(Vec<Parsed>, Vec<String>), String> {
    let mut reader = Reader::from_str(raw);
    reader.config_mut().check_end_names = false;
    let mut stack: Vec<String> = Vec::new();
    let mut feed_title: Option<String> = None;
    let mut item: Option<Item> = None;
    let mut items: Vec<Item> = Vec::new();
    let mut text = String::new();
    let mut warnings = Vec::new();
    let mut is_feed = false;

    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                warnings.push(format!(
                    "the feed breaks at byte {} ({e}); {} item(s) before it were read",
                    reader.buffer_position(),
                    items.len()
                ));
                break;
            }
        };
        match event {
            Event::Start(e) => {
                let name = local(e.local_name().as_ref());
                if matches!(name.as_str(), "rss" | "feed" | "rdf" | "channel") {
                    is_feed = true;
                }
                if matches!(name.as_str(), "item" | "entry") {
                    item = Some(Item::default());
                }
                if name == "link" {
                    take_atom_link(&e, item.as_mut());
                }
                stack.push(name);
                text.clear();
            }
            Event::Empty(e) if local(e.local_name().as_ref()) == "link" => take_atom_link(&e, item.as_mut()),
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(c) => text.push_str(&c),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                _ => {
                    let name: &str = &r;
                    match name {
                        "amp" => text.push('&'),
                        "lt" => text.push('<'),
                        "gt" => text.push('>'),
                        "quot" => text.push('"'),
                        "apos" => text.push('\''),
                        // HTML entities in feeds that escape nothing: left for the HTML
                        // reader of the content to resolve.
                        other => {
                            text.push('&');
                            text.push_str(other);
                            text.push(';');
                        }
                    }
                }
            },
            Event::End(_) => {
                let Some(name) = stack.pop() else { continue };
                let value = std::mem::take(&mut text);
                let value = value.trim();
                let parent = stack.last().map(String::as_str);
                match (item.as_mut(), name.as_str()) {
                    (Some(_), "item" | "entry") => items.extend(item.take()),
                    (Some(it), "title") if parent.is_some_and(|p| p == "item" || p == "entry") => {
                        it.title = Some(value.to_string())
                    }
                    (Some(it), "encoded" | "content") => it.content = Some(value.to_string()),
                    (Some(it), "description" | "summary") => it.summary = Some(value.to_string()),
                    (Some(it), "guid" | "id") => it.id = Some(value.to_string()),
                    (Some(it), "link") if !value.is_empty() => it.link = Some(value.to_string()),
                    (Some(it), "pubdate" | "published" | "date" | "issued") => it.date = Some(value.to_string()),
                    (Some(it), "updated" | "modified") if it.date.is_none() => it.date = Some(value.to_string()),
                    (None, "title") if feed_title.is_none() && !value.is_empty() => {
                        feed_title = Some(value.to_string())
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !is_feed {
        return Err("not an RSS or Atom feed (no <rss>, <feed> or <channel> element)".into());
    }
    if item.is_some() {
        warnings.push(format!("item {} is cut off (the feed ends inside it) and was skipped", items.len() + 1));
    }

    let mut out = Vec::new();
    for (n, it) in items.into_iter().enumerate() {
        match article(stem, n + 1, it, feed_title.as_deref()) {
            Ok(p) => out.push(p),
            Err(why) => warnings.push(format!("item {}: {why}", n + 1)),
        }
    }
    if out.is_empty() {
        let why = warnings.first().map_or(String::new(), |w| format!(" ({w})"));
        return Err(format!("no article in the feed{why}"));
    }
    Ok((out, warnings))
}

fn local(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// Atom links are attributes: the entry's page is `rel="alternate"` (or no rel).
fn take_atom_link(e: &quick_xml::events::BytesStart<'_>, item: Option<&mut Item>) {
    let Some(item) = item else { return };
    let mut href = None;
    let mut rel = None;
    for a in e.attributes().flatten() {
        let value = a.normalized_value(XmlVersion::Implicit1_0).map(|v| v.into_owned()).unwrap_or_default();
        match a.key.local_name().as_ref() {
            "href" => href = Some(value),
            "rel" => rel = Some(value),
            _ => {}
        }
    }
    if let Some(h) = href {
        if rel.as_deref().is_none_or(|r| r == "alternate") && item.link.is_none() {
            item.link = Some(h);
        }
    }
}

fn article(stem: &str, n: usize, it: Item, source: Option<&str>) -> Result<Parsed, String> {
    let title = fragment_paragraphs(it.title.as_deref().unwrap_or_default()).join(" ");
    if title.is_empty() {
        return Err("no title".into());
    }
    let body = it.content.filter(|c| !c.is_empty()).or(it.summary).unwrap_or_default();
    let title_key = fold(&title).into_owned();
    let paragraphs: Vec<String> =
        fragment_paragraphs(&body).into_iter().filter(|p| fold(p) != title_key && boilerplate(p).is_none()).collect();
    if paragraphs.is_empty() {
        return Err(format!("{title:?} has no text (no content, description or summary)"));
    }
    let mut warnings = Vec::new();
    let date = it.date.as_deref().and_then(|d| {
        let iso = iso_date(d).or_else(|| rfc822_date(d));
        if iso.is_none() {
            warnings.push(format!("item {n}: date {d:?} is not a date this reader knows; the article has no date"));
        }
        iso
    });
    let url = it.link.filter(|l| is_web_url(l));
    let id = it.id.filter(|i| !i.is_empty()).or_else(|| url.clone()).unwrap_or_else(|| format!("{stem}#{n}"));
    Ok(Parsed {
        article: Article { id, title, paragraphs, source: source.map(str::to_string), date, url },
        dropped: Vec::new(),
        warnings,
    })
}

/// RSS dates (RFC 822/2822): "Tue, 29 Oct 2024 10:00:00 +0800" -> "2024-10-29".
fn rfc822_date(s: &str) -> Option<String> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let s = s.split_once(',').map_or(s, |(_, rest)| rest);
    let mut parts = s.split_whitespace();
    let day: u32 = parts.next()?.parse().ok()?;
    let month = parts.next()?.to_ascii_lowercase();
    let month = MONTHS.iter().position(|m| month.starts_with(m))? + 1;
    let year: u32 = parts.next()?.parse().ok()?;
    let year = if year < 100 { 1900 + year + if year < 50 { 100 } else { 0 } } else { year };
    ((1..=31).contains(&day) && (1000..=9999).contains(&year)).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>EV Weekly</title><link>https://ev.example.com/</link>
  <item>
    <title>Xiaomi SU7 deliveries pass 10,000 &amp; counting</title>
    <link>https://ev.example.com/su7</link>
    <guid isPermaLink="false">ev-2024-0042</guid>
    <pubDate>Tue, 29 Oct 2024 10:00:00 +0800</pubDate>
    <description>Short summary.</description>
    <content:encoded><![CDATA[<p>Xiaomi said on Tuesday it had delivered more than 10,000 SU7 cars.</p><p>Lei Jun thanked buyers.</p>]]></content:encoded>
  </item>
  <item>
    <title>NIO ET5 price cut</title>
    <link>https://ev.example.com/et5</link>
    <description>&lt;p&gt;NIO cut the ET5&amp;#8217;s price by 5,000 yuan.&lt;/p&gt;</description>
  </item>
  <item><description>No title here.</description></item>
</channel></rss>"#;

    #[test]
    fn rss_items_become_articles() {
        let (items, warnings) = parse("ev", RSS).unwrap();
        assert_eq!(items.len(), 2);
        let a = &items[0].article;
        assert_eq!(a.id, "ev-2024-0042");
        assert_eq!(a.title, "Xiaomi SU7 deliveries pass 10,000 & counting");
        assert_eq!(a.date.as_deref(), Some("2024-10-29"));
        assert_eq!(a.source.as_deref(), Some("EV Weekly"));
        assert_eq!(
            a.paragraphs,
            ["Xiaomi said on Tuesday it had delivered more than 10,000 SU7 cars.", "Lei Jun thanked buyers."]
        );
        let b = &items[1].article;
        assert_eq!(b.id, "https://ev.example.com/et5");
        assert_eq!(b.paragraphs, ["NIO cut the ET5\u{2019}s price by 5,000 yuan."]);
        assert_eq!(warnings, ["item 3: no title"]);
    }

    #[test]
    fn atom_entries_become_articles() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Phones</title>
          <entry><title type="html">Huawei &lt;b&gt;Mate&lt;/b&gt; 60</title><id>tag:phones,2023:mate60</id>
            <link rel="alternate" href="https://phones.example.com/mate60"/><link rel="edit" href="https://x/edit"/>
            <published>2023-08-29T09:00:00Z</published>
            <summary>Summary only.</summary><content type="html">&lt;p&gt;Huawei began selling the Mate 60 Pro.&lt;/p&gt;</content>
          </entry></feed>"#;
        let (items, warnings) = parse("phones", atom).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let a = &items[0].article;
        assert_eq!((a.id.as_str(), a.title.as_str()), ("tag:phones,2023:mate60", "Huawei Mate 60"));
        assert_eq!(a.url.as_deref(), Some("https://phones.example.com/mate60"));
        assert_eq!(a.date.as_deref(), Some("2023-08-29"));
        assert_eq!(a.paragraphs, ["Huawei began selling the Mate 60 Pro."]);
    }

    #[test]
    fn a_truncated_feed_keeps_the_items_before_the_break() {
        let cut = RSS.get(..RSS.find("<title>NIO").unwrap() + 12).unwrap();
        let (items, warnings) = parse("ev", cut).unwrap();
        assert_eq!(items.len(), 1);
        assert!(warnings.iter().any(|w| w.contains("cut off") || w.contains("breaks")), "{warnings:?}");
    }

    #[test]
    fn not_feeds_are_errors() {
        for (raw, why) in [
            ("<html><body>hi</body></html>", "not an RSS or Atom feed"),
            ("<rss><channel><title>Empty</title></channel></rss>", "no article"),
            ("", "not an RSS or Atom feed"),
        ] {
            assert!(parse("x", raw).unwrap_err().contains(why), "{raw}");
        }
    }

    #[test]
    fn rss_dates() {
        for (s, want) in [
            ("Tue, 29 Oct 2024 10:00:00 +0800", Some("2024-10-29")),
            ("1 Jan 99 00:00 GMT", Some("1999-01-01")),
            ("29 October 2024", Some("2024-10-29")),
            ("yesterday", None),
        ] {
            assert_eq!(rfc822_date(s).as_deref(), want, "{s}");
        }
    }
}
