//! The engine over a sharded index (format/sharded.rs): it starts from the manifest alone,
//! says which files a query needs ([`Engine::needs`]), takes them as they arrive
//! ([`Engine::add_file`]), and searches what it has. Loaded parts go into the same
//! [`Index`] the single-file engine uses, so ranking, snippets and facets are one code path:
//! once a query's files are in, its results equal the single-file engine's.
//!
//! Invariants: `index.docs` always has one entry per article (placeholders until the
//! article table and each fragment arrive); `index.terms` holds exactly the loaded term
//! shards, still sorted, with `typos` in step; nothing is searched before the article
//! table is in ([`Engine::needs`] always asks for it first).
//!
//! Typos and "did you mean" look among the loaded terms only: the full vocabulary is what
//! sharding avoids downloading. Likewise a prefix of one or two letters completes from the
//! first shards of its range only.

use super::{expand, ranks, Engine, SearchRequest, Stats, Weights};
use crate::error::{Error, Result};
use crate::format::sharded::{Docs, Entities, Extras, Fragment, Ids, Manifest, Meta, Terms, DOCS_PREFIX, META_PREFIX};
use crate::format::{self, file_tag, Kind};
use crate::index::{Doc, Field, Index};
use crate::query::{self, Node};
use crate::text::analyze;

/// Prefixes shorter than this load at most [`SHORT_PREFIX_SHARDS`] term shards.
const SHORT_PREFIX: usize = 3;
const SHORT_PREFIX_SHARDS: usize = 2;

pub(super) struct Loaded {
    manifest: Manifest,
    docs: bool,
    meta: bool,
    entities: bool,
    /// Article ids with their numbers, sorted by id.
    ids: Option<Vec<(String, u32)>>,
    terms: Vec<bool>,
    /// The article table once loaded: it names each article's fragment file.
    table: Option<Docs>,
    fragment: Vec<bool>,
    extras: Vec<bool>,
    /// Extras that arrived before their article's fragment (files load in parallel),
    /// merged when it comes.
    early_extras: Vec<Extras>,
    /// Per article, the tag naming its extras file (from the entity table; empty before).
    extras_files: Vec<u32>,
}

impl Loaded {
    /// The article table and the entity table, while not loaded: an article's or an
    /// entity's page needs both before its fragments can be named.
    fn missing_tables(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.docs {
            out.push(self.manifest.docs.clone());
        }
        if !self.entities {
            out.push(self.manifest.entity_table.clone());
        }
        out
    }

    /// Article `d`'s extras file, once the entity table that names it is here.
    fn extras_file(&self, d: usize) -> Option<String> {
        self.extras_files.get(d).map(|&crc| format::sharded::extras_file(crc))
    }

    pub(super) fn has_fragment(&self, d: usize) -> bool {
        self.fragment.get(d).copied().unwrap_or(false)
    }

    pub(super) fn has_extras(&self, d: usize) -> bool {
        self.extras.get(d).copied().unwrap_or(false)
    }

    /// The fragment and extras files of articles `docs` still to load.
    fn missing_whole(&self, docs: impl Iterator<Item = usize>) -> Vec<String> {
        let Some(table) = &self.table else { return Vec::new() };
        let mut out = Vec::new();
        for d in docs {
            out.extend((!self.has_fragment(d)).then(|| table.fragment_file(d)).flatten());
            out.extend((!self.has_extras(d)).then(|| self.extras_file(d)).flatten());
        }
        out
    }

    pub(super) fn stats(&self) -> Stats {
        Stats {
            articles: (self.manifest.articles as usize)
                .saturating_sub(self.table.as_ref().map_or(0, |t| t.holes.len())),
            entities: self.manifest.entities as usize,
            terms: self.manifest.terms as usize,
            format_version: format::FORMAT_VERSION,
            sharded: true,
        }
    }

    fn term_file(&self, term: &str, out: &mut Vec<String>) {
        if let Some(k) = self.manifest.shard_of(term) {
            self.term_shard(k, out);
        }
    }

    fn term_shard(&self, k: usize, out: &mut Vec<String>) {
        if !self.terms.get(k).copied().unwrap_or(true) {
            if let Some(file) = self.manifest.term_shards.get(k).map(|s| s.file()) {
                if !out.contains(&file) {
                    out.push(file);
                }
            }
        }
    }

    /// The term shards a query node reads.
    fn query_files(&self, node: &Node, out: &mut Vec<String>) {
        match node {
            Node::Word { text, prefix } => self.word_files(text, *prefix, out),
            Node::Phrase { text } => analyze(text).iter().for_each(|t| self.term_file(&t.term, out)),
            Node::Field { field: query::Field::Title, value, phrase, prefix } => {
                if *phrase {
                    analyze(value).iter().for_each(|t| self.term_file(&t.term, out));
                } else {
                    self.word_files(value, *prefix, out);
                }
            }
            Node::Field { .. } => {}
            Node::And(items) | Node::Or(items) => items.iter().for_each(|n| self.query_files(n, out)),
            Node::Not(inner) => self.query_files(inner, out),
        }
    }

    fn word_files(&self, text: &str, prefix: bool, out: &mut Vec<String>) {
        for t in analyze(text) {
            self.term_file(&t.term, out);
        }
        let folded = expand::folded_word(text);
        if prefix && !folded.is_empty() {
            // A prefix of one or two letters spans many shards; while typing, the first
            // ones give completions at once and the next letter narrows the range.
            let cap = if folded.chars().count() < SHORT_PREFIX { SHORT_PREFIX_SHARDS } else { usize::MAX };
            for k in self.manifest.shards_with_prefix(&folded).take(cap) {
                self.term_shard(k, out);
            }
        }
    }
}

fn find_id(ids: &[(String, u32)], id: &str) -> Option<u32> {
    let k = ids.binary_search_by(|(x, _)| x.as_str().cmp(id)).ok()?;
    ids.get(k).map(|(_, d)| *d)
}

/// True when a query has a field filter `want` accepts.
fn uses_field(node: &Node, want: &dyn Fn(query::Field) -> bool) -> bool {
    match node {
        Node::Field { field, .. } => want(*field),
        Node::And(items) | Node::Or(items) => items.iter().any(|n| uses_field(n, want)),
        Node::Not(inner) => uses_field(inner, want),
        _ => false,
    }
}

impl Engine {
    /// An engine over a sharded index, from its manifest: it knows the corpus's shape and
    /// where each part lives, and holds nothing else yet.
    pub fn from_manifest(bytes: &[u8]) -> Result<Engine> {
        let manifest = Manifest::read(bytes)?;
        let n = manifest.articles as usize;
        let loaded = Loaded {
            docs: false,
            meta: false,
            entities: false,
            ids: None,
            terms: vec![false; manifest.term_shards.len()],
            table: None,
            fragment: vec![false; n],
            extras: vec![false; n],
            early_extras: Vec::new(),
            extras_files: Vec::new(),
            manifest,
        };
        Ok(Engine {
            index: Index { docs: vec![Doc::default(); n], ..Index::default() },
            weights: Weights::default(),
            entity_docs: Vec::new(),
            avg: [0.0; 3],
            typos: expand::TypoTable::default(),
            date_rank: vec![0; n],
            // Ties go to the highest number (see `ranks`): ids never load for ranking.
            id_rank: (0..n as u32).rev().collect(),
            shards: Some(loaded),
            copies: Vec::new(),
            doc_entities: Default::default(),
            names: Default::default(),
            entity_ids: Default::default(),
            axis: Default::default(),
        })
    }

    /// The files (paths in the index folder) to load before `req` can be answered, in the
    /// order to load them; empty once everything is here (always, for a single file).
    pub fn needs(&self, req: &SearchRequest) -> Vec<String> {
        let Some(sh) = &self.shards else { return Vec::new() };
        let mut out = Vec::new();
        if !sh.docs {
            out.push(sh.manifest.docs.clone());
        }
        let parsed = query::parse(&req.query, req.as_you_type);
        let uses = |want: &dyn Fn(query::Field) -> bool| parsed.root.as_ref().is_some_and(|r| uses_field(r, want));
        let by_date_or_source = req.sort == super::Sort::Date
            || req.date_from.is_some()
            || req.date_to.is_some()
            || uses(&|f| matches!(f, query::Field::After | query::Field::Before | query::Field::Source));
        if by_date_or_source && !sh.meta {
            out.push(sh.manifest.meta.clone());
        }
        let filters = !req.entities.is_empty() || uses(&|f| matches!(f, query::Field::Entity(_)));
        if filters && !sh.entities {
            out.push(sh.manifest.entity_table.clone());
        }
        if let Some(root) = &parsed.root {
            sh.query_files(root, &mut out);
        }
        out
    }

    /// What is still to load for [`Engine::article`] to show article `id` with `query`
    /// marked: the article table, the entity table (its mentions are marked by type), the
    /// query's terms, the id list, then the article's fragment.
    pub fn needs_article(&self, id: &str, query: &str) -> Vec<String> {
        let Some(sh) = &self.shards else { return Vec::new() };
        let mut out = sh.missing_tables();
        if let Some(root) = query::parse(query, true).root {
            sh.query_files(&root, &mut out);
        }
        match &sh.ids {
            None => out.push(sh.manifest.ids.clone()),
            Some(ids) => {
                if let Some(d) = find_id(ids, id).map(|d| d as usize) {
                    let own = sh.missing_whole(std::iter::once(d));
                    if !own.is_empty() {
                        out.extend(own);
                    } else if let Some(doc) = self.index.docs.get(d) {
                        // Its copies, related stories and those most like it are listed by title.
                        let others: Vec<usize> = self
                            .story(d)
                            .chain(doc.related.iter().map(|&r| r as usize))
                            .chain(self.more_like(d))
                            .collect();
                        out.extend(self.missing_fragments(others.into_iter()));
                    }
                }
            }
        }
        out
    }

    /// Paths still to load before `entity(id)` can read its newest articles.
    pub fn needs_entity(&self, id: &str) -> Vec<String> {
        let Some(sh) = &self.shards else { return Vec::new() };
        let out = sh.missing_tables();
        if !out.is_empty() {
            return out;
        }
        match self.entity_index(id) {
            Some(e) => sh.missing_whole(self.page_docs(e).map(|d| d as usize)),
            None => Vec::new(),
        }
    }

    /// Whether every article's date is here (always, for a single file).
    pub(super) fn dates_known(&self) -> bool {
        self.shards.as_ref().is_none_or(|s| s.meta)
    }

    /// Whether the entity table is here (always, for a single file).
    pub(super) fn entities_known(&self) -> bool {
        self.shards.as_ref().is_none_or(|s| s.entities)
    }

    /// Files a first result does without but the page wants soon after: the entity table
    /// (facets, name suggestions, who appears with whom) and the dates and sources table
    /// (the timeline). Empty for a single file or once both are in.
    pub fn background_files(&self) -> Vec<String> {
        let Some(sh) = &self.shards else { return Vec::new() };
        let mut out = Vec::new();
        if !sh.entities {
            out.push(sh.manifest.entity_table.clone());
        }
        if !sh.meta {
            out.push(sh.manifest.meta.clone());
        }
        out
    }

    /// The entity table, for facets and name suggestions: not needed for a first result,
    /// so the page loads it after one.
    pub fn entity_table_file(&self) -> Option<String> {
        self.shards.as_ref().filter(|s| !s.entities).map(|s| s.manifest.entity_table.clone())
    }

    /// Every fragment not yet loaded (for a reader that wants the whole index, like the CLI).
    pub fn needs_all_fragments(&self) -> Vec<String> {
        self.shards
            .as_ref()
            .map_or(Vec::new(), |sh| sh.missing_whole((0..self.index.docs.len()).filter(|&d| !self.index.is_hole(d))))
    }

    pub(super) fn missing_fragments(&self, page: impl Iterator<Item = usize>) -> Vec<String> {
        let Some(sh) = &self.shards else { return Vec::new() };
        let Some(table) = &sh.table else { return Vec::new() };
        page.filter(|&d| !sh.has_fragment(d)).filter_map(|d| table.fragment_file(d)).collect()
    }

    pub(super) fn find_doc(&self, id: &str) -> Option<usize> {
        match self.shards.as_ref().and_then(|s| s.ids.as_ref()) {
            Some(ids) => find_id(ids, id).map(|d| d as usize),
            None => self.index.docs.iter().position(|d| !d.id.is_empty() && d.id == id),
        }
    }

    /// Merges every extras file that came before what it needs (its article's fragment, and
    /// the entity table that numbers the entities it names by id) into its article.
    fn merge_early_extras(&mut self) -> Result<()> {
        let Some(sh) = self.shards.as_mut() else { return Ok(()) };
        if !sh.entities {
            return Ok(());
        }
        let (ids, entities) = (&self.entity_ids, &self.index.entities);
        let number = |id: &str| ids.find(entities, id);
        let mut k = 0;
        while let Some(x) = sh.early_extras.get(k) {
            let d = x.doc as usize;
            if !sh.has_fragment(d) {
                k += 1;
                continue;
            }
            let x = sh.early_extras.swap_remove(k);
            if let Some(doc) = self.index.docs.get_mut(d) {
                x.merge_into(doc, &number, sh.manifest.entities)?;
                if let Some(e) = sh.extras.get_mut(d) {
                    *e = true;
                }
            }
        }
        Ok(())
    }

    /// Takes one file of a sharded index (inflated), checks that it is the file the
    /// manifest names and that its contents are sound, and adds it. Adding a file twice
    /// does nothing. `name` is its path in the index folder: for a fragment, what says it
    /// belongs to this build (the other files are recognised by their checksum).
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        let Some(sh) = self.shards.as_mut() else {
            return Err(Error::bad_request("this engine holds a single-file index; it takes no shards"));
        };
        let kind = format::kind_of(bytes)?;
        let crc = file_tag(bytes).unwrap_or(0);
        let named = |prefix: &str| format!("{prefix}{crc:08x}.nl");
        let foreign =
            || Error::corrupt("index damaged: a file that this index's manifest does not name (stale cache?)");
        match kind {
            Kind::Docs => {
                if named(DOCS_PREFIX) != sh.manifest.docs {
                    return Err(foreign());
                }
                if sh.docs {
                    return Ok(());
                }
                let docs = Docs::read(bytes, sh.manifest.articles)?;
                for (d, doc) in self.index.docs.iter_mut().enumerate() {
                    let [t, l, b] = docs.lengths(d);
                    (doc.title_tokens, doc.lede_tokens, doc.body_tokens) = (t, l, b);
                    doc.group = docs.group(d);
                }
                self.index.holes = docs.holes.clone();
                self.copies = super::copy_groups(&self.index.docs);
                let n = self.index.live_count().max(1) as f32;
                self.avg = [Field::Title, Field::Lede, Field::Body]
                    .map(|f| self.index.docs.iter().map(|d| d.field_len(f) as f32).sum::<f32>() / n);
                // Until the dates are in, article numbers stand in for date ranks: articles
                // are numbered oldest first, ties by id backwards, so the highest number is the one
                // ranks would put first. (When the dates came first, their ranks stay.)
                if !sh.meta {
                    self.date_rank = (0..self.index.docs.len() as u32).rev().collect();
                }
                sh.table = Some(docs);
                sh.docs = true;
            }
            Kind::Meta => {
                if named(META_PREFIX) != sh.manifest.meta {
                    return Err(foreign());
                }
                if sh.meta {
                    return Ok(());
                }
                let meta = Meta::read(bytes, sh.manifest.articles)?;
                for ((d, doc), date) in self.index.docs.iter_mut().enumerate().zip(meta.date_list()) {
                    doc.date = date;
                    doc.source = meta.source(d).cloned();
                }
                (self.date_rank, _) = ranks(&self.index);
                sh.meta = true;
            }
            Kind::Entities => {
                if named("entities.") != sh.manifest.entity_table {
                    return Err(foreign());
                }
                if sh.entities {
                    return Ok(());
                }
                let (entities, lists, extras) = Entities::read(bytes, &sh.manifest)?;
                sh.extras_files = extras;
                self.names = super::names::Names::new(&entities);
                self.entity_ids = super::EntityIds::new(&entities);
                self.index.entities = entities;
                self.doc_entities = super::facets::DocEntities::new(&lists, self.index.docs.len());
                self.entity_docs = lists;
                sh.entities = true;
                self.merge_early_extras()?;
            }
            Kind::Ids => {
                if named("ids.") != sh.manifest.ids {
                    return Err(foreign());
                }
                if sh.ids.is_none() {
                    let ids = Ids::read(bytes, &sh.manifest)?;
                    // A hole has no id, and no id finds it.
                    let mut ids: Vec<(String, u32)> = ids
                        .into_iter()
                        .enumerate()
                        .filter(|(_, id)| !id.is_empty())
                        .map(|(d, id)| (id, d as u32))
                        .collect();
                    crate::sort::sort_by(&mut ids, &|a, b| a.0.cmp(&b.0));
                    sh.ids = Some(ids);
                }
            }
            Kind::Terms => {
                let k = sh.manifest.term_shards.iter().position(|s| s.crc == crc).ok_or_else(foreign)?;
                if sh.terms.get(k).copied().unwrap_or(true) {
                    return Ok(());
                }
                let terms = Terms::read(bytes, &sh.manifest, k)?;
                let Some(first) = terms.first() else { return Ok(()) };
                let at = self.index.terms.partition_point(|t| t.term < first.term);
                self.typos.insert(at, &terms);
                self.index.terms.splice(at..at, terms);
                if let Some(t) = sh.terms.get_mut(k) {
                    *t = true;
                }
            }
            Kind::Fragment => {
                if !sh.docs {
                    return Err(Error::bad_request("load the article table before article fragments"));
                }
                let f = Fragment::read(bytes, &sh.manifest)?;
                let d = f.doc as usize;
                if sh.table.as_ref().and_then(|t| t.fragment_file(d)).as_deref() != Some(name) {
                    return Err(foreign());
                }
                if sh.has_fragment(d) {
                    // Again: its extras may be merged in already.
                    return Ok(());
                }
                if let (Some(doc), Some(flag)) = (self.index.docs.get_mut(d), sh.fragment.get_mut(d)) {
                    // The article table's fields stay: they are what ranking used.
                    let kept = (doc.title_tokens, doc.lede_tokens, doc.body_tokens, doc.group);
                    *doc = f.content;
                    (doc.title_tokens, doc.lede_tokens, doc.body_tokens, doc.group) = kept;
                    *flag = true;
                }
                self.merge_early_extras()?;
            }
            Kind::Extras => {
                if !sh.entities {
                    return Err(Error::bad_request("load the entity table (which names them) before article extras"));
                }
                let x = Extras::read(bytes, &sh.manifest)?;
                let d = x.doc as usize;
                if sh.extras_file(d).as_deref() != Some(name) {
                    return Err(foreign());
                }
                if sh.has_extras(d) || sh.early_extras.iter().any(|e| e.doc == x.doc) {
                    return Ok(());
                }
                sh.early_extras.push(x);
                self.merge_early_extras()?;
            }
            Kind::Single | Kind::Manifest => {
                return Err(Error::bad_request("a whole index or a manifest is not a shard of this index"));
            }
        }
        Ok(())
    }
}
