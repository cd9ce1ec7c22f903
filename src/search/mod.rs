//! search/: which articles answer this query, and what do they say? Ranked hits with
//! snippets, entity filters, and entity facet counts.
//!
//! Filters on entities of the same type combine with OR, across types with AND. Facet
//! counts are disjunctive: the count shown for a value of type T is the number of
//! articles matching the query and every filter *except those on T*, so choosing a second
//! person widens the result instead of emptying the facet. Each value also carries its
//! total over the whole corpus.
//!
//! The query language is parsed by [`crate::query`] and evaluated by `eval.rs`; words
//! expand to prefixes and typos in `expand.rs`. Ranking is BM25F over title, lede and
//! body (see [`Weights`]), after the match tier (exact, then prefix, then typo). Snippets
//! and reader text are returned as segments (text + kind), never as markup, with every
//! highlight taken from the analyzer's byte offsets.

mod entity_page;
mod eval;
mod expand;
mod facets;
mod names;
mod pictures;
mod shards;
mod snippet;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::format;
use crate::index::{Doc, Field, Index};
use crate::model::{Entity, EntityType};
use crate::query::{self, Node};
use crate::sort::Set;
use crate::text::{analyze, fold};

pub use entity_page::{Alias, ArticleRole, EntityPage, QuoteView, RoleLink, PAGE_ARTICLES};
pub use eval::Explain;
pub use pictures::{Bucket, CoLink, CoNode, Cooccurrence, Timeline};
pub use snippet::{Segment, SegmentKind};

/// Stories a reader's "more like this" lists.
const MORE_LIKE_THIS: usize = 5;

/// Ranking weights (BM25F). Each is documented with its meaning and the range that
/// makes sense.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// How much a title match counts against a body match. 1 = no boost; 2–5 is usual for
    /// news, whose titles name the story's subject. Range 0–10.
    pub title: f32,
    /// How much a match in the lede (the first paragraph, which news writes as the
    /// story's summary) counts against the body. Range 1–3.
    pub lede: f32,
    /// Body weight. Keep at 1: the other weights are relative to it.
    pub body: f32,
    /// BM25 term-frequency saturation: how fast repeats stop adding score. Range 0.5–2.
    pub k1: f32,
    /// BM25 length normalisation of the title, 0 (none) to 1 (full).
    pub b_title: f32,
    /// BM25 length normalisation of the lede, 0 (none) to 1 (full).
    pub b_lede: f32,
    /// BM25 length normalisation of the body, 0 (none) to 1 (full).
    pub b_body: f32,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights { title: 4.0, lede: 1.5, body: 1.0, k1: 1.2, b_title: 0.5, b_lede: 0.75, b_body: 0.75 }
    }
}

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Match tier, then BM25F score (newest first among equals).
    #[default]
    Relevance,
    /// Newest first; articles without a date last, by relevance.
    Date,
}

/// What to search for. Deserializable so the page can pass it as one object.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// The query language (see [`crate::query`]).
    pub query: String,
    /// Entity ids to filter on (see the module doc for how they combine).
    pub entities: Vec<String>,
    pub limit: usize,
    pub offset: usize,
    /// Values returned per facet type (selected values are always included).
    pub facet_limit: usize,
    pub sort: Sort,
    /// The query is being typed: its last word is a prefix.
    pub as_you_type: bool,
    /// A date range (the timeline's selection): YYYY, YYYY-MM or YYYY-MM-DD, inclusive.
    /// Articles without a date are outside any range.
    pub date_from: Option<String>,
    pub date_to: Option<String>,
}

impl Default for SearchRequest {
    fn default() -> SearchRequest {
        SearchRequest {
            query: String::new(),
            entities: Vec::new(),
            limit: 20,
            offset: 0,
            facet_limit: 50,
            sort: Sort::Relevance,
            as_you_type: false,
            date_from: None,
            date_to: None,
        }
    }
}

impl SearchRequest {
    pub fn new(query: &str) -> SearchRequest {
        SearchRequest { query: query.to_string(), ..SearchRequest::default() }
    }

    /// The same request while the query is being typed (last word is a prefix).
    pub fn typing(mut self) -> Self {
        self.as_you_type = true;
        self
    }

    pub fn with_entities<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.entities = ids.into_iter().map(Into::into).collect();
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SearchResponse {
    /// Stories matching query and filters: near-duplicate copies of one story count once.
    pub total: usize,
    /// Articles matching query and filters, copies included.
    pub articles: usize,
    pub hits: Vec<Hit>,
    pub facets: Vec<FacetGroup>,
    /// The index terms highlighted (what the query's words matched).
    pub terms: Vec<String>,
    /// The query as parsed, in canonical form ("xiaomi (su7 OR iphone) -huawei").
    pub understood: String,
    /// How a malformed query was repaired.
    pub notes: Vec<String>,
    /// Things the user should know: unknown filter ids, words not in any article.
    pub warnings: Vec<String>,
    /// No article matched every word: these are the best partial matches.
    pub partial: bool,
    /// The query with unknown words replaced by the closest known ones.
    pub did_you_mean: Option<String>,
    /// Entities whose names complete the words being typed.
    pub suggestions: Vec<Suggestion>,
    /// A sharded index: the fragment files still to load before this page can be shown.
    /// While any are missing the response is only that request: no hits, facets or
    /// pictures (counts, terms and the parsed query are still given).
    pub missing: Vec<String>,
    /// The matching articles by date (None until a sharded index's dates are loaded, or
    /// when no article has a date).
    pub timeline: Option<Timeline>,
    /// Who appears with whom in the matching articles (None until a sharded index's
    /// entity table is loaded).
    pub together: Option<Cooccurrence>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub ty: &'static str,
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub score: f32,
    pub title_segments: Vec<Segment>,
    pub snippet: Vec<Segment>,
    /// Why this result: the query parts it matched, in which fields, for what score.
    pub explain: Vec<Explain>,
    /// The same story elsewhere: its near-duplicate copies, newest first.
    pub copies: Vec<ArticleRef>,
}

/// Another article, as a link shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleRef {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacetGroup {
    #[serde(rename = "type")]
    pub ty: &'static str,
    pub label: &'static str,
    pub values: Vec<FacetValue>,
    /// Values with a non-zero count under the current search, before the limit.
    pub available: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacetValue {
    pub id: String,
    pub name: String,
    /// Articles with this entity under the current query and the other types' filters.
    pub count: usize,
    /// Articles with this entity in the whole corpus.
    pub total: usize,
    pub selected: bool,
}

/// An article prepared for reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleView {
    pub id: String,
    pub source: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub title: Vec<Segment>,
    pub paragraphs: Vec<Vec<Segment>>,
    /// The article's entities, most mentioned first.
    pub entities: Vec<EntityCount>,
    /// Its near-duplicate copies elsewhere.
    pub copies: Vec<ArticleRef>,
    /// Other stories about the same people, organisations, products and places ("more like
    /// this"), most alike first; copies and related coverage are listed apart.
    pub more: Vec<ArticleRef>,
    /// Other stories that share passages with it.
    pub related: Vec<ArticleRef>,
    /// Who holds which role where, as the article says.
    pub roles: Vec<ArticleRole>,
    /// What it quotes, with the speakers, in text order.
    pub quotes: Vec<QuoteView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityCount {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub ty: &'static str,
    pub mentions: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub articles: usize,
    pub entities: usize,
    pub terms: usize,
    pub format_version: u32,
    /// A sharded index (loaded as queries need it) rather than one file.
    pub sharded: bool,
}

/// The (leader, member) pairs of every group of more than one article, sorted.
fn copy_groups(docs: &[Doc]) -> Vec<(u32, u32)> {
    let mut pairs: Vec<(u32, u32)> = docs.iter().enumerate().map(|(d, doc)| (doc.group, d as u32)).collect();
    crate::sort::sort_by(&mut pairs, &|a, b| a.cmp(b));
    let mut out = Vec::new();
    for run in pairs.chunk_by(|a, b| a.0 == b.0) {
        if run.len() > 1 {
            out.extend_from_slice(run);
        }
    }
    out
}

/// The highlighted terms in the order responses list them.
fn sorted(mut terms: Vec<String>) -> Vec<String> {
    crate::sort::sort_by(&mut terms, &|a, b| a.cmp(b));
    terms
}

/// Per article, its rank by date (newest first, equal dates sharing a rank, undated last)
/// and by id. Together they order articles as their numbers do, highest first (see
/// `IndexBuilder::build`), which is what a sharded index ranks by before its dates and ids
/// are loaded.
fn ranks(index: &Index) -> (Vec<u32>, Vec<u32>) {
    let n = index.docs.len();
    let by_id =
        crate::sort::order_of(n, &|a, b| index.docs.get(a).map(|d| &d.id).cmp(&index.docs.get(b).map(|d| &d.id)));
    let mut id_rank = vec![0u32; n];
    for (rank, d) in by_id.into_iter().enumerate() {
        if let Some(r) = id_rank.get_mut(d) {
            *r = rank as u32;
        }
    }
    let mut dates: Vec<&str> = index.docs.iter().filter_map(|d| d.date.as_deref()).collect();
    crate::sort::sort_by(&mut dates, &|a, b| b.cmp(a));
    dates.dedup();
    let date_rank = index
        .docs
        .iter()
        .map(|d| match d.date.as_deref() {
            Some(date) => dates.binary_search_by(|x| date.cmp(x)).unwrap_or(0) as u32,
            None => dates.len() as u32,
        })
        .collect();
    (date_rank, id_rank)
}

/// Entity numbers in the order of their ids, to find an entity by id: entities are
/// numbered as first met, not by id (see `IndexBuilder::build_parts`).
#[derive(Debug, Default)]
pub(super) struct EntityIds(Vec<u32>);

impl EntityIds {
    pub(super) fn new(entities: &[Entity]) -> EntityIds {
        let mut order: Vec<u32> = (0..entities.len() as u32).collect();
        let id = |e: u32| entities.get(e as usize).map(|x| x.id.as_str());
        order.sort_unstable_by(|&a, &b| id(a).cmp(&id(b)));
        EntityIds(order)
    }

    pub(super) fn find(&self, entities: &[Entity], id: &str) -> Option<u32> {
        let of = |e: u32| entities.get(e as usize).map(|x| x.id.as_str());
        let at = self.0.partition_point(|&e| of(e) < Some(id));
        let e = *self.0.get(at)?;
        (of(e) == Some(id)).then_some(e)
    }
}

/// A searchable index with the lookup tables derived from it at load.
pub struct Engine {
    index: Index,
    weights: Weights,
    /// Per entity, the sorted articles that mention it.
    entity_docs: Vec<Vec<u32>>,
    /// Average field lengths: title, lede, body.
    avg: [f32; 3],
    /// The terms' written forms for the typo scan, in step with `index.terms`.
    typos: expand::TypoTable,
    /// Per article, its place among the distinct dates, newest first (undated last).
    date_rank: Vec<u32>,
    /// Per article, its place in id order: the last tie-breaker, so results are stable.
    id_rank: Vec<u32>,
    /// For a sharded index, what is loaded so far; `index` then holds only that.
    shards: Option<shards::Loaded>,
    /// (group leader, member) for every article in a group of copies, sorted.
    copies: Vec<(u32, u32)>,
    /// `entity_docs` turned around: per article, its entities (see `facets.rs`).
    doc_entities: facets::DocEntities,
    /// Entity names folded for completion, and their name order (see `names.rs`).
    names: names::Names,
    /// Entities by id.
    entity_ids: EntityIds,
    /// The timeline's buckets and each article's bucket, laid out by the first timeline
    /// once the dates are here (see `pictures.rs`), not again for every search. A
    /// `OnceLock`, so an engine stays `Sync`; None when no article has a date.
    axis: std::sync::OnceLock<Option<pictures::Axis>>,
}

impl Engine {
    pub fn from_bytes(bytes: &[u8]) -> Result<Engine> {
        Engine::new(format::read(bytes)?)
    }

    pub fn new(index: Index) -> Result<Engine> {
        index.validate()?;
        let entity_docs = index.entity_docs();
        let doc_entities = facets::DocEntities::new(&entity_docs, index.docs.len());
        let names = names::Names::new(&index.entities);
        let entity_ids = EntityIds::new(&index.entities);
        let n = index.live_count().max(1) as f32;
        let avg = [Field::Title, Field::Lede, Field::Body]
            .map(|f| index.docs.iter().map(|d| d.field_len(f) as f32).sum::<f32>() / n);
        let typos = expand::TypoTable::new(&index.terms);
        let (date_rank, id_rank) = ranks(&index);
        let copies = copy_groups(&index.docs);
        Ok(Engine {
            index,
            weights: Weights::default(),
            entity_docs,
            avg,
            typos,
            date_rank,
            id_rank,
            shards: None,
            copies,
            doc_entities,
            names,
            entity_ids,
            axis: std::sync::OnceLock::new(),
        })
    }

    /// The number of the entity with this id.
    pub(super) fn entity_index(&self, id: &str) -> Option<u32> {
        self.entity_ids.find(&self.index.entities, id)
    }

    pub fn with_weights(mut self, weights: Weights) -> Engine {
        self.weights = weights;
        self
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn stats(&self) -> Stats {
        if let Some(sh) = &self.shards {
            return sh.stats();
        }
        Stats {
            articles: self.index.live_count(),
            entities: self.index.entities.len(),
            terms: self.index.terms.len(),
            format_version: format::FORMAT_VERSION,
            sharded: false,
        }
    }

    /// Finds an entity by id (`person:lei-jun`) or by `type:Display Name` in any case
    /// (`person:Lei Jun`).
    pub fn resolve_entity(&self, reference: &str) -> Result<String> {
        if self.entity_index(reference).is_some() {
            return Ok(reference.to_string());
        }
        let (ty, name) = reference
            .split_once(':')
            .ok_or_else(|| Error::bad_request(format!("“{reference}” is not an entity id (expected type:name)")))?;
        EntityType::parse(ty.trim())
            .and_then(|ty| self.entities_named(ty, name, false).first().copied())
            .and_then(|e| self.index.entities.get(e as usize))
            .map(|e| e.id.clone())
            .ok_or_else(|| Error::bad_request(format!("no entity “{reference}” in this index")))
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        let n = self.index.docs.len();
        let parsed = query::parse(&req.query, req.as_you_type);
        let mut warnings = Vec::new();

        // Filters grouped by type: OR inside a group, AND across groups.
        let mut groups: Vec<(EntityType, Vec<u32>)> = Vec::new();
        for id in &req.entities {
            match self.entity_index(id).and_then(|e| Some((e, self.index.entities.get(e as usize)?.ty))) {
                Some((e, ty)) => match groups.iter_mut().find(|(t, _)| *t == ty) {
                    Some((_, ids)) => ids.push(e),
                    None => groups.push((ty, vec![e])),
                },
                None => warnings.push(format!("unknown entity “{id}” ignored")),
            }
        }
        crate::sort::sort_by(&mut groups, &|a, b| a.0.cmp(&b.0));
        let selected: Set<u32> = groups.iter().flat_map(|(_, ids)| ids).copied().collect();
        let group_sets: Vec<(EntityType, Vec<bool>)> =
            groups.iter().map(|(ty, ids)| (*ty, self.docs_with_any(ids))).collect();
        let (from, to) = (req.date_from.as_deref(), req.date_to.as_deref());
        for bound in [from, to].into_iter().flatten() {
            if !pictures::valid_bound(bound) {
                return Err(Error::bad_request(format!("date range end “{bound}” is not YYYY, YYYY-MM or YYYY-MM-DD")));
            }
        }
        let dated = |doc: usize| {
            (from.is_none() && to.is_none())
                || self
                    .index
                    .docs
                    .get(doc)
                    .and_then(|d| d.date.as_deref())
                    .is_some_and(|date| pictures::in_range(date, from, to))
        };
        // Every count and list goes through here, so this is also where holes (numbers of
        // removed articles) are left out: a query of only negations would match them.
        let entities_pass = |doc: usize, except: Option<EntityType>| {
            !self.index.is_hole(doc)
                && group_sets
                    .iter()
                    .filter(|(ty, _)| Some(*ty) != except)
                    .all(|(_, set)| set.get(doc).copied().unwrap_or(false))
        };
        let passes = |doc: usize, except: Option<EntityType>| entities_pass(doc, except) && dated(doc);

        let mut ev = eval::Evaluator::new(self);
        let mut matches = match &parsed.root {
            Some(root) => ev.eval(root),
            None => eval::Matches::all(n),
        };
        let matching = |m: &eval::Matches| -> Vec<usize> {
            (0..n).filter(|&d| m.hit.get(d).copied().unwrap_or(false) && passes(d, None)).collect()
        };
        let mut matched = matching(&matches);
        let mut partial = false;
        if matched.is_empty() {
            if let Some(relaxed) = parsed.root.as_ref().and_then(relax) {
                let mut ev2 = eval::Evaluator::new(self);
                let m = ev2.eval(&relaxed);
                let relaxed_matched = matching(&m);
                if !relaxed_matched.is_empty() {
                    matches = m;
                    matched = relaxed_matched;
                    ev = ev2;
                    partial = true;
                }
            }
        }
        warnings.append(&mut ev.warnings);
        // Every matching article, copies included, before copies collapse: what facets and
        // pictures count.
        let shared = matched.clone();

        // Only the page asked for is ordered: select it, then sort it (a full sort of every
        // match dominated the query time on large collections). All keys are numbers.
        let key = |d: usize| {
            (
                matches.matched.get(d).copied().unwrap_or(0),
                matches.tier.get(d).copied().unwrap_or(0),
                matches.score.get(d).copied().unwrap_or(0.0),
                self.date_rank.get(d).copied().unwrap_or(u32::MAX),
                self.id_rank.get(d).copied().unwrap_or(u32::MAX),
            )
        };
        let order = |a: usize, b: usize| {
            let (ma, ta, sa, da, ia) = key(a);
            let (mb, tb, sb, db, ib) = key(b);
            let relevance = (if partial { mb.cmp(&ma) } else { std::cmp::Ordering::Equal })
                .then(ta.cmp(&tb))
                .then(sb.total_cmp(&sa));
            let order = match req.sort {
                Sort::Relevance => relevance.then(da.cmp(&db)),
                Sort::Date => da.cmp(&db).then(relevance),
            };
            order.then(ia.cmp(&ib))
        };
        let articles = matched.len();
        // One story per group of copies: its best-ranked copy stands for it.
        let mut best: Vec<u32> = vec![u32::MAX; n];
        for &d in &matched {
            let g = self.group_of(d);
            if let Some(b) = best.get_mut(g) {
                if *b == u32::MAX || order(d, *b as usize) == std::cmp::Ordering::Less {
                    *b = d as u32;
                }
            }
        }
        matched.retain(|&d| best.get(self.group_of(d)).is_some_and(|&b| b as usize == d));
        let total = matched.len();
        crate::sort::keep_first(&mut matched, req.offset.saturating_add(req.limit), &order);

        let page: Vec<usize> = matched.iter().skip(req.offset).take(req.limit).copied().collect();
        let missing = self.missing_fragments(page.iter().flat_map(|&d| self.story(d)));
        let term_names: Vec<String> =
            ev.highlight.iter().filter_map(|&t| self.index.terms.get(t).map(|x| x.term.clone())).collect();
        if !missing.is_empty() {
            // Only a request for those files: every caller loads them and asks again, so
            // snippets, facets and pictures would be worked out for nothing (a cold query's
            // first pass, between its two rounds of fetches).
            return Ok(SearchResponse {
                total,
                articles,
                terms: sorted(term_names),
                understood: parsed.understood(),
                notes: parsed.notes,
                warnings,
                partial,
                missing,
                ..SearchResponse::default()
            });
        }
        let term_set: Set<&str> = term_names.iter().map(String::as_str).collect();
        let hits = matched
            .iter()
            .skip(req.offset)
            .take(req.limit)
            .filter_map(|&d| {
                let doc = self.doc(d)?;
                Some(Hit {
                    id: doc.id.clone(),
                    title: doc.title.clone(),
                    source: doc.source.clone(),
                    date: doc.date.clone(),
                    url: doc.url.clone(),
                    score: matches.score.get(d).copied().unwrap_or(0.0),
                    title_segments: snippet::title(doc, &term_set),
                    snippet: snippet::best_passage(doc, &self.hit_positions(d as u32, &ev.highlight), &term_set),
                    explain: ev.explain(d as u32),
                    copies: self.story(d).filter(|&c| c != d).filter_map(|c| self.article_ref(c)).collect(),
                })
            })
            .collect();

        // Facets and pictures count articles (copies included) from the matches' side. A
        // group's counts ignore its own filter (OR inside a group); the timeline's ignore the
        // date range; every other count shares one set of articles.
        let hit = |d: usize| matches.hit.get(d).copied().unwrap_or(false);
        let base_for =
            |except: Option<EntityType>| -> Vec<usize> { (0..n).filter(|&d| hit(d) && passes(d, except)).collect() };
        let shared_counts = self.count_entities(&shared);
        let own: Vec<(EntityType, facets::Counts)> =
            groups.iter().map(|(ty, _)| (*ty, self.count_entities(&base_for(Some(*ty))))).collect();
        let facets = self.facets(&shared_counts, &own, &selected, req.facet_limit);
        let timeline = if from.is_none() && to.is_none() {
            self.timeline(shared.iter().copied())
        } else {
            self.timeline((0..n).filter(|&d| hit(d) && entities_pass(d, None)))
        };
        let together = self.cooccurrence(&shared, &shared_counts);
        let did_you_mean = parsed.root.as_ref().and_then(|r| self.did_you_mean(&req.query, r));
        let suggestions = if req.as_you_type { self.suggest(&req.query, &selected) } else { Vec::new() };
        Ok(SearchResponse {
            total,
            articles,
            hits,
            facets,
            terms: sorted(term_names),
            understood: parsed.understood(),
            notes: parsed.notes,
            warnings,
            partial,
            did_you_mean,
            suggestions,
            missing,
            timeline,
            together,
        })
    }

    /// The query with each plain word that matches no term replaced by its closest term.
    fn did_you_mean(&self, raw: &str, root: &Node) -> Option<String> {
        let mut words: Vec<(String, bool)> = Vec::new();
        collect_words(root, &mut words);
        let mut out = raw.to_string();
        let mut changed = false;
        for (w, prefix) in words {
            let t = crate::text::term(&w);
            if t.is_empty() || !self.index.postings(&t).is_empty() || analyze(&w).len() != 1 {
                continue;
            }
            // A word still being typed is fine while some term starts with it.
            let folded = expand::folded_word(&w);
            if prefix
                && self
                    .index
                    .terms
                    .get(self.index.terms.partition_point(|x| x.term < folded))
                    .is_some_and(|x| x.term.starts_with(folded.as_str()))
            {
                continue;
            }
            if let Some(better) = expand::did_you_mean(&self.index, &self.typos, &w) {
                if let Some(at) = out.find(w.as_str()) {
                    out.replace_range(at..at + w.len(), &better);
                    changed = true;
                }
            }
        }
        changed.then_some(out)
    }

    /// Entities whose name completes the last one to three words typed ("lei j" → Lei Jun).
    fn suggest(&self, raw: &str, selected: &Set<u32>) -> Vec<Suggestion> {
        const MAX: usize = 6;
        if raw.ends_with(char::is_whitespace) {
            return Vec::new();
        }
        let words: Vec<&str> = raw.split_whitespace().collect();
        // (words completed, articles, entity): the longest completion first, then the most
        // mentioned, then by name.
        let mut found: Vec<(usize, usize, u32)> = Vec::new();
        let mut seen: Set<u32> = Set::new();
        for k in (1..=3.min(words.len())).rev() {
            let tail = words.get(words.len() - k..).unwrap_or_default().join(" ");
            let want = fold(tail.trim_matches(|c: char| !c.is_alphanumeric())).into_owned();
            if want.chars().count() < 2 {
                continue;
            }
            for i in self.names.word_starts(&want) {
                let suggestable =
                    self.index.entities.get(i as usize).is_some_and(|e| eval::SUGGESTION_TYPES.contains(&e.ty));
                if suggestable && !selected.contains(&i) && seen.insert(i) {
                    found.push((k, self.entity_docs.get(i as usize).map_or(0, Vec::len), i));
                }
            }
        }
        let order = |a: usize, b: usize| {
            let (Some(x), Some(y)) = (found.get(a), found.get(b)) else { return a.cmp(&b) };
            y.0.cmp(&x.0).then(y.1.cmp(&x.1)).then(self.names.rank(x.2 as usize).cmp(&self.names.rank(y.2 as usize)))
        };
        let mut kept: Vec<usize> = (0..found.len()).collect();
        crate::sort::keep_first(&mut kept, MAX, &order);
        kept.into_iter()
            .filter_map(|k| {
                let &(_, total, i) = found.get(k)?;
                let e = self.index.entities.get(i as usize)?;
                Some(Suggestion { id: e.id.clone(), name: e.name.clone(), ty: e.ty.as_str(), total })
            })
            .collect()
    }

    /// Entities of type `ty` named `value`: exact (folded name or slug), else — or while
    /// typing — those with a name word starting with it.
    pub(crate) fn entities_named(&self, ty: EntityType, value: &str, prefix: bool) -> Vec<u32> {
        let want = fold(value.trim()).into_owned();
        let slug = crate::model::slug(value);
        let of_type = || self.index.entities.iter().enumerate().filter(move |(_, e)| e.ty == ty);
        let exact: Vec<u32> = of_type()
            .filter(|(_, e)| fold(&e.name) == want || e.id.split_once(':').is_some_and(|(_, s)| s == slug))
            .map(|(i, _)| i as u32)
            .collect();
        if !exact.is_empty() && !prefix {
            return exact;
        }
        let mut found = exact;
        for (i, e) in of_type() {
            let name = fold(&e.name);
            let hit = name.starts_with(want.as_str()) || name.split_whitespace().any(|w| w.starts_with(want.as_str()));
            if hit && !found.contains(&(i as u32)) {
                found.push(i as u32);
            }
        }
        found
    }

    /// Plain BM25 (k1 = 1.2, b = 0.75) over one field holding the whole article, any word
    /// matching, no prefixes or typos: the reference mode in which the ranking math is
    /// checked against tantivy (tests/integration/reference.rs). Returns (id, score),
    /// best first.
    pub fn search_reference(&self, query: &str, limit: usize) -> Vec<(String, f32)> {
        const K1: f32 = 1.2;
        const B: f32 = 0.75;
        let len = |d: &Doc| (d.title_tokens + d.lede_tokens + d.body_tokens) as f32;
        let n = self.index.live_count().max(1) as f32;
        let avg = self.index.docs.iter().map(len).sum::<f32>() / n;
        let mut scores = vec![0.0f32; self.index.docs.len()];
        let mut terms: Vec<String> = analyze(query).into_iter().map(|t| t.term).collect();
        terms.sort();
        terms.dedup();
        for t in &terms {
            let postings = self.index.postings(t);
            let idf = self.idf_df(postings.len());
            for p in postings {
                let (Some(doc), Some(s)) = (self.index.docs.get(p.doc as usize), scores.get_mut(p.doc as usize)) else {
                    continue;
                };
                let tf = p.positions.len() as f32;
                *s += idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len(doc) / avg.max(1.0)));
            }
        }
        let mut ranked: Vec<(usize, f32)> = scores.into_iter().enumerate().filter(|(_, s)| *s > 0.0).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.into_iter().take(limit).filter_map(|(d, s)| Some((self.doc(d)?.id.clone(), s))).collect()
    }

    /// The article `id`, with what `query` matched and its entity mentions marked.
    pub fn article(&self, id: &str, query: &str) -> Result<ArticleView> {
        let doc = self
            .find_doc(id)
            .and_then(|d| self.doc(d))
            .ok_or_else(|| Error::bad_request(format!("no article “{id}” in this index")))?;
        // Highlight what the search matched (phrases, prefixes, typos; never excluded words
        // or filter names), as the result list does. The page queries as the user types.
        let mut ev = eval::Evaluator::new(self);
        if let Some(root) = query::parse(query, true).root {
            ev.eval(&root);
        }
        let terms: Vec<&str> =
            ev.highlight.iter().filter_map(|&t| self.index.terms.get(t).map(|x| x.term.as_str())).collect();
        let term_set: Set<&str> = terms.into_iter().collect();
        let mut blocks = snippet::marked_blocks(doc, &term_set, &self.index.entities);
        let title = if blocks.is_empty() { Vec::new() } else { blocks.remove(0) };
        let mut counts: Vec<(u32, usize)> = Vec::new();
        for m in &doc.mentions {
            match counts.iter_mut().find(|(e, _)| *e == m.entity) {
                Some((_, n)) => *n += 1,
                None => counts.push((m.entity, 1)),
            }
        }
        let mut entities: Vec<EntityCount> = counts
            .into_iter()
            .filter_map(|(e, mentions)| {
                let ent = self.index.entities.get(e as usize)?;
                Some(EntityCount { id: ent.id.clone(), name: ent.name.clone(), ty: ent.ty.as_str(), mentions })
            })
            .collect();
        crate::sort::sort_by(&mut entities, &|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.name.cmp(&b.name)));
        let d = self.find_doc(id).unwrap_or(0);
        Ok(ArticleView {
            more: self.more_like(d).into_iter().filter_map(|m| self.article_ref(m)).collect(),
            copies: self.story(d).filter(|&c| c != d).filter_map(|c| self.article_ref(c)).collect(),
            related: doc.related.iter().filter_map(|&r| self.article_ref(r as usize)).collect(),
            roles: self.role_views(doc),
            quotes: doc.quotes.iter().filter_map(|q| self.quote_view(doc, q, None)).collect(),
            id: doc.id.clone(),
            source: doc.source.clone(),
            date: doc.date.clone(),
            url: doc.url.clone(),
            title,
            paragraphs: blocks,
            entities,
        })
    }

    /// Stories most like article `d`: they share its named entities, each weighted by its
    /// rarity (ln(1 + N/df)), so two articles about one start-up are closer than two that
    /// both mention China. Dates, sums and counts are left out: they say little about the
    /// subject. Entity overlap rather than word overlap because the entities are what the
    /// page lets people explore, and it costs one pass over the shared entities' lists.
    pub(crate) fn more_like(&self, d: usize) -> Vec<usize> {
        let Some(doc) = self.doc(d) else { return Vec::new() };
        let n = self.index.docs.len();
        let mut own: Vec<u32> = doc
            .mentions
            .iter()
            .map(|m| m.entity)
            .filter(|&e| {
                self.index.entities.get(e as usize).is_some_and(|x| {
                    !matches!(x.ty, EntityType::Date | EntityType::Money | EntityType::Quantity | EntityType::Percent)
                })
            })
            .collect();
        crate::sort::sort_by(&mut own, &|a, b| a.cmp(b));
        own.dedup();
        let mut score = vec![0f32; n];
        for e in own {
            let Some(docs) = self.entity_docs.get(e as usize) else { continue };
            let weight = (1.0 + self.index.live_count() as f32 / docs.len().max(1) as f32).ln();
            for &o in docs {
                if let Some(s) = score.get_mut(o as usize) {
                    *s += weight;
                }
            }
        }
        let group = self.group_of(d);
        let order = |a: usize, b: usize| {
            let sa = score.get(a).copied().unwrap_or(0.0);
            let sb = score.get(b).copied().unwrap_or(0.0);
            sb.total_cmp(&sa)
                .then(self.date_rank.get(a).cmp(&self.date_rank.get(b)))
                .then(self.id_rank.get(a).cmp(&self.id_rank.get(b)))
        };
        // One article per story: its most alike copy stands for it.
        let mut best: Vec<Option<usize>> = vec![None; n];
        for o in 0..n {
            let g = self.group_of(o);
            if score.get(o).is_none_or(|s| *s <= 0.0) || g == group || doc.related.contains(&(o as u32)) {
                continue;
            }
            if let Some(b) = best.get_mut(g) {
                if b.is_none_or(|b| order(o, b) == std::cmp::Ordering::Less) {
                    *b = Some(o);
                }
            }
        }
        let mut candidates: Vec<usize> = best.into_iter().flatten().collect();
        crate::sort::keep_first(&mut candidates, MORE_LIKE_THIS, &order);
        candidates.truncate(MORE_LIKE_THIS);
        candidates
    }

    /// The copy group article `d` belongs to (its leader's number).
    fn group_of(&self, d: usize) -> usize {
        self.index.docs.get(d).map_or(d, |doc| doc.group as usize)
    }

    /// Every article of `d`'s story: its copy group, newest (highest number) first, or `d`
    /// alone.
    pub(super) fn story(&self, d: usize) -> impl Iterator<Item = usize> + '_ {
        let g = self.group_of(d) as u32;
        let at = self.copies.partition_point(|&(leader, _)| leader < g);
        let end = self.copies.partition_point(|&(leader, _)| leader <= g);
        let members = self.copies.get(at..end).unwrap_or_default();
        let alone = members.is_empty();
        alone.then_some(d).into_iter().chain(members.iter().rev().map(|&(_, m)| m as usize))
    }

    fn article_ref(&self, d: usize) -> Option<ArticleRef> {
        let doc = self.doc(d)?;
        Some(ArticleRef {
            id: doc.id.clone(),
            title: doc.title.clone(),
            source: doc.source.clone(),
            date: doc.date.clone(),
            url: doc.url.clone(),
        })
    }

    /// Article `d`, if its text is here (always, unless the index is sharded).
    fn doc(&self, d: usize) -> Option<&Doc> {
        if self.shards.as_ref().is_some_and(|s| !s.has_fragment(d)) {
            return None;
        }
        self.index.docs.get(d)
    }

    pub(crate) fn docs_with_any(&self, entities: &[u32]) -> Vec<bool> {
        let mut set = vec![false; self.index.docs.len()];
        for e in entities {
            for &d in self.entity_docs.get(*e as usize).map_or(&[][..], Vec::as_slice) {
                if let Some(s) = set.get_mut(d as usize) {
                    *s = true;
                }
            }
        }
        set
    }

    /// Where the terms in `terms` occur in article `doc`, with their idf, by position.
    fn hit_positions(&self, doc: u32, terms: &Set<usize>) -> Vec<snippet::HitPosition> {
        let mut out = Vec::new();
        for &t in terms.iter() {
            let Some(term) = self.index.terms.get(t) else { continue };
            let Ok(k) = term.postings.binary_search_by_key(&doc, |p| p.doc) else { continue };
            let Some(p) = term.postings.get(k) else { continue };
            let idf = self.idf_df(term.postings.len());
            out.extend(p.positions.iter().map(|&pos| (pos, t, idf)));
        }
        crate::sort::sort_by(&mut out, &|a, b| a.0.cmp(&b.0));
        out
    }

    /// BM25's idf for a term (or a word's expansions, or a phrase) found in `df` articles.
    pub(crate) fn idf_df(&self, df: usize) -> f32 {
        let n = self.index.live_count() as f32;
        let df = df as f32;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// BM25F: field frequencies weighted and length-normalised per field, then saturated
    /// once. `counts` are occurrences in [title, lede, body].
    pub(crate) fn bm25f(&self, doc: &Doc, counts: [u32; 3], idf: f32) -> f32 {
        let w = self.weights;
        let norm = |len: u32, avg: f32, b: f32| 1.0 - b + b * (len as f32 / avg.max(1.0));
        let [t, l, b] = counts.map(|c| c as f32);
        let tf = w.title * t / norm(doc.field_len(Field::Title), self.avg[0], w.b_title)
            + w.lede * l / norm(doc.field_len(Field::Lede), self.avg[1], w.b_lede)
            + w.body * b / norm(doc.field_len(Field::Body), self.avg[2], w.b_body);
        idf * tf / (w.k1 + tf)
    }
}

/// The plain words of a query outside exclusions, with their prefix flag (for "did you
/// mean").
fn collect_words(node: &Node, out: &mut Vec<(String, bool)>) {
    match node {
        Node::Word { text, prefix } => out.push((text.clone(), *prefix)),
        Node::And(items) | Node::Or(items) => items.iter().for_each(|i| collect_words(i, out)),
        _ => {}
    }
}

/// All-words found nothing: the same query with its top-level words and phrases joined
/// by OR instead (filters and exclusions still apply). None when there is nothing to relax.
fn relax(root: &Node) -> Option<Node> {
    let Node::And(items) = root else { return None };
    let (text, rest): (Vec<&Node>, Vec<&Node>) =
        items.iter().partition(|n| matches!(n, Node::Word { .. } | Node::Phrase { .. } | Node::Or(_)));
    if text.len() < 2 {
        return None;
    }
    let mut out: Vec<Node> = rest.into_iter().cloned().collect();
    out.push(Node::Or(text.into_iter().cloned().collect()));
    Some(Node::And(out))
}

#[cfg(test)]
mod tests;
