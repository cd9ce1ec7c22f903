//! cli/: how does a person drive newslens from a shell? The `newslens` command (cargo
//! feature `cli`, never in the wasm): `index`, `search`, `entities`.
//!
//! Invariants: a bad input file is a warning naming the file and the reason, and the
//! rest still load; `index` fails only when nothing loads. JSON output uses character
//! (code point) offsets into the article text exactly as printed.

mod ingest;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::{json, Value};

use crate::entity::Extractor;
use crate::format;
use crate::index::IndexBuilder;
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
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Folder to write the index into (created if missing).
        #[arg(short, long)]
        output: PathBuf,
        /// JSON field names, e.g. "title=headline,body=content,date=published_at"
        /// (fields: id, title, body, date, url, source).
        #[arg(long, default_value = "")]
        map: String,
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
        #[arg(long, default_value_t = 10)]
        epochs: usize,
        /// Write the compact (quantised) model here.
        #[arg(short, long)]
        output: Option<PathBuf>,
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
        Command::Index { inputs, output, map } => index(&inputs, &output, &map),
        Command::Search { index, query, entities, limit, sort, typing, json } => {
            let sort = if sort == "date" { Sort::Date } else { Sort::Relevance };
            search(&index, &query, &entities, SearchOptions { limit, sort, typing, json })
        }
        Command::Entities { inputs, json } => entities(&inputs, json),
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

fn load_or_fail(inputs: &[PathBuf], map: &str) -> Result<Vec<Article>, String> {
    let map = crate::article::json::FieldMap::parse(map)?;
    let Loaded { articles, warnings } = load(inputs, &map);
    print_warnings(&warnings);
    if articles.is_empty() {
        return Err(format!("no article could be loaded from {} input(s)", inputs.len()));
    }
    Ok(articles)
}

/// Builds the index bytes for `articles`; shared by the command and the tests.
pub fn build_index(articles: Vec<Article>) -> Result<(Vec<u8>, Vec<Warning>), String> {
    build_index_timed(articles).map(|(bytes, warnings, _)| (bytes, warnings))
}

/// Seconds spent in each build stage, so entity extraction can be reported apart from
/// indexing (the benchmark compares indexing with engines that extract nothing).
#[derive(Debug, Default)]
pub struct Timings {
    pub entities: f64,
    pub index: f64,
    pub encode: f64,
}

fn build_index_timed(articles: Vec<Article>) -> Result<(Vec<u8>, Vec<Warning>, Timings), String> {
    let mut timings = Timings::default();
    let started = std::time::Instant::now();
    let extractor = Extractor::new().map_err(|e| e.to_string())?;
    let mentions = extractor.extract_corpus(&articles);
    timings.entities = started.elapsed().as_secs_f64();
    let started = std::time::Instant::now();
    let mut builder = IndexBuilder::new();
    let mut warnings = Vec::new();
    for (article, mentions) in articles.into_iter().zip(mentions) {
        let id = article.id.clone();
        if let Err(e) = builder.add(article, mentions) {
            warnings.push(Warning { file: id, reason: e.to_string() });
        }
    }
    if builder.is_empty() {
        return Err("no article could be indexed".into());
    }
    let index = builder.build();
    timings.index = started.elapsed().as_secs_f64();
    let started = std::time::Instant::now();
    let bytes = format::write(&index);
    timings.encode = started.elapsed().as_secs_f64();
    Ok((bytes, warnings, timings))
}

fn index(inputs: &[PathBuf], output: &Path, map: &str) -> CliResult {
    let started = std::time::Instant::now();
    let articles = load_or_fail(inputs, map)?;
    let load_time = started.elapsed().as_secs_f64();
    let count = articles.len();
    let (bytes, warnings, timings) = build_index_timed(articles)?;
    print_warnings(&warnings);
    std::fs::create_dir_all(output).map_err(|e| format!("{}: {e}", output.display()))?;
    let path = output.join(format::INDEX_FILE);
    std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let engine = Engine::from_bytes(&bytes).map_err(|e| e.to_string())?;
    let stats = engine.stats();
    eprintln!(
        "indexed {} of {count} articles: {} entities, {} terms -> {} ({} bytes)",
        stats.articles,
        stats.entities,
        stats.terms,
        path.display(),
        bytes.len()
    );
    eprintln!(
        "timings: read {load_time:.2} s, entities {:.2} s, index {:.2} s, encode {:.2} s",
        timings.entities, timings.index, timings.encode
    );
    Ok(())
}

fn open(index: &Path) -> Result<Engine, String> {
    let path = if index.is_dir() { index.join(format::INDEX_FILE) } else { index.to_path_buf() };
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Engine::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

struct SearchOptions {
    limit: usize,
    sort: Sort,
    typing: bool,
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
    let res = engine.search(&req).map_err(|e| e.to_string())?;
    if opts.json {
        println!("{}", serde_json::to_string_pretty(&res).map_err(|e| e.to_string())?);
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
        println!("did you mean: {d}");
    }
    let partial = if res.partial { " (no article has every word: best partial matches)" } else { "" };
    println!("{} article(s) for {}{partial}", res.total, res.understood);
    for (n, h) in res.hits.iter().enumerate() {
        println!("{:>3}. {}  ({}, score {:.3})", n + 1, h.title, h.id, h.score);
        println!("     {}", segments_as_text(&h.snippet));
    }
    for g in &res.facets {
        let values: Vec<String> =
            g.values.iter().take(8).map(|v| format!("{} {}/{}", v.name, v.count, v.total)).collect();
        println!("{}: {}", g.label, values.join(", "));
    }
}

/// Character offset of byte `at` in `text`.
fn char_offset(text: &str, at: usize) -> usize {
    text.get(..at).map_or(0, |s| s.chars().count())
}

fn entities(inputs: &[PathBuf], json: bool) -> CliResult {
    let articles = load_or_fail(inputs, "")?;
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
        if !json {
            println!("{} — {}", article.id, article.title);
            for m in &mentions {
                println!(
                    "  {:<8} {:<32} {}",
                    m.entity.ty.as_str(),
                    text.get(m.start..m.end).unwrap_or_default(),
                    m.entity.id
                );
            }
        }
        out.push(json!({
            "id": article.id,
            "title": article.title,
            "source": article.source,
            "date": article.date,
            "text": text,
            "mentions": list,
        }));
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?);
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
    println!("{label}: P {:.2} R {:.2} F1 {:.2} ({})", s.precision, s.recall, s.f1, types.join(", "));
}

fn train_ner(train: &Path, dev: &Path, test: Option<&Path>, epochs: usize, output: Option<&Path>) -> CliResult {
    let gaz = crate::entity::gazetteer_words().map_err(|e| e.to_string())?;
    let train_set = read_conll_file(train)?;
    let dev_set = read_conll_file(dev)?;
    let tokens: usize = train_set.iter().flatten().map(|s| s.tokens.len()).sum();
    let sentences: usize = train_set.iter().map(Vec::len).sum();
    eprintln!("training on {} documents, {sentences} sentences ({tokens} tokens), {epochs} passes", train_set.len());
    let started = std::time::Instant::now();
    let model = crate::ner::train::train(&train_set, &dev_set, &gaz, epochs, &mut |epoch, score| {
        print_score(&format!("pass {epoch} dev"), score);
    });
    eprintln!("trained in {:.1} s; {} features", started.elapsed().as_secs_f64(), model.weights.len());
    // What ships is the compact model: score that, not the float weights.
    let bytes = model.to_bytes();
    let compact = crate::ner::Model::from_bytes(&bytes).map_err(|e| e.to_string())?;
    println!("compact model: {} bytes, {} features kept", bytes.len(), compact.weights.len());
    print_score("compact dev", &crate::ner::train::evaluate(&compact, &dev_set, &gaz));
    for (t, s) in crate::ner::train::margin_curve(&compact, &dev_set, &gaz, &[2.0, 5.0, 10.0, 20.0, 40.0]) {
        print_score(&format!("dev, spans with margin >= {t}"), &s);
    }
    if let Some(test) = test {
        let test_set = read_conll_file(test)?;
        print_score("final test", &crate::ner::train::evaluate(&compact, &test_set, &gaz));
    }
    if let Some(path) = output {
        std::fs::write(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
