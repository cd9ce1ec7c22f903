//! text/: how do words become terms? The one analyzer shared by indexing, querying,
//! snippets and highlighting.
//!
//! Contract: `analyze` returns tokens in text order, each with the byte range of the word
//! in the original text (always on UTF-8 boundaries) and its position counted in words.
//! Filters change the term, never the offsets. Indexing and querying call the same
//! function, so a word always meets itself.

use std::borrow::Cow;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

mod fold_table;

/// One word of a text, as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Folded and stemmed form: what the index stores.
    pub term: String,
    /// Byte range of the word in the analysed text.
    pub start: usize,
    pub end: usize,
    /// Word number in the analysed text, counting from 0.
    pub position: u32,
}

/// Splits `text` into words (Unicode UAX #29 word boundaries) and turns each into a term.
///
/// Chinese and Japanese are written without spaces, and UAX #29 cuts them into single
/// characters. Each character stays a token (so one-character queries work), and every
/// two adjacent characters also make a bigram token at the first one's position: "雷军"
/// gives 雷, 军 and 雷军. Bigrams find multi-character words without a dictionary (which
/// would cost megabytes in the wasm); query and index both go through here, so they agree.
pub fn analyze(text: &str) -> Vec<Token> {
    analyze_with(text, &|_| true)
}

/// [`analyze`], stemming only the words whose folded form passes `stem_if`; the others
/// keep their folded form as term. Offsets and positions are exactly those of `analyze`.
/// Highlighting uses it to skip stemming words that cannot be any of the terms it looks
/// for (stemming is most of the analyzer's cost).
pub fn analyze_with(text: &str, stem_if: &dyn Fn(&str) -> bool) -> Vec<Token> {
    analyze_upto(text, stem_if, u32::MAX)
}

/// [`analyze_with`], stopping after the words at position `last`: a snippet needs the
/// opening of one paragraph, and analysis costs per word.
pub fn analyze_upto(text: &str, stem_if: &dyn Fn(&str) -> bool, last: u32) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut position = 0u32;
    // The previous token, when it was a single CJK character ending where this one starts.
    let mut prev_cjk: Option<(usize, usize, u32)> = None;
    for (start, word) in text.split_word_bound_indices() {
        if !word.chars().any(char::is_alphanumeric) {
            prev_cjk = None;
            continue;
        }
        if position > last {
            break;
        }
        let term = term_with(word, stem_if);
        if term.is_empty() {
            prev_cjk = None;
            continue;
        }
        let end = start + word.len();
        let single_cjk = is_cjk_char_word(word);
        if let (true, Some((p_start, p_end, p_pos))) = (single_cjk, prev_cjk) {
            if p_end == start {
                if let Some(first) = text.get(p_start..p_end) {
                    tokens.push(Token { term: format!("{first}{term}"), start: p_start, end, position: p_pos });
                }
            }
        }
        prev_cjk = single_cjk.then_some((start, end, position));
        tokens.push(Token { term, start, end, position });
        position += 1;
    }
    // Words come in text order and a bigram right after its first character's token (same
    // start, later end), so the tokens are already in (start, position, end) order; checked
    // rather than sorted, as sorting was a tenth of a search's time (snippets analyze).
    let key = |t: &Token| (t.start, t.position, t.end);
    if !tokens.windows(2).all(|w| w.first().map(key) <= w.get(1).map(key)) {
        crate::sort::sort_by(&mut tokens, &|a, b| key(a).cmp(&key(b)));
    }
    tokens
}

/// Number of word positions `tokens` occupy (bigrams share their first character's).
pub fn position_count(tokens: &[Token]) -> u32 {
    tokens.iter().map(|t| t.position + 1).max().unwrap_or(0)
}

/// True for a word that is one Han ideograph or one Hiragana character.
fn is_cjk_char_word(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_cjk(c))
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x309F // Hiragana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xF900..=0xFAFF // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // Extensions B.. and supplement
}

/// Positions skipped between paragraphs, so that a phrase never matches across one.
pub const PARAGRAPH_GAP: u32 = 1;

/// Analyzes the title and paragraphs of an article text (`spans` are byte ranges, title
/// first). Positions run on across spans with a gap; offsets point into `text`. The index
/// and the snippet builder both call this, so positions agree.
pub fn analyze_spans(text: &str, spans: &[(usize, usize)]) -> Vec<Token> {
    analyze_spans_with(text, spans, &|_| true)
}

/// [`analyze_spans`] with [`analyze_with`]'s stemming filter.
pub fn analyze_spans_with(text: &str, spans: &[(usize, usize)], stem_if: &dyn Fn(&str) -> bool) -> Vec<Token> {
    analyze_spans_starts(text, spans, stem_if).0
}

/// [`analyze_spans_with`], also returning the first position of each span.
pub fn analyze_spans_starts(
    text: &str,
    spans: &[(usize, usize)],
    stem_if: &dyn Fn(&str) -> bool,
) -> (Vec<Token>, Vec<u32>) {
    let mut out = Vec::new();
    let mut starts = Vec::with_capacity(spans.len());
    let mut next = 0u32;
    for &(s, e) in spans {
        starts.push(next);
        let Some(part) = text.get(s..e) else { continue };
        let tokens = analyze_with(part, stem_if);
        let count = position_count(&tokens);
        out.extend(tokens.into_iter().map(|t| Token {
            start: t.start + s,
            end: t.end + s,
            position: t.position + next,
            term: t.term,
        }));
        next += count + PARAGRAPH_GAP;
    }
    (out, starts)
}

/// Analyzes a text that is known to be one word (or a word the user typed).
pub fn term(word: &str) -> String {
    term_with(word, &|_| true)
}

fn term_with(word: &str, stem_if: &dyn Fn(&str) -> bool) -> String {
    let folded = fold(word);
    let trimmed = folded.trim_matches(|c: char| !c.is_alphanumeric());
    if !stem_if(trimmed) {
        return trimmed.to_string();
    }
    if trimmed.chars().any(char::is_alphabetic) {
        // Word-internal apostrophes ("Huawei's") are kept for the stemmer, which strips
        // the possessive; other punctuation inside a word ("e-mail") is kept as is.
        let stemmed = stemmer().stem(trimmed);
        stemmed.trim_end_matches('\'').to_string()
    } else {
        // Numbers: digit grouping is presentation, so "70,000" and "70000" meet.
        trimmed.chars().filter(|c| *c != ',').collect()
    }
}

/// Full-width ASCII variants to ASCII ("ＳＵ７" -> "SU7"), and the ideographic space.
fn halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Case and diacritic folding, plus full-width forms and typographic apostrophes.
/// Allocates only when something changes.
///
/// Accents are stripped from precomposed Latin and Greek letters through a generated table
/// (`fold_table.rs`, see scripts/gen-fold-table.py) and dropped when typed as separate
/// combining marks. Full-width ASCII (typed by CJK input methods) becomes ASCII.
pub fn fold(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_combining_mark(c) {
            continue;
        }
        match unaccent(halfwidth(c)) {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
    Cow::Owned(out)
}

/// Combining diacritical marks (the blocks that hold accents typed separately).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn unaccent(c: char) -> char {
    if (c as u32) < 0xC0 {
        return c;
    }
    fold_table::FOLD
        .binary_search_by(|&(from, _)| from.cmp(&c))
        .ok()
        .and_then(|i| fold_table::FOLD.get(i))
        .map_or(c, |&(_, to)| to)
}

/// True when byte `at` of `text` is a word edge: the characters on its two sides are not
/// both letters or digits. Matchers use it so that "Apple" is not found inside "Applebee".
pub fn is_word_edge(text: &str, at: usize) -> bool {
    let before = text.get(..at).and_then(|s| s.chars().next_back());
    let here = text.get(at..).and_then(|s| s.chars().next());
    !matches!((before, here), (Some(b), Some(h)) if b.is_alphanumeric() && h.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms() {
        for (word, want) in [
            ("intercepted", "intercept"),
            ("Intercept", "intercept"),
            ("interception", "intercept"),
            ("Huawei’s", "huawei"),
            ("Huawei's", "huawei"),
            ("León", "leon"),
            ("ＳＵ７", "su7"),
            ("SU7", "su7"),
            ("70,000", "70000"),
            ("2024", "2024"),
            ("preorders", "preorder"),
            ("小米", "小米"),
        ] {
            assert_eq!(term(word), want, "{word}");
        }
    }

    #[test]
    fn tokens_carry_original_offsets() {
        let text = "Paco León’s “phone”, 雷军 said: 1,000 euros.";
        let tokens = analyze(text);
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["Paco", "León’s", "phone", "雷", "雷军", "军", "said", "1,000", "euros"]);
        let positions: Vec<u32> = tokens.iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 1, 2, 3, 3, 4, 5, 6, 7]);
        assert_eq!(tokens[1].term, "leon");
    }

    #[test]
    fn cjk_runs_give_characters_and_bigrams() {
        let text = "Xiaomi 小米 雷军说 ok";
        let tokens = analyze(text);
        let got: Vec<(&str, &str, u32)> =
            tokens.iter().map(|t| (t.term.as_str(), &text[t.start..t.end], t.position)).collect();
        assert_eq!(
            got,
            [
                ("xiaomi", "Xiaomi", 0),
                ("小", "小", 1),
                ("小米", "小米", 1),
                ("米", "米", 2),
                ("雷", "雷", 3),
                ("雷军", "雷军", 3),
                ("军", "军", 4),
                ("军说", "军说", 4),
                ("说", "说", 5),
                ("ok", "ok", 6),
            ]
        );
        assert_eq!(position_count(&analyze(text)), 7);
    }

    #[test]
    fn filtered_analysis_keeps_offsets_and_positions() {
        let text = "Xiaomi’s 雷军 sold 70,000 cars; dying lies.";
        let all = analyze(text);
        let some = analyze_with(text, &|w| w.starts_with('d'));
        assert_eq!(all.len(), some.len());
        for (a, b) in all.iter().zip(&some) {
            assert_eq!((a.start, a.end, a.position), (b.start, b.end, b.position));
            if text[a.start..].starts_with('d') {
                assert_eq!(a.term, b.term);
            }
        }
    }

    #[test]
    fn spans_keep_offsets_and_leave_gaps() {
        let text = "Title here\n\nBody word";
        let tokens = analyze_spans(text, &[(0, 10), (12, 21)]);
        let got: Vec<(&str, u32)> = tokens.iter().map(|t| (&text[t.start..t.end], t.position)).collect();
        assert_eq!(got, [("Title", 0), ("here", 1), ("Body", 3), ("word", 4)]);
    }

    #[test]
    fn fold_borrows_when_nothing_changes() {
        assert!(matches!(fold("already folded"), Cow::Borrowed(_)));
        for (from, to) in [
            ("Ａｐｐｌｅ Ｉｎｃ", "apple inc"),
            ("Crème Brûlée", "creme brulee"),
            ("Łódź Øresund Đoàn", "lodz oresund doan"),
            ("Nguyễn Tấn Dũng", "nguyen tan dung"),
            ("Ἀθῆναι", "αθηναι"),
            ("Cafe\u{301}", "cafe"),
            ("Huawei’s", "huawei's"),
            ("雷军", "雷军"),
        ] {
            assert_eq!(fold(from), to, "{from}");
        }
    }

    #[test]
    fn word_edges() {
        let t = "Xiaomi’s SU7";
        assert!(is_word_edge(t, 0));
        assert!(!is_word_edge(t, 1));
        assert!(is_word_edge(t, "Xiaomi".len()));
        assert!(!is_word_edge(t, 3));
        assert!(is_word_edge(t, t.len()));
    }
}
