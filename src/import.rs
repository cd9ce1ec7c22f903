//! From files to a searchable index, in steps: the one build path shared by the CLI and
//! the in-browser importer (`wasm.rs`'s `Importer`, run in a Web Worker).
//!
//! The work is cut into steps a caller drives (`add_file`, then `step` until done, then
//! `build`) so the page can show progress between them and cancel by dropping the worker:
//! nothing here is shared with the collection being replaced, so a cancelled or failed
//! import leaves it as it was.
//!
//! Invariants: every problem is a [`Warning`] naming the file (and item) and the reason;
//! article ids are unique, the last file to bring an id wins (re-importing a feed updates
//! its items instead of duplicating them); an index is built only when at least one article
//! was read.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use crate::article::{files, json::FieldMap};
use crate::entity::{Extractor, FirstPass, KnownPeople};
use crate::error::{Error, Result};
use crate::index::{Analysed, Index, IndexBuilder, TermStream};
use crate::model::{Article, Mention, Relations};

/// A file (or an item of one) that could not be used, or was used with a guess.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    pub file: String,
    pub reason: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.reason)
    }
}

/// What one file gave.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileReport {
    pub file: String,
    pub articles: usize,
    /// Why nothing in the file could be used, when nothing could.
    pub error: Option<String>,
    pub warnings: Vec<String>,
}

/// Where an import is, for a progress bar: `done` of `total` in `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// "reading" (files are being added), "names" (the corpus's people), "entities"
    /// (mentions in each article) or "ready" (`build` may be called).
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
}

enum Phase {
    Reading,
    /// The first pass; `firsts` keeps what it learned of each article (the tagger's names
    /// among it) for the second.
    Names {
        next: usize,
        people: BTreeSet<String>,
        firsts: Vec<FirstPass>,
    },
    Entities {
        next: usize,
        known: KnownPeople,
        firsts: std::vec::IntoIter<FirstPass>,
    },
    Ready,
}

/// An import in progress.
pub struct Importer {
    extractor: Extractor,
    map: FieldMap,
    articles: Vec<Article>,
    /// The file each article came from (same order), for warnings.
    origin: Vec<String>,
    by_id: HashMap<String, usize>,
    /// Per article, its mentions and what they say of each other.
    mentions: Vec<(Vec<Mention>, Relations)>,
    warnings: Vec<Warning>,
    phase: Phase,
    second_pass_seconds: f64,
    /// Article numbers to leave empty (see [`IndexBuilder::keep_holes`]).
    holes: Vec<u32>,
}

impl Importer {
    /// An importer reading JSON fields through `map` ("title=headline,…", or "").
    pub fn new(map: &str) -> Result<Importer> {
        Ok(Importer {
            extractor: Extractor::new()?,
            map: FieldMap::parse(map).map_err(Error::bad_request)?,
            articles: Vec::new(),
            origin: Vec::new(),
            by_id: HashMap::new(),
            mentions: Vec::new(),
            warnings: Vec::new(),
            phase: Phase::Reading,
            second_pass_seconds: 0.0,
            holes: Vec::new(),
        })
    }

    /// Reads one file (its name picks the reader). Files can only be added before the first
    /// `step`; a later one is reported as an error.
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> FileReport {
        let mut report = FileReport { file: name.to_string(), articles: 0, error: None, warnings: Vec::new() };
        if !matches!(self.phase, Phase::Reading) {
            report.error = Some("the import has already started analysing its articles".into());
            return report;
        }
        match files::read(name, bytes, &self.map) {
            Ok((parsed, warnings)) => {
                report.warnings = warnings;
                for p in parsed {
                    report.warnings.extend(p.warnings);
                    self.keep(p.article, name, &mut report.warnings);
                    report.articles += 1;
                }
            }
            Err(reason) => report.error = Some(reason),
        }
        for w in report.warnings.iter().chain(&report.error) {
            self.warnings.push(Warning { file: name.to_string(), reason: w.clone() });
        }
        report
    }

    /// Adds an article read elsewhere (the CLI's folders) from the file `origin`.
    pub fn add_article(&mut self, article: Article, origin: &str) {
        let mut warnings = Vec::new();
        self.keep(article, origin, &mut warnings);
        self.warnings.extend(warnings.into_iter().map(|reason| Warning { file: origin.to_string(), reason }));
    }

    fn keep(&mut self, article: Article, origin: &str, warnings: &mut Vec<String>) {
        match self.by_id.get(&article.id).copied() {
            Some(at) => {
                let earlier = self.origin.get(at).cloned().unwrap_or_default();
                warnings.push(if earlier == origin {
                    format!("article id {:?} appears twice; the later one is kept", article.id)
                } else {
                    format!("article id {:?} replaces the one read from {earlier}", article.id)
                });
                if let (Some(slot), Some(o)) = (self.articles.get_mut(at), self.origin.get_mut(at)) {
                    *slot = article;
                    *o = origin.to_string();
                }
            }
            None => {
                self.by_id.insert(article.id.clone(), self.articles.len());
                self.articles.push(article);
                self.origin.push(origin.to_string());
            }
        }
    }

    /// Articles read so far.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Analyses up to `budget` articles (finding names, then mentions; each article is seen
    /// once in each pass) and says where the import is.
    pub fn step(&mut self, budget: usize) -> Progress {
        let total = self.articles.len();
        let mut left = budget.max(1);
        loop {
            match &mut self.phase {
                Phase::Reading => {
                    self.in_number_order();
                    self.phase = Phase::Names { next: 0, people: BTreeSet::new(), firsts: Vec::with_capacity(total) };
                }
                Phase::Names { next, people, firsts } => {
                    while *next < total && left > 0 {
                        if let Some(a) = self.articles.get(*next) {
                            let first = self.extractor.first_pass(a);
                            people.extend(first.people.iter().cloned());
                            firsts.push(first);
                        }
                        *next += 1;
                        left -= 1;
                    }
                    if *next < total {
                        return Progress { stage: "names", done: *next, total };
                    }
                    let known = KnownPeople::new(std::mem::take(people));
                    let firsts = std::mem::take(firsts).into_iter();
                    self.mentions = Vec::with_capacity(total);
                    self.phase = Phase::Entities { next: 0, known, firsts };
                    if left == 0 {
                        return Progress { stage: "entities", done: 0, total };
                    }
                }
                Phase::Entities { next, known, firsts } => {
                    while *next < total && left > 0 {
                        if let Some(a) = self.articles.get(*next) {
                            // Each article had its first pass, in order.
                            self.mentions.push(second_pass_of(&self.extractor, a, known, firsts.next()));
                        }
                        *next += 1;
                        left -= 1;
                    }
                    if *next < total {
                        return Progress { stage: "entities", done: *next, total };
                    }
                    self.phase = Phase::Ready;
                }
                Phase::Ready => return Progress { stage: "ready", done: total, total },
            }
        }
    }

    /// The first pass over every article at once on `threads` threads: the command line's
    /// way (the browser steps on one thread, with progress). The second pass then runs in
    /// [`Importer::build_parts_on`], a window at a time beside the indexing, so that no more
    /// than a window's mentions are ever held whole (at a million articles, all of them were
    /// gigabytes). An article's passes depend only on it and on the people the whole corpus
    /// names, so this gives exactly what stepping gives. Falls back to stepping when the
    /// import has already started, or when a worker thread fails (none should: the passes
    /// are panic-free).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn analyse_on(&mut self, threads: usize) {
        if threads > 1 && matches!(self.phase, Phase::Reading) {
            self.in_number_order();
            let ex = &self.extractor;
            if let Some(firsts) = crate::parallel::map(&self.articles, threads, &|a: &Article| ex.first_pass(a)) {
                let people: BTreeSet<String> = firsts.iter().flat_map(|f| f.people.iter().cloned()).collect();
                self.mentions = Vec::new();
                self.phase = Phase::Entities { next: 0, known: KnownPeople::new(people), firsts: firsts.into_iter() };
                return;
            }
        }
        while self.step(usize::MAX).stage != "ready" {}
    }

    /// Puts the articles read in the order the index numbers them (undated, then oldest
    /// first, ids backwards), once reading is over: what extraction keeps of an entity is
    /// what it met first, so this makes an index the same whatever order its files came in
    /// (and an update, which reads the old articles back from the index, writes what a
    /// fresh build would). Which of two articles with one id is kept was settled while
    /// reading: the later file's.
    fn in_number_order(&mut self) {
        let mut pairs: Vec<(Article, String)> =
            std::mem::take(&mut self.articles).into_iter().zip(std::mem::take(&mut self.origin)).collect();
        pairs.sort_by(|(a, _), (b, _)| {
            crate::index::number_key(&a.date, &a.id).cmp(&crate::index::number_key(&b.date, &b.id))
        });
        (self.articles, self.origin) = pairs.into_iter().unzip();
        self.by_id = self.articles.iter().enumerate().map(|(k, a)| (a.id.clone(), k)).collect();
    }

    /// Seconds [`Importer::build_parts_on`] spent on the second pass (finding mentions),
    /// so that extraction can be reported apart from indexing.
    pub fn second_pass_seconds(&self) -> f64 {
        self.second_pass_seconds
    }

    /// Every warning so far, in the order met.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Leaves these article numbers empty in the index built (see
    /// [`IndexBuilder::keep_holes`]): an update that removed articles keeps the others'
    /// numbers.
    pub fn keep_holes(&mut self, holes: Vec<u32>) {
        self.holes = holes;
    }

    /// Finishes the analysis and builds the index. Fails only when no article could be
    /// indexed; articles the index refuses become warnings.
    pub fn build(&mut self) -> Result<Index> {
        self.build_on(1)
    }

    /// [`Importer::build`] analysing the articles' text on `threads` threads (the index is
    /// the same on any number).
    pub fn build_on(&mut self, threads: usize) -> Result<Index> {
        let (mut index, terms) = self.build_parts_on(threads)?;
        index.terms = terms.collect();
        Ok(index)
    }

    /// [`Importer::build_on`] with the terms still to be made one at a time (see
    /// [`IndexBuilder::build_parts`]): how the command line writes a sharded index.
    pub fn build_parts_on(&mut self, threads: usize) -> Result<(Index, TermStream)> {
        // After `analyse_on`, the second pass is still to run, and runs here window by window.
        let second_pass_here = threads > 1 && matches!(self.phase, Phase::Entities { next: 0, .. });
        if !second_pass_here {
            while self.step(usize::MAX).stage != "ready" {}
        }
        let (known, mut firsts) = match std::mem::replace(&mut self.phase, Phase::Reading) {
            Phase::Entities { known, firsts, .. } if second_pass_here => (Some(known), firsts),
            _ => (None, Vec::new().into_iter()),
        };
        let articles = std::mem::take(&mut self.articles);
        let origins = std::mem::take(&mut self.origin);
        let mut mentions = std::mem::take(&mut self.mentions).into_iter();
        self.by_id.clear();
        self.second_pass_seconds = 0.0;
        let mut builder = IndexBuilder::new();
        builder.keep_holes(std::mem::take(&mut self.holes));
        let mut rest = articles.into_iter().zip(origins).peekable();
        // Each window is analysed while the one before is merged into the index (on one
        // thread, the merge was half of the index phase); entities come first, on their own,
        // so that their time is counted apart.
        let mut analysed_window: Option<Window> = None;
        while rest.peek().is_some() || analysed_window.is_some() {
            // A window at a time, so mentions and analyses in flight stay a bounded amount
            // of memory.
            let window: Vec<(Article, String)> = rest.by_ref().take(ANALYSIS_WINDOW).collect();
            let found: Vec<(Vec<Mention>, Relations)> = match &known {
                Some(known) => {
                    let firsts: Vec<FirstPass> = firsts.by_ref().take(window.len()).collect();
                    self.second_pass(&window, firsts, known, threads)
                }
                None => mentions.by_ref().take(window.len()).collect(),
            };
            let previous = analysed_window.take();
            let warnings = &mut self.warnings;
            let merge = |builder: &mut IndexBuilder| {
                if let Some(previous) = previous {
                    merge_window(builder, warnings, previous);
                }
            };
            if window.is_empty() {
                merge(&mut builder);
            } else {
                let analysed = analyse_alongside(&window, threads, || merge(&mut builder));
                analysed_window = Some((window, found, analysed));
            }
        }
        if builder.is_empty() {
            return Err(Error::bad_request("no article could be read from the files given"));
        }
        Ok(builder.build_parts())
    }

    /// The second pass over one window of articles, each with its first pass, on `threads`
    /// threads (one after another when a thread fails, and in the browser).
    fn second_pass(
        &mut self,
        window: &[(Article, String)],
        firsts: Vec<FirstPass>,
        known: &KnownPeople,
        threads: usize,
    ) -> Vec<(Vec<Mention>, Relations)> {
        #[cfg(not(target_arch = "wasm32"))]
        let started = std::time::Instant::now();
        let ex = &self.extractor;
        // Each worker takes its article's first pass out of the slot (the map lends items);
        // an article without one (there are none) is tagged again.
        let slots =
            firsts.into_iter().map(|f| std::sync::Mutex::new(Some(f))).chain(std::iter::repeat_with(Default::default));
        let pairs: Vec<(&Article, std::sync::Mutex<Option<FirstPass>>)> =
            window.iter().map(|(a, _)| a).zip(slots).collect();
        let one = |(a, slot): &(&Article, std::sync::Mutex<Option<FirstPass>>)| {
            second_pass_of(ex, a, known, slot.lock().ok().and_then(|mut f| f.take()))
        };
        #[cfg(not(target_arch = "wasm32"))]
        let found = crate::parallel::map(&pairs, threads, &one).unwrap_or_else(|| pairs.iter().map(one).collect());
        #[cfg(target_arch = "wasm32")]
        let found = {
            let _ = threads;
            pairs.iter().map(one).collect()
        };
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.second_pass_seconds += started.elapsed().as_secs_f64();
        }
        found
    }
}

/// One article's mentions and relations, given every person the corpus names; its first
/// pass saves tagging it again (`mentions` gives the same without it).
fn second_pass_of(
    ex: &Extractor,
    a: &Article,
    known: &KnownPeople,
    first: Option<FirstPass>,
) -> (Vec<Mention>, Relations) {
    let mentions = match first {
        Some(first) => ex.mentions_after(a, known, first),
        None => ex.mentions(a, known),
    };
    let relations = ex.relations(a, &mentions);
    (mentions, relations)
}

/// Articles analysed together before they are merged into the index.
const ANALYSIS_WINDOW: usize = 1024;

/// Articles (with the files they came from), their mentions and relations, and their
/// analyses, ready to be merged into the index.
type Window = (Vec<(Article, String)>, Vec<(Vec<Mention>, Relations)>, Vec<Analysed>);

fn merge_window(builder: &mut IndexBuilder, warnings: &mut Vec<Warning>, (window, found, analysed): Window) {
    for (((article, origin), (mentions, relations)), analysed) in window.into_iter().zip(found).zip(analysed) {
        let id = article.id.clone();
        if let Err(e) = builder.add_analysed(article, analysed, mentions, relations) {
            warnings.push(Warning { file: origin, reason: format!("article {id:?}: {}", e.message()) });
        }
    }
}

/// `window` analysed (as [`analyse`]) while `meanwhile` runs on this thread; one after the
/// other on one thread, and in the browser.
fn analyse_alongside(window: &[(Article, String)], threads: usize, meanwhile: impl FnOnce()) -> Vec<Analysed> {
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 {
        let (done, ()) = crate::parallel::alongside(|| analyse(window, threads), meanwhile);
        return done.unwrap_or_else(|| analyse(window, 1));
    }
    meanwhile();
    analyse(window, threads)
}

/// The articles of `window` analysed, in order, on `threads` threads where there are any.
fn analyse(window: &[(Article, String)], threads: usize) -> Vec<Analysed> {
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 {
        if let Some(done) = crate::parallel::map(window, threads, &|(a, _)| Analysed::of(a)) {
            return done;
        }
    }
    let _ = threads;
    window.iter().map(|(a, _)| Analysed::of(a)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = "<rss version=\"2.0\"><channel><title>Wire</title>\
        <item><title>Xiaomi opens a factory</title><guid>w-1</guid>\
        <description>Xiaomi CEO Lei Jun opened the factory in Beijing on Monday.</description></item>\
        <item><title>Huawei shows a car</title><guid>w-2</guid>\
        <description>Huawei showed the LUXEED S7 in Shenzhen, Lei Jun said.</description></item>\
        </channel></rss>";

    fn run(importer: &mut Importer, budget: usize) -> Vec<Progress> {
        let mut seen = Vec::new();
        loop {
            let p = importer.step(budget);
            seen.push(p);
            if p.stage == "ready" {
                return seen;
            }
        }
    }

    #[test]
    fn steps_report_progress_through_both_passes() {
        let mut imp = Importer::new("").expect("importer");
        let report = imp.add_file("wire.xml", FEED.as_bytes());
        assert_eq!((report.articles, report.error.as_deref()), (2, None));
        let seen = run(&mut imp, 1);
        let stages: Vec<(&str, usize)> = seen.iter().map(|p| (p.stage, p.done)).collect();
        assert_eq!(stages, [("names", 1), ("entities", 0), ("entities", 1), ("ready", 2)]);
        let index = imp.build().expect("builds");
        assert_eq!(index.docs.len(), 2);
        // The corpus pass: Lei Jun is known in the second story from the first's role phrase.
        assert!(index.entities.iter().any(|e| e.id == "person:lei-jun"));
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn threads_give_the_stepped_index() {
        let build = |threads| {
            let mut imp = Importer::new("").expect("importer");
            imp.add_file("wire.xml", FEED.as_bytes());
            for (name, text) in [
                ("000.txt", &include_bytes!("../www/articles/000_4fbfb928e7286689.txt")[..]),
                ("001.txt", include_bytes!("../www/articles/001_0fef88d9e394b442.txt")),
                ("002.txt", include_bytes!("../www/articles/002_df41c56c829562b5.txt")),
                ("003.txt", include_bytes!("../www/articles/003_d46702537c126cfa.txt")),
            ] {
                imp.add_file(name, text);
            }
            imp.analyse_on(threads);
            crate::format::write(&imp.build_on(threads).expect("builds"))
        };
        assert_eq!(build(1), build(3));
    }

    #[test]
    fn stepping_in_any_budget_gives_the_same_index() {
        let build = |budget| {
            let mut imp = Importer::new("").expect("importer");
            imp.add_file("wire.xml", FEED.as_bytes());
            run(&mut imp, budget);
            crate::format::write(&imp.build().expect("builds"))
        };
        assert_eq!(build(1), build(1000));
    }

    #[test]
    fn a_later_file_replaces_articles_with_the_same_id() {
        let mut imp = Importer::new("").expect("importer");
        imp.add_file("wire.xml", FEED.as_bytes());
        let updated = FEED.replace("Xiaomi opens a factory", "Xiaomi opens a second factory");
        let report = imp.add_file("wire-again.xml", updated.as_bytes());
        assert!(report.warnings.iter().any(|w| w.contains("replaces the one read from wire.xml")), "{report:?}");
        assert_eq!(imp.len(), 2);
        let index = imp.build().expect("builds");
        assert!(index.docs.iter().any(|a| a.title == "Xiaomi opens a second factory"));
        assert!(!index.docs.iter().any(|a| a.title == "Xiaomi opens a factory"));
    }

    #[test]
    fn the_order_of_the_files_does_not_change_the_index() {
        // One place written two ways: the entity keeps the name it was met with first.
        let files: [(&str, &[u8]); 3] = [
            ("wire.xml", FEED.as_bytes()),
            ("a.txt", b"Harbour news\n\nThe harbour in San Jose reopened on Monday, officials said."),
            (
                "b.txt",
                "Ferry news\n\nFerries returned to the harbour in San Jos\u{e9} on Tuesday, officials said.".as_bytes(),
            ),
        ];
        let build = |order: &[usize]| {
            let mut imp = Importer::new("").expect("importer");
            for &k in order {
                imp.add_file(files[k].0, files[k].1);
            }
            run(&mut imp, 1000);
            crate::format::write(&imp.build().expect("builds"))
        };
        assert_eq!(build(&[0, 1, 2]), build(&[2, 0, 1]));
    }

    #[test]
    fn bad_files_are_warnings_and_the_rest_loads() {
        let mut imp = Importer::new("").expect("importer");
        let bad = imp.add_file("broken.json", b"[{\"title\": ");
        assert!(bad.error.is_some());
        let page = imp.add_file("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>");
        assert!(page.error.is_some());
        imp.add_file("ok.txt", b"A headline\n\nA paragraph about Paris.");
        let index = imp.build().expect("one article is enough");
        assert_eq!(index.docs.len(), 1);
        let files: Vec<&str> = imp.warnings().iter().map(|w| w.file.as_str()).collect();
        assert!(files.contains(&"broken.json") && files.contains(&"nav.html"), "{files:?}");
    }

    #[test]
    fn nothing_readable_is_an_error() {
        let mut imp = Importer::new("").expect("importer");
        imp.add_file("broken.json", b"{");
        let e = imp.build().unwrap_err();
        assert!(e.message().contains("no article"), "{}", e.message());
        assert!(Importer::new("nonsense=title").is_err());
    }
}
