//! A text cut into word and punctuation segments with byte offsets, for the rule-based
//! matchers. (The search analyzer drops punctuation; names and amounts need it.)

use unicode_segmentation::UnicodeSegmentation;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

impl Word<'_> {
    pub fn is_word(&self) -> bool {
        self.text.chars().any(char::is_alphanumeric)
    }

    /// "Lei", "León", "O'Brien": an uppercase letter then at least one lowercase letter,
    /// letters and apostrophes only.
    pub fn is_titlecase(&self) -> bool {
        let mut chars = self.text.chars();
        let first_upper = chars.next().is_some_and(char::is_uppercase);
        first_upper
            && self.text.chars().any(char::is_lowercase)
            && self.text.chars().all(|c| c.is_alphabetic() || c == '\'' || c == '\u{2019}')
    }

    pub fn is_number(&self) -> bool {
        self.text.starts_with(|c: char| c.is_ascii_digit())
            && self.text.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    }

    pub fn lower(&self) -> String {
        self.text.to_lowercase()
    }
}

/// Segments of one paragraph: words and punctuation, whitespace left out.
pub fn segment(text: &str, offset: usize) -> Vec<Word<'_>> {
    text.split_word_bound_indices()
        .filter(|(_, s)| !s.trim().is_empty())
        .map(|(i, s)| Word { text: s, start: offset + i, end: offset + i + s.len() })
        .collect()
}

/// Parses "1,000", "1.5", "5000" as a number (grouping commas allowed, one decimal point).
pub fn parse_number(s: &str) -> Option<f64> {
    let mut digits = String::with_capacity(s.len());
    let mut groups = s.split(',');
    let first = groups.next()?;
    digits.push_str(first);
    for g in groups {
        // A grouping comma is followed by exactly three digits ("1,000", not "1,5").
        let int_part = g.split('.').next()?;
        if int_part.len() != 3 {
            return None;
        }
        digits.push_str(g);
    }
    if digits.matches('.').count() > 1 || digits.ends_with('.') {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for (s, want) in [
            ("1,000", Some(1000.0)),
            ("1.5", Some(1.5)),
            ("5000", Some(5000.0)),
            ("100,000.25", Some(100000.25)),
            ("1,5", None),
            ("1.2.3", None),
            ("", None),
        ] {
            assert_eq!(parse_number(s), want, "{s}");
        }
    }

    #[test]
    fn word_shapes() {
        let ws = segment("Lei Jun’s SU7, 70,000 O'Brien ceo", 10);
        let t: Vec<(&str, bool, bool)> = ws.iter().map(|w| (w.text, w.is_titlecase(), w.is_number())).collect();
        assert_eq!(
            t,
            [
                ("Lei", true, false),
                ("Jun’s", true, false),
                ("SU7", false, false),
                (",", false, false),
                ("70,000", false, true),
                ("O'Brien", true, false),
                ("ceo", false, false)
            ]
        );
        assert_eq!(ws[0].start, 10);
    }
}
