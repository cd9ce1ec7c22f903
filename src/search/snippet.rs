//! Snippets and marked-up reader text, as segments. Every boundary comes from the
//! analyzer's token offsets or a stored mention, so a highlight always covers whole words
//! and never splits a UTF-8 character.

use std::collections::HashSet;

use serde::Serialize;

use crate::index::Doc;
use crate::model::Entity;
use crate::text::{analyze_spans, Token};

/// Words in a snippet, about what fits two lines of a result list.
pub const SNIPPET_WORDS: usize = 30;
/// Words of context kept before the first hit of a passage.
const LEAD_WORDS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SegmentKind {
    Text,
    /// A word of the query.
    Hit,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    pub text: String,
    pub kind: SegmentKind,
    /// The entity mentioned here, if any (reader text only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<&'static str>,
}

impl Segment {
    fn plain(text: &str, kind: SegmentKind) -> Segment {
        Segment { text: text.to_string(), kind, entity: None, entity_type: None }
    }
}

/// The title with query words marked.
pub fn title(doc: &Doc, terms: &HashSet<&str>) -> Vec<Segment> {
    let spans = doc.spans_usize();
    let title = spans.first().copied().unwrap_or((0, 0));
    let tokens = analyze_spans(&doc.text, &[title]);
    marked(&doc.text, title.0, title.1, &hits(&tokens, terms), &[])
}

/// The passage of the body with the most (idf-weighted, distinct) query words, about
/// SNIPPET_WORDS long; the lede's opening when no body word matches.
pub fn best_passage(doc: &Doc, terms: &HashSet<&str>, idf: &dyn Fn(&str) -> f32) -> Vec<Segment> {
    let text = &doc.text;
    let paragraphs = doc.body_spans();
    let mut best: Option<(f32, usize, usize, usize)> = None; // score, paragraph, first, last token
    let mut per_para: Vec<Vec<Token>> = Vec::with_capacity(paragraphs.len());
    for (p, &span) in paragraphs.iter().enumerate() {
        let tokens = analyze_spans(text, &[span]);
        for (i, t) in tokens.iter().enumerate() {
            if !terms.contains(t.term.as_str()) {
                continue;
            }
            let first = i.saturating_sub(LEAD_WORDS);
            let last = (first + SNIPPET_WORDS).min(tokens.len());
            let window = tokens.get(first..last).unwrap_or_default();
            let distinct: HashSet<&str> =
                window.iter().filter(|w| terms.contains(w.term.as_str())).map(|w| w.term.as_str()).collect();
            let count = window.iter().filter(|w| terms.contains(w.term.as_str())).count();
            let score = distinct.iter().map(|t| idf(t)).sum::<f32>() + 0.1 * count as f32;
            if best.is_none_or(|(s, ..)| score > s) {
                best = Some((score, p, first, last));
            }
        }
        per_para.push(tokens);
    }
    let (p, first, last) = match best {
        Some((_, p, f, l)) => (p, f, l),
        None => (0, 0, per_para.first().map_or(0, |t| t.len().min(SNIPPET_WORDS))),
    };
    let (Some(tokens), Some(&(ps, pe))) = (per_para.get(p), paragraphs.get(p)) else {
        return Vec::new();
    };
    let (Some(f), Some(l)) = (tokens.get(first), last.checked_sub(1).and_then(|k| tokens.get(k))) else {
        return Vec::new();
    };
    let (start, end) = if last >= tokens.len() { (f.start, pe) } else { (f.start, l.end) };
    let mut out = Vec::new();
    if start > ps {
        out.push(Segment::plain("… ", SegmentKind::Text));
    }
    out.extend(marked(text, start, end, &hits(tokens, terms), &[]));
    if end < pe {
        out.push(Segment::plain(" …", SegmentKind::Text));
    }
    out
}

/// Title and paragraphs, each as segments with query words and entity mentions marked.
pub fn marked_blocks(doc: &Doc, terms: &HashSet<&str>, entities: &[Entity]) -> Vec<Vec<Segment>> {
    let mentions: Vec<(usize, usize, Option<&Entity>)> =
        doc.mentions.iter().map(|m| (m.start as usize, m.end as usize, entities.get(m.entity as usize))).collect();
    doc.spans_usize()
        .into_iter()
        .map(|(s, e)| {
            let tokens = analyze_spans(&doc.text, &[(s, e)]);
            marked(&doc.text, s, e, &hits(&tokens, terms), &mentions)
        })
        .collect()
}

fn hits(tokens: &[Token], terms: &HashSet<&str>) -> Vec<(usize, usize)> {
    tokens.iter().filter(|t| terms.contains(t.term.as_str())).map(|t| (t.start, t.end)).collect()
}

/// Cuts text[start..end] at every hit and mention edge. Hits and mentions are each sorted
/// and non-overlapping; they may overlap each other (a query word inside a name).
fn marked(
    text: &str,
    start: usize,
    end: usize,
    hits: &[(usize, usize)],
    mentions: &[(usize, usize, Option<&Entity>)],
) -> Vec<Segment> {
    let mut cuts = vec![start, end];
    for &(s, e) in hits {
        cuts.extend([s, e]);
    }
    for &(s, e, _) in mentions {
        cuts.extend([s, e]);
    }
    cuts.retain(|&c| c >= start && c <= end);
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Segment> = Vec::new();
    for pair in cuts.windows(2) {
        let [a, b] = [pair.first().copied().unwrap_or(0), pair.get(1).copied().unwrap_or(0)];
        let Some(piece) = text.get(a..b) else {
            continue;
        };
        let kind = if hits.iter().any(|&(s, e)| s <= a && b <= e) { SegmentKind::Hit } else { SegmentKind::Text };
        let entity = mentions.iter().find(|&&(s, e, _)| s <= a && b <= e).and_then(|m| m.2);
        let seg = Segment {
            text: piece.to_string(),
            kind,
            entity: entity.map(|e| e.id.clone()),
            entity_type: entity.map(|e| e.ty.as_str()),
        };
        match out.last_mut() {
            Some(last) if last.kind == seg.kind && last.entity == seg.entity => last.text.push_str(&seg.text),
            _ => out.push(seg),
        }
    }
    out
}
