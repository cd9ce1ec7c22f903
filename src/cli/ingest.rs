//! Reading article files from disk: folders walked in a stable order, every failure
//! turned into a warning that names the file.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::article;
use crate::article::json::FieldMap;
use crate::model::Article;

/// Extensions read when walking a folder (a file named on the command line is always read:
/// read by its extension, the plain-text format when it has none of these).
const ARTICLE_EXTENSIONS: &[&str] =
    &["txt", "text", "md", "markdown", "json", "jsonl", "ndjson", "html", "htm", "xhtml", "xml", "rss", "atom"];

/// Largest article read (a one-article file, or one item of a collection), so that a stray
/// video in a folder cannot eat the memory.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Largest collection file read (JSON, JSON Lines, feeds): an export of a whole archive is
/// one file. Reading one takes about three times its size in memory.
const MAX_COLLECTION_BYTES: u64 = 2 * 1024 * 1024 * 1024;

fn is_collection(ext: &str) -> bool {
    matches!(ext, "json" | "jsonl" | "ndjson" | "xml" | "rss" | "atom")
}

/// Drops the items of a collection whose text is over the one-article limit, with a warning each.
fn within_limit(parsed: Vec<article::Parsed>, warnings: &mut Vec<String>) -> Vec<article::Parsed> {
    parsed
        .into_iter()
        .filter(|p| {
            let len = p.article.title.len() + p.article.paragraphs.iter().map(String::len).sum::<usize>();
            let ok = len as u64 <= MAX_FILE_BYTES;
            if !ok {
                warnings.push(format!(
                    "item {:?} is {len} bytes, over the {MAX_FILE_BYTES}-byte limit for one article; skipped",
                    p.article.id
                ));
            }
            ok
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub reason: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.reason)
    }
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub articles: Vec<Article>,
    pub warnings: Vec<Warning>,
}

/// Loads every article under `inputs` (JSON fields found through `map`). Never fails:
/// what cannot be read is a warning.
pub fn load(inputs: &[PathBuf], map: &FieldMap) -> Loaded {
    let mut out = Loaded::default();
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, &mut files, &mut out.warnings);
        } else {
            files.push(input.clone());
        }
    }
    for file in files {
        let name = file.display().to_string();
        match load_file(&file, map) {
            Ok((parsed, warnings)) => {
                out.warnings.extend(warnings.into_iter().map(|reason| Warning { file: name.clone(), reason }));
                for p in parsed {
                    out.warnings.extend(p.warnings.into_iter().map(|reason| Warning { file: name.clone(), reason }));
                    out.articles.push(p.article);
                }
            }
            Err(reason) => out.warnings.push(Warning { file: name, reason }),
        }
    }
    out
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, warnings: &mut Vec<Warning>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            warnings.push(Warning { file: dir.display().to_string(), reason: e.to_string() });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, files, warnings);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            files.push(p);
        }
    }
}

/// The articles of one file, and warnings about parts of it that were skipped.
fn load_file(path: &Path, map: &FieldMap) -> Result<(Vec<article::Parsed>, Vec<String>), String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let (limit, what) =
        if is_collection(&ext) { (MAX_COLLECTION_BYTES, "a collection file") } else { (MAX_FILE_BYTES, "one article") };
    if size > limit {
        return Err(format!("file is {size} bytes, over the {limit}-byte limit for {what}"));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let (text, decode_warning) = article::decode::decode(&bytes);
    drop(bytes);
    let id = path.file_stem().and_then(|s| s.to_str()).ok_or_else(|| "file name is not valid UTF-8".to_string())?;
    match ext.as_str() {
        "json" | "jsonl" | "ndjson" => {
            let (parsed, mut warnings) = article::json::parse(id, &text, map)?;
            warnings.splice(0..0, decode_warning);
            let parsed = within_limit(parsed, &mut warnings);
            if parsed.is_empty() {
                return Err(format!(
                    "no article in it{}",
                    warnings.first().map_or(String::new(), |w| format!(" ({w})"))
                ));
            }
            Ok((parsed, warnings))
        }
        "xml" | "rss" | "atom" => {
            let (parsed, mut warnings) = article::feed::parse(id, &text)?;
            warnings.splice(0..0, decode_warning);
            Ok((within_limit(parsed, &mut warnings), warnings))
        }
        "html" | "htm" | "xhtml" => article::html::parse(id, &text)
            .map(|p| (vec![p], decode_warning.into_iter().collect()))
            .map_err(|e| e.to_string()),
        "md" | "markdown" => article::markdown::parse(id, &text)
            .map(|p| (vec![p], decode_warning.into_iter().collect()))
            .map_err(|e| e.to_string()),
        _ => article::parse(id, &text)
            .map(|p| (vec![p], decode_warning.into_iter().collect()))
            .map_err(|e| e.to_string()),
    }
}
