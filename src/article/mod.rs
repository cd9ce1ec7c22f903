//! article/: what is the story in this file? Turns the plain-text article format into a
//! clean [`Article`]: title, paragraphs, source, with site boilerplate set aside.
//!
//! The format: the first non-blank line is the title; paragraphs are separated by blank
//! lines (lines inside a paragraph are joined with a space). Then, line by line:
//! - a line equal to the title (image captions, repeated headers) is dropped;
//! - "Source: X" / "Sources: X" / "Via: X" gives the article's source;
//! - boilerplate is recognised by general patterns, not by site: cross-links
//!   ("SEE ALSO: …", "Read more: …"), comment forms and legal notices ("Your email address
//!   will not be published", reCAPTCHA and cookie notices), and short navigation lines made
//!   only of navigation words ("Next", "Previous", "Leave a Reply", "Popular topic").
//!
//! Invariant: nothing is invented. Every kept paragraph is text from the input, trimmed.

pub mod decode;
pub mod feed;
pub mod files;
pub mod html;
pub mod json;
pub mod markdown;
mod nesting;

/// Only http(s) links are kept from pages and feeds: the viewer links to them.
pub(crate) fn is_web_url(u: &str) -> bool {
    let lower = u.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

use crate::error::{Error, ErrorKind, Result};
use crate::model::Article;
use crate::text::fold;

/// Why a line was not kept as article text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    RepeatedTitle,
    CrossLink,
    Source,
    Legal,
    Navigation,
}

/// An article plus what the parser set aside, so a caller can show or test it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub article: Article,
    /// (1-based line number, why, the line)
    pub dropped: Vec<(usize, Dropped, String)>,
    /// What could not be used but did not stop the article loading (a bad date).
    pub warnings: Vec<String>,
}

/// Words that make up navigation and comment-form lines. A short line made only of these
/// is site chrome, not story.
const NAVIGATION_WORDS: &[&str] = &[
    "a",
    "add",
    "advertisement",
    "all",
    "also",
    "archive",
    "article",
    "articles",
    "back",
    "browse",
    "by",
    "cancel",
    "categories",
    "category",
    "close",
    "comment",
    "comments",
    "contact",
    "content",
    "continue",
    "copy",
    "email",
    "facebook",
    "feed",
    "follow",
    "for",
    "home",
    "in",
    "latest",
    "leave",
    "like",
    "link",
    "linkedin",
    "load",
    "log",
    "login",
    "logout",
    "main",
    "may",
    "menu",
    "more",
    "most",
    "navigation",
    "newer",
    "news",
    "newsletter",
    "next",
    "now",
    "of",
    "older",
    "on",
    "page",
    "pin",
    "popular",
    "post",
    "posts",
    "prev",
    "previous",
    "print",
    "read",
    "recent",
    "related",
    "reply",
    "rss",
    "search",
    "see",
    "share",
    "show",
    "sign",
    "skip",
    "sponsored",
    "stories",
    "story",
    "subscribe",
    "tag",
    "tags",
    "telegram",
    "the",
    "this",
    "to",
    "top",
    "topic",
    "topics",
    "trending",
    "tweet",
    "twitter",
    "up",
    "view",
    "whatsapp",
    "you",
];

/// A navigation line has at most this many words.
const NAVIGATION_MAX_WORDS: usize = 5;

/// Phrases that only appear in comment forms, consent banners and footers.
const LEGAL_PHRASES: &[&str] = &[
    "email address will not be published",
    "required fields are marked",
    "protected by recaptcha",
    "privacy policy and terms of service apply",
    "all rights reserved",
    "we use cookies",
    "this site uses cookies",
    "accept cookies",
    "cookie settings",
    "subscribe to our newsletter",
    "sign up for our newsletter",
    "save my name, email",
    "notify me of follow-up comments",
    "notify me of new posts",
    "this site uses akismet",
    "you must be logged in to post a comment",
];

/// A legal/comment-form line is short; a long paragraph quoting such a phrase is story.
const LEGAL_MAX_CHARS: usize = 300;

/// Labels that introduce a link to another article, before a colon.
const CROSS_LINK_LABELS: &[&str] = &[
    "see also",
    "read more",
    "read also",
    "also read",
    "related",
    "related article",
    "related articles",
    "related stories",
    "recommended",
    "you may also like",
    "more from",
    "more on this",
    "watch",
    "listen",
];

/// Labels that name where the story came from.
const SOURCE_LABELS: &[&str] = &["source", "sources", "via"];

/// A source line is short: "Sources: Duzhe Finance", not a paragraph about sources.
const SOURCE_MAX_CHARS: usize = 120;

/// Parses one article. `id` is the stable article id (see ARCHITECTURE.md).
pub fn parse(id: &str, raw: &str) -> Result<Parsed> {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let mut lines = raw.lines().enumerate().map(|(i, l)| (i + 1, clean_line(l)));

    let title = loop {
        match lines.next() {
            Some((_, l)) if l.is_empty() => continue,
            Some((_, l)) => break l,
            None => {
                return Err(Error::new(
                    ErrorKind::BadArticle,
                    format!("article {id}: the file is empty (no title line)"),
                ))
            }
        }
    };
    let title_key = fold(&title).into_owned();

    let mut article = Article { id: id.to_string(), title, ..Default::default() };
    let mut dropped = Vec::new();
    let mut paragraph: Vec<String> = Vec::new();
    let flush = |paragraph: &mut Vec<String>, article: &mut Article| {
        if !paragraph.is_empty() {
            article.paragraphs.push(paragraph.join(" "));
            paragraph.clear();
        }
    };

    for (number, line) in lines {
        if line.is_empty() {
            flush(&mut paragraph, &mut article);
            continue;
        }
        if fold(&line) == title_key {
            dropped.push((number, Dropped::RepeatedTitle, line));
            continue;
        }
        if let Some(source) = labelled(&line, SOURCE_LABELS) {
            if line.chars().count() <= SOURCE_MAX_CHARS && !source.is_empty() {
                if article.source.is_none() {
                    article.source = Some(source.to_string());
                }
                dropped.push((number, Dropped::Source, line));
                continue;
            }
        }
        if let Some(why) = boilerplate(&line) {
            // Boilerplate ends the paragraph it interrupts.
            flush(&mut paragraph, &mut article);
            dropped.push((number, why, line));
            continue;
        }
        paragraph.push(line);
    }
    flush(&mut paragraph, &mut article);
    Ok(Parsed { article, dropped, warnings: Vec::new() })
}

/// Trims a line and turns tabs and non-breaking spaces into plain spaces.
fn clean_line(line: &str) -> String {
    let line = line.trim();
    if line.contains(['\t', '\u{a0}']) {
        line.replace(['\t', '\u{a0}'], " ")
    } else {
        line.to_string()
    }
}

/// The text after "Label:" when the line starts with one of `labels` (any case).
fn labelled<'a>(line: &'a str, labels: &[&str]) -> Option<&'a str> {
    let (label, rest) = line.split_once(':')?;
    let label = fold(label.trim());
    labels.iter().any(|l| *l == label).then(|| rest.trim())
}

/// Classifies a line as boilerplate, or None when it is story text.
pub fn boilerplate(line: &str) -> Option<Dropped> {
    if labelled(line, CROSS_LINK_LABELS).is_some_and(|rest| !rest.is_empty()) {
        return Some(Dropped::CrossLink);
    }
    let folded = fold(line);
    if line.chars().count() <= LEGAL_MAX_CHARS && LEGAL_PHRASES.iter().any(|p| folded.contains(p)) {
        return Some(Dropped::Legal);
    }
    if is_navigation(&folded) {
        return Some(Dropped::Navigation);
    }
    None
}

/// Characters that separate the items of a menu line ("Home | World | Business").
const MENU_SEPARATORS: &[char] = &['|', '•', '·', '»', '›'];
/// Words per item in a menu line.
const MENU_ITEM_MAX_WORDS: usize = 3;

/// A short line without sentence punctuation whose words are all navigation words; a menu
/// line of short items between separators; or a line with no letters or digits at all
/// ("»", "|", "* * *").
fn is_navigation(folded: &str) -> bool {
    if !folded.chars().any(char::is_alphanumeric) {
        return true;
    }
    if folded.ends_with(['.', '!', '?', '"', '\u{201d}']) {
        return false;
    }
    let items: Vec<&str> = folded.split(MENU_SEPARATORS).map(str::trim).filter(|i| !i.is_empty()).collect();
    if items.len() >= 3 && items.iter().all(|i| i.split_whitespace().count() <= MENU_ITEM_MAX_WORDS) {
        return true;
    }
    let words: Vec<&str> =
        folded.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty()).collect();
    words.len() <= NAVIGATION_MAX_WORDS && words.iter().all(|w| NAVIGATION_WORDS.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(raw: &str) -> Parsed {
        parse("t", raw).unwrap()
    }

    #[test]
    fn title_paragraphs_and_repeated_titles() {
        let p = parsed(
            "\u{feff}Big News Today\nBig News Today\n\nFirst line\ncontinues here.\n\nbig news today\n\nSecond.",
        );
        assert_eq!(p.article.title, "Big News Today");
        assert_eq!(p.article.paragraphs, ["First line continues here.", "Second."]);
        assert_eq!(p.dropped.len(), 2);
        assert!(p.dropped.iter().all(|d| d.1 == Dropped::RepeatedTitle));
    }

    #[test]
    fn source_line_becomes_source() {
        let p = parsed("T\n\nBody.\n\nSource: The Daily Planet\n\nVia: Someone Else");
        assert_eq!(p.article.source.as_deref(), Some("The Daily Planet"));
        assert_eq!(p.article.paragraphs, ["Body."]);
    }

    #[test]
    fn a_long_line_about_sources_is_story() {
        let long = format!("Sources: {}", "close to the company said many things. ".repeat(5));
        let p = parsed(&format!("T\n\n{long}"));
        assert_eq!(p.article.source, None);
        assert_eq!(p.article.paragraphs.len(), 1);
    }

    #[test]
    fn boilerplate_lines() {
        for (line, want) in [
            ("SEE ALSO: Another Story Entirely", Some(Dropped::CrossLink)),
            ("Read more: why prices rose", Some(Dropped::CrossLink)),
            ("Related: Markets slump", Some(Dropped::CrossLink)),
            ("Next", Some(Dropped::Navigation)),
            ("« Previous Post", Some(Dropped::Navigation)),
            ("Leave a Reply", Some(Dropped::Navigation)),
            ("Leave a comment", Some(Dropped::Navigation)),
            ("Popular topic", Some(Dropped::Navigation)),
            ("Share this story", Some(Dropped::Navigation)),
            ("Sign up", Some(Dropped::Navigation)),
            ("* * *", Some(Dropped::Navigation)),
            ("Home | World | Business | Tech", Some(Dropped::Navigation)),
            ("News • Sport • Weather", Some(Dropped::Navigation)),
            ("Profits rose | shares fell", None),
            ("Your email address will not be published. Required fields are marked *", Some(Dropped::Legal)),
            (
                "This site is protected by reCAPTCHA and the Google Privacy Policy and Terms of Service apply.",
                Some(Dropped::Legal),
            ),
            ("© 2024 Example Media. All rights reserved.", Some(Dropped::Legal)),
            // Story text that looks a little like chrome stays.
            ("Next year, sales will rise.", None),
            ("More to come.", None),
            ("Home prices", None),
            ("The company updated its privacy policy on Monday.", None),
            ("Related parties: the board said no.", None),
            ("Watch:", None),
        ] {
            assert_eq!(boilerplate(line), want, "{line}");
        }
    }

    #[test]
    fn boilerplate_splits_paragraphs() {
        let p = parsed("T\n\nOne.\nNext\nTwo.");
        assert_eq!(p.article.paragraphs, ["One.", "Two."]);
    }

    #[test]
    fn empty_input_is_an_error_naming_the_article() {
        for raw in ["", "\n\n  \n", "\u{feff}"] {
            let e = parse("blank-file", raw).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::BadArticle);
            assert!(e.message().contains("blank-file"));
        }
    }

    #[test]
    fn title_only_article_is_fine() {
        let p = parsed("Just a headline");
        assert_eq!(p.article.title, "Just a headline");
        assert!(p.article.paragraphs.is_empty());
    }
}
