//! search/: which articles answer this query, and what do they say? Ranked hits with
//! snippets, entity filters, and entity facet counts.
//!
//! Filters on entities of the same type combine with OR, across types with AND. Facet
//! counts are disjunctive: the count shown for a value of type T is the number of
//! articles matching the query and every filter *except those on T*, so choosing a second
//! person widens the result instead of emptying the facet. Each value also carries its
//! total over the whole corpus.
//!
//! Ranking is BM25F over two fields (see [`Weights`]). Snippets and reader text are
//! returned as segments (text + kind), never as markup, with every highlight taken from
//! the analyzer's byte offsets.

mod snippet;

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::format;
use crate::index::{Doc, Index};
use crate::model::EntityType;
use crate::text::analyze;

pub use snippet::{Segment, SegmentKind};

/// Ranking weights. Each is documented with its meaning and the range that makes sense.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// How much a title match counts against a body match. 1 = no boost; 2–5 is usual for
    /// news, whose titles name the story's subject. Range 0–10.
    pub title: f32,
    /// Body weight. Keep at 1: the other weights are relative to it.
    pub body: f32,
    /// BM25 term-frequency saturation: how fast repeats stop adding score. Range 0.5–2.
    pub k1: f32,
    /// BM25 length normalisation of the title, 0 (none) to 1 (full).
    pub b_title: f32,
    /// BM25 length normalisation of the body, 0 (none) to 1 (full).
    pub b_body: f32,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            title: 3.0,
            body: 1.0,
            k1: 1.2,
            b_title: 0.5,
            b_body: 0.75,
        }
    }
}

/// What to search for.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub query: String,
    /// Entity ids to filter on (see the module doc for how they combine).
    pub entities: Vec<String>,
    pub limit: usize,
    pub offset: usize,
    /// Values returned per facet type (selected values are always included).
    pub facet_limit: usize,
}

impl SearchRequest {
    pub fn new(query: &str) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            entities: Vec::new(),
            limit: 20,
            offset: 0,
            facet_limit: 50,
        }
    }

    pub fn with_entities<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.entities = ids.into_iter().map(Into::into).collect();
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResponse {
    /// Articles matching query and filters.
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Vec<FacetGroup>,
    /// The query as the analyzer understood it.
    pub terms: Vec<String>,
    /// Things the user should know: unknown filter ids, words not in any article.
    pub warnings: Vec<String>,
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
}

/// A searchable index with the lookup tables derived from it at load.
pub struct Engine {
    index: Index,
    weights: Weights,
    /// Per entity, the sorted articles that mention it.
    entity_docs: Vec<Vec<u32>>,
    avg_title: f32,
    avg_body: f32,
}

impl Engine {
    pub fn from_bytes(bytes: &[u8]) -> Result<Engine> {
        Engine::new(format::read(bytes)?)
    }

    pub fn new(index: Index) -> Result<Engine> {
        index.validate()?;
        let mut entity_docs = vec![Vec::new(); index.entities.len()];
        for (d, doc) in index.docs.iter().enumerate() {
            for m in &doc.mentions {
                if let Some(list) = entity_docs.get_mut(m.entity as usize) {
                    if list.last() != Some(&(d as u32)) {
                        list.push(d as u32);
                    }
                }
            }
        }
        let n = index.docs.len().max(1) as f32;
        let avg_title = index
            .docs
            .iter()
            .map(|d| d.title_tokens as f32)
            .sum::<f32>()
            / n;
        let avg_body = index.docs.iter().map(|d| d.body_tokens as f32).sum::<f32>() / n;
        Ok(Engine {
            index,
            weights: Weights::default(),
            entity_docs,
            avg_title,
            avg_body,
        })
    }

    pub fn with_weights(mut self, weights: Weights) -> Engine {
        self.weights = weights;
        self
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn stats(&self) -> Stats {
        Stats {
            articles: self.index.docs.len(),
            entities: self.index.entities.len(),
            terms: self.index.terms.len(),
            format_version: format::FORMAT_VERSION,
        }
    }

    /// Finds an entity by id (`person:lei-jun`) or by `type:Display Name` in any case
    /// (`person:Lei Jun`).
    pub fn resolve_entity(&self, reference: &str) -> Result<String> {
        if self.index.entity_index(reference).is_some() {
            return Ok(reference.to_string());
        }
        let (ty, name) = reference.split_once(':').ok_or_else(|| {
            Error::bad_request(format!(
                "{reference:?} is not an entity id (expected type:name)"
            ))
        })?;
        let slugged = format!("{}:{}", ty.trim(), crate::model::slug(name));
        if self.index.entity_index(&slugged).is_some() {
            return Ok(slugged);
        }
        let folded = crate::text::fold(name.trim()).into_owned();
        self.index
            .entities
            .iter()
            .find(|e| e.ty.as_str() == ty.trim() && crate::text::fold(&e.name) == folded)
            .map(|e| e.id.clone())
            .ok_or_else(|| Error::bad_request(format!("no entity {reference:?} in this index")))
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        let mut warnings = Vec::new();
        let mut terms: Vec<String> = Vec::new();
        for t in analyze(&req.query) {
            if !terms.contains(&t.term) {
                terms.push(t.term);
            }
        }
        for t in &terms {
            if self.index.postings(t).is_empty() {
                warnings.push(format!("no article contains {t:?}"));
            }
        }

        // Filters grouped by type: OR inside a group, AND across groups.
        let mut groups: BTreeMap<EntityType, Vec<u32>> = BTreeMap::new();
        for id in &req.entities {
            match self.index.entity_index(id) {
                Some(e) => {
                    let ty = self.index.entities.get(e as usize).map(|x| x.ty);
                    if let Some(ty) = ty {
                        groups.entry(ty).or_default().push(e);
                    }
                }
                None => warnings.push(format!("unknown entity {id:?} ignored")),
            }
        }
        let selected: HashSet<u32> = groups.values().flatten().copied().collect();

        let scores = self.score(&terms);
        let group_sets: Vec<(EntityType, Vec<bool>)> = groups
            .iter()
            .map(|(ty, ids)| (*ty, self.docs_with_any(ids)))
            .collect();
        let passes = |doc: usize, except: Option<EntityType>| {
            group_sets
                .iter()
                .filter(|(ty, _)| Some(*ty) != except)
                .all(|(_, set)| set.get(doc).copied().unwrap_or(false))
        };

        let mut matched: Vec<(usize, f32)> = scores
            .iter()
            .enumerate()
            .filter_map(|(d, s)| s.map(|s| (d, s)))
            .filter(|&(d, _)| passes(d, None))
            .collect();
        // Best first; equal scores (an empty query) keep the newest first, then by id.
        matched.sort_by(|a, b| {
            b.1.total_cmp(&a.1).then_with(|| {
                let (da, db) = (self.doc(a.0), self.doc(b.0));
                db.and_then(|d| d.date.as_ref())
                    .cmp(&da.and_then(|d| d.date.as_ref()))
                    .then_with(|| da.map(|d| &d.id).cmp(&db.map(|d| &d.id)))
            })
        });
        let total = matched.len();
        let term_set: HashSet<&str> = terms.iter().map(String::as_str).collect();
        let hits = matched
            .iter()
            .skip(req.offset)
            .take(req.limit)
            .filter_map(|&(d, score)| {
                let doc = self.doc(d)?;
                Some(Hit {
                    id: doc.id.clone(),
                    title: doc.title.clone(),
                    source: doc.source.clone(),
                    date: doc.date.clone(),
                    url: doc.url.clone(),
                    score,
                    title_segments: snippet::title(doc, &term_set),
                    snippet: snippet::best_passage(doc, &term_set, &|t| self.idf(t)),
                })
            })
            .collect();

        let mut facets = Vec::new();
        for ty in EntityType::ALL {
            let base: Vec<bool> = (0..self.index.docs.len())
                .map(|d| scores.get(d).is_some_and(Option::is_some) && passes(d, Some(ty)))
                .collect();
            let mut values: Vec<FacetValue> = self
                .index
                .entities
                .iter()
                .enumerate()
                .filter(|(_, e)| e.ty == ty)
                .filter_map(|(i, e)| {
                    let docs = self.entity_docs.get(i)?;
                    let count = docs
                        .iter()
                        .filter(|&&d| base.get(d as usize).copied().unwrap_or(false))
                        .count();
                    let is_selected = selected.contains(&(i as u32));
                    (count > 0 || is_selected).then(|| FacetValue {
                        id: e.id.clone(),
                        name: e.name.clone(),
                        count,
                        total: docs.len(),
                        selected: is_selected,
                    })
                })
                .collect();
            if values.is_empty() {
                continue;
            }
            values.sort_by(|a, b| {
                b.selected
                    .cmp(&a.selected)
                    .then(b.count.cmp(&a.count))
                    .then(b.total.cmp(&a.total))
                    .then_with(|| a.name.cmp(&b.name))
            });
            let available = values.iter().filter(|v| v.count > 0).count();
            let keep = req
                .facet_limit
                .max(values.iter().filter(|v| v.selected).count());
            values.truncate(keep);
            facets.push(FacetGroup {
                ty: ty.as_str(),
                label: ty.label(),
                values,
                available,
            });
        }

        Ok(SearchResponse {
            total,
            hits,
            facets,
            terms,
            warnings,
        })
    }

    /// The article `id`, with the words of `query` and its entity mentions marked.
    pub fn article(&self, id: &str, query: &str) -> Result<ArticleView> {
        let doc = self
            .index
            .docs
            .iter()
            .find(|d| d.id == id)
            .ok_or_else(|| Error::bad_request(format!("no article {id:?} in this index")))?;
        let terms: Vec<String> = analyze(query).into_iter().map(|t| t.term).collect();
        let term_set: HashSet<&str> = terms.iter().map(String::as_str).collect();
        let mut blocks = snippet::marked_blocks(doc, &term_set, &self.index.entities);
        let title = if blocks.is_empty() {
            Vec::new()
        } else {
            blocks.remove(0)
        };
        let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
        for m in &doc.mentions {
            *counts.entry(m.entity).or_default() += 1;
        }
        let mut entities: Vec<EntityCount> = counts
            .into_iter()
            .filter_map(|(e, mentions)| {
                let ent = self.index.entities.get(e as usize)?;
                Some(EntityCount {
                    id: ent.id.clone(),
                    name: ent.name.clone(),
                    ty: ent.ty.as_str(),
                    mentions,
                })
            })
            .collect();
        entities.sort_by(|a, b| {
            b.mentions
                .cmp(&a.mentions)
                .then_with(|| a.name.cmp(&b.name))
        });
        Ok(ArticleView {
            id: doc.id.clone(),
            source: doc.source.clone(),
            date: doc.date.clone(),
            url: doc.url.clone(),
            title,
            paragraphs: blocks,
            entities,
        })
    }

    fn doc(&self, d: usize) -> Option<&Doc> {
        self.index.docs.get(d)
    }

    fn docs_with_any(&self, entities: &[u32]) -> Vec<bool> {
        let mut set = vec![false; self.index.docs.len()];
        for e in entities {
            for &d in self
                .entity_docs
                .get(*e as usize)
                .map_or(&[][..], Vec::as_slice)
            {
                if let Some(s) = set.get_mut(d as usize) {
                    *s = true;
                }
            }
        }
        set
    }

    fn idf(&self, term: &str) -> f32 {
        let n = self.index.docs.len() as f32;
        let df = self.index.postings(term).len() as f32;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// BM25F score per article, None where a query word is missing (all words must match).
    /// An empty query matches everything with score 0.
    fn score(&self, terms: &[String]) -> Vec<Option<f32>> {
        let n = self.index.docs.len();
        if terms.is_empty() {
            return vec![Some(0.0); n];
        }
        let w = self.weights;
        let mut scores = vec![Some(0.0f32); n];
        for term in terms {
            let idf = self.idf(term);
            let mut seen = vec![false; n];
            for p in self.index.postings(term) {
                let d = p.doc as usize;
                let Some(doc) = self.doc(d) else { continue };
                let in_title = p
                    .positions
                    .iter()
                    .filter(|&&pos| pos < doc.title_tokens)
                    .count() as f32;
                let in_body = p.positions.len() as f32 - in_title;
                let norm = |len: u32, avg: f32, b: f32| 1.0 - b + b * (len as f32 / avg.max(1.0));
                let tf = w.title * in_title / norm(doc.title_tokens, self.avg_title, w.b_title)
                    + w.body * in_body / norm(doc.body_tokens, self.avg_body, w.b_body);
                if let Some(Some(s)) = scores.get_mut(d) {
                    *s += idf * tf / (w.k1 + tf);
                }
                if let Some(flag) = seen.get_mut(d) {
                    *flag = true;
                }
            }
            for (s, hit) in scores.iter_mut().zip(seen) {
                if !hit {
                    *s = None;
                }
            }
        }
        scores
    }
}

#[cfg(test)]
mod tests;
