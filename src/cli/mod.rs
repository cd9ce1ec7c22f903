//! cli/: how does a person drive newslens from a shell? The `newslens` command (cargo
//! feature `cli`, never in the wasm): `index`, `search`, `entities`.
//!
//! Invariants: a bad input file is a warning naming the file and the reason, and the
//! rest still load; `index` fails only when nothing loads. JSON output uses character
//! (code point) offsets into the article text exactly as printed.

/// `println!` that ends the process quietly once stdout is closed (`newslens search … | head`)
/// instead of panicking, as `println!` does on a broken pipe.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod ingest;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::{json, Value};

use crate::entity::Extractor;
use crate::format;
use crate::model::Article;
use crate::search::{Engine, SearchRequest, SearchResponse, Segment, SegmentKind, Sort};

pub use ingest::{load, Loaded, Warning};

#[derive(Parser)]
#[command(name = "newslens", version, about = "Index and search news articles; extract the entities they mention.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build an index from article files and folders (.txt in the seed format).
    Index {
        /// Files or folders (folders are read recursively).
        #[arg(required_unless_present = "update")]
        inputs: Vec<PathBuf>,
        /// Folder to write the index into (created if missing).
        #[arg(short, long)]
        output: PathBuf,
        /// JSON field names, e.g. "title=headline,body=content,date=published_at"
        /// (fields: id, title, body, date, url, source).
        #[arg(long, default_value = "")]
        map: String,
        /// One file (index.newslens), or a sharded folder the page loads a query at a
        /// time (index.newslens is then its manifest); auto picks one file for small corpora.
        #[arg(long, default_value = "auto", value_parser = ["auto", "single", "sharded"])]
        layout: String,
        /// Add the inputs to the index already in the output folder instead of replacing
        /// it: an article whose id is there already is replaced, the others stay (read back
        /// from the index: the files they came from are not needed). A sharded folder then
        /// gets only the files that changed.
        #[arg(long)]
        update: bool,
        /// With --update: take the article with this id out of the index. Repeatable.
        #[arg(long = "remove", requires = "update", value_name = "ID")]
        remove: Vec<String>,
    },
    /// Search an index.
    Search {
        /// Index folder (or the index file itself).
        index: PathBuf,
        query: String,
        /// Filter by entity: an id (person:lei-jun) or TYPE:Display Name. Repeatable.
        #[arg(long = "entity", short = 'e')]
        entities: Vec<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Order: relevance or date (newest first).
        #[arg(long, default_value = "relevance", value_parser = ["relevance", "date"])]
        sort: String,
        /// Treat the last word as a prefix, as the page does while you type.
        #[arg(long)]
        typing: bool,
        /// Only articles dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Only articles dated on or before this (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Train the statistical entity tagger on CoNLL-2003 files (see bench/conll.py --raw)
    /// and report exact-span F1 on the dev file after every pass.
    TrainNer {
        #[arg(long)]
        train: PathBuf,
        #[arg(long)]
        dev: PathBuf,
        /// Scored once, at the end, with the final model (never used for tuning).
        #[arg(long)]
        test: Option<PathBuf>,
        #[arg(long, default_value_t = 20)]
        epochs: usize,
        /// Write the compact (quantised) model here.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Score the whole entity extractor (rules and lists, with and without the tagger) on a
    /// CoNLL-2003 file, as the tagger is scored.
    EvalNer {
        conll: PathBuf,
        /// Also print the extractor's N most frequent mistakes.
        #[arg(long, default_value_t = 0)]
        errors: usize,
        /// Print the scores and timings as JSON (full precision, for bench/ner-wasm.mjs).
        #[arg(long)]
        json: bool,
    },
    /// Print the entities mentioned in article files.
    Entities {
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Index { inputs, output, map, layout, update, remove } => {
            let update = update.then_some(remove.as_slice());
            index(&inputs, &output, &map, &layout, update)
        }
        Command::Search { index, query, entities, limit, sort, typing, from, to, json } => {
            let sort = if sort == "date" { Sort::Date } else { Sort::Relevance };
            search(&index, &query, &entities, SearchOptions { limit, sort, typing, from, to, json })
        }
        Command::Entities { inputs, json } => entities(&inputs, json),
        Command::EvalNer { conll, errors, json } => eval_ner(&conll, errors, json),
        Command::TrainNer { train, dev, test, epochs, output } => {
            train_ner(&train, &dev, test.as_deref(), epochs, output.as_deref())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newslens: {e}");
            ExitCode::FAILURE
        }
    }
}

type CliResult = Result<(), String>;

fn print_warnings(warnings: &[Warning]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

fn load_or_fail(inputs: &[PathBuf], map: &str) -> Result<Loaded, String> {
    let map = crate::article::json::FieldMap::parse(map)?;
    let mut loaded = load(inputs, &map);
    print_warnings(&std::mem::take(&mut loaded.warnings));
    if loaded.articles.is_empty() {
        return Err(format!("no article could be loaded from {} input(s)", inputs.len()));
    }
    Ok(loaded)
}

/// Builds the index bytes for `articles`; shared by the command and the tests.
pub fn build_index(articles: Vec<Article>) -> Result<(Vec<u8>, Vec<Warning>), String> {
    let origins = articles.iter().map(|a| a.id.clone()).collect();
    let (built, warnings, _) = build_index_timed(Loaded { articles, origins, ..Loaded::default() }, "single")?;
    match built {
        Built::Single { bytes, .. } => Ok((bytes, warnings)),
        Built::Sharded { .. } => Err("a single-file build came out sharded".into()),
    }
}

/// Seconds spent in each build stage, so entity extraction can be reported apart from
/// indexing (the benchmark compares indexing with engines that extract nothing).
#[derive(Debug, Default)]
pub struct Timings {
    pub entities: f64,
    pub index: f64,
    pub encode: f64,
}

/// Above this many bytes as one file, `--layout auto` shards: past it, downloading the
/// whole index costs more than the few round trips a sharded query makes.
pub const AUTO_SHARD_BYTES: usize = 512 * 1024;

/// The built index in the layout it will be written in.
enum Built {
    /// With its single-file encoding.
    Single { index: crate::index::Index, bytes: Vec<u8> },
    /// Terms still to be made: [`write_sharded`] makes and writes them a shard at a time.
    Sharded { index: crate::index::Index, terms: Box<dyn Iterator<Item = crate::index::Term>> },
}

/// Analyses and builds `loaded` for `layout` ("single", "sharded" or "auto"). An "auto"
/// build whose text alone is over [`AUTO_SHARD_BYTES`] is sharded without encoding it as
/// one file first (a single file holds all the text, so it could only be larger).
fn build_index_timed(loaded: Loaded, layout: &str) -> Result<(Built, Vec<Warning>, Timings), String> {
    let mut timings = Timings::default();
    let mut importer = crate::import::Importer::new("").map_err(|e| e.to_string())?;
    for (article, origin) in loaded.articles.into_iter().zip(loaded.origins) {
        importer.add_article(article, &origin);
    }
    importer.keep_holes(loaded.holes);
    let started = std::time::Instant::now();
    let threads = cores();
    importer.analyse_on(threads);
    timings.entities = started.elapsed().as_secs_f64();
    let started = std::time::Instant::now();
    let (mut index, terms) = importer.build_parts_on(threads).map_err(|e| e.to_string())?;
    // The second pass of extraction runs inside, beside the indexing; it is counted as
    // extraction.
    timings.entities += importer.second_pass_seconds();
    timings.index = started.elapsed().as_secs_f64() - importer.second_pass_seconds();
    let text_bytes: usize = index.docs.iter().map(|d| d.text.len()).sum();
    let warnings = importer.warnings().to_vec();
    if layout == "sharded" || (layout == "auto" && text_bytes > AUTO_SHARD_BYTES) {
        return Ok((Built::Sharded { index, terms: Box::new(terms) }, warnings, timings));
    }
    let started = std::time::Instant::now();
    index.terms = terms.collect();
    timings.index += started.elapsed().as_secs_f64();
    let started = std::time::Instant::now();
    let bytes = format::write(&index);
    timings.encode = started.elapsed().as_secs_f64();
    if layout == "auto" && bytes.len() > AUTO_SHARD_BYTES {
        let terms = std::mem::take(&mut index.terms);
        return Ok((Built::Sharded { index, terms: Box::new(terms.into_iter()) }, warnings, timings));
    }
    Ok((Built::Single { index, bytes }, warnings, timings))
}

/// Threads for the build's per-article and per-file work.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Up to this many bytes, a file of the first download is compressed with Zopfli (measured
/// at 10k articles, with `zopfli_options`: the article table 13% smaller than flate2's, the
/// dates 12%; with Zopfli's defaults, 0.9 s for 100k articles' 450 KB table). Past it (1M
/// articles) the wait, and Zopfli's working memory in a build that is near its 8 GiB, are
/// not worth it.
const ZOPFLI_MAX_BYTES: usize = 1 << 20;

/// Zopfli with fewer passes and block splits than its defaults (15 and 15). Measured on a
/// 10k-article build's first download: the article table 20,700 bytes in 0.056 s instead
/// of 20,418 in 0.36 s, the dates 2,980 instead of 2,968 in 0.053 s instead of 0.33; most of
/// the default's time goes to splitting blocks, which these files barely gain from.
fn zopfli_options() -> zopfli::Options {
    zopfli::Options {
        iteration_count: std::num::NonZeroU64::new(10).unwrap_or(std::num::NonZeroU64::MIN),
        maximum_block_splits: 3,
        ..zopfli::Options::default()
    }
}

/// Compresses sharded file `name` for disk (gzip: the browser inflates it natively).
fn compress(name: &Path, bytes: &[u8]) -> Vec<u8> {
    let first = name.file_name().and_then(|n| n.to_str()).is_some_and(format::sharded::in_first_download);
    if first && bytes.len() <= ZOPFLI_MAX_BYTES {
        let mut out = Vec::new();
        if zopfli::compress(zopfli_options(), zopfli::Format::Gzip, bytes, &mut out).is_ok() {
            return out;
        }
    }
    gzip(bytes)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// Writes a sharded index into `output` (its manifest as `index.newslens`) as its files are
/// made: files whose name (their checksum) is already there are left alone, since they hold
/// the same bytes; files of an earlier build that this one no longer names are removed.
/// Returns (files written, files kept, bytes).
///
/// The files are made on this thread and compressed and written on every core at once,
/// through a short queue: compressing was most of writing a sharded index, and making the
/// next files while the last ones compress keeps both cores busy (10k articles, written to
/// memory: encoding went from 1.6-2.1 s to 1.0-1.2 s; with `zopfli_options`, 0.8-1.0 s).
fn write_sharded(
    index: &crate::index::Index,
    terms: impl Iterator<Item = crate::index::Term>,
    output: &Path,
) -> Result<(usize, usize, u64), String> {
    use std::sync::{Arc, Mutex};
    // Enough to cover a slow file; each entry is at most a term shard's few hundred KB.
    const QUEUE: usize = 64;
    let (queue, files) = std::sync::mpsc::sync_channel::<(PathBuf, Vec<u8>)>(QUEUE);
    // The workers own the receiving end: if they all stop, sending fails instead of
    // blocking on a full queue.
    let files = Arc::new(Mutex::new(files));
    let mut names = std::collections::HashSet::new();
    let (mut kept, mut kept_bytes) = (0usize, 0u64);
    let mut error: Option<String> = None;
    let (manifest, done) = std::thread::scope(|s| {
        let workers: Vec<_> = (0..cores())
            .map(|_| {
                let files = Arc::clone(&files);
                s.spawn(move || {
                    let mut done = Compressed::default();
                    loop {
                        let next = files.lock().ok().and_then(|files| files.recv().ok());
                        let Some((path, bytes)) = next else { return done };
                        if done.error.is_none() {
                            done.add(&path, &compress(&path, &bytes));
                        }
                    }
                })
            })
            .collect();
        drop(files);
        let mut made_dir: Option<PathBuf> = None;
        let manifest =
            format::sharded::write_to(index, terms, format::sharded::TERM_SHARD_BYTES, &mut |name, bytes| {
                if error.is_some() {
                    return;
                }
                let path = output.join(name);
                if let Some(dir) = path.parent().filter(|d| made_dir.as_deref() != Some(*d)) {
                    if let Err(e) = std::fs::create_dir_all(dir) {
                        error = Some(format!("{}: {e}", dir.display()));
                        return;
                    }
                    made_dir = Some(dir.to_path_buf());
                }
                names.insert(path.clone());
                if let Ok(meta) = std::fs::metadata(&path) {
                    kept += 1;
                    kept_bytes += meta.len();
                } else if queue.send((path, bytes)).is_err() {
                    error = Some("the threads writing the index stopped".into());
                }
            });
        drop(queue);
        let done = workers.into_iter().map(|w| w.join().unwrap_or_else(|_| Compressed::failed())).fold(
            Compressed::default(),
            |a, b| Compressed { written: a.written + b.written, bytes: a.bytes + b.bytes, error: a.error.or(b.error) },
        );
        (manifest, done)
    });
    if let Some(e) = error.or(done.error) {
        return Err(e);
    }
    let path = output.join(format::INDEX_FILE);
    let gz = compress(&path, &manifest);
    let total = kept_bytes + done.bytes + gz.len() as u64;
    std::fs::write(&path, gz).map_err(|e| format!("{}: {e}", path.display()))?;
    remove_stale(output, &names, &[])?;
    Ok((done.written, kept, total))
}

/// What one of [`write_sharded`]'s threads wrote; after a failure it writes nothing more.
#[derive(Default)]
struct Compressed {
    written: usize,
    bytes: u64,
    error: Option<String>,
}

impl Compressed {
    fn failed() -> Self {
        Compressed { error: Some("a thread writing the index failed".into()), ..Compressed::default() }
    }

    fn add(&mut self, path: &Path, gz: &[u8]) {
        match std::fs::write(path, gz) {
            Ok(()) => {
                self.written += 1;
                self.bytes += gz.len() as u64;
            }
            Err(e) => self.error = Some(format!("{}: {e}", path.display())),
        }
    }
}

/// Removes the parts of an earlier build in `output` that are not in `keep`, and the
/// named entry files (the other layout's).
fn remove_stale(output: &Path, keep: &std::collections::HashSet<PathBuf>, entries: &[&str]) -> Result<(), String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    let mut dirs = vec![output.to_path_buf(), output.join("t")];
    // Fragments (f/) and extras (x/) sit in one folder per group.
    let groups: Vec<PathBuf> = ["f", "x"]
        .iter()
        .flat_map(|top| std::fs::read_dir(output.join(top)).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.extend(groups.iter().cloned());
    for dir in dirs {
        let Ok(list) = std::fs::read_dir(&dir) else { continue };
        for entry in list.flatten() {
            let p = entry.path();
            if p.extension().is_some_and(|x| x == "nl") && !keep.contains(&p) {
                std::fs::remove_file(&p).map_err(|e| io(&p, e))?;
            }
        }
    }
    for group in groups {
        // Only empties go: a folder someone else put files in stays.
        let _ = std::fs::remove_dir(&group);
    }
    for name in entries {
        let p = output.join(name);
        if p.exists() {
            std::fs::remove_file(&p).map_err(|e| io(&p, e))?;
        }
    }
    Ok(())
}

/// Reads a sharded index folder whole (the CLI searches everything at once).
fn open_sharded(dir: &Path) -> Result<Engine, String> {
    let read = |name: &str| -> Result<Vec<u8>, String> {
        let p = dir.join(name);
        let raw = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        gunzip(&raw).map_err(|e| format!("{}: {e}", p.display()))
    };
    let manifest_bytes = read(format::INDEX_FILE)?;
    let manifest = format::sharded::Manifest::read(&manifest_bytes).map_err(|e| e.to_string())?;
    let mut engine = Engine::from_manifest(&manifest_bytes).map_err(|e| e.to_string())?;
    let add = |name: &str, engine: &mut Engine| -> Result<(), String> {
        engine.add_file(name, &read(name)?).map_err(|e| format!("{}: {e}", dir.join(name).display()))
    };
    for name in [&manifest.docs, &manifest.meta, &manifest.entity_table, &manifest.ids] {
        add(name, &mut engine)?;
    }
    for s in &manifest.term_shards {
        add(&s.file(), &mut engine)?;
    }
    for name in engine.needs_all_fragments() {
        add(&name, &mut engine)?;
    }
    Ok(engine)
}

/// Merges the articles of the index in `output` (if there is one) with `loaded`: a loaded
/// article replaces the one of its id, `remove` takes ids out. Prints what changed.
///
/// Into a sharded index, every kept article keeps its number, so that only the files its
/// neighbours' changes touch are written again: a removed article leaves its number empty
/// (a hole), and new articles come after the last one, as they do when they are newer. When
/// that cannot be (an added or re-dated article sorts before a kept one), or holes would be
/// more than a quarter of the numbers, the articles are numbered afresh, as by a new build.
fn merge_into_existing(output: &Path, loaded: Loaded, remove: &[String], layout: &str) -> Result<Loaded, String> {
    let origin = format!("index {}", output.display());
    let (old, sharded): (Vec<Option<Article>>, bool) = if output.join(format::INDEX_FILE).exists() {
        let engine = open(output).map_err(|e| format!("cannot update {}: {e}", output.display()))?;
        let index = engine.index();
        let old = index.docs.iter().enumerate().map(|(n, d)| (!index.is_hole(n)).then(|| d.to_article())).collect();
        (old, engine.stats().sharded)
    } else {
        eprintln!("{}: no index there yet, so --update builds a new one", output.display());
        (Vec::new(), false)
    };
    let old_len = old.len();
    // Per number, its article and where it came from; None is a hole.
    let mut slots: Vec<Option<(Article, String)>> = old.into_iter().map(|a| a.map(|a| (a, origin.clone()))).collect();
    let mut at: HashMap<String, usize> =
        slots.iter().enumerate().filter_map(|(k, s)| Some((s.as_ref()?.0.id.clone(), k))).collect();
    for (article, from) in loaded.articles.into_iter().zip(loaded.origins) {
        match at.get(&article.id).and_then(|&k| slots.get_mut(k)) {
            Some(slot) => *slot = Some((article, from)),
            None => {
                at.insert(article.id.clone(), slots.len());
                slots.push(Some((article, from)));
            }
        }
    }
    let added = slots.len() - old_len;
    let mut warnings = loaded.warnings;
    let mut removed = 0;
    for id in remove {
        match at.get(id).and_then(|&k| slots.get_mut(k)).filter(|s| s.is_some()) {
            Some(slot) => {
                *slot = None;
                removed += 1;
            }
            None => warnings
                .push(Warning { file: origin.clone(), reason: format!("--remove {id}: no article has this id") }),
        }
    }
    let old_ones = slots.get(..old_len).unwrap_or_default();
    let kept = old_ones.iter().flatten().filter(|(_, o)| *o == origin).count();
    let replaced = old_ones.iter().flatten().filter(|(_, o)| *o != origin).count();
    eprintln!("update: {kept} articles kept, {replaced} replaced, {added} added, {removed} removed");
    print_warnings(&warnings);

    // Holes only where the numbering can stay: the kept articles still in number order (a
    // correction may re-date one), and every new one after them (the builder sorts those).
    fn key(a: &Article) -> (&Option<String>, std::cmp::Reverse<&str>) {
        crate::index::number_key(&a.date, &a.id)
    }
    let live_old: Vec<&Article> = old_ones.iter().flatten().map(|(a, _)| a).collect();
    let in_order = live_old.windows(2).all(|w| matches!(w, [a, b] if key(a) < key(b)));
    let last_old = live_old.last().map(|a| key(a));
    let new_after =
        slots.get(old_len..).unwrap_or_default().iter().flatten().all(|(a, _)| last_old.is_none_or(|l| key(a) > l));
    // Past the last article a hole would hold nothing in place.
    while slots.last().is_some_and(Option::is_none) {
        slots.pop();
    }
    let mut holes: Vec<u32> = slots.iter().enumerate().filter(|(_, s)| s.is_none()).map(|(k, _)| k as u32).collect();
    let live = slots.len() - holes.len();
    if !holes.is_empty() {
        let reason = if !sharded || layout == "single" {
            Some("a single-file index is written whole anyway")
        } else if !in_order || !new_after {
            Some("an added or re-dated article sorts before a kept one")
        } else if holes.len() * 4 > slots.len() {
            Some("more than a quarter of the numbers would be empty")
        } else {
            None
        };
        match reason {
            Some(why) => {
                eprintln!("update: articles numbered afresh ({why})");
                holes.clear();
            }
            None => eprintln!(
                "update: {} left empty where articles were removed (a build without --update renumbers)",
                if holes.len() == 1 { "1 number".to_string() } else { format!("{} numbers", holes.len()) }
            ),
        }
    }
    if live == 0 {
        return Err(format!("{}: the update would leave no article", output.display()));
    }
    let (articles, origins): (Vec<Article>, Vec<String>) = slots.into_iter().flatten().unzip();
    Ok(Loaded { articles, origins, warnings: Vec::new(), holes })
}

fn index(inputs: &[PathBuf], output: &Path, map: &str, layout: &str, update: Option<&[String]>) -> CliResult {
    let started = std::time::Instant::now();
    let articles = match update {
        None => load_or_fail(inputs, map)?,
        Some(remove) => {
            let fields = crate::article::json::FieldMap::parse(map)?;
            let mut loaded = load(inputs, &fields);
            print_warnings(&std::mem::take(&mut loaded.warnings));
            merge_into_existing(output, loaded, remove, layout)?
        }
    };
    let load_time = started.elapsed().as_secs_f64();
    let count = articles.articles.len();
    let (built, warnings, mut timings) = build_index_timed(articles, layout)?;
    print_warnings(&warnings);
    std::fs::create_dir_all(output).map_err(|e| format!("{}: {e}", output.display()))?;
    let (articles, entities, terms, what) = match built {
        Built::Sharded { index, terms } => {
            let started = std::time::Instant::now();
            let mut count = 0;
            let counted = terms.inspect(|_| count += 1);
            let (written, kept, total) = write_sharded(&index, counted, output)?;
            timings.encode += started.elapsed().as_secs_f64();
            let what = format!(
                "{} (sharded: {written} files written, {kept} unchanged, {total} bytes gzip)",
                output.join(format::INDEX_FILE).display()
            );
            (index.live_count(), index.entities.len(), count, what)
        }
        Built::Single { index, bytes } => {
            let path = output.join(format::INDEX_FILE);
            std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            remove_stale(output, &Default::default(), &[])?;
            let what = format!("{} ({} bytes)", path.display(), bytes.len());
            (index.live_count(), index.entities.len(), index.terms.len(), what)
        }
    };
    eprintln!("indexed {articles} of {count} articles: {entities} entities, {terms} terms -> {what}");
    eprintln!(
        "timings: read {load_time:.2} s, entities {:.2} s, index {:.2} s, encode {:.2} s",
        timings.entities, timings.index, timings.encode
    );
    Ok(())
}

fn open(index: &Path) -> Result<Engine, String> {
    let path = if index.is_dir() { index.join(format::INDEX_FILE) } else { index.to_path_buf() };
    let raw = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bytes = gunzip(&raw).map_err(|e| format!("{}: {e}", path.display()))?;
    if format::kind_of(&bytes).ok() == Some(format::Kind::Manifest) {
        return open_sharded(path.parent().unwrap_or(Path::new(".")));
    }
    Engine::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

struct SearchOptions {
    limit: usize,
    sort: Sort,
    typing: bool,
    from: Option<String>,
    to: Option<String>,
    json: bool,
}

fn search(index: &Path, query: &str, entities: &[String], opts: SearchOptions) -> CliResult {
    let engine = open(index)?;
    let ids =
        entities.iter().map(|e| engine.resolve_entity(e)).collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())?;
    let mut req = SearchRequest::new(query).with_entities(ids);
    req.limit = opts.limit;
    req.sort = opts.sort;
    req.as_you_type = opts.typing;
    req.date_from = opts.from;
    req.date_to = opts.to;
    let res = engine.search(&req).map_err(|e| e.to_string())?;
    if opts.json {
        out!("{}", serde_json::to_string_pretty(&res).map_err(|e| e.to_string())?);
    } else {
        print_results(&res);
    }
    Ok(())
}

fn segments_as_text(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| match s.kind {
            SegmentKind::Hit => format!("[{}]", s.text),
            SegmentKind::Text => s.text.clone(),
        })
        .collect()
}

fn print_results(res: &SearchResponse) {
    for w in res.notes.iter().chain(&res.warnings) {
        eprintln!("note: {w}");
    }
    if let Some(d) = &res.did_you_mean {
        out!("did you mean: {d}");
    }
    let partial = if res.partial { " (no article has every word: best partial matches)" } else { "" };
    let copies =
        if res.articles > res.total { format!(" ({} articles with copies)", res.articles) } else { String::new() };
    out!("{} stor{} for {}{copies}{partial}", res.total, if res.total == 1 { "y" } else { "ies" }, res.understood);
    for (n, h) in res.hits.iter().enumerate() {
        out!("{:>3}. {}  ({}, score {:.3})", n + 1, h.title, h.id, h.score);
        out!("     {}", segments_as_text(&h.snippet));
        for c in &h.copies {
            out!("     also in: {}  ({})", c.source.as_deref().unwrap_or(&c.title), c.id);
        }
    }
    for g in &res.facets {
        let values: Vec<String> =
            g.values.iter().take(8).map(|v| format!("{} {}/{}", v.name, v.count, v.total)).collect();
        out!("{}: {}", g.label, values.join(", "));
    }
}

/// Character offset of byte `at` in `text`.
fn char_offset(text: &str, at: usize) -> usize {
    text.get(..at).map_or(0, |s| s.chars().count())
}

fn entities(inputs: &[PathBuf], json: bool) -> CliResult {
    let articles = load_or_fail(inputs, "")?.articles;
    let extractor = Extractor::new().map_err(|e| e.to_string())?;
    let all = extractor.extract_corpus(&articles);
    let mut out = Vec::new();
    for (article, mentions) in articles.iter().zip(all) {
        let text = article.text();
        let list: Vec<Value> = mentions
            .iter()
            .map(|m| {
                json!({
                    "start": char_offset(&text, m.start),
                    "end": char_offset(&text, m.end),
                    "text": text.get(m.start..m.end).unwrap_or_default(),
                    "type": m.entity.ty.as_str(),
                    "entity": m.entity.id,
                    "name": m.entity.name,
                    "confidence": m.confidence,
                })
            })
            .collect();
        let relations = extractor.relations(article, &mentions);
        let roles: Vec<Value> = relations
            .roles
            .iter()
            .map(|r| json!({ "person": r.person.id, "org": r.org.id, "title": r.title }))
            .collect();
        let quotes: Vec<Value> = relations
            .quotes
            .iter()
            .map(|q| {
                json!({
                    "speaker": q.speaker.id,
                    "start": char_offset(&text, q.start),
                    "end": char_offset(&text, q.end),
                    "text": text.get(q.start..q.end).unwrap_or_default(),
                    "confidence": q.confidence,
                })
            })
            .collect();
        if !json {
            out!("{} — {}", article.id, article.title);
            for m in &mentions {
                out!(
                    "  {:<8} {:<32} {}",
                    m.entity.ty.as_str(),
                    text.get(m.start..m.end).unwrap_or_default(),
                    m.entity.id
                );
            }
            for r in &relations.roles {
                let title = if r.title.is_empty() { "(affiliated)" } else { r.title.as_str() };
                out!("  role     {} — {title} — {}", r.person.name, r.org.name);
            }
            for q in &relations.quotes {
                out!("  quote    {}: “{}”", q.speaker.name, text.get(q.start..q.end).unwrap_or_default().trim());
            }
        }
        out.push(json!({
            "id": article.id,
            "title": article.title,
            "source": article.source,
            "date": article.date,
            "text": text,
            "mentions": list,
            "roles": roles,
            "quotes": quotes,
        }));
    }
    if json {
        out!("{}", serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?);
    }
    Ok(())
}

fn read_conll_file(path: &Path) -> Result<Vec<Vec<crate::ner::Sentence>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let docs = crate::ner::read_conll(&text);
    if docs.is_empty() {
        return Err(format!("{}: no CoNLL sentences", path.display()));
    }
    Ok(docs)
}

fn print_score(label: &str, s: &crate::ner::train::Score) {
    let types: Vec<String> = s.per_type.iter().map(|(n, _, _, f, _)| format!("{n} {f:.2}")).collect();
    out!("{label}: P {:.2} R {:.2} F1 {:.2} ({})", s.precision, s.recall, s.f1, types.join(", "));
}

fn score_json(s: &crate::ner::train::Score) -> Value {
    json!({ "precision": s.precision, "recall": s.recall, "f1": s.f1, "per_type": s.per_type })
}

fn eval_ner(conll: &Path, errors: usize, as_json: bool) -> CliResult {
    let docs = read_conll_file(conll)?;
    let gaz = crate::entity::gazetteer_words().map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let tagger = crate::entity::Extractor::shipped_tagger().map_err(|e| e.to_string())?;
    let loaded = started.elapsed();
    let started = std::time::Instant::now();
    let score = crate::ner::train::evaluate_tagger(tagger, &docs, &gaz);
    let tokens: usize = docs.iter().flatten().map(|s| s.tokens.len()).sum();
    let took = started.elapsed().as_secs_f64();
    let rules = crate::entity::Extractor::without_tagger().map_err(|e| e.to_string())?;
    let rules_score = crate::ner::train::evaluate_extractor(&rules, &docs);
    let full = crate::entity::Extractor::new().map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let full_score = crate::ner::train::evaluate_extractor(&full, &docs);
    let full_took = started.elapsed().as_secs_f64();
    if as_json {
        let v = json!({
            "documents": docs.len(),
            "tokens": tokens,
            "load_ms": loaded.as_secs_f64() * 1000.0,
            "tagger_s": took,
            "extractor_s": full_took,
            "tagger": score_json(&score),
            "rules": score_json(&rules_score),
            "extractor": score_json(&full_score),
        });
        out!("{}", serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?);
        return Ok(());
    }
    print_score("tagger alone", &score);
    out!(
        "tagger: model read in {:.1} ms; {tokens} tokens (features and both stages) in {:.2} s = {:.0} tokens/s",
        loaded.as_secs_f64() * 1000.0,
        took,
        tokens as f64 / took
    );
    print_score("extractor, rules and lists only", &rules_score);
    print_score("extractor with the tagger", &full_score);
    for (n, what) in crate::ner::train::extractor_errors(&full, &docs, errors) {
        out!("{n:5} {what}");
    }
    Ok(())
}

fn train_ner(train: &Path, dev: &Path, test: Option<&Path>, epochs: usize, output: Option<&Path>) -> CliResult {
    let gaz = crate::entity::gazetteer_words().map_err(|e| e.to_string())?;
    let train_set = read_conll_file(train)?;
    let dev_set = read_conll_file(dev)?;
    let tokens: usize = train_set.iter().flatten().map(|s| s.tokens.len()).sum();
    let sentences: usize = train_set.iter().map(Vec::len).sum();
    eprintln!("training on {} documents, {sentences} sentences ({tokens} tokens), {epochs} passes", train_set.len());
    let started = std::time::Instant::now();
    let tagger = crate::ner::train::train_two_stage(&train_set, &dev_set, &gaz, epochs, &mut |epoch, score| {
        print_score(
            &if epoch == 0 { "stage one dev".to_string() } else { format!("stage two pass {epoch} dev") },
            score,
        );
    });
    eprintln!(
        "trained in {:.1} s; {} + {} features",
        started.elapsed().as_secs_f64(),
        tagger.first.weights.len(),
        tagger.second.weights.len()
    );
    // What ships is the compact model: score that, not the float weights.
    let bytes = tagger.to_bytes();
    let compact = crate::ner::Tagger::from_bytes(&bytes).map_err(|e| e.to_string())?;
    out!(
        "compact model: {} bytes, {} + {} features kept",
        bytes.len(),
        compact.first.weights.len(),
        compact.second.weights.len()
    );
    print_score("compact dev", &crate::ner::train::evaluate_tagger(&compact, &dev_set, &gaz));
    if let Some(test) = test {
        let test_set = read_conll_file(test)?;
        print_score("final test", &crate::ner::train::evaluate_tagger(&compact, &test_set, &gaz));
    }
    if let Some(path) = output {
        std::fs::write(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_download_files_are_compressed_harder_and_still_gzip() {
        // Shaped like an article table: columns of small numbers with some noise.
        let bytes: Vec<u8> = (0u32..8_000).map(|i| (i.wrapping_mul(2_654_435_761) >> 27) as u8 % 23).collect();
        for (name, harder) in [
            ("docs.0000abcd.nl", true),
            ("meta.0000abcd.nl", true),
            ("index.newslens", true),
            ("t/0000abcd.nl", false),
            ("entities.0000abcd.nl", false),
        ] {
            let out = compress(Path::new("/x").join(name).as_path(), &bytes);
            assert_eq!(gunzip(&out).unwrap(), bytes, "{name}");
            let plain = gzip(&bytes);
            if harder {
                assert!(out.len() < plain.len(), "{name}: {} vs {}", out.len(), plain.len());
            } else {
                assert_eq!(out, plain, "{name}");
            }
        }
    }
}
