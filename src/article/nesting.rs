//! A depth cap applied to raw HTML before html5ever sees it.
//!
//! html5ever's tree builder does work proportional to the stack of open elements for many
//! start tags, so parsing is quadratic in nesting depth: measured in release, 5,000 nested
//! `<div>`s take 36 ms, 10,000 take 145 ms and 20,000 take 684 ms, and a 100,000-deep page
//! (a few hundred kilobytes) would hold the worker for minutes. Our own tree walks recurse
//! on depth too. No real article nests more than a few dozen elements, so tags that would
//! open an element beyond [`MAX_DEPTH`] are dropped (with their matching end tags) while
//! every character of text is kept: the page still loads, flattened where it was absurd.
//!
//! This is a scan of tags, not a parser: it only needs to never under-count the depth the
//! real parser will build. Elements that are void or closed implicitly by their siblings
//! (`<p>`, `<li>`, `<td>`…) do not count; `/>` counts as an open element outside SVG and
//! MathML, as the HTML parser ignores it there; raw-text elements (`<script>`, `<style>`…)
//! are skipped to their end tag, as the parser does.

use std::borrow::Cow;

/// The deepest element nesting kept; deeper start tags are dropped.
pub(crate) const MAX_DEPTH: usize = 512;

/// Elements that never have children.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
];

/// Elements the parser closes when a sibling starts, so runs of them do not nest, and the
/// document's own wrappers, which it creates at most once.
const IMPLIED: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot", "option", "optgroup", "rb", "rt", "rtc", "rp",
    "colgroup", "html", "head", "body",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] =
    &["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"];

/// `raw` with start tags beyond [`MAX_DEPTH`] removed, and whether anything was removed.
/// Borrows when the page is within the cap, which is every real page.
pub(crate) fn cap_depth(raw: &str) -> (Cow<'_, str>, bool) {
    if scan(raw, MAX_DEPTH, None) {
        return (Cow::Borrowed(raw), false);
    }
    let mut out = String::with_capacity(raw.len());
    scan(raw, MAX_DEPTH, Some(&mut out));
    (Cow::Owned(out), true)
}

/// Walks the tags of `raw`. Without `out`, returns whether the depth stays within `max`;
/// with it, copies `raw` into `out` minus the tags that would go deeper, and returns true.
fn scan(raw: &str, max: usize, mut out: Option<&mut String>) -> bool {
    let bytes = raw.as_bytes();
    let mut depth = 0usize;
    // Start tags dropped and not yet matched by an end tag of the same name's class.
    let mut dropped = 0usize;
    // Depth at which an <svg> or <math> opened, where `/>` closes the element.
    let mut foreign_at: Option<usize> = None;
    // Bytes of `raw` before this offset are already in `out`. It and every cut point sit at
    // a '<' or just past a '>', so slices are on char boundaries.
    let mut copied = 0usize;
    let mut i = 0usize;
    while let Some(off) = bytes.get(i..).and_then(|rest| memchr(b'<', rest)) {
        let lt = i + off;
        if bytes.get(lt..).is_some_and(|rest| rest.starts_with(b"<!--")) {
            // A comment's content is not markup.
            i = find_ascii_ci(bytes, lt + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let Some(tag) = Tag::read(bytes, lt) else {
            i = lt + 1;
            continue;
        };
        i = tag.end;
        let name = tag.name.to_ascii_lowercase();
        if tag.closing {
            if VOID.contains(&name.as_str()) || IMPLIED.contains(&name.as_str()) {
                continue;
            }
            if dropped > 0 {
                dropped -= 1;
                if let Some(o) = out.as_deref_mut() {
                    o.push_str(raw.get(copied..lt).unwrap_or_default());
                    copied = tag.end;
                }
                continue;
            }
            depth = depth.saturating_sub(1);
            if foreign_at.is_some_and(|d| depth < d) {
                foreign_at = None;
            }
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) && !tag.self_closing {
            // The parser reads to the matching end tag as text; so do we.
            let close = format!("</{name}");
            i = find_ascii_ci(bytes, tag.end, close.as_bytes()).unwrap_or(bytes.len());
            continue;
        }
        if VOID.contains(&name.as_str()) || IMPLIED.contains(&name.as_str()) {
            continue;
        }
        if tag.self_closing && foreign_at.is_some() {
            continue;
        }
        if depth >= max {
            match out.as_deref_mut() {
                None => return false,
                Some(o) => {
                    o.push_str(raw.get(copied..lt).unwrap_or_default());
                    copied = tag.end;
                    if !tag.self_closing {
                        dropped += 1;
                    }
                }
            }
            continue;
        }
        if foreign_at.is_none() && (name == "svg" || name == "math") {
            foreign_at = Some(depth);
        }
        depth += 1;
    }
    if let Some(o) = out {
        o.push_str(raw.get(copied..).unwrap_or_default());
    }
    true
}

/// One tag's name and extent, as far as the depth scan needs to know it.
struct Tag<'a> {
    name: &'a str,
    closing: bool,
    self_closing: bool,
    /// Offset just past the tag's `>` (or the end of input).
    end: usize,
}

impl<'a> Tag<'a> {
    /// The tag starting at `bytes[lt] == b'<'`, or None when it is not a tag (text, a
    /// comment, a doctype or a processing instruction).
    fn read(bytes: &'a [u8], lt: usize) -> Option<Tag<'a>> {
        let mut j = lt + 1;
        let closing = bytes.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        let start = j;
        while bytes.get(j).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b':') {
            j += 1;
        }
        if !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
            return None;
        }
        // Only ASCII bytes were consumed, so this is a char boundary.
        let name = std::str::from_utf8(bytes.get(start..j)?).ok()?;
        // Attributes: a quoted value may hold '>'.
        let mut quote: Option<u8> = None;
        let mut prev = 0u8;
        while let Some(&b) = bytes.get(j) {
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b'>' => {
                    return Some(Tag { name, closing, self_closing: prev == b'/', end: j + 1 });
                }
                None => {}
            }
            prev = b;
            j += 1;
        }
        Some(Tag { name, closing, self_closing: false, end: bytes.len() })
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|b| *b == needle)
}

/// Offset of `needle` (lowercase ASCII) in `hay` from `from`, ignoring ASCII case.
fn find_ascii_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let tail = hay.get(from..)?;
    tail.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle)).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_of(html: &str) -> usize {
        (0..).find(|max| scan(html, *max, None)).unwrap_or(usize::MAX)
    }

    #[test]
    fn depth_counts_only_elements_that_nest() {
        for (html, want) in [
            ("<div><div><span>x</span></div></div>", 3),
            ("<p>a<p>b<p>c<li>d<li>e<br><img src=x>", 0),
            ("<html><head></head><body><div>x</div></body></html>", 1),
            ("<div/><div/><div/>", 3), // HTML ignores `/>` on a div: three open divs
            ("<svg><g/><g/><path/></svg>", 1),
            ("<script>'<div><div><div>'</script><div></div>", 1),
            ("<div title='a>b'><b>x</b></div>", 2),
            ("<!-- <div><div> --><!doctype html>< div>1 < 2", 0),
            ("<DIV><Div></dIV></DIV>", 2),
        ] {
            assert_eq!(depth_of(html), want, "{html}");
        }
    }

    #[test]
    fn pages_within_the_cap_are_borrowed_unchanged() {
        let page = format!("<html><body>{}<p>text</p>{}</body></html>", "<div>".repeat(100), "</div>".repeat(100));
        let (out, changed) = cap_depth(&page);
        assert!(!changed);
        assert!(matches!(out, Cow::Borrowed(_)));
    }

    #[test]
    fn deep_pages_are_flattened_and_keep_their_text() {
        let n = MAX_DEPTH * 4;
        let page = format!(
            "<body>{}<p>deep text</p>{}<p>after</p></body>",
            (0..n).map(|i| format!("<div id=d{i}>{i} ")).collect::<String>(),
            "</div>".repeat(n)
        );
        let (out, changed) = cap_depth(&page);
        assert!(changed);
        assert_eq!(depth_of(&out), MAX_DEPTH);
        for i in [0, MAX_DEPTH - 1, MAX_DEPTH, n - 1] {
            assert!(out.contains(&format!("{i} ")), "text {i} lost");
        }
        assert!(out.contains("<p>deep text</p>") && out.ends_with("</div><p>after</p></body>"));
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
    }
}
