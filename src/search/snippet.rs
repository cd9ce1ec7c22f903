//! Snippets and marked-up reader text, as segments. Every boundary comes from the
//! analyzer's token offsets or a stored mention, so a highlight always covers whole words
//! and never splits a UTF-8 character.

use crate::sort::Set;

use serde::Serialize;

use crate::index::Doc;
use crate::model::Entity;
use crate::text::{analyze_spans_with, Token, PARAGRAPH_GAP};

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

/// Which words are worth stemming when looking for `terms`: those that start like one of
/// them (a stem begins with its word's first letter, so the others cannot match).
fn may_match(terms: &Set<&str>) -> impl Fn(&str) -> bool {
    let firsts: Set<char> = terms.iter().filter_map(|t| t.chars().next()).collect();
    move |w: &str| w.chars().next().is_some_and(|c| firsts.contains(&c))
}

/// Analyzes `spans` of `text`, stemming only words that [`may_match`] `terms`.
fn analyze_for(text: &str, spans: &[(usize, usize)], terms: &Set<&str>) -> Vec<Token> {
    analyze_spans_with(text, spans, &may_match(terms))
}

/// The title with query words marked.
pub fn title(doc: &Doc, terms: &Set<&str>) -> Vec<Segment> {
    let spans = doc.spans_usize();
    let title = spans.first().copied().unwrap_or((0, 0));
    let tokens = analyze_for(&doc.text, &[title], terms);
    marked(&doc.text, title.0, title.1, &hits_in(&tokens, terms), &[])
}

/// A matched query term in an article: (word position, term number, weight).
pub type HitPosition = (u32, usize, f32);

/// Most hit positions looked at when choosing a passage (a word on every line of a long
/// article need not all be weighed).
const MAX_HIT_POSITIONS: usize = 256;

/// The passage of the body with the most (idf-weighted, distinct) query terms, about
/// SNIPPET_WORDS long; the lede's opening when no body word matches. The passage is
/// chosen on word positions from the postings (`hits`, sorted by position); only its
/// paragraph is analyzed again, for offsets.
pub fn best_passage(doc: &Doc, hits: &[HitPosition], terms: &Set<&str>) -> Vec<Segment> {
    let spans = doc.spans_usize();
    let starts = &doc.span_starts;
    // Body paragraphs are spans 1.. ; the paragraph of a position is the last that starts at or before it.
    let para_of = |p: u32| starts.iter().rposition(|&s| s <= p).filter(|&k| k >= 1);
    let para_end = |k: usize| starts.get(k + 1).map_or(u32::MAX, |&s| s.saturating_sub(PARAGRAPH_GAP));
    let mut best: Option<(f32, usize, u32, u32)> = None; // score, paragraph, first, last position
    let body_hits: Vec<&HitPosition> = hits.iter().filter(|h| para_of(h.0).is_some()).take(MAX_HIT_POSITIONS).collect();
    for &&(p, _, _) in &body_hits {
        let Some(k) = para_of(p) else { continue };
        let para_start = starts.get(k).copied().unwrap_or(0);
        let first = p.saturating_sub(LEAD_WORDS as u32).max(para_start);
        let last = (first + SNIPPET_WORDS as u32).min(para_end(k));
        let inside = body_hits.iter().filter(|h| h.0 >= first && h.0 < last);
        let mut distinct: Vec<(usize, f32)> = Vec::new();
        let mut count = 0usize;
        for h in inside {
            count += 1;
            if !distinct.iter().any(|d| d.0 == h.1) {
                distinct.push((h.1, h.2));
            }
        }
        let score = distinct.iter().map(|d| d.1).sum::<f32>() + 0.1 * count as f32;
        if best.is_none_or(|(s, ..)| score > s) {
            best = Some((score, k, first, last));
        }
    }
    let (k, first, last) = match best {
        Some((_, k, f, l)) => (k, f, l),
        None => {
            let s = starts.get(1).copied().unwrap_or(0);
            (1, s, s + SNIPPET_WORDS as u32)
        }
    };
    let Some(&(ps, pe)) = spans.get(k) else { return Vec::new() };
    let para_start = starts.get(k).copied().unwrap_or(0);
    // Analyzed up to the word just past the passage, which says whether the passage
    // reaches the paragraph's end.
    let part = doc.text.get(ps..pe).unwrap_or_default();
    let all: Vec<Token> = crate::text::analyze_upto(part, &may_match(terms), last.saturating_sub(para_start))
        .into_iter()
        .map(|t| Token { position: t.position + para_start, start: t.start + ps, end: t.end + ps, ..t })
        .collect();
    let reaches_end = !all.iter().any(|t| t.position >= last);
    let tokens: Vec<Token> = all.into_iter().filter(|t| t.position >= first && t.position < last).collect();
    let (Some(f), Some(l)) = (tokens.first(), tokens.last()) else { return Vec::new() };
    // A passage that reaches the paragraph's last word keeps its closing punctuation.
    let (start, end) = (f.start, if reaches_end { pe } else { l.end });
    let mut out = Vec::new();
    if start > ps {
        out.push(Segment::plain("… ", SegmentKind::Text));
    }
    out.extend(marked(&doc.text, start, end, &hits_in(&tokens, terms), &[]));
    if end < pe {
        out.push(Segment::plain(" …", SegmentKind::Text));
    }
    out
}

/// Title and paragraphs, each as segments with query words and entity mentions marked.
pub fn marked_blocks(doc: &Doc, terms: &Set<&str>, entities: &[Entity]) -> Vec<Vec<Segment>> {
    let mentions: Vec<(usize, usize, Option<&Entity>)> =
        doc.mentions.iter().map(|m| (m.start as usize, m.end as usize, entities.get(m.entity as usize))).collect();
    doc.spans_usize()
        .into_iter()
        .map(|(s, e)| {
            let tokens = analyze_for(&doc.text, &[(s, e)], terms);
            marked(&doc.text, s, e, &hits_in(&tokens, terms), &mentions)
        })
        .collect()
}

fn hits_in(tokens: &[Token], terms: &Set<&str>) -> Vec<(usize, usize)> {
    tokens.iter().filter(|t| terms.contains(&t.term.as_str())).map(|t| (t.start, t.end)).collect()
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
    crate::sort::sort_by(&mut cuts, &|a, b| a.cmp(b));
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
