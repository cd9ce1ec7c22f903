//! A sharded index: a folder a static host serves, from which the page downloads only what
//! a query needs (Pagefind's model). One small manifest names every other file; term
//! shards hold ranges of the sorted term table; one fragment per article holds its text
//! (what results and snippets show) and one extras file what only its reader and entity
//! pages need (mentions, roles, quotes, related coverage: about a quarter of the two's
//! bytes, so a query's results do not download them); the article table (field lengths, copy groups) is what
//! ranking needs for every article; the dates and sources of every article load for date
//! sorting and date and source filters, the entity table for facets and entity filters,
//! the article ids for links.
//!
//! ```text
//! index.newslens          Manifest (the entry point: the name a single-file index has,
//!                         so a page opens either from one URL and tells them by kind)
//! docs.<crc>.nl           Docs
//! meta.<crc>.nl           Meta
//! entities.<crc>.nl       Entities
//! ids.<crc>.nl            Ids
//! t/<crc>.nl              Terms, one range each
//! f/<group crc>/<n>.nl    Fragment of article n, in groups of FRAGMENT_GROUP articles
//! x/<xx>/<crc>.nl        Extras of one article, named by its own tag (<xx>: its first byte)
//! ```
//!
//! Every file is an envelope of `format/` and `<crc>` is its [`super::file_tag`] (a
//! checksum of its format version and payload checksum), so names change exactly when
//! contents or the format do (safe to cache forever) and a reader can tell a stale or
//! foreign file from the expected one. Fragments are named by their group's checksum (of
//! its members' checksums): one name per article would cost four incompressible bytes per
//! article in the article table, which every first query downloads. The CLI writes the files gzip-compressed (the page
//! inflates them with the browser's DecompressionStream); this module sees them inflated.
//!
//! Invariants: the manifest's term shards are sorted by first term and their ranges do not
//! overlap; every term lies in the range of the shard that holds it; article numbers in
//! every file are below `Manifest::articles`, entity numbers below `Manifest::entities`.

use serde::{Deserialize, Serialize};

use super::{file_tag, open, seal, seal_payload, Kind};
use crate::error::{Error, Result};
use crate::index::{Doc, DocMention, DocQuote, DocRole, Index, Term};
use crate::model::Entity;

/// Term shards average about this many bytes of encoded terms (see `ends_shard`): small
/// enough that a query's download stays a few kilobytes, large enough that the manifest
/// stays short. Measured at 10k articles (bench/speed.mjs), when shards were cut at exactly
/// this size: 8 KiB gave 17.4 KiB per query and 170.4 KiB before the first result; 6 KiB
/// gave 15.9 and 171.9.
pub const TERM_SHARD_BYTES: usize = 6 * 1024;

/// Articles per fragment group (see the module doc): a changed or removed article renames
/// this many fragment files, and the article table holds one four-byte group tag per this
/// many articles. 64 (was 256 up to format 5): a correction at 10k articles writes about
/// half the files it did, for 0.5 KB more of article table (47 KB at a million articles,
/// 1.5% of that first download).
pub const FRAGMENT_GROUP: usize = 64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub articles: u32,
    pub entities: u32,
    pub terms: u32,
    pub docs: String,
    pub meta: String,
    pub entity_table: String,
    pub ids: String,
    pub term_shards: Vec<TermShard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermShard {
    /// The first term in the shard; the shard holds every term from it up to the next
    /// shard's first term.
    pub first: String,
    /// The shard's file tag, which names its file (four bytes here rather than a name:
    /// the manifest is in every first download; fixed, as a checksum's varint takes five).
    #[serde(with = "four_bytes")]
    pub crc: u32,
}

/// A u32 as its four little-endian bytes rather than postcard's varint.
mod four_bytes {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &u32, s: S) -> Result<S::Ok, S::Error> {
        v.to_le_bytes().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        <[u8; 4]>::deserialize(d).map(u32::from_le_bytes)
    }
}

impl TermShard {
    pub fn file(&self) -> String {
        format!("t/{:08x}.nl", self.crc)
    }
}

/// What ranking needs of every article (articles are numbered so that their number breaks
/// ties as their dates would: no dates here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Docs {
    /// Per article, title, lede and body word counts (a column each: compresses better).
    /// Title and lede counts are exact (they tell which field a word position is in); the
    /// body's is a [`crate::index::length_code`], a byte, as ranking needs no more.
    pub title_lengths: Vec<u32>,
    pub lede_lengths: Vec<u32>,
    pub body_lengths: Vec<u8>,
    /// Per article, how far back its copy group's leader is (0: itself, as most are).
    pub group_offsets: Vec<u32>,
    /// Per group of [`FRAGMENT_GROUP`] articles, the checksum naming its fragment folder.
    pub fragment_groups: Vec<u32>,
    /// Numbers that hold no article (see `Index::holes`): they have no fragment or extras
    /// file, no id and the date of the article before them (dates run in number order).
    pub holes: Vec<u32>,
}

/// Every article's date and source: for sorting by date and the date and source filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Meta {
    /// How many articles have no date: the first ones, as articles are numbered undated
    /// first, then oldest first.
    pub undated: u32,
    /// The dates of the articles after the undated ones, in article order as runs: one run
    /// per distinct date. Each run is (bytes shared with the previous run's date, the rest
    /// of its date, how many articles): "2024-05-18" after "2024-05-17" is (9, "8").
    pub dates: Vec<(u8, String, u32)>,
    /// Distinct sources.
    pub sources: Vec<String>,
    /// Per article, 1 + its place in `sources`, or 0 for none.
    pub source_of: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Entities {
    pub entities: Vec<Entity>,
    /// Per entity, the articles that mention it, as gaps.
    pub docs: Vec<Vec<u32>>,
    /// Per article, the tag naming its extras file (see [`extras_file`]).
    pub extras: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Ids {
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Terms {
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Fragment {
    pub doc: u32,
    /// The article without its title (the text's first span) and without its extras.
    pub content: Doc,
}

/// What of an article only its reader and the entity pages use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Extras {
    pub doc: u32,
    /// The ids of the entities its mentions, roles and quotes name, which name them by
    /// their place here, not by their number in the index: when an update gives an older
    /// article a new entity, every entity after it in the table is renumbered, and with
    /// the numbers every article's extras would change (measured: 100 new articles on
    /// 10,000 rewrote every extras file).
    pub entities: Vec<String>,
    pub mentions: Vec<DocMention>,
    pub roles: Vec<DocRole>,
    pub quotes: Vec<DocQuote>,
    pub related: Vec<u32>,
}

/// A sharded index ready to be written: the manifest and every other file, as envelopes
/// (not yet compressed), by path inside the index folder.
pub struct Written {
    pub manifest: Vec<u8>,
    pub files: Vec<(String, Vec<u8>)>,
}

/// `n` as postcard writes a length.
fn varint(n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    crate::index::put_varint(&mut out, n);
    out
}

/// Bytes two strings share at their start, on a character boundary.
fn shared_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .take_while(|((_, x), y)| x == y)
        .map(|((i, x), _)| i + x.len_utf8())
        .last()
        .unwrap_or(0)
}

trait FloorBoundary {
    fn floor_char_boundary_compat(&self, at: usize) -> usize;
}

impl FloorBoundary for String {
    /// The largest character boundary at or below `at` (str::floor_char_boundary is not
    /// stable yet).
    fn floor_char_boundary_compat(&self, at: usize) -> usize {
        (0..=at.min(self.len())).rev().find(|&i| self.is_char_boundary(i)).unwrap_or(0)
    }
}

pub fn fragment_file(group_crc: u32, doc: usize) -> String {
    format!("f/{group_crc:08x}/{doc}.nl")
}

/// An extras file's path: named by its own tag (in one of 256 folders, so that no folder
/// holds a million files), not by a group's, so that an update that changes a few articles'
/// mentions (new knowledge of who is a person changes older articles too) rewrites only
/// their files. The tags cost four incompressible bytes an article, so they are in the
/// entity table, which the reader and entity pages need anyway, not in the article table
/// of every first query.
pub fn extras_file(crc: u32) -> String {
    format!("x/{:02x}/{crc:08x}.nl", crc >> 24)
}

/// Names the fragments of one group, `sealed` (one per article, in order, the group's first
/// being article `first`; a hole's is empty and has no file), by the group's checksum: the
/// checksums of its members. Returns that checksum.
fn emit_fragment_group(sealed: Vec<Vec<u8>>, first: usize, out: Sink<'_>) -> u32 {
    let crcs: Vec<u8> =
        sealed.iter().flat_map(|f| if f.is_empty() { 0 } else { file_tag(f).unwrap_or(0) }.to_le_bytes()).collect();
    let group_crc = super::checksum(&crcs);
    for (k, f) in sealed.into_iter().enumerate() {
        if !f.is_empty() {
            out(fragment_file(group_crc, first + k), f);
        }
    }
    group_crc
}

/// The shortest start of `term` that sorts after `before` (the previous shard's last term),
/// or all of it for the first shard: a shard's range is [its key, the next key), so any key
/// between the two terms splits the terms alike, and the short one is what every first
/// download carries (844 of them at 10k articles). `before` sorts before `term`.
fn separator<'a>(before: Option<&str>, term: &'a str) -> &'a str {
    let Some(before) = before else { return term };
    let shared = before.bytes().zip(term.bytes()).take_while(|(a, b)| a == b).count();
    // One character past what they share: then it differs from `before`, or is longer.
    let end = term.get(shared..).and_then(|rest| rest.chars().next()).map_or(term.len(), |c| shared + c.len_utf8());
    // `shared` can fall inside a character when the two differ in a later byte of it.
    term.get(..end).filter(|key| *key > before).unwrap_or(term)
}

/// Whether a term shard ends after `term` (encoded in `term_bytes`, the shard so far in
/// `shard_bytes`), so that shards average about `target` bytes.
///
/// Cutting at a byte count would move every later cut when one term's postings grow, and
/// so rename every later shard: one added article would rewrite them all. Here, past half
/// the target, a term ends its shard with a chance in proportion to its size, decided by a
/// hash of the term itself (content-defined chunking, as in rsync and backup tools): the
/// cuts stay where they were around a term that grew, and a shard that grew past twice the
/// target is cut anyway. A term larger than `span` always ends its shard.
fn ends_shard(term: &str, term_bytes: usize, shard_bytes: usize, target: usize) -> bool {
    if shard_bytes < target / 2 {
        return false;
    }
    if shard_bytes >= target.saturating_mul(2) {
        return true;
    }
    // hash / 2^32 < term_bytes / span: a cut about every `span` bytes past the first half.
    // Measured at 10k articles with the 6 KiB target: 845 shards of 5.7 KB on average (cut
    // at exactly the target, 744 of 6.5 KB).
    let span = (target as u64 * 3 / 5).max(1);
    u64::from(super::checksum(term.as_bytes())) * span < (term_bytes as u64) << 32
}

/// Where [`write_to`] puts each file as it is made: its path inside the index folder and its
/// envelope (not yet compressed).
pub type Sink<'a> = &'a mut dyn FnMut(String, Vec<u8>);

/// Whether file `name` is in every visit's first download: the manifest and the article
/// table before the first result, the dates just after it for the timeline (see
/// `search::shards`). Worth compressing harder than the files single searches fetch. (The
/// entity table comes then too, but Zopfli on it took 3 s of a 6 s build at 10k articles
/// for 3% off.)
pub fn in_first_download(name: &str) -> bool {
    name == super::INDEX_FILE || name.starts_with(DOCS_PREFIX) || name.starts_with(META_PREFIX)
}

/// How the article table's and the dates table's file names start (then their tag).
pub const DOCS_PREFIX: &str = "docs.";
pub const META_PREFIX: &str = "meta.";

fn named(prefix: &str, bytes: Vec<u8>) -> (String, Vec<u8>) {
    let crc = file_tag(&bytes).unwrap_or(0);
    (format!("{prefix}{crc:08x}.nl"), bytes)
}

/// Splits `index` into files. `term_shard_bytes` is [`TERM_SHARD_BYTES`] outside tests.
pub fn write(index: &Index, term_shard_bytes: usize) -> Written {
    let mut files = Vec::new();
    let manifest = write_to(index, &index.terms, term_shard_bytes, &mut |name, bytes| files.push((name, bytes)));
    Written { manifest, files }
}

/// [`write`] with the terms apart from `index` (whose own are ignored) and each file handed
/// to `out` as soon as it is made, so that a caller can write files away while the rest are
/// made: a million-article index never has to be in memory whole, twice. Returns the
/// manifest's envelope.
pub fn write_to<T: std::borrow::Borrow<Term>>(
    index: &Index,
    terms: impl IntoIterator<Item = T>,
    term_shard_bytes: usize,
    out: Sink<'_>,
) -> Vec<u8> {
    let mut docs = Docs::default();
    let mut meta = Meta::default();
    let mut sources: Vec<String> = index.docs.iter().filter_map(|d| d.source.clone()).collect();
    sources.sort();
    sources.dedup();
    let mut fragments = Vec::with_capacity(FRAGMENT_GROUP);
    let mut extras: Vec<u32> = Vec::with_capacity(index.docs.len());
    let mut last_date: Option<String> = None;
    docs.holes = index.holes.clone();
    for (n, d) in index.docs.iter().enumerate() {
        let hole = index.is_hole(n);
        docs.title_lengths.push(d.title_tokens);
        docs.lede_lengths.push(d.lede_tokens);
        docs.body_lengths.push(crate::index::length_code(d.body_tokens));
        docs.group_offsets.push((n as u32).saturating_sub(d.group));
        // A hole takes the date before it, so that dates still run in number order.
        let date = if hole { last_date.clone() } else { d.date.clone() };
        match (&date, last_date.as_ref()) {
            (Some(date), Some(last)) if last == date => {
                if let Some(run) = meta.dates.last_mut() {
                    run.2 += 1;
                }
            }
            (Some(date), last) => {
                let shared = last.map_or(0, |l| shared_prefix(l, date)).min(u8::MAX as usize);
                meta.dates.push((shared as u8, date.get(shared..).unwrap_or_default().to_string(), 1));
                last_date = Some(date.clone());
            }
            (None, _) => meta.undated += 1,
        }
        meta.source_of.push(d.source.as_ref().and_then(|s| sources.binary_search(s).ok()).map_or(0, |i| i as u32 + 1));
        if hole {
            fragments.push(Vec::new());
            extras.push(0);
        } else {
            // The title is the text's first span: not stored twice.
            let content = Doc {
                title: String::new(),
                mentions: Vec::new(),
                roles: Vec::new(),
                quotes: Vec::new(),
                related: Vec::new(),
                ..d.clone()
            };
            fragments.push(seal(Kind::Fragment, &Fragment { doc: n as u32, content }));
            let x = seal(Kind::Extras, &Extras::of(n as u32, d, &index.entities));
            let crc = file_tag(&x).unwrap_or(0);
            extras.push(crc);
            out(extras_file(crc), x);
        }
        if fragments.len() == FRAGMENT_GROUP || n + 1 == index.docs.len() {
            let first = n + 1 - fragments.len();
            docs.fragment_groups.push(emit_fragment_group(std::mem::take(&mut fragments), first, out));
        }
    }
    meta.sources = sources;
    let docs_file = named(DOCS_PREFIX, seal(Kind::Docs, &docs));
    let meta_file = named(META_PREFIX, seal(Kind::Meta, &meta));

    let gaps = index
        .entity_docs()
        .into_iter()
        .map(|list| {
            let mut prev = 0;
            list.into_iter()
                .map(|d| {
                    let g = d - prev;
                    prev = d;
                    g
                })
                .collect()
        })
        .collect();
    let entity_file =
        named("entities.", seal(Kind::Entities, &Entities { entities: index.entities.clone(), docs: gaps, extras }));
    let ids_file = named("ids.", seal(Kind::Ids, &Ids { ids: index.docs.iter().map(|d| d.id.clone()).collect() }));

    // A shard's payload is what postcard makes of `Terms`: the term count as a varint,
    // then each term's encoding. Terms are encoded once, here, both to measure the shard
    // and to write it (cloning and encoding each twice was a tenth of a sharded build).
    let mut term_shards = Vec::new();
    let mut encoded: Vec<u8> = Vec::new();
    let mut count = 0u64;
    let mut first: Option<String> = None;
    // The last term of the shard before: a shard's manifest key only has to sort after it.
    let mut last: Option<String> = None;
    let mut term_count = 0u32;
    let mut flush = |encoded: &mut Vec<u8>, count: &mut u64, first: &mut Option<String>, out: Sink<'_>| {
        let Some(first) = first.take() else { return };
        let mut payload = varint(*count);
        payload.append(encoded);
        *count = 0;
        let bytes = seal_payload(Kind::Terms, &payload);
        let shard = TermShard { first, crc: file_tag(&bytes).unwrap_or(0) };
        out(shard.file(), bytes);
        term_shards.push(shard);
    };
    for t in terms {
        let t = t.borrow();
        first.get_or_insert_with(|| separator(last.as_deref(), &t.term).to_string());
        let before = encoded.len();
        encoded = postcard::to_extend(t, std::mem::take(&mut encoded)).unwrap_or_default();
        count += 1;
        term_count += 1;
        if ends_shard(&t.term, encoded.len() - before, encoded.len(), term_shard_bytes) {
            flush(&mut encoded, &mut count, &mut first, out);
            last = Some(t.term.clone());
        }
    }
    flush(&mut encoded, &mut count, &mut first, out);

    let manifest = Manifest {
        articles: index.docs.len() as u32,
        entities: index.entities.len() as u32,
        terms: term_count,
        docs: docs_file.0.clone(),
        meta: meta_file.0.clone(),
        entity_table: entity_file.0.clone(),
        ids: ids_file.0.clone(),
        term_shards,
    };
    for (name, bytes) in [docs_file, meta_file, entity_file, ids_file] {
        out(name, bytes);
    }
    seal(Kind::Manifest, &manifest)
}

impl Manifest {
    pub fn read(bytes: &[u8]) -> Result<Manifest> {
        let m: Manifest = open(bytes, Kind::Manifest)?;
        for pair in m.term_shards.windows(2) {
            if let [a, b] = pair {
                if a.first >= b.first {
                    return Err(Error::corrupt("index damaged: the manifest's term shards are out of order"));
                }
            }
        }
        Ok(m)
    }

    /// The term shard whose range holds `term` (none before the first shard).
    pub fn shard_of(&self, term: &str) -> Option<usize> {
        self.term_shards.partition_point(|s| s.first.as_str() <= term).checked_sub(1)
    }

    /// The term shards whose ranges hold terms starting with `prefix`.
    pub fn shards_with_prefix(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self.shard_of(prefix).unwrap_or(0);
        let end = self.term_shards.partition_point(|s| s.first.as_str() < prefix || s.first.starts_with(prefix));
        start..end.max(start)
    }

    /// The range of terms shard `k` may hold: [first, next first).
    pub fn range(&self, k: usize) -> Option<(&str, Option<&str>)> {
        let s = self.term_shards.get(k)?;
        Some((s.first.as_str(), self.term_shards.get(k + 1).map(|n| n.first.as_str())))
    }
}

impl Docs {
    pub fn read(bytes: &[u8], articles: u32) -> Result<Docs> {
        let d: Docs = open(bytes, Kind::Docs)?;
        let n = articles as usize;
        if d.title_lengths.len() != n
            || d.lede_lengths.len() != n
            || d.body_lengths.len() != n
            || d.group_offsets.len() != n
            || d.group_offsets.iter().enumerate().any(|(k, &o)| o as usize > k)
            || d.fragment_groups.len() != n.div_ceil(FRAGMENT_GROUP)
            || !crate::index::holes_valid(&d.holes, n)
        {
            return Err(Error::corrupt("index damaged: the article table does not match the manifest"));
        }
        Ok(d)
    }

    /// The leader of article `doc`'s copy group.
    pub fn group(&self, doc: usize) -> u32 {
        (doc as u32).saturating_sub(self.group_offsets.get(doc).copied().unwrap_or(0))
    }

    /// Article `doc`'s title, lede and body word counts.
    pub fn lengths(&self, doc: usize) -> [u32; 3] {
        let at = |v: &Vec<u32>| v.get(doc).copied().unwrap_or(0);
        let body = crate::index::code_length(self.body_lengths.get(doc).copied().unwrap_or(0));
        [at(&self.title_lengths), at(&self.lede_lengths), body]
    }

    /// The file holding article `doc`'s fragment.
    pub fn fragment_file(&self, doc: usize) -> Option<String> {
        Some(fragment_file(*self.fragment_groups.get(doc / FRAGMENT_GROUP)?, doc))
    }
}

impl Meta {
    pub fn read(bytes: &[u8], articles: u32) -> Result<Meta> {
        let m: Meta = open(bytes, Kind::Meta)?;
        let n = articles as usize;
        let dated: u64 = m.dates.iter().map(|(_, _, c)| u64::from(*c)).sum();
        if m.source_of.len() != n || dated + u64::from(m.undated) != n as u64 {
            return Err(Error::corrupt("index damaged: the table of dates and sources does not match the manifest"));
        }
        if m.source_of.iter().any(|&s| s as usize > m.sources.len()) {
            return Err(Error::corrupt("index damaged: an article's source is out of range"));
        }
        Ok(m)
    }

    /// Per article, its date. A run that shares more than the previous date has (a
    /// damaged table) shares what there is.
    pub fn date_list(&self) -> Vec<Option<String>> {
        let mut out: Vec<Option<String>> = Vec::with_capacity(self.source_of.len());
        out.resize(self.undated as usize, None);
        let mut date = String::new();
        for (shared, rest, count) in &self.dates {
            date.truncate(date.floor_char_boundary_compat(*shared as usize));
            date.push_str(rest);
            out.extend(std::iter::repeat_n(Some(date.clone()), *count as usize));
        }
        out.resize(self.source_of.len(), None);
        out
    }

    pub fn source(&self, doc: usize) -> Option<&String> {
        let s = *self.source_of.get(doc)?;
        self.sources.get((s as usize).checked_sub(1)?)
    }
}

/// What [`Entities::read`] gives: the entities, per entity its sorted articles (gaps
/// undone), and per article the tag of its extras file.
pub type EntityTable = (Vec<Entity>, Vec<Vec<u32>>, Vec<u32>);

impl Entities {
    pub fn read(bytes: &[u8], manifest: &Manifest) -> Result<EntityTable> {
        let e: Entities = open(bytes, Kind::Entities)?;
        let bad = || Error::corrupt("index damaged: the entity table does not match the manifest");
        if e.entities.len() != manifest.entities as usize
            || e.docs.len() != e.entities.len()
            || e.extras.len() != manifest.articles as usize
        {
            return Err(bad());
        }
        if !crate::index::ids_unique(&e.entities) {
            return Err(Error::corrupt("index damaged: two entities have one id"));
        }
        let mut lists = Vec::with_capacity(e.docs.len());
        for gaps in e.docs {
            let mut at: Option<u32> = None;
            let mut list = Vec::with_capacity(gaps.len());
            for g in gaps {
                let d = match at {
                    None => g,
                    Some(prev) if g > 0 => prev.checked_add(g).ok_or_else(bad)?,
                    Some(_) => return Err(bad()),
                };
                if d >= manifest.articles {
                    return Err(bad());
                }
                list.push(d);
                at = Some(d);
            }
            lists.push(list);
        }
        Ok((e.entities, lists, e.extras))
    }
}

impl Ids {
    pub fn read(bytes: &[u8], manifest: &Manifest) -> Result<Vec<String>> {
        let ids: Ids = open(bytes, Kind::Ids)?;
        if ids.ids.len() != manifest.articles as usize {
            return Err(Error::corrupt("index damaged: the article id list does not match the manifest"));
        }
        Ok(ids.ids)
    }
}

impl Terms {
    /// Shard `k` of `manifest`: its terms, checked to lie in the shard's range, be sorted,
    /// and point at articles that exist.
    pub fn read(bytes: &[u8], manifest: &Manifest, k: usize) -> Result<Vec<Term>> {
        let t: Terms = open(bytes, Kind::Terms)?;
        let (first, next) = manifest.range(k).ok_or_else(|| Error::corrupt("index damaged: no such term shard"))?;
        let mut check = Index { terms: t.terms, ..Index::default() };
        let in_range = |term: &str| term >= first && next.is_none_or(|n| term < n);
        if !check.terms.iter().all(|x| in_range(&x.term)) {
            return Err(Error::corrupt("index damaged: a term shard holds terms outside its range"));
        }
        check.validate_terms(manifest.articles)?;
        Ok(std::mem::take(&mut check.terms))
    }
}

impl Fragment {
    pub fn read(bytes: &[u8], manifest: &Manifest) -> Result<Fragment> {
        let mut f: Fragment = open(bytes, Kind::Fragment)?;
        if f.doc >= manifest.articles {
            return Err(Error::corrupt("index damaged: a fragment names an article that does not exist"));
        }
        f.content.validate(f.doc as usize, manifest.entities)?;
        let title = f.content.spans.first().and_then(|&(s, e)| f.content.text.get(s as usize..e as usize));
        f.content.title = title.unwrap_or_default().to_string();
        Ok(f)
    }
}

impl Extras {
    /// The extras of article `n`, `d`, its entities named by their ids in `entities`.
    fn of(n: u32, d: &Doc, entities: &[Entity]) -> Extras {
        let mut x = Extras { doc: n, related: d.related.clone(), ..Default::default() };
        let mut local: Vec<u32> = Vec::new();
        let mut place = |e: u32| -> u32 {
            let k = local.iter().position(|&g| g == e).unwrap_or_else(|| {
                local.push(e);
                local.len() - 1
            });
            k as u32
        };
        x.mentions = d.mentions.iter().map(|m| DocMention { entity: place(m.entity), ..*m }).collect();
        x.roles = d
            .roles
            .iter()
            .map(|r| DocRole { person: place(r.person), org: place(r.org), title: r.title.clone() })
            .collect();
        x.quotes = d.quotes.iter().map(|q| DocQuote { speaker: place(q.speaker), ..*q }).collect();
        x.entities =
            local.iter().map(|&g| entities.get(g as usize).map(|e| e.id.clone()).unwrap_or_default()).collect();
        x
    }

    /// Checks what can be checked without the article's text; [`Extras::merge_into`]
    /// checks the rest.
    pub fn read(bytes: &[u8], manifest: &Manifest) -> Result<Extras> {
        let x: Extras = open(bytes, Kind::Extras)?;
        if x.doc >= manifest.articles || x.related.iter().any(|&r| r >= manifest.articles) {
            return Err(Error::corrupt("index damaged: an article's extras name an article that does not exist"));
        }
        Ok(x)
    }

    /// Puts these extras into their article (its fragment already read), their entities
    /// numbered by `number` (an id's number in the index's entity table, of `entities`
    /// entities), checking them against its text; the article is unchanged when they do
    /// not fit.
    pub fn merge_into(self, doc: &mut Doc, number: &dyn Fn(&str) -> Option<u32>, entities: u32) -> Result<()> {
        let numbers = self.entities.iter().map(|id| number(id)).collect::<Option<Vec<u32>>>().ok_or_else(|| {
            Error::corrupt("index damaged: an article's extras name an entity the index does not have")
        })?;
        let at = |k: u32| {
            numbers
                .get(k as usize)
                .copied()
                .ok_or_else(|| Error::corrupt("index damaged: an article's extras name an entity they do not list"))
        };
        let merged = Doc {
            mentions: self
                .mentions
                .iter()
                .map(|m| Ok(DocMention { entity: at(m.entity)?, ..*m }))
                .collect::<Result<_>>()?,
            roles: self
                .roles
                .iter()
                .map(|r| Ok(DocRole { person: at(r.person)?, org: at(r.org)?, title: r.title.clone() }))
                .collect::<Result<_>>()?,
            quotes: self
                .quotes
                .iter()
                .map(|q| Ok(DocQuote { speaker: at(q.speaker)?, ..*q }))
                .collect::<Result<_>>()?,
            related: self.related,
            ..doc.clone()
        };
        merged.validate(self.doc as usize, entities)?;
        *doc = merged;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::IndexBuilder;
    use crate::model::{Article, EntityType, Mention};

    #[test]
    fn a_shard_key_is_the_shortest_start_of_its_first_term_after_the_last_shard() {
        for (before, term, key) in [
            (None, "harbour", "harbour"),
            (Some("harass"), "harbour", "harb"),
            (Some("apple"), "banana", "b"),
            (Some("port"), "porter", "porte"),
            (Some("café"), "cafés", "cafés"),
            (Some("caf"), "café", "café"),
            // Differing in a later byte of one character: the whole character is kept.
            (Some("naïve"), "naïvf", "naïvf"),
            (Some("è"), "é", "é"),
            (Some("zürich"), "zürichs", "zürichs"),
        ] {
            let got = separator(before, term);
            assert_eq!(got, key, "{before:?} | {term}");
            assert!(before.is_none_or(|b| b < got) && got <= term);
        }
    }

    pub(crate) fn corpus(n: usize) -> Index {
        let mut b = IndexBuilder::new();
        for i in 0..n {
            let title = format!("Story {i} about alpha{}", i % 7);
            let a = Article {
                id: format!("id{i:03}"),
                title,
                paragraphs: vec![format!("Acme and beta{} met in gamma{} on day {i}.", i % 5, i % 3)],
                date: (i % 4 != 0).then(|| format!("2024-01-{:02}", 1 + i % 9)),
                source: Some(format!("Source {}", i % 2)),
                ..Default::default()
            };
            let text = a.text();
            let at = text.find("Acme").unwrap();
            let m = Mention { start: at, end: at + 4, entity: Entity::new(EntityType::Org, "Acme"), confidence: 1.0 };
            b.add(a, vec![m]).unwrap();
        }
        b.build()
    }

    #[test]
    fn every_file_reads_back_and_is_named_by_its_checksum() {
        let index = corpus(40);
        let w = write(&index, 64);
        let m = Manifest::read(&w.manifest).unwrap();
        assert_eq!(m.articles, 40);
        assert!(m.term_shards.len() > 3, "small shards: {}", m.term_shards.len());
        let get = |name: &str| &w.files.iter().find(|(n, _)| n == name).unwrap().1;
        for (name, bytes) in w.files.iter().filter(|(n, _)| !n.starts_with("f/") && !n.starts_with("x/")) {
            assert!(name.contains(&format!("{:08x}", file_tag(bytes).unwrap())), "{name}");
        }
        let docs = Docs::read(get(&m.docs), m.articles).unwrap();
        let (_, _, extras) = Entities::read(get(&m.entity_table), &m).unwrap();
        let meta = Meta::read(get(&m.meta), m.articles).unwrap();
        let dates = meta.date_list();
        for (d, doc) in index.docs.iter().enumerate() {
            assert_eq!(dates[d], doc.date);
            assert_eq!(meta.source(d), doc.source.as_ref());
            assert_eq!(docs.lengths(d), [doc.title_tokens, doc.lede_tokens, doc.body_tokens]);
            let f = Fragment::read(get(&docs.fragment_file(d).unwrap()), &m).unwrap();
            assert_eq!(f.doc as usize, d);
            assert!(f.content.mentions.is_empty() && !doc.mentions.is_empty());
            let x = Extras::read(get(&extras_file(extras[d])), &m).unwrap();
            let mut whole = f.content;
            let number = |id: &str| index.entities.iter().position(|e| e.id == id).map(|k| k as u32);
            x.merge_into(&mut whole, &number, m.entities).unwrap();
            assert_eq!(whole, *doc);
        }
        let mut terms = Vec::new();
        for k in 0..m.term_shards.len() {
            terms.extend(Terms::read(get(&m.term_shards[k].file()), &m, k).unwrap());
        }
        assert_eq!(terms, index.terms);
        let (entities, lists, _) = Entities::read(get(&m.entity_table), &m).unwrap();
        assert_eq!(entities, index.entities);
        assert_eq!(lists[0].len(), 40);
        assert_eq!(Ids::read(get(&m.ids), &m).unwrap()[0], index.docs[0].id);
        // Undated first, then oldest first.
        assert!(dates.windows(2).all(|w| match (&w[0], &w[1]) {
            (Some(a), Some(b)) => a <= b,
            (Some(_), None) => false,
            _ => true,
        }));
    }

    #[test]
    fn varints_are_postcards() {
        for n in [0u64, 1, 127, 128, 300, 16_383, 16_384, u64::from(u32::MAX)] {
            assert_eq!(varint(n), postcard::to_allocvec(&(n as usize)).unwrap(), "{n}");
        }
    }

    #[test]
    fn dates_round_trip_through_their_runs() {
        let cases: Vec<Vec<Option<&str>>> = vec![
            vec![Some("2024-05-18"), Some("2024-05-18"), Some("2024-05-17"), Some("2023-12-31"), None],
            vec![Some("2024"), Some("2024-05"), Some("2023"), None, None],
            vec![Some("2024-05-é9"), Some("2024-05-é8"), Some("2024-05-e")],
            vec![None],
        ];
        for dates in cases {
            let mut b = IndexBuilder::new();
            for (i, d) in dates.iter().enumerate() {
                let a = Article {
                    id: format!("{i}"),
                    title: "t".into(),
                    date: d.map(str::to_string),
                    ..Default::default()
                };
                b.add(a, vec![]).unwrap();
            }
            let index = b.build();
            let w = write(&index, 64);
            let m = Manifest::read(&w.manifest).unwrap();
            let meta = Meta::read(&w.files.iter().find(|(n, _)| *n == m.meta).unwrap().1, m.articles).unwrap();
            let want: Vec<Option<String>> = index.docs.iter().map(|d| d.date.clone()).collect();
            assert_eq!(meta.date_list(), want);
        }
        assert_eq!(shared_prefix("2024-05-é9", "2024-05-é8"), 10);
        assert_eq!(shared_prefix("abc", "xbc"), 0);
    }

    #[test]
    fn shard_lookup_covers_words_and_prefixes() {
        let index = corpus(40);
        let w = write(&index, 64);
        let m = Manifest::read(&w.manifest).unwrap();
        let loaded = |k: usize| -> Vec<Term> {
            let file = m.term_shards[k].file();
            Terms::read(&w.files.iter().find(|(n, _)| *n == file).unwrap().1, &m, k).unwrap()
        };
        for t in &index.terms {
            let k = m.shard_of(&t.term).unwrap();
            assert!(loaded(k).iter().any(|x| x.term == t.term), "{}", t.term);
        }
        for prefix in ["a", "al", "alpha", "b", "g", "s", "zz", "0"] {
            let want: Vec<&str> =
                index.terms.iter().map(|t| t.term.as_str()).filter(|t| t.starts_with(prefix)).collect();
            let got: Vec<String> = m
                .shards_with_prefix(prefix)
                .flat_map(loaded)
                .map(|t| t.term)
                .filter(|t| t.starts_with(prefix))
                .collect();
            assert_eq!(got, want, "{prefix}");
        }
    }

    #[test]
    fn files_are_refused_in_the_wrong_place() {
        let index = corpus(10);
        let w = write(&index, 64);
        let m = Manifest::read(&w.manifest).unwrap();
        let get = |name: &str| w.files.iter().find(|(n, _)| n == name).unwrap().1.clone();
        // A term shard read as another range, a docs table read as a fragment, a table for
        // another corpus size: each a clear "damaged" error.
        let e = Terms::read(&get(&m.term_shards[0].file()), &m, 1).unwrap_err();
        assert!(e.message().contains("outside its range"), "{e}");
        let e = Fragment::read(&get(&m.docs), &m).unwrap_err();
        assert!(e.message().contains("expected an article fragment"), "{e}");
        let small = Manifest { articles: 3, ..m.clone() };
        assert!(Docs::read(&get(&m.docs), small.articles).is_err());
        assert!(Terms::read(&get(&m.term_shards[0].file()), &small, 0).is_err() || m.term_shards[0].first > "9".into());
    }
}
