//! The statistical tagger (`ner`) on an article: the article cut into sentences of tokens
//! the way CoNLL-2003 (its training data) cuts them, tagged, and its spans mapped back to
//! byte ranges of the article text.
//!
//! CoNLL tokens differ from the rule matchers' words (`words::segment`, UAX #29): hyphenated
//! words stay one token ("Eco-Communication"), a possessive is a token of its own
//! ("Xiaomi" "'s"), abbreviations keep their dot ("U.S."). Typographic quotes are read as
//! ASCII ones, as the training text has them.

use crate::ner::{features, DocContext, GazetteerWords, Tagger};

use super::words::{segment, Word};

/// A name the tagger found: byte range, CoNLL type (1 PER, 2 ORG, 3 LOC, 4 MISC) and the
/// margin of its weakest token over "outside" (how sure the model is).
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged {
    pub start: usize,
    pub end: usize,
    pub ty: u8,
    pub margin: f32,
}

/// One token: its text as the model reads it and its byte range in the article.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Words before a full stop that does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "inc", "corp", "co", "ltd", "vs", "no", "gen", "gov", "sen", "rep",
    "prof", "mt", "ft", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "u.s", "u.k", "e.g",
    "i.e",
];

fn normalise(s: &str) -> String {
    s.replace(['\u{2019}', '\u{2018}'], "'").replace(['\u{201c}', '\u{201d}'], "\"")
}

/// "U.S" + ".", "J" + ".", "Corp" + ".": a word whose full stop belongs to it.
fn keeps_its_dot(word: &str) -> bool {
    word.contains('.')
        || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
        || ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

/// CoNLL-style tokens of one paragraph (see the module doc).
pub(crate) fn tokens(words: &[Word], text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let mut end = w.end;
        let mut j = i + 1;
        // Glue "word-word" (no spaces) and "U.S" + "." into one token.
        while let Some(a) = words.get(j) {
            let b = words.get(j + 1).filter(|b| b.start == a.end && b.is_word());
            if let (true, Some(b)) = (matches!(a.text, "-" | "\u{2010}" | "\u{2011}") && a.start == end, b) {
                end = b.end;
                j += 2;
            } else if a.text == "." && a.start == end && keeps_its_dot(text.get(w.start..end).unwrap_or_default()) {
                end = a.end;
                j += 1;
            } else {
                break;
            }
        }
        let raw = text.get(w.start..end).unwrap_or_default();
        // A possessive is its own token: "Xiaomi’s" -> "Xiaomi" "'s".
        let split =
            ["\u{2019}s", "'s"].iter().find_map(|p| raw.strip_suffix(p).filter(|r| !r.is_empty()).map(|r| r.len()));
        match split {
            Some(n) => {
                out.push(Token { text: normalise(&raw[..n]), start: w.start, end: w.start + n });
                out.push(Token { text: "'s".into(), start: w.start + n, end });
            }
            None => out.push(Token { text: normalise(raw), start: w.start, end }),
        }
        i = j;
    }
    out
}

/// Sentences of one paragraph's tokens: a stop, question or exclamation mark ends one
/// unless it follows an abbreviation, or the next token starts in lower case.
pub(crate) fn sentences(tokens: Vec<Token>) -> Vec<Vec<Token>> {
    let mut out = Vec::new();
    let mut cur: Vec<Token> = Vec::new();
    let mut it = tokens.into_iter().peekable();
    while let Some(t) = it.next() {
        let ends = matches!(t.text.as_str(), "." | "!" | "?")
            && !cur
                .last()
                .is_some_and(|p: &Token| ABBREVIATIONS.contains(&p.text.to_lowercase().trim_end_matches('.')))
            && it.peek().is_none_or(|n| !n.text.chars().next().is_some_and(char::is_lowercase));
        cur.push(t);
        if ends {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The tagger's names in an article whose text is `text` and whose title and paragraphs
/// are the byte ranges `blocks`.
pub fn tag(tagger: &Tagger, gaz: &GazetteerWords, text: &str, blocks: &[(usize, usize)]) -> Vec<Tagged> {
    let sents: Vec<Vec<Token>> = blocks
        .iter()
        .flat_map(|&(s, e)| {
            let para = text.get(s..e).unwrap_or_default();
            sentences(tokens(&segment(para, s), text))
        })
        .collect();
    let words: Vec<Vec<String>> = sents.iter().map(|s| s.iter().map(|t| t.text.clone()).collect()).collect();
    let lists: Vec<&[String]> = words.iter().map(Vec::as_slice).collect();
    let doc = DocContext::new(&lists);
    let feats: Vec<Vec<Vec<u32>>> =
        lists.iter().map(|toks| (0..toks.len()).map(|i| features(toks, i, gaz, &doc)).collect()).collect();
    let mut out = Vec::new();
    for (sent, (labels, margins)) in sents.iter().zip(tagger.tag_doc_scored(&lists, &feats)) {
        for (ty, a, b) in crate::ner::spans(&labels) {
            let (Some(first), Some(last)) = (sent.get(a), sent.get(b.saturating_sub(1))) else { continue };
            let margin = margins.get(a..b).unwrap_or_default().iter().copied().fold(f32::INFINITY, f32::min);
            out.push(Tagged { start: first.start, end: last.end, ty, margin });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        tokens(&segment(s, 0), s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn tokens_as_conll_cuts_them() {
        for (text, want) in [
            ("Xiaomi’s SU7 sold.", vec!["Xiaomi", "'s", "SU7", "sold", "."]),
            ("the Eco-Communication Conference", vec!["the", "Eco-Communication", "Conference"]),
            ("U.S. officials and J. Smith", vec!["U.S.", "officials", "and", "J.", "Smith"]),
            ("Acme Corp. and Mr. Li", vec!["Acme", "Corp.", "and", "Mr.", "Li"]),
            ("“Yes,” he said - twice.", vec!["\"", "Yes", ",", "\"", "he", "said", "-", "twice", "."]),
            ("70,000 units", vec!["70,000", "units"]),
        ] {
            assert_eq!(toks(text), want, "{text}");
        }
    }

    #[test]
    fn token_offsets_point_into_the_text() {
        let text = "Lei Jun’s SU7, from Xiaomi-made parts.";
        for t in tokens(&segment(text, 0), text) {
            assert_eq!(normalise(&text[t.start..t.end]), t.text);
        }
    }

    #[test]
    fn sentences_end_at_stops_but_not_abbreviations() {
        let text = "Mr. Lei spoke. Sales rose 5.5 percent in the U.S. on Monday! Then what? it said.";
        let s = sentences(tokens(&segment(text, 0), text));
        let firsts: Vec<&str> = s.iter().map(|s| s[0].text.as_str()).collect();
        assert_eq!(firsts, ["Mr.", "Sales", "Then"]);
    }
}
