//! HTML pages, as static sites and saved web pages hold news: the title, byline, date,
//! description and link from `<meta>`, OpenGraph and JSON-LD `NewsArticle`; the article text
//! from the page's main content, found by a readability-style score, with navigation,
//! footers, comments and share boxes left out.
//!
//! The page is parsed by html5ever (through `scraper`), the browsers' own parsing algorithm,
//! so malformed markup is read the way a browser would show it. The content heuristic is ours:
//! paragraphs vote for the container that holds them (their parent fully, its parent half),
//! containers named like content gain and those named like chrome lose, and link-heavy
//! containers are discounted. The best container's paragraphs, headings, list items and
//! quotes, in document order, are the article.

use std::collections::HashMap;

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node, Selector};

use super::markdown::iso_date;
use super::nesting::{cap_depth, MAX_DEPTH};
use super::{boilerplate, is_web_url, Parsed};
use crate::error::{Error, ErrorKind, Result};
use crate::model::Article;
use crate::text::fold;

/// Elements that never hold article text.
const NEVER_TEXT: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg", "math",
    "button", "select", "textarea", "object", "embed", "canvas", "video", "audio", "figure", "dialog",
];

/// Words in a class or id that mark page chrome, not the story.
const CHROME: &[&str] = &[
    "comment",
    "share",
    "social",
    "footer",
    "nav",
    "menu",
    "sidebar",
    "related",
    "promo",
    "advert",
    "sponsor",
    "cookie",
    "newsletter",
    "subscribe",
    "signup",
    "breadcrumb",
    "masthead",
    "banner",
    "popup",
    "modal",
    "outbrain",
    "taboola",
    "byline-tools",
    "toolbar",
    "pagination",
    "pager",
    "tags",
    "author-bio",
];

/// Words in a class or id that mark the story's container.
const CONTENT: &[&str] = &["article", "story", "content", "entry", "post", "main", "body", "text", "prose"];

/// Elements whose text is a block of the article.
const BLOCKS: &[&str] = &["p", "h2", "h3", "h4", "li", "blockquote", "pre"];

/// A paragraph shorter than this (in characters) does not vote for its container.
const MIN_VOTING_CHARS: usize = 25;

/// Parses one HTML page. `id` is the stable article id (the file stem).
pub fn parse(id: &str, raw: &str) -> Result<Parsed> {
    let (raw, flattened) = cap_depth(raw);
    let doc = Html::parse_document(&raw);
    let meta = Meta::read(&doc);
    let mut warnings = Vec::new();
    if flattened {
        warnings.push(format!("elements nested deeper than {MAX_DEPTH} levels were flattened; their text is kept"));
    }

    let title = meta
        .first(&["og:title", "twitter:title"])
        .or_else(|| meta.ld("headline"))
        .or_else(|| first_text(&doc, "h1"))
        .or_else(|| first_text(&doc, "title"))
        .ok_or_else(|| {
            Error::new(ErrorKind::BadArticle, format!("article {id}: no title (no <title>, <h1> or og:title)"))
        })?;

    let date_raw = meta
        .first(&[
            "article:published_time",
            "datePublished",
            "date",
            "pubdate",
            "publish-date",
            "dc.date",
            "og:updated_time",
        ])
        .or_else(|| meta.ld("datePublished"))
        .or_else(|| first_attr(&doc, "time[datetime]", "datetime"));
    let date = match date_raw {
        Some(d) => {
            let iso = iso_date(d.trim());
            if iso.is_none() {
                warnings.push(format!("date {d:?} is not a YYYY-MM-DD date; the article has no date"));
            }
            iso
        }
        None => None,
    };

    let mut paragraphs = main_text(&doc);
    if paragraphs.is_empty() {
        // A page whose body is only JSON-LD (some sites render the story with script).
        if let Some(body) = meta.ld("articleBody") {
            paragraphs = body.split("\n\n").map(normalize).filter(|p| !p.is_empty()).collect();
        }
    }
    let title_key = fold(&title).into_owned();
    paragraphs.retain(|p| fold(p) != title_key && boilerplate(p).is_none());
    if paragraphs.is_empty() {
        return Err(Error::new(
            ErrorKind::BadArticle,
            format!(
                "article {id}: no article text found in the page (no paragraphs outside navigation and page chrome)"
            ),
        ));
    }

    Ok(Parsed {
        article: Article {
            id: id.to_string(),
            title,
            paragraphs,
            source: meta.first(&["og:site_name", "application-name"]).or_else(|| meta.ld_publisher()),
            date,
            url: meta
                .first(&["og:url"])
                .or_else(|| first_attr(&doc, "link[rel=canonical]", "href"))
                .filter(|u| is_web_url(u)),
        },
        dropped: Vec::new(),
        warnings,
    })
}

/// Whitespace collapsed, as a browser renders text.
fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

fn first_text(doc: &Html, css: &str) -> Option<String> {
    let sel = selector(css)?;
    doc.select(&sel).map(|e| normalize(&e.text().collect::<String>())).find(|t| !t.is_empty())
}

fn first_attr(doc: &Html, css: &str, attr: &str) -> Option<String> {
    let sel = selector(css)?;
    doc.select(&sel).filter_map(|e| e.value().attr(attr)).map(normalize).find(|t| !t.is_empty())
}

/// `<meta>` values by name or property (lowercased), and the page's JSON-LD article.
struct Meta {
    tags: HashMap<String, String>,
    ld: Option<serde_json::Value>,
}

impl Meta {
    fn read(doc: &Html) -> Meta {
        let mut tags = HashMap::new();
        if let Some(sel) = selector("meta[content]") {
            for m in doc.select(&sel) {
                let key = m
                    .value()
                    .attr("property")
                    .or_else(|| m.value().attr("name"))
                    .or_else(|| m.value().attr("itemprop"));
                if let (Some(k), Some(v)) = (key, m.value().attr("content")) {
                    let v = normalize(v);
                    if !v.is_empty() {
                        tags.entry(k.to_ascii_lowercase()).or_insert(v);
                    }
                }
            }
        }
        let ld = selector("script[type='application/ld+json']").and_then(|sel| {
            doc.select(&sel)
                .filter_map(|s| serde_json::from_str::<serde_json::Value>(&s.text().collect::<String>()).ok())
                .find_map(find_article)
        });
        Meta { tags, ld }
    }

    fn first(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| self.tags.get(&k.to_ascii_lowercase()).cloned())
    }

    fn ld(&self, key: &str) -> Option<String> {
        match self.ld.as_ref()?.get(key)? {
            serde_json::Value::String(s) => Some(normalize_keep_paragraphs(s)).filter(|s| !s.is_empty()),
            _ => None,
        }
    }

    fn ld_publisher(&self) -> Option<String> {
        let p = self.ld.as_ref()?.get("publisher")?;
        p.get("name").and_then(|n| n.as_str()).or_else(|| p.as_str()).map(normalize).filter(|s| !s.is_empty())
    }
}

fn normalize_keep_paragraphs(s: &str) -> String {
    s.split("\n\n").map(normalize).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
}

/// The JSON-LD object describing the article: a NewsArticle, Article, BlogPosting or
/// ReportageNewsArticle, found at the top, in an array, or in an `@graph`.
fn find_article(v: serde_json::Value) -> Option<serde_json::Value> {
    const TYPES: &[&str] = &["NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle"];
    let is_article = |v: &serde_json::Value| match v.get("@type") {
        Some(serde_json::Value::String(t)) => TYPES.contains(&t.as_str()),
        Some(serde_json::Value::Array(ts)) => ts.iter().any(|t| t.as_str().is_some_and(|t| TYPES.contains(&t))),
        _ => false,
    };
    match v {
        serde_json::Value::Array(items) => items.into_iter().find_map(find_article),
        serde_json::Value::Object(ref o) => {
            if is_article(&v) {
                return Some(v);
            }
            match o.get("@graph") {
                Some(serde_json::Value::Array(items)) => items.iter().cloned().find_map(find_article),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether an element is page chrome by its tag, role, class or id.
fn is_chrome(e: &ElementRef) -> bool {
    let v = e.value();
    if NEVER_TEXT.contains(&v.name()) || v.attr("hidden").is_some() || v.attr("aria-hidden") == Some("true") {
        return true;
    }
    if matches!(v.attr("role"), Some("navigation" | "banner" | "contentinfo" | "complementary" | "dialog")) {
        return true;
    }
    let (names, chrome, content) = named_like(e);
    // "article-comments" is chrome; "article-body" is not.
    chrome && (names.contains("comment") || !content)
}

/// The element's class and id, lowercased, and whether they name chrome or content.
fn named_like(e: &ElementRef) -> (String, bool, bool) {
    let v = e.value();
    let names =
        format!("{} {}", v.attr("class").unwrap_or_default(), v.attr("id").unwrap_or_default()).to_ascii_lowercase();
    let chrome = CHROME.iter().any(|w| names.contains(w));
    let content = CONTENT.iter().any(|w| names.contains(w));
    (names, chrome, content)
}

fn class_weight(e: &ElementRef) -> f32 {
    let v = e.value();
    let (_, chrome, content) = named_like(e);
    let mut w = 0.0;
    if content {
        w += 25.0;
    }
    if chrome {
        w -= 25.0;
    }
    if matches!(v.name(), "article" | "main") || v.attr("itemprop") == Some("articleBody") {
        w += 30.0;
    }
    w
}

/// Text of an element, skipping chrome inside it.
fn visible_text(e: ElementRef, out: &mut String) {
    for child in e.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(_) => {
                if let Some(c) = ElementRef::wrap(child) {
                    if c.value().name() == "br" {
                        out.push(' ');
                    } else if !is_chrome(&c) {
                        visible_text(c, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Text inside links, for link density.
fn link_text_len(e: ElementRef) -> usize {
    // A walk, not a selector: this runs for every candidate container and block.
    e.descendants()
        .skip(1)
        .filter_map(ElementRef::wrap)
        .filter(|d| d.value().name() == "a")
        .map(|l| l.text().map(str::len).sum::<usize>())
        .sum()
}

/// Block elements outside chrome, in document order, with their text.
fn blocks<'a>(root: ElementRef<'a>, out: &mut Vec<(ElementRef<'a>, String)>) {
    for child in root.children() {
        let Some(e) = ElementRef::wrap(child) else { continue };
        if is_chrome(&e) {
            continue;
        }
        if BLOCKS.contains(&e.value().name()) {
            let mut t = String::new();
            visible_text(e, &mut t);
            let t = normalize(&t);
            if !t.is_empty() {
                out.push((e, t));
            }
            // A list item or quote may hold paragraphs of its own; they are part of its text.
            continue;
        }
        blocks(e, out);
    }
}

/// Paragraphs of an HTML fragment (a feed item's content): its blocks, or, when it has none,
/// its text split at blank lines. Plain text passes through unchanged but for whitespace.
pub(crate) fn fragment_paragraphs(fragment: &str) -> Vec<String> {
    let html = Html::parse_fragment(&cap_depth(fragment).0);
    let root = html.root_element();
    let mut found = Vec::new();
    blocks(root, &mut found);
    if !found.is_empty() {
        return found.into_iter().map(|(_, t)| t).collect();
    }
    let mut text = String::new();
    visible_text(root, &mut text);
    text.split("\n\n").map(normalize).filter(|p| !p.is_empty()).collect()
}

/// The article's paragraphs: the blocks of the best-scoring container.
fn main_text(doc: &Html) -> Vec<String> {
    let Some(body) = selector("body").and_then(|s| doc.select(&s).next()) else {
        return Vec::new();
    };
    let mut all = Vec::new();
    blocks(body, &mut all);

    let mut score: HashMap<NodeId, f32> = HashMap::new();
    for (e, text) in &all {
        if e.value().name() != "p" && e.value().name() != "pre" {
            continue;
        }
        let chars = text.chars().count();
        if chars < MIN_VOTING_CHARS {
            continue;
        }
        let vote = 1.0 + text.matches(',').count() as f32 + (chars as f32 / 100.0).min(3.0);
        let mut ancestors = e.ancestors().filter_map(ElementRef::wrap);
        for (share, a) in [(1.0, ancestors.next()), (0.5, ancestors.next())] {
            if let Some(a) = a {
                *score.entry(a.id()).or_insert_with(|| class_weight(&a)) += vote * share;
            }
        }
    }
    let best = score
        .iter()
        .filter_map(|(id, s)| {
            let e = ElementRef::wrap(doc.tree.get(*id)?)?;
            let text_len = e.text().map(str::len).sum::<usize>().max(1);
            let density = link_text_len(e) as f32 / text_len as f32;
            Some((e, s * (1.0 - density)))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(e, _)| e);
    let Some(best) = best else {
        return Vec::new();
    };
    // The story may be split into sibling containers (a lede box, then the body): take the
    // best container's parent when its siblings scored too.
    let root = best
        .parent()
        .and_then(ElementRef::wrap)
        .filter(|p| {
            p.children()
                .filter_map(ElementRef::wrap)
                .filter(|c| c.id() != best.id())
                .any(|c| score.get(&c.id()).is_some_and(|s| *s >= 10.0))
        })
        .unwrap_or(best);
    let mut chosen = Vec::new();
    blocks(root, &mut chosen);
    chosen
        .into_iter()
        .filter(|(e, t)| {
            // Short link-only lines inside the story ("Read more", a list of links) are chrome.
            let links = link_text_len(*e);
            !(links * 2 > t.len() && t.chars().count() < 120)
        })
        .map(|(_, t)| t)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!doctype html><html><head>
      <title>Ignored site title | Example News</title>
      <meta property="og:title" content="Lei Jun unveils the SU7 Ultra">
      <meta property="og:site_name" content="Example News">
      <meta property="og:url" content="https://news.example.com/su7-ultra">
      <meta property="article:published_time" content="2024-10-29T10:00:00+08:00">
      <script>document.write("not text")</script>
    </head><body>
      <header><nav><a href="/">Home</a> <a href="/tech">Tech</a> <a href="/cars">Cars</a></nav></header>
      <div class="layout">
        <aside class="sidebar"><p>Most read: a very long list of unrelated headlines, one, two, three.</p></aside>
        <article class="story">
          <h1>Lei Jun unveils the SU7 Ultra</h1>
          <p>Xiaomi founder Lei Jun on Tuesday unveiled the SU7 Ultra, a performance version of its first car, priced at 814,900 yuan.</p>
          <div class="share-tools"><a href="#">Share on Weibo</a> <a href="#">Share by email</a></div>
          <p>The company said it had received more than 3,680 orders within ten minutes, and deliveries start in March.</p>
          <h2>Track record</h2>
          <p>The car set a lap record at the Nurburgring, the company said, beating rivals from Germany and the United States.</p>
          <p><a href="/more">Read more</a></p>
        </article>
      </div>
      <section class="comments"><p>Great car, I want one, said a reader who commented at length about it.</p></section>
      <footer><p>Copyright Example News, all rights reserved, 2024, every page.</p></footer>
    </body></html>"##;

    #[test]
    fn a_news_page() {
        let p = parse("su7", PAGE).unwrap();
        let a = p.article;
        assert_eq!(a.title, "Lei Jun unveils the SU7 Ultra");
        assert_eq!(a.date.as_deref(), Some("2024-10-29"));
        assert_eq!(a.source.as_deref(), Some("Example News"));
        assert_eq!(a.url.as_deref(), Some("https://news.example.com/su7-ultra"));
        assert_eq!(a.paragraphs.len(), 4, "{:#?}", a.paragraphs);
        assert!(a.paragraphs[0].starts_with("Xiaomi founder Lei Jun"));
        assert_eq!(a.paragraphs[2], "Track record");
        let all = a.paragraphs.join(" ");
        for chrome in ["Home", "Most read", "Share on", "Great car", "Copyright", "Read more", "not text"] {
            assert!(!all.contains(chrome), "{chrome} leaked into {all}");
        }
    }

    #[test]
    fn json_ld_fills_what_meta_lacks() {
        let page = r#"<html><head><script type="application/ld+json">
          {"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},
           {"@type":"NewsArticle","headline":"Huawei ships the LUXEED S7","datePublished":"2023-11-28",
            "publisher":{"@type":"Organization","name":"Auto Daily"},
            "articleBody":"The sedan went on sale on Tuesday.\n\nIt costs 258,000 yuan."}]}
        </script></head><body><div id="app"></div></body></html>"#;
        let a = parse("s7", page).unwrap().article;
        assert_eq!(a.title, "Huawei ships the LUXEED S7");
        assert_eq!(a.date.as_deref(), Some("2023-11-28"));
        assert_eq!(a.source.as_deref(), Some("Auto Daily"));
        assert_eq!(a.paragraphs, ["The sedan went on sale on Tuesday.", "It costs 258,000 yuan."]);
    }

    #[test]
    fn pages_without_an_article_are_errors() {
        for (page, why) in [
            (
                "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
                "no article text",
            ),
            ("<html><body><p>Text without any title anywhere at all in this page.</p></body></html>", "no title"),
            ("", "no title"),
        ] {
            let e = parse("x", page).unwrap_err().to_string();
            assert!(e.contains(why), "{e}");
        }
    }

    #[test]
    fn script_urls_are_not_kept() {
        let page = r#"<html><head><title>T</title><link rel="canonical" href="javascript:alert(1)"></head>
          <body><p>A paragraph long enough to be the article text of this small page.</p></body></html>"#;
        let a = parse("x", page).unwrap().article;
        assert_eq!(a.url, None);
        assert_eq!(a.paragraphs.len(), 1);
    }
}
