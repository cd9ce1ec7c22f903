//! The WebAssembly boundary: the only module that knows about wasm-bindgen.
//!
//! Contract: every export returns `Result<_, JsError>` (a JS exception carrying our error
//! message), results cross as plain JSON-compatible objects (serde-wasm-bindgen,
//! `json_compatible`), text crosses as segments (text + kind), never as HTML, and index
//! bytes come in as `&[u8]`. JavaScript owns the page; nothing here touches the DOM.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::search::{self, SearchRequest, Sort};

/// Most hits one call returns; a page asks for more with `offset`.
const MAX_LIMIT: usize = 1000;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("could not pass a result to JavaScript: {e}")))
}

fn parse_sort(sort: &str) -> Result<Sort, JsError> {
    match sort {
        "relevance" | "" => Ok(Sort::Relevance),
        "date" => Ok(Sort::Date),
        other => Err(JsError::new(&format!("bad search request: unknown sort “{other}”"))),
    }
}

/// A date range end from the page: "" means none.
fn bound(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn js_err(e: crate::Error) -> JsError {
    JsError::new(e.message())
}

/// A search engine over one index, built from the index file's bytes.
#[wasm_bindgen]
pub struct Engine {
    inner: search::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// Reads and checks an index. Throws "rebuild needed …" for another format version and
    /// "index damaged …" / "not a newslens index …" for other bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<Engine, JsError> {
        Ok(Engine { inner: search::Engine::from_bytes(bytes).map_err(js_err)? })
    }

    /// An engine over a sharded index, from its manifest's (inflated) bytes. It holds
    /// nothing else yet: ask `needs` what a query wants and hand the files to `addFile`.
    #[wasm_bindgen(js_name = fromManifest)]
    pub fn from_manifest(bytes: &[u8]) -> Result<Engine, JsError> {
        Ok(Engine { inner: search::Engine::from_manifest(bytes).map_err(js_err)? })
    }

    /// Paths (inside the index folder) still to load before this search can be answered,
    /// in order; empty for a single-file index or once they are all in.
    pub fn needs(
        &self,
        query: &str,
        entities: Vec<String>,
        sort: &str,
        as_you_type: bool,
        date_from: &str,
        date_to: &str,
    ) -> Result<Vec<String>, JsError> {
        let req = SearchRequest {
            query: query.to_string(),
            entities,
            sort: parse_sort(sort)?,
            as_you_type,
            date_from: bound(date_from),
            date_to: bound(date_to),
            ..SearchRequest::default()
        };
        Ok(self.inner.needs(&req))
    }

    /// Paths still to load before `article(id, query)` can be answered.
    #[wasm_bindgen(js_name = needsArticle)]
    pub fn needs_article(&self, id: &str, query: &str) -> Vec<String> {
        self.inner.needs_article(id, query)
    }

    /// Files to load after a first result: the entity table (facets, suggestions, who
    /// appears with whom) and the dates table (the timeline), while they are not loaded.
    #[wasm_bindgen(js_name = backgroundFiles)]
    pub fn background_files(&self) -> Vec<String> {
        self.inner.background_files()
    }

    /// The entity table's path while it is not loaded: facets and name suggestions need
    /// it, a first result does not.
    #[wasm_bindgen(js_name = entityTableFile)]
    pub fn entity_table_file(&self) -> Option<String> {
        self.inner.entity_table_file()
    }

    /// Adds one (inflated) file of a sharded index, found at `name` in its folder. Throws
    /// "index damaged …" for a file that is broken or not this index's.
    #[wasm_bindgen(js_name = addFile)]
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), JsError> {
        self.inner.add_file(name, bytes).map_err(js_err)
    }

    /// Searches. `sort` is "relevance" or "date"; `as_you_type` makes the last word a
    /// prefix. (Plain arguments rather than one options object: deserializing JS objects
    /// would pull about 90 KB of reflection code into the wasm.) Returns `{ total, hits:
    /// [{ id, title, source, date, url, score, title_segments, snippet, explain }], facets:
    /// [{ type, label, available, values: [{ id, name, count, total, selected }] }], terms,
    /// understood, notes, warnings, partial, did_you_mean, suggestions, missing }`, where
    /// `missing` lists the fragment files a sharded index still needs to show the page
    /// (while it is not empty, hits, facets and pictures are left out: load and ask again).
    /// `date_from` and `date_to` ("" for none; YYYY, YYYY-MM or YYYY-MM-DD) keep articles
    /// dated in that range; `timeline` and `together` are the pictures of the matches.
    #[allow(clippy::too_many_arguments)]
    pub fn search(
        &self,
        query: &str,
        entities: Vec<String>,
        limit: usize,
        offset: usize,
        facet_limit: usize,
        sort: &str,
        as_you_type: bool,
        date_from: &str,
        date_to: &str,
    ) -> Result<JsValue, JsError> {
        let sort = parse_sort(sort)?;
        let req = SearchRequest {
            query: query.to_string(),
            entities,
            limit: limit.min(MAX_LIMIT),
            offset,
            facet_limit,
            sort,
            as_you_type,
            date_from: bound(date_from),
            date_to: bound(date_to),
        };
        to_js(&self.inner.search(&req).map_err(js_err)?)
    }

    /// `{ id, source, date, url, title: [segment], paragraphs: [[segment]], entities,
    /// copies, more, related, roles: [{ person_id, person, org_id, org, title }], quotes:
    /// [{ speaker_id, speaker, text, confidence }] }`,
    /// where a segment is `{ text, kind: "text" | "hit", entity?, type? }`.
    pub fn article(&self, id: &str, query: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.article(id, query).map_err(js_err)?)
    }

    /// Paths still to load before `entity(id)` can be answered.
    #[wasm_bindgen(js_name = needsEntity)]
    pub fn needs_entity(&self, id: &str) -> Vec<String> {
        self.inner.needs_entity(id)
    }

    /// `{ id, name, type, total, read, aliases: [{ text, mentions }], roles: [{ id, name,
    /// type, title, articles }], quotes: [{ speaker_id, speaker, text, confidence, article }],
    /// articles: [{ id, title, source, date, url }] }`.
    pub fn entity(&self, id: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.entity(id).map_err(js_err)?)
    }

    /// `{ articles, entities, terms, format_version, sharded }`
    pub fn stats(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.stats())
    }

    /// The canonical id for an id or `type:Display Name`.
    #[wasm_bindgen(js_name = resolveEntity)]
    pub fn resolve_entity(&self, reference: &str) -> Result<String, JsError> {
        self.inner.resolve_entity(reference).map_err(js_err)
    }

    /// Executes a wasm `unreachable` on purpose. No input can reach a trap (see the lint
    /// set in lib.rs), so this is the only way for the browser tests to prove that the
    /// page recovers from one. It does nothing else.
    #[wasm_bindgen(js_name = forceTrapForTests)]
    pub fn force_trap_for_tests(&self) {
        core::arch::wasm32::unreachable()
    }
}

/// What kind of newslens file `bytes` hold: "single", "manifest", "shard", or an error
/// saying why they are not one this build reads ("rebuild needed …").
#[wasm_bindgen(js_name = fileKind)]
pub fn file_kind(bytes: &[u8]) -> Result<String, JsError> {
    use crate::format::Kind;
    Ok(match crate::format::kind_of(bytes).map_err(js_err)? {
        Kind::Single => "single",
        Kind::Manifest => "manifest",
        _ => "shard",
    }
    .to_string())
}

/// The index format version this build reads.
#[wasm_bindgen(js_name = formatVersion)]
pub fn format_version() -> u32 {
    crate::format::FORMAT_VERSION
}

/// Builds an index from files in the browser (the importer's wasm only: the viewer's is
/// built without `extract`). The page's import worker adds each file, calls `step` until
/// the stage is "ready" (posting progress between calls), then `build`.
#[cfg(feature = "extract")]
#[wasm_bindgen]
pub struct Importer {
    inner: crate::import::Importer,
}

#[cfg(feature = "extract")]
#[wasm_bindgen]
impl Importer {
    /// `field_map` maps JSON fields ("title=headline,body=content", or "").
    #[wasm_bindgen(constructor)]
    pub fn new(field_map: &str) -> Result<Importer, JsError> {
        Ok(Importer { inner: crate::import::Importer::new(field_map).map_err(js_err)? })
    }

    /// Reads one file; its name picks the reader (or, without a known extension, its
    /// text). Returns `{ file, articles, error?, warnings }`; a bad file is reported, not thrown.
    #[wasm_bindgen(js_name = addFile)]
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
        to_js(&self.inner.add_file(name, bytes))
    }

    /// Analyses up to `budget` more articles; `{ stage, done, total }`.
    pub fn step(&mut self, budget: usize) -> Result<JsValue, JsError> {
        to_js(&self.inner.step(budget))
    }

    /// The index file's bytes (the single-file layout). Throws when no article could be read.
    pub fn build(&mut self) -> Result<Vec<u8>, JsError> {
        let index = self.inner.build().map_err(js_err)?;
        Ok(crate::format::write(&index))
    }

    /// `[{ file, reason }]`, every warning so far.
    pub fn warnings(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.warnings())
    }
}

/// Reads the shipped tagger's weights (once per instance; later calls return at once), so
/// a benchmark can time the model load apart from tagging.
#[cfg(feature = "extract")]
#[wasm_bindgen(js_name = loadTagger)]
pub fn load_tagger() -> Result<(), JsError> {
    crate::entity::Extractor::shipped_tagger().map(|_| ()).map_err(js_err)
}

#[cfg(feature = "extract")]
#[derive(Serialize)]
struct NerScore {
    documents: usize,
    tokens: usize,
    precision: f64,
    recall: f64,
    f1: f64,
    per_type: Vec<(&'static str, f64, f64, f64, usize)>,
}

/// Scores, on the text of a CoNLL-2003 file, the shipped tagger alone (`what` = "tagger":
/// features and both stages, as `newslens eval-ner` times it natively) or the whole
/// extractor ("extractor"): the same code as the CLI's, so the browser's figures can be
/// compared with the native ones. `{ documents, tokens, precision, recall, f1, per_type:
/// [[type, precision, recall, f1, gold]] }`.
#[cfg(feature = "extract")]
#[wasm_bindgen(js_name = evalNer)]
pub fn eval_ner(conll: &str, what: &str) -> Result<JsValue, JsError> {
    use crate::ner::eval;
    let docs = crate::ner::read_conll(conll);
    if docs.is_empty() {
        return Err(JsError::new("no CoNLL sentences in this text"));
    }
    let score = match what {
        "tagger" => {
            let gaz = crate::entity::gazetteer_words().map_err(js_err)?;
            let tagger = crate::entity::Extractor::shipped_tagger().map_err(js_err)?;
            eval::evaluate_tagger(tagger, &docs, &gaz)
        }
        "extractor" => eval::evaluate_extractor(&crate::entity::Extractor::new().map_err(js_err)?, &docs),
        other => return Err(JsError::new(&format!("evalNer: unknown “{other}” (tagger or extractor)"))),
    };
    to_js(&NerScore {
        documents: docs.len(),
        tokens: docs.iter().flatten().map(|s| s.tokens.len()).sum(),
        precision: score.precision,
        recall: score.recall,
        f1: score.f1,
        per_type: score.per_type,
    })
}
