//! query/: what did the user ask for? Parses the query language into a tree, leniently:
//! every input, however broken, yields a query and notes saying how it was read.
//!
//! ```text
//! query    := or
//! or       := and ( ("OR" | "|") and )*
//! and      := unary+
//! unary    := "-" primary | primary
//! primary  := "(" or ")" | "\"phrase\"" | field ":" (word | "\"phrase\"") | word
//! field    := title | source | after | before | person | org | place | product | event
//!           | date | money | norp | quantity | percent
//! ```
//!
//! Leniency: an unclosed quote runs to the end; an unclosed parenthesis is closed at the
//! end; a stray ")" , a lone "-", and an OR with nothing on one side are dropped; control
//! characters are spaces; a query longer than [`MAX_QUERY_BYTES`] is cut at a character
//! boundary; nesting deeper than [`MAX_DEPTH`] is flattened. Each repair adds a note.
//! "As you type": the last word, when the input does not end in a space, is a prefix.

use crate::model::EntityType;

pub const MAX_QUERY_BYTES: usize = 1000;
pub const MAX_DEPTH: usize = 8;
/// Leaves (words, phrases, filters) kept; the rest are dropped with a note.
pub const MAX_LEAVES: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A word as typed. `prefix`: the last word while typing.
    Word {
        text: String,
        prefix: bool,
    },
    Phrase {
        text: String,
    },
    Field {
        field: Field,
        value: String,
        phrase: bool,
        prefix: bool,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Source,
    After,
    Before,
    Entity(EntityType),
}

impl Field {
    fn parse(name: &str) -> Option<Field> {
        let lower = name.to_ascii_lowercase();
        Some(match lower.as_str() {
            "title" => Field::Title,
            "source" => Field::Source,
            "after" => Field::After,
            "before" => Field::Before,
            "organisation" | "organization" | "company" => Field::Entity(EntityType::Org),
            "people" => Field::Entity(EntityType::Person),
            other => Field::Entity(EntityType::parse(other)?),
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Source => "source",
            Field::After => "after",
            Field::Before => "before",
            Field::Entity(t) => t.as_str(),
        }
    }
}

/// A parsed query and how it was understood.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// None for an empty query (everything matches).
    pub root: Option<Node>,
    /// Repairs made to the input, for the page to show.
    pub notes: Vec<String>,
}

impl Query {
    /// The query written back in canonical form: what the engine searched for.
    pub fn understood(&self) -> String {
        self.root.as_ref().map_or_else(String::new, |n| render(n, false))
    }
}

fn quote(s: &str) -> String {
    format!("\"{s}\"")
}

fn render(node: &Node, nested: bool) -> String {
    match node {
        Node::Word { text, prefix } => {
            if *prefix {
                format!("{text}…")
            } else {
                text.clone()
            }
        }
        Node::Phrase { text } => quote(text),
        Node::Field { field, value, phrase, prefix } => {
            let v = if *phrase { quote(value) } else { value.clone() };
            format!("{}:{v}{}", field.name(), if *prefix { "…" } else { "" })
        }
        Node::Not(inner) => format!("-{}", render(inner, true)),
        Node::And(items) => {
            let s = items.iter().map(|i| render(i, true)).collect::<Vec<_>>().join(" ");
            if nested && items.len() > 1 {
                format!("({s})")
            } else {
                s
            }
        }
        Node::Or(items) => {
            let s = items.iter().map(|i| render(i, true)).collect::<Vec<_>>().join(" OR ");
            if nested {
                format!("({s})")
            } else {
                s
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    Or,
    Minus,
    Word(String),
    Phrase(String),
    Field(Field, String, bool),
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{FF02}')
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// Reads a quoted phrase starting after its opening quote; returns it, whether it was
/// closed, and the rest of the input.
fn read_phrase(rest: &str) -> (String, bool, &str) {
    match rest.char_indices().find(|(_, c)| is_quote(*c)) {
        Some((i, c)) => {
            (clean(rest.get(..i).unwrap_or_default()), true, rest.get(i + c.len_utf8()..).unwrap_or_default())
        }
        None => (clean(rest), false, ""),
    }
}

/// Control characters become spaces; runs of space collapse.
fn clean(s: &str) -> String {
    s.split(is_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

fn lex(input: &str, notes: &mut Vec<String>) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut rest = input;
    loop {
        rest = rest.trim_start_matches(is_space);
        let Some(c) = rest.chars().next() else { break };
        let after = rest.get(c.len_utf8()..).unwrap_or_default();
        match c {
            '(' | '\u{FF08}' => {
                toks.push(Tok::Open);
                rest = after;
            }
            ')' | '\u{FF09}' => {
                toks.push(Tok::Close);
                rest = after;
            }
            '|' => {
                toks.push(Tok::Or);
                rest = after;
            }
            '-' | '\u{2212}' if after.starts_with(|n: char| !is_space(n)) => {
                toks.push(Tok::Minus);
                rest = after;
            }
            c if is_quote(c) => {
                let (phrase, closed, next) = read_phrase(after);
                if !closed {
                    notes.push("closed an unbalanced quote at the end".into());
                }
                if !phrase.is_empty() {
                    toks.push(Tok::Phrase(phrase));
                }
                rest = next;
            }
            _ => {
                let end = rest
                    .char_indices()
                    .find(|&(_, ch)| {
                        is_space(ch) || matches!(ch, '(' | ')' | '\u{FF08}' | '\u{FF09}' | '|') || is_quote(ch)
                    })
                    .map_or(rest.len(), |(i, _)| i);
                let word = rest.get(..end).unwrap_or_default();
                rest = rest.get(end..).unwrap_or_default();
                // field:value and field:"phrase"
                if let Some((name, value)) = word.split_once(':') {
                    if let Some(field) = Field::parse(name) {
                        if value.is_empty() && rest.starts_with(is_quote) {
                            let q = rest.chars().next().map_or(1, char::len_utf8);
                            let (phrase, closed, next) = read_phrase(rest.get(q..).unwrap_or_default());
                            if !closed {
                                notes.push("closed an unbalanced quote at the end".into());
                            }
                            rest = next;
                            if !phrase.is_empty() {
                                toks.push(Tok::Field(field, phrase, true));
                            }
                            continue;
                        }
                        if !value.is_empty() {
                            toks.push(Tok::Field(field, value.to_string(), false));
                            continue;
                        }
                        notes.push(format!("ignored \"{name}:\" with nothing after it"));
                        continue;
                    }
                }
                if word == "OR" {
                    toks.push(Tok::Or);
                } else if word == "-" || word == "\u{2212}" {
                    notes.push("ignored a lone \"-\"".into());
                } else {
                    toks.push(Tok::Word(word.to_string()));
                }
            }
        }
    }
    toks
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    notes: Vec<String>,
    leaves: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn note(&mut self, n: &str) {
        if !self.notes.iter().any(|x| x == n) {
            self.notes.push(n.to_string());
        }
    }

    fn or(&mut self, depth: usize) -> Option<Node> {
        let mut items = Vec::new();
        let mut pending_or = false;
        loop {
            match self.peek() {
                None => break,
                Some(Tok::Close) if depth > 0 => break,
                Some(Tok::Close) => {
                    self.next();
                    self.note("ignored an unmatched \")\"");
                }
                Some(Tok::Or) => {
                    self.next();
                    if items.is_empty() || pending_or {
                        self.note("ignored an OR with nothing before it");
                    }
                    pending_or = true;
                }
                Some(_) => {
                    if let Some(n) = self.and(depth) {
                        items.push(n);
                    }
                    pending_or = false;
                }
            }
        }
        if pending_or && !items.is_empty() {
            self.note("ignored an OR with nothing after it");
        }
        match items.len() {
            0 => None,
            1 => items.pop(),
            _ => Some(Node::Or(items)),
        }
    }

    fn and(&mut self, depth: usize) -> Option<Node> {
        let mut items = Vec::new();
        while let Some(t) = self.peek() {
            if matches!(t, Tok::Or) || (matches!(t, Tok::Close) && depth > 0) {
                break;
            }
            if matches!(t, Tok::Close) {
                self.next();
                self.note("ignored an unmatched \")\"");
                continue;
            }
            if let Some(n) = self.unary(depth) {
                items.push(n);
            }
        }
        match items.len() {
            0 => None,
            1 => items.pop(),
            _ => Some(Node::And(items)),
        }
    }

    fn unary(&mut self, depth: usize) -> Option<Node> {
        if self.peek() == Some(&Tok::Minus) {
            self.next();
            if matches!(self.peek(), None | Some(Tok::Or) | Some(Tok::Close) | Some(Tok::Minus)) {
                self.note("ignored a lone \"-\"");
                return None;
            }
            return self.primary(depth).map(|n| Node::Not(Box::new(n)));
        }
        self.primary(depth)
    }

    fn leaf(&mut self, node: Node) -> Option<Node> {
        self.leaves += 1;
        if self.leaves > MAX_LEAVES {
            self.note(&format!("used the first {MAX_LEAVES} words only"));
            return None;
        }
        Some(node)
    }

    fn primary(&mut self, depth: usize) -> Option<Node> {
        match self.next()? {
            Tok::Open => {
                if depth + 1 >= MAX_DEPTH {
                    self.note("flattened parentheses nested too deep");
                    return self.and(depth);
                }
                let inner = self.or(depth + 1);
                if self.peek() == Some(&Tok::Close) {
                    self.next();
                } else {
                    self.note("closed an unbalanced \"(\" at the end");
                }
                inner
            }
            Tok::Word(text) => self.leaf(Node::Word { text, prefix: false }),
            Tok::Phrase(text) => self.leaf(Node::Phrase { text }),
            Tok::Field(field, value, phrase) => self.leaf(Node::Field { field, value, phrase, prefix: false }),
            Tok::Close | Tok::Or | Tok::Minus => None,
        }
    }
}

/// Marks the last leaf as a prefix when it is a plain word or an unquoted field value.
fn mark_last_prefix(node: &mut Node) -> bool {
    match node {
        Node::Word { prefix, .. } => {
            *prefix = true;
            true
        }
        Node::Field { prefix, phrase: false, field: Field::Entity(_) | Field::Title | Field::Source, .. } => {
            *prefix = true;
            true
        }
        Node::And(items) | Node::Or(items) => items.last_mut().is_some_and(mark_last_prefix),
        Node::Not(_) | Node::Phrase { .. } | Node::Field { .. } => false,
    }
}

/// Parses `input`. With `as_you_type`, the last word is a prefix unless the input ends in
/// a space or a closing quote.
pub fn parse(input: &str, as_you_type: bool) -> Query {
    let mut notes = Vec::new();
    let mut input = input;
    if input.len() > MAX_QUERY_BYTES {
        let mut cut = MAX_QUERY_BYTES;
        while !input.is_char_boundary(cut) {
            cut -= 1;
        }
        input = input.get(..cut).unwrap_or_default();
        notes.push(format!("used the first {MAX_QUERY_BYTES} bytes of a long query"));
    }
    let toks = lex(input, &mut notes);
    let mut p = Parser { toks, at: 0, notes, leaves: 0 };
    let mut root = p.or(0);
    let ends_open = input.chars().next_back().is_some_and(|c| !is_space(c) && !is_quote(c) && c != ')');
    if as_you_type && ends_open {
        if let Some(r) = root.as_mut() {
            mark_last_prefix(r);
        }
    }
    Query { root, notes: p.notes }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn understood(q: &str) -> (String, Vec<String>) {
        let p = parse(q, false);
        (p.understood(), p.notes)
    }

    #[test]
    fn grammar() {
        for (input, want) in [
            ("xiaomi su7", "xiaomi su7"),
            ("\"lei jun\" huawei", "\"lei jun\" huawei"),
            ("su7 OR iphone", "su7 OR iphone"),
            ("su7 | iphone", "su7 OR iphone"),
            ("xiaomi -huawei", "xiaomi -huawei"),
            ("xiaomi -\"free road\"", "xiaomi -\"free road\""),
            ("(su7 OR iphone) xiaomi", "(su7 OR iphone) xiaomi"),
            ("a (b (c OR d))", "a (b (c OR d))"),
            ("title:iphone", "title:iphone"),
            ("person:\"Lei Jun\" org:xiaomi", "person:\"Lei Jun\" org:xiaomi"),
            ("after:2024-04-01 before:2025-01-01", "after:2024-04-01 before:2025-01-01"),
            ("company:huawei", "org:huawei"),
            ("http://example.com", "http://example.com"),
            ("e-mail", "e-mail"),
            ("“curly quotes”", "\"curly quotes\""),
            ("or lowercase or", "or lowercase or"),
        ] {
            let (got, notes) = understood(input);
            assert_eq!(got, want, "{input}");
            assert!(notes.is_empty(), "{input}: {notes:?}");
        }
    }

    #[test]
    fn malformed_queries_are_repaired_with_notes() {
        for (input, want, note) in [
            ("\"unclosed phrase", "\"unclosed phrase\"", "unbalanced quote"),
            ("(a OR b", "a OR b", "unbalanced \"(\""),
            ("a) b", "a b", "unmatched \")\""),
            ("a -", "a", "lone \"-\""),
            ("- a", "a", "lone \"-\""),
            ("OR a", "a", "nothing before"),
            ("a OR", "a", "nothing after"),
            ("a OR OR b", "a OR b", "nothing before"),
            ("title:", "", "nothing after it"),
            ("a\u{0}b\u{7}c", "a b c", ""),
            ("((((((((((deep))))))))))", "deep", "nested too deep"),
            ("()", "", ""),
            ("\"\"", "", ""),
        ] {
            let (got, notes) = understood(input);
            assert_eq!(got, want, "{input}");
            assert!(note.is_empty() || notes.iter().any(|n| n.contains(note)), "{input}: {notes:?}");
        }
    }

    #[test]
    fn long_queries_are_cut_on_a_character_boundary() {
        let long = "é".repeat(2000);
        let q = parse(&long, false);
        assert!(q.notes.iter().any(|n| n.contains("long query")));
        let many = (0..100).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        let q = parse(&many, false);
        assert!(q.notes.iter().any(|n| n.contains("first 32 words")));
        assert_eq!(q.understood().split(' ').count(), MAX_LEAVES);
    }

    #[test]
    fn last_word_is_a_prefix_while_typing() {
        for (input, want) in [
            ("xiaomi su", "xiaomi su…"),
            ("xiaomi su ", "xiaomi su"),
            ("\"lei jun\"", "\"lei jun\""),
            ("org:xia", "org:xia…"),
            ("a -b", "a -b"),
            ("(a OR b", "a OR b…"),
        ] {
            assert_eq!(parse(input, true).understood(), want, "{input}");
        }
    }
}
