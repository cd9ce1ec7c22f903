//! index/: where does each word and entity occur? The inverted index: for every term, the
//! articles that contain it with word positions; for every article, its text, paragraphs
//! and entity mentions; one table of canonical entities.
//!
//! Invariants (checked by [`Index::validate`] whenever bytes are read, since bytes are
//! untrusted): terms are sorted and unique; postings are sorted by article with sorted,
//! non-empty positions; entity ids are unique; every article id is unique;
//! spans and mentions lie inside their article's text on UTF-8 boundaries; mentions are
//! sorted and do not overlap; every reference (article, entity) is in range.

pub mod dedup;

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Article, Entity, Mention, Relations};
use crate::text::{analyze_spans_starts, position_count, PARAGRAPH_GAP};

/// The whole index: what the format module writes and reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Index {
    pub docs: Vec<Doc>,
    pub entities: Vec<Entity>,
    pub terms: Vec<Term>,
    /// Article numbers that hold no article, ascending: where articles were removed by an
    /// update that kept every other article's number (so that it rewrote only the files
    /// those articles touched; see [`IndexBuilder::keep_holes`]). A hole's doc is empty
    /// ([`Doc::hole`]); no search, count or list ever shows one. A fresh build has none.
    pub holes: Vec<u32>,
}

/// One article as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Doc {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    /// [`Article::text`]: title, then paragraphs.
    pub text: String,
    /// Byte ranges of title (first) and paragraphs in `text`.
    pub spans: Vec<(u32, u32)>,
    pub mentions: Vec<DocMention>,
    /// Word positions in the title: positions below this are title positions.
    pub title_tokens: u32,
    /// Word positions in the lede (the first paragraph), which follows the title after
    /// [`PARAGRAPH_GAP`].
    pub lede_tokens: u32,
    /// Word positions in the other paragraphs.
    pub body_tokens: u32,
    /// The first word position of the title and of each paragraph (as `spans`).
    pub span_starts: Vec<u32>,
    /// The lowest article number among its near-duplicate copies (itself when it has
    /// none): one story, shown once (see `dedup.rs`).
    pub group: u32,
    /// Articles sharing passages with this one without being copies, most first.
    pub related: Vec<u32>,
    /// People's roles at organisations, as this article states them.
    pub roles: Vec<DocRole>,
    /// Quoted words with their speakers, in text order.
    pub quotes: Vec<DocQuote>,
}

/// The fields BM25F weighs separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
    Lede,
    Body,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DocMention {
    pub start: u32,
    pub end: u32,
    /// Index into [`Index::entities`].
    pub entity: u32,
    pub confidence: f32,
}

/// [`crate::model::Role`] with entities numbered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocRole {
    /// Indexes into [`Index::entities`].
    pub person: u32,
    pub org: u32,
    pub title: String,
}

/// [`crate::model::Quote`] with its speaker numbered.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DocQuote {
    /// Index into [`Index::entities`].
    pub speaker: u32,
    /// Byte range of the quoted words in the article's text.
    pub start: u32,
    pub end: u32,
    pub confidence: f32,
}

/// Written forms kept per term.
pub const MAX_SURFACES: usize = 4;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    pub term: String,
    /// How the term is written, lowercased, most frequent first, at most
    /// [`MAX_SURFACES`] ("intercepted", "interception" for "intercept"): what typo
    /// matching compares with, and what "did you mean" and "why this result" show.
    pub surfaces: Vec<String>,
    /// Stored as gaps (article number and positions each minus the previous one), which
    /// postcard's varints then write in a byte or two: about half the size of absolutes.
    #[serde(with = "gaps")]
    pub postings: Vec<Posting>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Posting {
    /// Index into [`Index::docs`].
    pub doc: u32,
    pub positions: Vec<u32>,
}

impl Doc {
    /// What stands at a hole's number (see [`Index::holes`]): nothing, its own copy group.
    pub fn hole(n: u32) -> Doc {
        Doc { group: n, ..Doc::default() }
    }

    /// The article this was built from, read back from its text and spans (what an
    /// update of an index starts from when the files it came from are gone).
    pub fn to_article(&self) -> Article {
        let span = |&(s, e): &(u32, u32)| self.text.get(s as usize..e as usize).unwrap_or_default().to_string();
        let mut spans = self.spans.iter();
        Article {
            id: self.id.clone(),
            title: spans.next().map(span).unwrap_or_default(),
            paragraphs: spans.map(span).collect(),
            source: self.source.clone(),
            date: self.date.clone(),
            url: self.url.clone(),
        }
    }

    pub fn spans_usize(&self) -> Vec<(usize, usize)> {
        self.spans.iter().map(|&(s, e)| (s as usize, e as usize)).collect()
    }

    /// The paragraphs' byte ranges, without the title.
    pub fn body_spans(&self) -> Vec<(usize, usize)> {
        self.spans_usize().into_iter().skip(1).collect()
    }

    /// Which field a word position belongs to.
    pub fn field_of(&self, position: u32) -> Field {
        if position < self.title_tokens {
            Field::Title
        } else if position < self.title_tokens + PARAGRAPH_GAP + self.lede_tokens {
            Field::Lede
        } else {
            Field::Body
        }
    }

    /// Article `n`'s own invariants (see the module doc), in an index of `entities`.
    pub fn validate(&self, n: usize, entities: u32) -> Result<()> {
        let bad = |what: &str| Error::corrupt(format!("index damaged: article {n} (“{}”) {what}", self.id));
        if self.spans.is_empty() {
            return Err(bad("has no title span"));
        }
        if self.span_starts.len() != self.spans.len() || self.span_starts.windows(2).any(|w| w.first() > w.get(1)) {
            return Err(bad("has paragraph positions that do not match its paragraphs"));
        }
        let mut prev_end = 0;
        for &(s, e) in &self.spans {
            if s < prev_end || s > e || self.text.get(s as usize..e as usize).is_none() {
                return Err(bad("has a paragraph outside its text"));
            }
            prev_end = e;
        }
        let mut prev_end = 0;
        for m in &self.mentions {
            if m.start < prev_end
                || m.start >= m.end
                || self.text.get(m.start as usize..m.end as usize).is_none()
                || m.entity >= entities
                || !m.confidence.is_finite()
            {
                return Err(bad("has a mention out of range"));
            }
            prev_end = m.end;
        }
        if self.roles.iter().any(|r| r.person >= entities || r.org >= entities) {
            return Err(bad("has a role out of range"));
        }
        let mut prev_end = 0;
        for q in &self.quotes {
            if q.start < prev_end
                || q.start >= q.end
                || self.text.get(q.start as usize..q.end as usize).is_none()
                || q.speaker >= entities
                || !q.confidence.is_finite()
            {
                return Err(bad("has a quote out of range"));
            }
            prev_end = q.end;
        }
        Ok(())
    }

    pub fn field_len(&self, field: Field) -> u32 {
        match field {
            Field::Title => self.title_tokens,
            Field::Lede => self.lede_tokens,
            Field::Body => self.body_tokens,
        }
    }
}

/// A mention before entities are numbered: start, end, the entity's slot in
/// [`IndexBuilder::entities`] (the order first met), confidence.
type PendingMention = (u32, u32, u32, f32);
/// An article with its mentions, roles and quotes, before entities are numbered.
type Pending = ((Doc, Vec<PendingMention>), Relations);

/// What indexing needs of one article that depends on that article alone: its text
/// analysed, its field lengths and the sketch copies are found by. Apart from
/// [`IndexBuilder::add_analysed`] so that the command line can analyse on every core while
/// one thread merges (analysis is most of indexing).
pub struct Analysed {
    text: String,
    spans: Vec<(usize, usize)>,
    terms: Vec<TermUse>,
    span_starts: Vec<u32>,
    title_tokens: u32,
    lede_tokens: u32,
    body_tokens: u32,
    sketch: dedup::Sketch,
}

impl Analysed {
    pub fn of(article: &Article) -> Analysed {
        let text = article.text();
        let spans = article.spans();
        let (tokens, span_starts) = analyze_spans_starts(&text, &spans, &|_| true);
        let all_positions = position_count(&tokens);
        // Positions in span k: up to the next span's start (less the gap), or to the end.
        let span_len = |k: usize| -> u32 {
            let start = span_starts.get(k).copied().unwrap_or(all_positions);
            span_starts.get(k + 1).map_or(all_positions.saturating_sub(start), |next| {
                next.saturating_sub(PARAGRAPH_GAP).saturating_sub(start)
            })
        };
        let title_tokens = span_len(0);
        let lede_tokens = if article.paragraphs.is_empty() { 0 } else { span_len(1) };
        let body_tokens = all_positions.saturating_sub(title_tokens + PARAGRAPH_GAP + lede_tokens + PARAGRAPH_GAP);
        // Ranking sees body lengths at one byte's precision (see `length_code`).
        let body_tokens = code_length(length_code(body_tokens));
        // Copies are told apart by their bodies: syndication rewrites headlines.
        let body_from = if article.paragraphs.is_empty() { 0 } else { title_tokens + PARAGRAPH_GAP };
        let sketch = dedup::Sketch::of(tokens.iter().filter(|t| t.position >= body_from).map(|t| t.term.as_str()));
        let terms = TermUse::of(&text, tokens);
        Analysed { text, spans, terms, span_starts, title_tokens, lede_tokens, body_tokens, sketch }
    }
}

/// One term of one article: where it occurs and the lowercase words it was made from.
/// Grouped here, in the analysis that runs on every core, so that the one thread merging
/// articles into the index looks each term up once per article rather than each word
/// three times (at 10k articles that merge was 0.94 s of a 1.8 s index phase).
struct TermUse {
    term: String,
    positions: Vec<u32>,
    /// Each lowercase surface form and how often; a term has one or two, so a list.
    forms: Vec<(String, u32)>,
}

impl TermUse {
    fn of(text: &str, tokens: Vec<crate::text::Token>) -> Vec<TermUse> {
        let mut uses: Vec<TermUse> = Vec::new();
        let mut at: FxHashMap<String, usize> = FxHashMap::default();
        for t in tokens {
            let word = text.get(t.start..t.end);
            let k = match at.get(&t.term) {
                Some(&k) => k,
                None => {
                    at.insert(t.term.clone(), uses.len());
                    uses.push(TermUse { term: t.term, positions: Vec::new(), forms: Vec::new() });
                    uses.len() - 1
                }
            };
            let Some(u) = uses.get_mut(k) else { continue };
            u.positions.push(t.position);
            let Some(word) = word else { continue };
            let lower: std::borrow::Cow<'_, str> = if word.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
                word.into()
            } else {
                word.to_lowercase().into()
            };
            match u.forms.iter_mut().find(|(f, _)| *f == lower) {
                Some((_, n)) => *n += 1,
                None => u.forms.push((lower.into_owned(), 1)),
            }
        }
        uses
    }
}

/// Collects articles and their mentions, then builds an [`Index`].
#[derive(Default)]
pub struct IndexBuilder {
    docs: Vec<Doc>,
    /// Per doc, its mentions with entity ids (numbered in `build`).
    mentions: Vec<Vec<PendingMention>>,
    /// Per doc, its roles and quotes (entities numbered in `build`).
    relations: Vec<Relations>,
    /// Every entity met, in the order first met; `slots` finds one by id. (A String id per
    /// mention until `build` was a gigabyte at a million articles.)
    entities: Vec<Entity>,
    slots: FxHashMap<String, u32>,
    postings: FxHashMap<String, PostingBuf>,
    /// Per term, how often each lowercase surface form was seen.
    surfaces: FxHashMap<String, FxHashMap<String, u32>>,
    ids: HashMap<String, usize>,
    /// Per doc, the MinHash sketch of its body.
    sketches: Vec<dedup::Sketch>,
    /// Numbers to leave empty (see [`IndexBuilder::keep_holes`]).
    holes: Vec<u32>,
}

impl IndexBuilder {
    pub fn new() -> IndexBuilder {
        IndexBuilder::default()
    }

    /// Adds one article. An id already added is refused: ids are the article's identity
    /// in URLs and filters, so two articles may not share one.
    pub fn add(&mut self, article: Article, mentions: Vec<Mention>) -> Result<()> {
        self.add_with(article, mentions, Relations::default())
    }

    /// Adds one article with what its mentions say of each other. Roles and quotes that
    /// fall outside the text are dropped, as mentions are.
    pub fn add_with(&mut self, article: Article, mentions: Vec<Mention>, relations: Relations) -> Result<()> {
        if self.ids.contains_key(&article.id) {
            return Err(Error::bad_request(format!("duplicate article id “{}”", article.id)));
        }
        let analysed = Analysed::of(&article);
        self.add_analysed(article, analysed, mentions, relations)
    }

    /// [`IndexBuilder::add_with`] for an article already analysed (by [`Analysed::of`], on
    /// any thread).
    pub fn add_analysed(
        &mut self,
        article: Article,
        analysed: Analysed,
        mentions: Vec<Mention>,
        mut relations: Relations,
    ) -> Result<()> {
        if self.ids.contains_key(&article.id) {
            return Err(Error::bad_request(format!("duplicate article id “{}”", article.id)));
        }
        let Analysed { text, spans, terms, span_starts, title_tokens, lede_tokens, body_tokens, sketch } = analysed;
        if text.len() > u32::MAX as usize / 2 {
            return Err(Error::bad_request(format!("article “{}” is too large", article.id)));
        }
        let doc_no = self.docs.len() as u32;
        self.sketches.push(sketch);
        // Lookups before inserts: most terms and forms are already there, and allocating
        // keys for them was most of the indexing time.
        for TermUse { term, positions, forms } in terms {
            match self.postings.get_mut(&term) {
                Some(list) => list.push(doc_no, &positions),
                None => {
                    let mut list = PostingBuf::default();
                    list.push(doc_no, &positions);
                    self.postings.insert(term.clone(), list);
                }
            }
            let known = match self.surfaces.get_mut(&term) {
                Some(known) => known,
                None => self.surfaces.entry(term).or_default(),
            };
            for (form, n) in forms {
                match known.get_mut(&form) {
                    Some(count) => *count += n,
                    None => {
                        known.insert(form, n);
                    }
                }
            }
        }
        let mut doc_mentions = Vec::with_capacity(mentions.len());
        for m in mentions {
            if m.start >= m.end || text.get(m.start..m.end).is_none() {
                continue;
            }
            let slot = self.slot(m.entity);
            doc_mentions.push((m.start as u32, m.end as u32, slot, m.confidence));
        }
        doc_mentions.sort_by_key(|m| m.0);
        doc_mentions.dedup_by(|b, a| b.0 < a.1);
        relations.quotes.retain(|q| q.start < q.end && text.get(q.start..q.end).is_some());
        relations.quotes.sort_by_key(|q| q.start);
        relations.quotes.dedup_by(|b, a| b.start < a.end);
        for e in
            relations.roles.iter().flat_map(|r| [&r.person, &r.org]).chain(relations.quotes.iter().map(|q| &q.speaker))
        {
            if !self.slots.contains_key(&e.id) {
                self.slot(e.clone());
            }
        }
        self.ids.insert(article.id.clone(), self.docs.len());
        self.docs.push(Doc {
            id: article.id,
            title: article.title,
            source: article.source,
            date: article.date,
            url: article.url,
            spans: spans.iter().map(|&(s, e)| (s as u32, e as u32)).collect(),
            text,
            mentions: Vec::new(),
            title_tokens,
            lede_tokens,
            body_tokens,
            span_starts,
            group: 0,
            related: Vec::new(),
            roles: Vec::new(),
            quotes: Vec::new(),
        });
        self.mentions.push(doc_mentions);
        self.relations.push(relations);
        Ok(())
    }

    /// The slot of `entity`'s id, the entity kept as first met.
    fn slot(&mut self, entity: Entity) -> u32 {
        if let Some(&slot) = self.slots.get(&entity.id) {
            return slot;
        }
        let slot = self.entities.len() as u32;
        self.slots.insert(entity.id.clone(), slot);
        self.entities.push(entity);
        slot
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Leaves these article numbers empty, the articles numbered around them: how an update
    /// that removed articles keeps every other article's number, and so its fragment,
    /// postings and extras, as they were. The articles must come in number order to fill
    /// the rest (the update checks that they do); holes past the last article are dropped,
    /// as nothing after them would move.
    pub fn keep_holes(&mut self, mut holes: Vec<u32>) {
        holes.sort_unstable();
        holes.dedup();
        self.holes = holes;
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Numbers the articles oldest first (undated before them), then by id backwards:
    /// ranking breaks ties newest first, then by id, so the highest number wins them and a sharded index can rank by
    /// article number without a table of dates and ids; articles of one period sit
    /// together in its fragments; and a newer article, the usual addition to a news
    /// archive, takes the next number, leaving every older article's number, fragment and
    /// postings as they were (what lets a rebuild rewrite only the files it touches).
    pub fn build(self) -> Index {
        let (mut index, terms) = self.build_parts();
        index.terms = terms.collect();
        index
    }

    /// [`IndexBuilder::build`] with the terms left to come one at a time, in order: a
    /// sharded index is written a shard at a time, so no more than one term's postings
    /// are ever held as [`Posting`]s (at a million articles, all of them would not fit in
    /// memory). The index returned has every part but its terms.
    pub fn build_parts(self) -> (Index, TermStream) {
        let mut order: Vec<usize> = (0..self.docs.len()).collect();
        order.sort_by(|&a, &b| {
            let (Some(x), Some(y)) = (self.docs.get(a), self.docs.get(b)) else { return a.cmp(&b) };
            number_key(&x.date, &x.id).cmp(&number_key(&y.date, &y.id))
        });
        // Entities are numbered as first met in article order, for the same reason as
        // articles: a newer article's new entities take the next numbers, and the older
        // articles' mentions (in their extras files) keep theirs. (Numbered by id, one new
        // entity renumbered every entity after it and so every extras file.)
        let slots = self.slots;
        const UNSET: u32 = u32::MAX;
        let count = self.entities.len() as u32;
        let mut number_of = vec![UNSET; count as usize];
        let mut next = 0u32;
        let mut meet = |slot: Option<u32>| {
            if let Some(n) = slot.and_then(|s| number_of.get_mut(s as usize)) {
                if *n == UNSET {
                    *n = next;
                    next += 1;
                }
            }
        };
        for &d in &order {
            for m in self.mentions.get(d).into_iter().flatten() {
                meet(Some(m.2));
            }
            let Some(r) = self.relations.get(d) else { continue };
            for e in r.roles.iter().flat_map(|r| [&r.person, &r.org]).chain(r.quotes.iter().map(|q| &q.speaker)) {
                meet(slots.get(&e.id).copied());
            }
        }
        for slot in 0..count {
            meet(Some(slot));
        }
        let mut by_number: Vec<u32> = (0..count).collect();
        by_number.sort_unstable_by_key(|&slot| number_of.get(slot as usize).copied().unwrap_or(UNSET));
        let mut slotted: Vec<Option<Entity>> = self.entities.into_iter().map(Some).collect();
        let entities: Vec<Entity> =
            by_number.iter().filter_map(|&slot| slotted.get_mut(slot as usize).and_then(Option::take)).collect();
        let number = |id: &str| slots.get(id).and_then(|&s| number_of.get(s as usize)).copied();
        // Each article's final number: its place in `order`, moved past the holes before it.
        let mut holes = Vec::new();
        let mut numbers = Vec::with_capacity(order.len());
        let mut wanted = self.holes.iter().copied().peekable();
        let mut next = 0u32;
        for _ in &order {
            while wanted.next_if_eq(&next).is_some() {
                holes.push(next);
                next += 1;
            }
            numbers.push(next);
            next += 1;
        }
        let number_at = |place: u32| numbers.get(place as usize).copied().unwrap_or(place);
        let mut new_number = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            if let Some(n) = new_number.get_mut(old) {
                *n = number_at(new as u32);
            }
        }
        let mut old_sketches: Vec<Option<dedup::Sketch>> = self.sketches.into_iter().map(Some).collect();
        let sketches: Vec<dedup::Sketch> =
            order.iter().filter_map(|&old| old_sketches.get_mut(old).and_then(Option::take)).collect();
        let mut old_docs: Vec<Option<Pending>> =
            self.docs.into_iter().zip(self.mentions).zip(self.relations).map(Some).collect();
        let mut docs = Vec::with_capacity(old_docs.len());
        for &old in &order {
            if let Some(pair) = old_docs.get_mut(old).and_then(Option::take) {
                docs.push(pair);
            }
        }
        drop(old_docs);
        let mut docs: Vec<Doc> = docs
            .into_iter()
            .map(|((mut doc, mentions), relations)| {
                let num = |e: &Entity| number(&e.id);
                doc.mentions = mentions
                    .into_iter()
                    .filter_map(|(start, end, slot, confidence)| {
                        Some(DocMention { start, end, entity: *number_of.get(slot as usize)?, confidence })
                    })
                    .collect();
                doc.roles = relations
                    .roles
                    .iter()
                    .filter_map(|r| {
                        Some(DocRole { person: num(&r.person)?, org: num(&r.org)?, title: r.title.clone() })
                    })
                    .collect();
                doc.quotes = relations
                    .quotes
                    .iter()
                    .filter_map(|q| {
                        Some(DocQuote {
                            speaker: num(&q.speaker)?,
                            start: q.start as u32,
                            end: q.end as u32,
                            confidence: q.confidence,
                        })
                    })
                    .collect();
                doc
            })
            .collect();
        docs.shrink_to_fit();
        let links = dedup::link(&sketches);
        for ((doc, group), related) in docs.iter_mut().zip(links.group).zip(links.related) {
            doc.group = number_at(group);
            doc.related = related.into_iter().map(number_at).collect();
        }
        if !holes.is_empty() {
            let mut live = docs.into_iter();
            docs = (0..next)
                .filter_map(|n| if holes.binary_search(&n).is_ok() { Some(Doc::hole(n)) } else { live.next() })
                .collect();
        }
        let mut surfaces = self.surfaces;
        let mut by_term: Vec<(String, PostingBuf, FxHashMap<String, u32>)> = self
            .postings
            .into_iter()
            .map(|(term, list)| {
                let forms = surfaces.remove(&term).unwrap_or_default();
                (term, list, forms)
            })
            .collect();
        by_term.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let terms = TermStream { left: by_term.into_iter(), new_number };
        (Index { docs, entities, terms: Vec::new(), holes }, terms)
    }
}

/// One term's postings while the index is built: each posting as varints (article gap,
/// position count, position gaps) in one buffer. As `Vec<Posting>` every posting costs its
/// own allocation and about 50 bytes before a single position, most of a million-article
/// build's memory; this is a few bytes a posting. (Hand-written: the varint crates encode
/// one number, and a postings crate would bring its own index format.)
#[derive(Default)]
struct PostingBuf {
    bytes: Vec<u8>,
    last: u32,
    count: u32,
}

impl PostingBuf {
    fn push(&mut self, doc: u32, positions: &[u32]) {
        put_varint(&mut self.bytes, doc.wrapping_sub(self.last).into());
        put_varint(&mut self.bytes, positions.len() as u64);
        let mut prev = 0u32;
        for &p in positions {
            put_varint(&mut self.bytes, p.wrapping_sub(prev).into());
            prev = p;
        }
        self.last = doc;
        self.count += 1;
    }

    /// The postings, articles renumbered through `new_number` and sorted by it.
    fn decode(&self, new_number: &[u32]) -> Vec<Posting> {
        let mut out = Vec::with_capacity(self.count as usize);
        let mut at = 0usize;
        let mut doc = 0u32;
        let next = |at: &mut usize| take_varint(&self.bytes, at);
        for _ in 0..self.count {
            doc = doc.wrapping_add(next(&mut at));
            let n = next(&mut at) as usize;
            let mut positions = Vec::with_capacity(n);
            let mut p = 0u32;
            for _ in 0..n {
                p = p.wrapping_add(next(&mut at));
                positions.push(p);
            }
            out.push(Posting { doc: new_number.get(doc as usize).copied().unwrap_or(doc), positions });
        }
        out.sort_unstable_by_key(|p| p.doc);
        out
    }
}

/// Appends `n` as an unsigned LEB128 varint, the way postcard writes lengths (the sharded
/// writer's term counts use it too).
pub(crate) fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The varint at `*at` (our own bytes, written by [`put_varint`]: a short buffer reads as
/// zeros rather than failing).
fn take_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut n = 0u32;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        n |= u32::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    n
}

/// The terms of a built index, sorted, each made into a [`Term`] only when asked for (see
/// [`IndexBuilder::build_parts`]).
pub struct TermStream {
    left: std::vec::IntoIter<(String, PostingBuf, FxHashMap<String, u32>)>,
    new_number: Vec<u32>,
}

impl Iterator for TermStream {
    type Item = Term;

    fn next(&mut self) -> Option<Term> {
        let (term, list, forms) = self.left.next()?;
        let postings = list.decode(&self.new_number);
        let mut forms: Vec<(String, u32)> = forms.into_iter().collect();
        forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let surfaces = forms.into_iter().take(MAX_SURFACES).map(|(f, _)| f).collect();
        Some(Term { term, surfaces, postings })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.left.size_hint()
    }
}

impl ExactSizeIterator for TermStream {}

impl Index {
    /// Checks every invariant in the module doc. Bytes that pass can be searched without
    /// any out-of-range access.
    pub fn validate(&self) -> Result<()> {
        if !holes_valid(&self.holes, self.docs.len()) {
            return Err(Error::corrupt("index damaged: the list of removed articles is out of order"));
        }
        for (n, d) in self.docs.iter().enumerate() {
            if self.is_hole(n) {
                if *d != Doc::hole(n as u32) {
                    return Err(Error::corrupt(format!("index damaged: removed article {n} is not empty")));
                }
                continue;
            }
            d.validate(n, self.entities.len() as u32)?;
            let leader = self.docs.get(d.group as usize);
            if d.group as usize > n || leader.is_none_or(|l| l.group != d.group) {
                return Err(Error::corrupt(format!("index damaged: article {n} has a broken copy group")));
            }
            if d.related.iter().any(|&r| r as usize >= self.docs.len() || r as usize == n) {
                return Err(Error::corrupt(format!("index damaged: article {n} has a related link out of range")));
            }
        }
        let mut ids: Vec<&str> =
            self.docs.iter().enumerate().filter(|&(n, _)| !self.is_hole(n)).map(|(_, d)| d.id.as_str()).collect();
        crate::sort::sort_by(&mut ids, &|a, b| a.cmp(b));
        if let Some(pair) = ids.windows(2).find(|w| w.first() == w.get(1)) {
            let id = pair.first().copied().unwrap_or_default();
            return Err(Error::corrupt(format!("index damaged: two articles have the id “{id}”")));
        }
        if !ids_unique(&self.entities) {
            return Err(Error::corrupt("index damaged: two entities have one id"));
        }
        self.validate_terms(self.docs.len() as u32)
    }

    /// Whether article number `n` is a hole (see [`Index::holes`]).
    pub fn is_hole(&self, n: usize) -> bool {
        !self.holes.is_empty() && self.holes.binary_search(&(n as u32)).is_ok()
    }

    /// How many articles there are, holes not counted: what ranking's statistics and every
    /// count a reader sees use.
    pub fn live_count(&self) -> usize {
        self.docs.len().saturating_sub(self.holes.len())
    }

    /// The term table's invariants, for an index (or a shard of one) over `articles`.
    pub fn validate_terms(&self, articles: u32) -> Result<()> {
        for (k, t) in self.terms.iter().enumerate() {
            if k > 0 && self.terms.get(k - 1).is_some_and(|p| p.term >= t.term) {
                return Err(Error::corrupt("index damaged: term table out of order"));
            }
            let mut prev_doc: Option<u32> = None;
            for p in &t.postings {
                if p.doc >= articles || prev_doc.is_some_and(|d| d >= p.doc) {
                    return Err(Error::corrupt(format!("index damaged: postings of “{}” out of order", t.term)));
                }
                prev_doc = Some(p.doc);
                if p.positions.is_empty() || p.positions.windows(2).any(|w| w.first() >= w.get(1)) {
                    return Err(Error::corrupt(format!("index damaged: positions of “{}” out of order", t.term)));
                }
            }
        }
        Ok(())
    }

    /// The usual written form of term number `t`.
    pub fn surface(&self, t: usize) -> Option<&str> {
        let term = self.terms.get(t)?;
        Some(term.surfaces.first().unwrap_or(&term.term))
    }

    /// Postings of a term, by binary search.
    pub fn postings(&self, term: &str) -> &[Posting] {
        self.terms
            .binary_search_by(|t| t.term.as_str().cmp(term))
            .ok()
            .and_then(|i| self.terms.get(i))
            .map_or(&[], |t| t.postings.as_slice())
    }

    /// Per entity, the sorted articles that mention it: what entity filters and facets
    /// count, and what a sharded index stores as its entity table.
    pub fn entity_docs(&self) -> Vec<Vec<u32>> {
        let mut lists = vec![Vec::new(); self.entities.len()];
        for (d, doc) in self.docs.iter().enumerate() {
            for m in &doc.mentions {
                if let Some(list) = lists.get_mut(m.entity as usize) {
                    if list.last() != Some(&(d as u32)) {
                        list.push(d as u32);
                    }
                }
            }
        }
        lists
    }

    /// The number of the entity with this id. A scan: the search engine keeps a lookup
    /// table (see `search::EntityIds`) for its many lookups.
    pub fn entity_index(&self, id: &str) -> Option<u32> {
        self.entities.iter().position(|e| e.id == id).map(|i| i as u32)
    }
}

/// What articles are numbered in the order of (see [`IndexBuilder::build`]): undated first
/// (None sorts before Some), then oldest first, then by id from the last, as ranking puts
/// the highest number first and should put the first id first.
pub fn number_key<'a>(date: &'a Option<String>, id: &'a str) -> (&'a Option<String>, std::cmp::Reverse<&'a str>) {
    (date, std::cmp::Reverse(id))
}

/// Whether `holes` can be the holes of an index of `articles` numbers: ascending, unique,
/// in range.
pub fn holes_valid(holes: &[u32], articles: usize) -> bool {
    holes.windows(2).all(|w| w.first() < w.get(1)) && holes.last().is_none_or(|&h| (h as usize) < articles)
}

/// A body word count as one byte, as Lucene and tantivy keep field lengths: exact below 16,
/// then four significant bits (eight steps per doubling, each at most 12.5% of the count).
/// BM25 only uses a length against the average, so this precision does not change which
/// articles rank first, and the sharded article table, which every first search downloads,
/// holds a byte per article instead of two varint bytes of near-random low bits (-5.6 KB
/// of 29 KB gzip at 10k articles). Every body length in an [`Index`] is already a code's
/// value ([`Analysed::of`]), so a single file and a sharded folder rank alike.
pub fn length_code(n: u32) -> u8 {
    if n < 16 {
        return n as u8;
    }
    let shift = 28 - n.leading_zeros(); // n >> shift is 8..=15: four significant bits
    (16 + (shift - 1) * 8 + ((n >> shift) & 7)) as u8
}

/// The word count a [`length_code`] stands for: the lowest count with that code. Codes past
/// the largest one made (239, for u32::MAX) saturate rather than overflow.
pub fn code_length(code: u8) -> u32 {
    if code < 16 {
        return u32::from(code);
    }
    let shift = u32::from(code - 16) / 8 + 1;
    let value = u64::from(8 + u32::from(code - 16) % 8) << shift;
    value.min(u64::from(u32::MAX)) as u32
}

/// Whether no two entities share an id.
pub fn ids_unique(entities: &[Entity]) -> bool {
    let mut ids: Vec<&str> = entities.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.windows(2).all(|w| w.first() != w.get(1))
}

/// Postings as gaps (see [`Term::postings`]). Decoding refuses gaps that overflow, and
/// [`Index::validate`] then refuses zero gaps (out of order).
mod gaps {
    use serde::de::Error as _;
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Posting;

    struct Gaps<'a>(&'a [u32]);

    impl Serialize for Gaps<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(self.0.len()))?;
            let mut prev = 0u32;
            for &x in self.0 {
                seq.serialize_element(&x.wrapping_sub(prev))?;
                prev = x;
            }
            seq.end()
        }
    }

    fn undo<E: serde::de::Error>(gaps: &mut [u32]) -> Result<(), E> {
        let mut at = 0u32;
        for g in gaps {
            at = at.checked_add(*g).ok_or_else(|| E::custom("a gap overflows"))?;
            *g = at;
        }
        Ok(())
    }

    pub fn serialize<S: Serializer>(postings: &[Posting], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(postings.len()))?;
        let mut prev = 0u32;
        for p in postings {
            seq.serialize_element(&(p.doc.wrapping_sub(prev), Gaps(&p.positions)))?;
            prev = p.doc;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Posting>, D::Error> {
        let raw: Vec<(u32, Vec<u32>)> = Vec::deserialize(d)?;
        let mut doc = 0u32;
        raw.into_iter()
            .map(|(gap, mut positions)| {
                doc = doc.checked_add(gap).ok_or_else(|| D::Error::custom("an article gap overflows"))?;
                undo::<D::Error>(&mut positions)?;
                Ok(Posting { doc, positions })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityType;

    #[test]
    fn length_codes_keep_small_counts_and_four_significant_bits() {
        for (n, code, back) in [
            (0, 0, 0),
            (15, 15, 15),
            (16, 16, 16),
            (17, 16, 16),
            (31, 23, 30),
            (32, 24, 32),
            (300, 49, 288),
            (1000, 63, 960),
            (u32::MAX, 239, 15 << 28),
        ] {
            assert_eq!(length_code(n), code, "code of {n}");
            assert_eq!(code_length(code), back, "count of code {code}");
        }
        // Order kept, at most 1/8 lost, and a code's count has that code again (so an
        // index read back and built again keeps its lengths).
        let mut last = 0;
        for n in (0..5000).chain([65_535, 1 << 20, u32::MAX - 1]) {
            let code = length_code(n);
            assert!(code >= last, "{n}");
            last = code;
            let back = code_length(code);
            assert!(back <= n && u64::from(n - back) * 8 <= u64::from(n), "{n} -> {back}");
            assert_eq!(length_code(back), code);
        }
        assert_eq!(code_length(255), u32::MAX); // past the largest code made: saturates
    }

    pub(crate) fn tiny() -> Index {
        let mut b = IndexBuilder::new();
        // Undated articles are numbered by id backwards (see `build`): "b" then "a".
        let a = Article {
            id: "b".into(),
            title: "Red cars".into(),
            paragraphs: vec!["Acme sells red cars in Paris.".into()],
            ..Default::default()
        };
        let text = a.text();
        let at = text.find("Acme").unwrap();
        let m = Mention { start: at, end: at + 4, entity: Entity::new(EntityType::Org, "Acme"), confidence: 0.9 };
        b.add(a, vec![m]).unwrap();
        b.add(
            Article {
                id: "a".into(),
                title: "Blue".into(),
                paragraphs: vec!["Blue car.".into()],
                ..Default::default()
            },
            vec![],
        )
        .unwrap();
        b.build()
    }

    #[test]
    fn builds_postings_with_positions_and_fields() {
        let idx = tiny();
        idx.validate().unwrap();
        let car = idx.postings("car");
        assert_eq!(car.len(), 2);
        assert_eq!(car[0].doc, 0);
        // "Red cars" is positions 0,1; the gap is 2; "Acme sells red cars" starts at 3.
        assert_eq!(car[0].positions, [1, 6]);
        assert_eq!(idx.docs[0].title_tokens, 2);
        assert_eq!(idx.docs[0].lede_tokens, 6);
        assert_eq!(idx.docs[0].body_tokens, 0);
        assert_eq!(idx.docs[0].field_of(1), Field::Title);
        assert_eq!(idx.docs[0].field_of(6), Field::Lede);
        let red = idx.terms.iter().find(|t| t.term == "car").unwrap();
        assert_eq!(red.surfaces, ["cars", "car"]);
        assert_eq!(idx.entities.len(), 1);
        assert_eq!(idx.docs[0].mentions[0].entity, 0);
        assert!(idx.postings("zebra").is_empty());
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let mut b = IndexBuilder::new();
        b.add(Article { id: "x".into(), title: "T".into(), ..Default::default() }, vec![]).unwrap();
        let e = b.add(Article { id: "x".into(), title: "U".into(), ..Default::default() }, vec![]).unwrap_err();
        assert!(e.message().contains("duplicate article id"));
    }

    #[test]
    fn validate_catches_each_broken_invariant() {
        type Breaker = fn(&mut Index);
        let breakers: Vec<(&str, Breaker)> = vec![
            ("posting doc", |i| i.terms[0].postings[0].doc = 99),
            ("positions", |i| i.terms[0].postings[0].positions.clear()),
            ("term order", |i| i.terms.swap(0, 1)),
            ("mention", |i| i.docs[0].mentions[0].end = 10_000),
            ("mention entity", |i| i.docs[0].mentions[0].entity = 7),
            ("span", |i| i.docs[0].spans[1].1 = 10_000),
            ("no span", |i| i.docs[0].spans.clear()),
            ("span starts", |i| i.docs[0].span_starts.reverse()),
            ("dup id", |i| i.docs[1].id = "b".into()),
            ("hole order", |i| i.holes = vec![1, 0]),
            ("hole range", |i| i.holes = vec![2]),
            ("hole not empty", |i| i.holes = vec![0]),
            ("utf8", |i| {
                i.docs[0].text = "é".into();
                i.docs[0].spans = vec![(0, 1)];
                i.docs[0].mentions.clear();
            }),
        ];
        for (what, f) in breakers {
            let mut idx = tiny();
            f(&mut idx);
            let e = idx.validate().unwrap_err();
            assert_eq!(e.kind(), crate::error::ErrorKind::DataCorruption, "{what}");
        }
    }

    /// Adds the dated articles "d<k>" for `ids`: the smaller `k`, the older.
    fn dated(b: &mut IndexBuilder, ids: &[usize]) {
        for &k in ids {
            let article = Article {
                id: format!("d{k}"),
                title: format!("Day {k}"),
                paragraphs: vec![format!("Harbour news of day {k}.")],
                date: Some(format!("2024-01-0{}", k + 1)),
                ..Default::default()
            };
            b.add(article, vec![]).unwrap();
        }
    }

    #[test]
    fn kept_holes_leave_numbers_empty_and_drop_those_past_the_end() {
        // (articles added, holes asked for, the ids by number ("" a hole), holes kept)
        type Case<'a> = (&'a [usize], &'a [u32], &'a [&'a str], &'a [u32]);
        let cases: &[Case] = &[
            (&[0, 1, 2], &[], &["d0", "d1", "d2"], &[]),
            (&[1, 2], &[0], &["", "d1", "d2"], &[0]),
            (&[0, 2], &[1], &["d0", "", "d2"], &[1]),
            (&[2, 0, 4], &[1, 3], &["d0", "", "d2", "", "d4"], &[1, 3]),
            // Past the last article nothing would move: no hole.
            (&[0, 1], &[2, 3, 9], &["d0", "d1"], &[]),
            (&[0, 2], &[1, 1, 5], &["d0", "", "d2"], &[1]),
        ];
        for &(add, holes, ids, kept) in cases {
            let mut b = IndexBuilder::new();
            dated(&mut b, add);
            b.keep_holes(holes.to_vec());
            let idx = b.build();
            idx.validate().unwrap();
            let got: Vec<&str> = idx.docs.iter().map(|d| d.id.as_str()).collect();
            assert_eq!(got, ids, "{holes:?}");
            assert_eq!(idx.holes, kept, "{holes:?}");
            assert_eq!(idx.live_count(), add.len());
            // Postings, copy groups and related links use the numbers with holes.
            let harbour: Vec<u32> = idx.postings("harbour").iter().map(|p| p.doc).collect();
            let live: Vec<u32> = (0..ids.len() as u32).filter(|&n| !idx.is_hole(n as usize)).collect();
            assert_eq!(harbour, live, "{holes:?}");
            assert!(idx.docs.iter().enumerate().all(|(n, d)| d.group == n as u32), "{holes:?}");
        }
    }
}
