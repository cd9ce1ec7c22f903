//! One file's bytes to its articles, whatever the format: the one dispatch shared by the CLI
//! (files on disk) and the in-browser importer (dropped, picked or pasted files), so the page
//! and the command line accept exactly the same inputs and say the same things about them.
//!
//! The reader is chosen by the name's extension; a name with none of ours (a paste, a file
//! saved without one) is read by what its text looks like (`sniff`).

use super::json::FieldMap;
use super::{decode, Parsed};

/// Extensions read when walking a folder or taking a dropped folder's files.
pub const ARTICLE_EXTENSIONS: &[&str] =
    &["txt", "text", "md", "markdown", "json", "jsonl", "ndjson", "html", "htm", "xhtml", "xml", "rss", "atom"];

/// Largest article read (a one-article file, or one item of a collection), so that a stray
/// video in a folder cannot eat the memory.
pub const MAX_ARTICLE_BYTES: u64 = 16 * 1024 * 1024;
/// Largest collection file read (JSON, JSON Lines, feeds): an export of a whole archive is
/// one file. Reading one takes about three times its size in memory.
pub const MAX_COLLECTION_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// The lower-cased extension of a file name ("" when it has none).
pub fn extension(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// The file name without folders and extension: the article id of a one-article file.
pub fn stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    }
}

fn is_collection(ext: &str) -> bool {
    matches!(ext, "json" | "jsonl" | "ndjson" | "xml" | "rss" | "atom")
}

/// The extension whose reader fits text that came without one. Feeds and pages announce
/// themselves in their first tag, JSON in its first character, Markdown front matter in its
/// first line; anything else is the plain-text article format.
pub fn sniff(text: &str) -> &'static str {
    let head: String = text.trim_start_matches('\u{feff}').trim_start().chars().take(1024).collect();
    let lower = head.to_ascii_lowercase();
    if lower.starts_with('{') {
        // One object per line is JSON Lines; one object over several lines is JSON.
        let lines = text.lines().filter(|l| !l.trim().is_empty()).take(3).collect::<Vec<_>>();
        if lines.len() > 1 && lines.iter().all(|l| l.trim_start().starts_with('{')) {
            return "jsonl";
        }
        return "json";
    }
    if lower.starts_with('[') {
        return "json";
    }
    if lower.starts_with('<') {
        if lower.contains("<rss") || lower.contains("<feed") || lower.contains("<rdf:rdf") {
            return "xml";
        }
        if lower.starts_with("<?xml") && !lower.contains("<html") {
            return "xml";
        }
        return "html";
    }
    if lower.starts_with("---\n") || lower.starts_with("---\r\n") || lower.starts_with("+++") {
        return "md";
    }
    "txt"
}

/// Refuses a file before reading it when it is larger than its kind may be.
pub fn check_size(name: &str, size: u64) -> Result<(), String> {
    let (limit, what) = if is_collection(&extension(name)) {
        (MAX_COLLECTION_BYTES, "a collection file")
    } else {
        (MAX_ARTICLE_BYTES, "one article")
    };
    if size > limit {
        return Err(format!("file is {size} bytes, over the {limit}-byte limit for {what}"));
    }
    Ok(())
}

/// Drops the items of a collection whose text is over the one-article limit, with a warning each.
fn within_limit(parsed: Vec<Parsed>, warnings: &mut Vec<String>) -> Vec<Parsed> {
    parsed
        .into_iter()
        .filter(|p| {
            let len = p.article.title.len() + p.article.paragraphs.iter().map(String::len).sum::<usize>();
            let ok = len as u64 <= MAX_ARTICLE_BYTES;
            if !ok {
                warnings.push(format!(
                    "item {:?} is {len} bytes, over the {MAX_ARTICLE_BYTES}-byte limit for one article; skipped",
                    p.article.id
                ));
            }
            ok
        })
        .collect()
}

/// Removes control characters (NUL, escape sequences' ESC, bell, C1 controls) from the text a
/// reader sees: they render as nothing or as boxes, break copy and paste, and a NUL can end a
/// string in tools downstream. Whitespace controls are kept; paragraphs are already normalised.
fn scrub(mut p: Parsed) -> Parsed {
    fn clean(s: &mut String) {
        if s.chars().any(is_stray_control) {
            s.retain(|c| !is_stray_control(c));
        }
    }
    let a = &mut p.article;
    clean(&mut a.title);
    a.paragraphs.iter_mut().for_each(clean);
    a.paragraphs.retain(|para| !para.trim().is_empty());
    if let Some(source) = a.source.as_mut() {
        clean(source);
    }
    p
}

fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The articles of the file `name` holding `bytes`, and warnings about the parts of it that
/// were skipped or guessed. An error says why nothing in the file could be used.
pub fn read(name: &str, bytes: &[u8], map: &FieldMap) -> Result<(Vec<Parsed>, Vec<String>), String> {
    let (parsed, warnings) = read_unscrubbed(name, bytes, map)?;
    Ok((parsed.into_iter().map(scrub).collect(), warnings))
}

fn read_unscrubbed(name: &str, bytes: &[u8], map: &FieldMap) -> Result<(Vec<Parsed>, Vec<String>), String> {
    check_size(name, bytes.len() as u64)?;
    let (text, decode_warning) = decode::decode(bytes);
    let id = stem(name);
    if id.is_empty() {
        return Err("the file has no name".into());
    }
    let mut ext = extension(name);
    if !ARTICLE_EXTENSIONS.contains(&ext.as_str()) {
        ext = sniff(&text).to_string();
    }
    let single = |parsed: super::Result<Parsed>| {
        parsed.map(|p| (vec![p], decode_warning.iter().cloned().collect())).map_err(|e| e.to_string())
    };
    match ext.as_str() {
        "json" | "jsonl" | "ndjson" => {
            let (parsed, mut warnings) = super::json::parse(id, &text, map)?;
            warnings.splice(0..0, decode_warning.iter().cloned());
            let parsed = within_limit(parsed, &mut warnings);
            if parsed.is_empty() {
                return Err(format!(
                    "no article in it{}",
                    warnings.first().map_or(String::new(), |w| format!(" ({w})"))
                ));
            }
            Ok((parsed, warnings))
        }
        "xml" | "rss" | "atom" => {
            let (parsed, mut warnings) = super::feed::parse(id, &text)?;
            warnings.splice(0..0, decode_warning.iter().cloned());
            Ok((within_limit(parsed, &mut warnings), warnings))
        }
        "html" | "htm" | "xhtml" => single(super::html::parse(id, &text)),
        "md" | "markdown" => single(super::markdown::parse(id, &text)),
        _ => single(super::parse(id, &text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_removed_from_every_format() {
        let cases: [(&str, &[u8]); 4] = [
            ("a.txt", b"Ti\0tle\n\nBody\x07 with\x1b[1m NUL\0s."),
            ("a.json", br#"[{"title":"Ti\u0000tle","body":"Body\u0007 with\u001b[1m NUL\u0000s."}]"#),
            ("a.md", b"# Ti\0tle\n\nBody\x07 with\x1b[1m NUL\0s.\n"),
            ("a.xml", b"<rss><channel><item><title>Ti\x00tle</title><description>Body\x07 with\x1b[1m NUL\x00s.</description></item></channel></rss>"),
        ];
        for (name, bytes) in cases {
            let (parsed, _) = read(name, bytes, &FieldMap::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let a = &parsed[0].article;
            assert_eq!(a.title, "Title", "{name}");
            assert_eq!(a.paragraphs, ["Body with[1m NULs."], "{name}");
        }
    }

    #[test]
    fn names_split_into_stem_and_extension() {
        let cases = [
            ("feed.XML", "feed", "xml"),
            ("dir/sub/000_ab.txt", "000_ab", "txt"),
            ("C:\\news\\a.b.md", "a.b", "md"),
            ("README", "README", ""),
            (".hidden", ".hidden", ""),
        ];
        for (name, s, e) in cases {
            assert_eq!((stem(name), extension(name).as_str()), (s, e), "{name}");
        }
    }

    #[test]
    fn text_without_an_extension_is_read_by_its_look() {
        let cases = [
            ("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>", "xml"),
            ("\u{feff}  <feed xmlns=\"http://www.w3.org/2005/Atom\">", "xml"),
            ("<!doctype html><html><body><p>x</p>", "html"),
            ("[{\"title\": \"a\"}]", "json"),
            ("{\"title\": \"a\",\n \"body\": \"b\"}", "json"),
            ("{\"title\": \"a\"}\n{\"title\": \"b\"}\n", "jsonl"),
            ("---\ntitle: A\n---\nBody", "md"),
            ("A headline\n\nA paragraph.", "txt"),
        ];
        for (text, ext) in cases {
            assert_eq!(sniff(text), ext, "{text:?}");
        }
    }

    #[test]
    fn a_pasted_feed_reads_as_a_feed() {
        let feed = "<rss version=\"2.0\"><channel><title>T</title><item><title>One story</title>\
                    <guid>https://example.com/1</guid><description>It happened in Paris today, said Ann Lee.</description>\
                    </item></channel></rss>";
        let (parsed, _) = read("pasted", feed.as_bytes(), &FieldMap::default()).expect("reads");
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].article.title, "One story");
        assert_eq!(parsed[0].article.id, "https://example.com/1");
    }

    #[test]
    fn oversized_and_empty_files_are_refused_with_a_reason() {
        let e = check_size("big.txt", MAX_ARTICLE_BYTES + 1).unwrap_err();
        assert!(e.contains("limit for one article"), "{e}");
        assert!(check_size("big.jsonl", MAX_ARTICLE_BYTES + 1).is_ok());
        let e = read("empty.json", b"", &FieldMap::default()).unwrap_err();
        assert!(!e.is_empty());
    }
}
