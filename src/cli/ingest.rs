//! Reading article files from disk: folders walked in a stable order, every failure
//! turned into a warning that names the file.

use std::path::{Path, PathBuf};

use crate::article;
use crate::article::files::{self, ARTICLE_EXTENSIONS};
use crate::article::json::FieldMap;
use crate::model::Article;

pub use crate::import::Warning;

#[derive(Debug, Default)]
pub struct Loaded {
    pub articles: Vec<Article>,
    /// The file each article came from (same order).
    pub origins: Vec<String>,
    pub warnings: Vec<Warning>,
    /// Article numbers to leave empty (an update's removed articles; see
    /// `IndexBuilder::keep_holes`).
    pub holes: Vec<u32>,
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
                    out.origins.push(name.clone());
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
    let name = path.file_name().and_then(|s| s.to_str()).ok_or_else(|| "file name is not valid UTF-8".to_string())?;
    // Refused before reading, so a stray video never enters memory.
    files::check_size(name, std::fs::metadata(path).map_err(|e| e.to_string())?.len())?;
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    files::read(name, &bytes, map)
}
