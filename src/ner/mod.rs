//! ner/: which words name a person, an organisation, a place or another named thing?
//! A statistical sequence labeller: a structured averaged perceptron (Collins 2002) over
//! BIO labels, decoded with Viterbi under BIO constraints, on features of the raw text
//! only (words, shapes, affixes, a ±2 window, gazetteer membership) — no part-of-speech or
//! chunk columns, which real articles never have.
//!
//! Document-level consistency: features say whether a word appears capitalised inside a
//! sentence, or in lower case, elsewhere in the article ([`DocContext`]), and which type
//! the tagger already gave it earlier in the article ([`History`]); a second stage
//! ([`Tagger`], [`Votes`]) re-tags each sentence knowing what the first said across the
//! whole article.
//!
//! Trained and evaluated natively on CoNLL-2003 (`newslens train-ner`, `eval-ner`, or
//! `./build.sh train-ner`); the shipped weights are data/ner/model.bin, used by
//! `entity::Extractor` (the CLI and the importer's wasm). Feature ids are hashed, so a
//! model is just weights.

pub mod eval;
#[cfg(feature = "cli")]
pub mod train;

// Fx rather than std's SipHash: the tagger looks up every feature of every word, and
// SipHash was 0.7 s of CPU in a 10k-article build (as the index's term maps, keys come
// from articles, whose size the readers bound).
use rustc_hash::FxHashMap as HashMap;

/// BIO labels over CoNLL's four types. Index 0 is "outside".
pub const LABELS: [&str; 9] = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"];
pub const L: usize = LABELS.len();

/// One sentence: its tokens and (for training and evaluation) gold label numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    pub tokens: Vec<String>,
    pub labels: Vec<u8>,
}

/// Reads CoNLL-2003 columns (token first, NER tag last; "-DOCSTART-" lines separate
/// documents). IOB1 tags (an I- after O or another type) are read as B-.
pub fn read_conll(text: &str) -> Vec<Vec<Sentence>> {
    let mut docs: Vec<Vec<Sentence>> = vec![Vec::new()];
    let mut sent = Sentence::default();
    let flush = |sent: &mut Sentence, docs: &mut Vec<Vec<Sentence>>| {
        if !sent.tokens.is_empty() {
            if let Some(d) = docs.last_mut() {
                d.push(std::mem::take(sent));
            }
        }
    };
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("-DOCSTART-") {
            flush(&mut sent, &mut docs);
            if docs.last().is_some_and(|d| !d.is_empty()) {
                docs.push(Vec::new());
            }
            continue;
        }
        if line.is_empty() {
            flush(&mut sent, &mut docs);
            continue;
        }
        let mut cols = line.split_whitespace();
        let (Some(tok), Some(tag)) = (cols.next(), line.split_whitespace().last()) else { continue };
        let mut label = LABELS.iter().position(|l| *l == tag).unwrap_or(0) as u8;
        // IOB1 -> IOB2: an inside tag that does not continue its type begins a span.
        if label % 2 == 0 && label > 0 {
            let prev = sent.labels.last().copied().unwrap_or(0);
            if prev == 0 || prev.div_ceil(2) != label.div_ceil(2) {
                label -= 1;
            }
        }
        sent.tokens.push(tok.to_string());
        sent.labels.push(label);
    }
    flush(&mut sent, &mut docs);
    docs.retain(|d| !d.is_empty());
    docs
}

/// Entity spans in a label sequence: (type 1..=4, start, end exclusive).
pub fn spans(labels: &[u8]) -> Vec<(u8, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(u8, usize)> = None;
    for (i, &l) in labels.iter().chain(std::iter::once(&0)).enumerate() {
        let ty = l.div_ceil(2);
        let begins = l % 2 == 1;
        if let Some((t, s)) = open {
            if begins || ty != t || l == 0 {
                out.push((t, s, i));
                open = None;
            }
        }
        if l != 0 && open.is_none() {
            open = Some((ty, i));
        }
    }
    out
}

/// Can label `b` follow label `a` (0..L, or L for the sentence start) in valid BIO?
pub fn allowed(a: usize, b: usize) -> bool {
    if b == 0 || b % 2 == 1 {
        return true;
    }
    // b is I-X: the previous label must be B-X or I-X.
    a != L && a != 0 && a.div_ceil(2) == b.div_ceil(2)
}

/// The word's shape: X for capitals, x for lower case, d for digits, others kept, runs of
/// one kind cut to two ("Xx", "XX", "dd-dd").
pub fn shape(word: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    let mut run = 0;
    for c in word.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        run = if k == last { run + 1 } else { 1 };
        last = k;
        if run <= 2 {
            out.push(k);
        }
    }
    out
}

/// 32-bit FNV-1a of a feature's name and value: features are never stored as strings.
fn hash(parts: &[&str]) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x01000193);
        }
        for b in p.bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x01000193);
        }
    }
    h
}

/// Lower-cased words that appear in the gazetteers, with the kinds of names they occur in
/// (bit 0 person, 1 org, 2 place, 3 other).
pub type GazetteerWords = HashMap<String, u8>;

/// What the rest of the article says about its words: which appear capitalised inside a
/// sentence (so are names wherever they appear, even in an all-caps headline), and which
/// appear in lower case (so are ordinary words).
#[derive(Debug, Clone, Default)]
pub struct DocContext {
    capitalised: rustc_hash::FxHashSet<String>,
    lowercase: rustc_hash::FxHashSet<String>,
}

impl DocContext {
    pub fn new(sentences: &[&[String]]) -> DocContext {
        let mut c = DocContext::default();
        for s in sentences {
            if is_caps_sentence(s) {
                continue;
            }
            for (i, w) in s.iter().enumerate() {
                if i > 0 && w.chars().next().is_some_and(char::is_uppercase) && w.chars().any(char::is_lowercase) {
                    c.capitalised.insert(w.to_lowercase());
                } else if w.chars().all(char::is_lowercase) {
                    c.lowercase.insert(w.clone());
                }
            }
        }
        c
    }
}

/// A headline set in capitals ("JAPAN GET LUCKY WIN"): capitalisation says nothing there.
fn is_caps_sentence(tokens: &[String]) -> bool {
    let words: Vec<&String> = tokens.iter().filter(|t| t.chars().filter(|c| c.is_alphabetic()).count() >= 2).collect();
    words.len() >= 2 && words.iter().all(|w| !w.chars().any(char::is_lowercase))
}

/// Hashed features of token `i` of `tokens`, a sentence of the article described by `doc`.
pub fn features(tokens: &[String], i: usize, gaz: &GazetteerWords, doc: &DocContext) -> Vec<u32> {
    let tok = |k: isize| -> Option<&str> {
        let j = i as isize + k;
        (j >= 0).then(|| tokens.get(j as usize).map(String::as_str)).flatten()
    };
    let Some(w) = tok(0) else { return Vec::new() };
    let lower = w.to_lowercase();
    let sh = shape(w);
    let mut f = Vec::with_capacity(40);
    f.push(hash(&["bias"]));
    f.push(hash(&["w", &lower]));
    f.push(hash(&["W", w]));
    f.push(hash(&["s", &sh]));
    let chars: Vec<char> = lower.chars().collect();
    for n in 1..=4usize {
        if chars.len() > n {
            let p: String = chars.iter().take(n).collect();
            let s: String = chars.iter().skip(chars.len() - n).collect();
            if n <= 3 {
                f.push(hash(&["p", &p]));
            }
            f.push(hash(&["x", &s]));
        }
    }
    if w.chars().next().is_some_and(char::is_uppercase) {
        f.push(hash(&["title", if i == 0 { "first" } else { "inner" }]));
    }
    if w.len() > 1 && w.chars().all(|c| !c.is_lowercase()) && w.chars().any(char::is_alphabetic) {
        f.push(hash(&["allcaps"]));
    }
    let ctx =
        |k: isize| tok(k).map_or_else(|| if k < 0 { "<s>".to_string() } else { "</s>".to_string() }, str::to_lowercase);
    for k in [-2isize, -1, 1, 2] {
        f.push(hash(&["w", &k.to_string(), &ctx(k)]));
    }
    for k in [-1isize, 1] {
        let s = tok(k).map_or_else(|| "-".to_string(), shape);
        f.push(hash(&["s", &k.to_string(), &s]));
    }
    f.push(hash(&["ww", &ctx(-1), &lower]));
    f.push(hash(&["ww+", &lower, &ctx(1)]));
    f.push(hash(&["ss", &tok(-1).map_or_else(|| "-".to_string(), shape), &sh]));
    for k in [-1isize, 0, 1] {
        if let Some(bits) = tok(k).and_then(|t| gaz.get(&t.to_lowercase())) {
            // The name lists together (bits 0-4), and each of the rules' word lists apart.
            if bits & 31 != 0 {
                f.push(hash(&["g", &k.to_string(), &(bits & 31).to_string()]));
            }
            for bit in [32u8, 64, 128].into_iter().filter(|b| bits & b != 0) {
                f.push(hash(&["gr", &k.to_string(), &bit.to_string()]));
            }
        }
    }
    // Where the word sits in a run of capitalised words ("New York Stock Exchange").
    let capitalised = |k: isize| tok(k).is_some_and(|t| t.chars().next().is_some_and(char::is_uppercase));
    if capitalised(0) {
        let run_before = (1..4).take_while(|&k| capitalised(-k)).count();
        let run_after = (1..4).take_while(|&k| capitalised(k)).count();
        f.push(hash(&["run", &run_before.min(2).to_string(), &run_after.min(2).to_string()]));
        // The whole run, as one name: "new york" is a place wherever it stands.
        let from = i as isize - run_before as isize;
        let run: Vec<String> = (from..=i as isize + run_after as isize)
            .filter_map(|k| tok(k - i as isize))
            .map(str::to_lowercase)
            .collect();
        f.push(hash(&["R", &run.join(" "), &run_before.min(1).to_string()]));
    }
    f.push(hash(&["ws-", &ctx(-1), &sh]));
    f.push(hash(&["ws+", &sh, &ctx(1)]));
    for k in [-1isize, 1] {
        if let Some(t) = tok(k) {
            let l: Vec<char> = t.to_lowercase().chars().collect();
            if l.len() > 3 {
                let suffix: String = l.iter().skip(l.len() - 3).collect();
                f.push(hash(&["x3", &k.to_string(), &suffix]));
            }
        }
    }
    let caps = is_caps_sentence(tokens);
    if caps {
        f.push(hash(&["capsent"]));
    }
    let cap_elsewhere = doc.capitalised.contains(&lower);
    let low_elsewhere = doc.lowercase.contains(&lower);
    f.push(hash(&[
        "doc",
        if cap_elsewhere { "cap" } else { "-" },
        if low_elsewhere { "low" } else { "-" },
        if caps { "caps" } else { "-" },
    ]));
    f
}

/// Stage two's view of an article: what stage one said about each word and each name
/// across the whole article, before and after this mention (the two-stage scheme of
/// Krishnan and Manning, 2006). A later "Blackburn" learns from "Peter Blackburn", and a
/// name tagged as an organisation four times and a place once is probably an organisation.
/// Counts are per type, index 0 for "outside".
#[derive(Debug, Clone, Default)]
pub struct Votes {
    /// Lower-cased word: how often stage one put it in a name of each type, or outside.
    word: HashMap<String, [u16; 5]>,
    /// Lower-cased name (its words joined by spaces): how often each type was given.
    name: HashMap<String, [u16; 5]>,
    /// Lower-cased word: types of names of two or more words that contain it.
    within: HashMap<String, [u16; 5]>,
}

/// The most frequent type in `counts` (1..=4) and how strong its lead is.
fn majority(counts: &[u16; 5], with_outside: bool) -> Option<(usize, &'static str)> {
    let total: u32 = counts.iter().skip(usize::from(!with_outside)).map(|&c| u32::from(c)).sum();
    let (ty, &best) = counts.iter().enumerate().skip(1).max_by_key(|(_, c)| **c)?;
    if best == 0 || total == 0 {
        return None;
    }
    let share = f64::from(best) / f64::from(total);
    Some((
        ty,
        if share >= 0.999 {
            "all"
        } else if share > 0.5 {
            "most"
        } else {
            "some"
        },
    ))
}

fn capitalised_word(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_uppercase)
}

impl Votes {
    /// Counts the stage-one `labels` of every sentence of one article.
    pub fn new(sentences: &[&[String]], labels: &[Vec<u8>]) -> Votes {
        let mut v = Votes::default();
        for (tokens, labels) in sentences.iter().zip(labels) {
            for (t, &l) in tokens.iter().zip(labels.iter()) {
                if capitalised_word(t) {
                    if let Some(c) = v.word.entry(t.to_lowercase()).or_default().get_mut(usize::from(l.div_ceil(2))) {
                        *c = c.saturating_add(1);
                    }
                }
            }
            for (ty, a, b) in spans(labels) {
                let Some(words) = tokens.get(a..b) else { continue };
                let key = words.join(" ").to_lowercase();
                if let Some(c) = v.name.entry(key).or_default().get_mut(usize::from(ty)) {
                    *c = c.saturating_add(1);
                }
                if b - a >= 2 {
                    for w in words {
                        if let Some(c) = v.within.entry(w.to_lowercase()).or_default().get_mut(usize::from(ty)) {
                            *c = c.saturating_add(1);
                        }
                    }
                }
            }
        }
        v
    }

    /// Stage two's features of one sentence: its static features `feats`, stage one's own
    /// labels around each token, and the article's votes with this mention's own vote taken
    /// out (so a lone mention learns nothing from itself).
    pub fn features(&self, tokens: &[String], labels: &[u8], feats: &[Vec<u32>]) -> Vec<Vec<u32>> {
        let label = |i: isize| -> String {
            if i < 0 {
                return "<s>".into();
            }
            labels.get(i as usize).map_or_else(|| "</s>".into(), |l| l.to_string())
        };
        let mut span_of = vec![None; tokens.len()];
        for (ty, a, b) in spans(labels) {
            for slot in span_of.iter_mut().take(b).skip(a) {
                *slot = Some((ty, a, b));
            }
        }
        tokens
            .iter()
            .zip(feats)
            .enumerate()
            .map(|(i, (t, f))| {
                let mut f = f.clone();
                let k = i as isize;
                let own = labels.get(i).copied().unwrap_or(0);
                f.push(hash(&["p1", &label(k)]));
                f.push(hash(&["p1w", &label(k - 1), &label(k), &label(k + 1)]));
                let lower = t.to_lowercase();
                if capitalised_word(t) {
                    if let Some(counts) = self.word.get(&lower) {
                        let mut others = *counts;
                        if let Some(c) = others.get_mut(usize::from(own.div_ceil(2))) {
                            *c = c.saturating_sub(1);
                        }
                        if others.iter().any(|&c| c > 0) {
                            match majority(&others, true) {
                                Some((ty, strength)) => f.push(hash(&["vw", &ty.to_string(), strength])),
                                None => f.push(hash(&["vw", "outside"])),
                            }
                        }
                    }
                    if let Some((ty, strength)) = self.within.get(&lower).and_then(|c| majority(c, false)) {
                        let alone = span_of.get(i).copied().flatten().is_none_or(|(_, a, b)| b - a == 1);
                        if alone {
                            f.push(hash(&["vin", &ty.to_string(), strength]));
                        }
                    }
                }
                if let Some((ty, a, b)) = span_of.get(i).copied().flatten() {
                    let key = tokens.get(a..b).map(|w| w.join(" ").to_lowercase()).unwrap_or_default();
                    if let Some(counts) = self.name.get(&key) {
                        let mut others = *counts;
                        if let Some(c) = others.get_mut(usize::from(ty)) {
                            *c = c.saturating_sub(1);
                        }
                        if let Some((vty, strength)) = majority(&others, false) {
                            f.push(hash(&[
                                "vn",
                                &vty.to_string(),
                                strength,
                                if vty == usize::from(ty) { "=" } else { "!" },
                            ]));
                        }
                    }
                }
                f
            })
            .collect()
    }
}

/// Both stages: stage one tags each article left to right with its [`History`]; stage two
/// re-tags every sentence knowing what stage one said across the whole article ([`Votes`]).
#[derive(Debug, Clone, Default)]
pub struct Tagger {
    pub first: Model,
    pub second: Model,
}

impl Tagger {
    /// Labels of every sentence of one article; `feats[i]` are the static features of
    /// `sentences[i]` ([`features`]).
    pub fn tag_doc(&self, sentences: &[&[String]], feats: &[Vec<Vec<u32>>]) -> Vec<Vec<u8>> {
        self.tag_doc_scored(sentences, feats).into_iter().map(|(labels, _)| labels).collect()
    }

    /// [`Tagger::tag_doc`] with each token's margin over "outside" in stage two's scores.
    pub fn tag_doc_scored(&self, sentences: &[&[String]], feats: &[Vec<Vec<u32>>]) -> Vec<(Vec<u8>, Vec<f32>)> {
        let first = self.first.tag_doc(sentences, feats);
        let votes = Votes::new(sentences, &first);
        sentences
            .iter()
            .zip(&first)
            .zip(feats)
            .map(|((tokens, labels), f)| {
                let emissions = self.second.emissions(&votes.features(tokens, labels, f));
                let labels = viterbi(&emissions, &self.second.trans);
                let margins = margins(&labels, &emissions);
                (labels, margins)
            })
            .collect()
    }

    /// Both models in one file: the magic, then each compact model with its length.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = TAGGER_MAGIC.to_vec();
        for m in [&self.first, &self.second] {
            let body = m.compact_bytes();
            out.extend((body.len() as u32).to_le_bytes());
            out.extend(body);
        }
        out
    }

    /// Reads [`Tagger::to_bytes`]; refuses other bytes with a clear message.
    pub fn from_bytes(bytes: &[u8]) -> crate::Result<Tagger> {
        let mut rest = bytes
            .strip_prefix(TAGGER_MAGIC.as_slice())
            .ok_or_else(|| crate::Error::corrupt("not a newslens entity model (wrong magic or version)"))?;
        let mut models = Vec::with_capacity(2);
        for _ in 0..2 {
            let (len, tail) =
                rest.split_at_checked(4).ok_or_else(|| crate::Error::corrupt("entity model damaged: truncated"))?;
            let len =
                u32::from_le_bytes(len.try_into().map_err(|_| crate::Error::corrupt("entity model damaged"))?) as usize;
            let (body, tail) =
                tail.split_at_checked(len).ok_or_else(|| crate::Error::corrupt("entity model damaged: truncated"))?;
            models.push(Model::from_compact(body)?);
            rest = tail;
        }
        if !rest.is_empty() {
            return Err(crate::Error::corrupt("entity model damaged: trailing bytes"));
        }
        let second = models.pop().unwrap_or_default();
        let first = models.pop().unwrap_or_default();
        Ok(Tagger { first, second })
    }
}

/// Magic and version of a two-stage model file ([`Tagger::to_bytes`]).
pub const TAGGER_MAGIC: &[u8; 8] = b"NLNERv02";

/// Magic and version of the compact model file ([`Model::to_bytes`]).
pub const MODEL_MAGIC: &[u8; 8] = b"NLNERv01";

/// The compact form of a model: weights quantised to i8 with one scale, features whose
/// weights all round to zero dropped, feature hashes sorted for binary search.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Compact {
    scale: f32,
    features: Vec<u32>,
    weights: Vec<[i8; L]>,
    trans: Vec<[f32; L]>,
}

/// Trained weights: per hashed feature, a score for each label; and label transitions.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub weights: HashMap<u32, [f32; L]>,
    /// trans[a][b]: from label a (or L, the start) to label b.
    pub trans: [[f32; L]; L + 1],
}

/// What the tagger has already said about each word (lower-cased) earlier in the same
/// article: how often it began or continued a name of each type. A name tagged
/// confidently once informs its later mentions ("Blackburn" after "Peter Blackburn").
#[derive(Debug, Clone, Default)]
pub struct History(HashMap<String, [u16; 5]>);

impl History {
    /// Each token's features plus, where the word was tagged before, the type it was
    /// given most often.
    pub fn extend(&self, tokens: &[String], feats: &[Vec<u32>]) -> Vec<Vec<u32>> {
        tokens
            .iter()
            .zip(feats)
            .map(|(t, f)| {
                let mut f = f.clone();
                if let Some(counts) = self.0.get(&t.to_lowercase()) {
                    let best = counts.iter().enumerate().skip(1).max_by_key(|(_, c)| **c);
                    if let Some((ty, &c)) = best.filter(|(_, c)| **c > 0) {
                        f.push(hash(&["hist", &ty.to_string(), if c > 1 { "many" } else { "one" }]));
                    }
                }
                f
            })
            .collect()
    }

    pub fn record(&mut self, tokens: &[String], labels: &[u8]) {
        for (t, &l) in tokens.iter().zip(labels) {
            if l == 0 || !t.chars().next().is_some_and(char::is_alphabetic) {
                continue;
            }
            let counts = self.0.entry(t.to_lowercase()).or_default();
            if let Some(c) = counts.get_mut(usize::from(l.div_ceil(2))) {
                *c = c.saturating_add(1);
            }
        }
    }
}

impl Model {
    /// The compact form (see [`Compact`]): about 13 bytes per kept feature.
    fn compact_bytes(&self) -> Vec<u8> {
        let max = self.weights.values().flatten().fold(0f32, |m, w| m.max(w.abs())).max(f32::MIN_POSITIVE);
        let scale = max / 127.0;
        let mut rows: Vec<(u32, [i8; L])> = self
            .weights
            .iter()
            .map(|(&f, w)| (f, w.map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8)))
            .filter(|(_, q)| q.iter().any(|&x| x != 0))
            .collect();
        rows.sort_by_key(|r| r.0);
        let compact = Compact {
            scale,
            features: rows.iter().map(|r| r.0).collect(),
            weights: rows.iter().map(|r| r.1).collect(),
            trans: self.trans.to_vec(),
        };
        postcard::to_allocvec(&compact).unwrap_or_default()
    }

    /// The compact form (see [`Compact`]) behind [`MODEL_MAGIC`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MODEL_MAGIC.to_vec();
        out.extend(self.compact_bytes());
        out
    }

    /// Reads [`Model::to_bytes`]; refuses other bytes with a clear message.
    pub fn from_bytes(bytes: &[u8]) -> crate::Result<Model> {
        let body = bytes
            .strip_prefix(MODEL_MAGIC.as_slice())
            .ok_or_else(|| crate::Error::corrupt("not a newslens entity model (wrong magic or version)"))?;
        Model::from_compact(body)
    }

    fn from_compact(body: &[u8]) -> crate::Result<Model> {
        let c: Compact =
            postcard::from_bytes(body).map_err(|e| crate::Error::corrupt(format!("entity model damaged: {e}")))?;
        if c.features.len() != c.weights.len() || c.trans.len() != L + 1 {
            return Err(crate::Error::corrupt("entity model damaged: tables of different lengths"));
        }
        let weights = c.features.iter().zip(&c.weights).map(|(&f, q)| (f, q.map(|x| f32::from(x) * c.scale))).collect();
        let mut trans = [[0f32; L]; L + 1];
        for (t, row) in trans.iter_mut().zip(&c.trans) {
            *t = *row;
        }
        Ok(Model { weights, trans })
    }

    /// Tags the sentences of one article in order, each with the [`History`] of those
    /// before it. `feats[i]` are the static features of `sentences[i]`.
    pub fn tag_doc(&self, sentences: &[&[String]], feats: &[Vec<Vec<u32>>]) -> Vec<Vec<u8>> {
        let mut history = History::default();
        sentences
            .iter()
            .zip(feats)
            .map(|(tokens, f)| {
                let labels = self.tag(&history.extend(tokens, f));
                history.record(tokens, &labels);
                labels
            })
            .collect()
    }

    fn emissions(&self, feats: &[Vec<u32>]) -> Vec<[f32; L]> {
        emissions_by(feats, |f| self.weights.get(&f))
    }

    /// Viterbi decoding under BIO constraints.
    pub fn tag(&self, feats: &[Vec<u32>]) -> Vec<u8> {
        viterbi(&self.emissions(feats), &self.trans)
    }
}

/// Per token, how far its label's score is above "outside" (0 for outside).
fn margins(labels: &[u8], emissions: &[[f32; L]]) -> Vec<f32> {
    labels
        .iter()
        .zip(emissions)
        .map(|(&l, e)| if l == 0 { 0.0 } else { e.get(usize::from(l)).unwrap_or(&0.0) - e.first().unwrap_or(&0.0) })
        .collect()
}

/// Per token, the summed weights of its features for each label; `weight` finds a
/// feature's weights (the trained model's map, or the trainer's live table).
pub fn emissions_by<'w>(feats: &[Vec<u32>], weight: impl Fn(u32) -> Option<&'w [f32; L]>) -> Vec<[f32; L]> {
    feats
        .iter()
        .map(|fs| {
            let mut e = [0f32; L];
            for w in fs.iter().filter_map(|&f| weight(f)) {
                for (x, y) in e.iter_mut().zip(w) {
                    *x += y;
                }
            }
            e
        })
        .collect()
}

/// Best label sequence for emission scores and transitions.
pub fn viterbi(emissions: &[[f32; L]], trans: &[[f32; L]; L + 1]) -> Vec<u8> {
    let n = emissions.len();
    if n == 0 {
        return Vec::new();
    }
    let mut score = vec![[f32::NEG_INFINITY; L]; n];
    let mut back = vec![[0u8; L]; n];
    for (t, e) in emissions.iter().enumerate() {
        for b in 0..L {
            let emit = e.get(b).copied().unwrap_or(0.0);
            if t == 0 {
                if allowed(L, b) {
                    if let (Some(row), Some(tr)) = (score.first_mut(), trans.get(L)) {
                        if let (Some(s), Some(x)) = (row.get_mut(b), tr.get(b)) {
                            *s = x + emit;
                        }
                    }
                }
                continue;
            }
            let mut best = (f32::NEG_INFINITY, 0u8);
            for a in 0..L {
                if !allowed(a, b) {
                    continue;
                }
                let prev = score.get(t - 1).and_then(|r| r.get(a)).copied().unwrap_or(f32::NEG_INFINITY);
                let s = prev + trans.get(a).and_then(|r| r.get(b)).copied().unwrap_or(0.0);
                if s > best.0 {
                    best = (s, a as u8);
                }
            }
            if let (Some(row), Some(bk)) = (score.get_mut(t), back.get_mut(t)) {
                if let (Some(s), Some(k)) = (row.get_mut(b), bk.get_mut(b)) {
                    *s = best.0 + emit;
                    *k = best.1;
                }
            }
        }
    }
    let last = score.last().map_or(0, |r| r.iter().enumerate().max_by(|x, y| x.1.total_cmp(y.1)).map_or(0, |(i, _)| i));
    let mut out = vec![0u8; n];
    let mut cur = last as u8;
    for t in (0..n).rev() {
        if let Some(o) = out.get_mut(t) {
            *o = cur;
        }
        cur = back.get(t).and_then(|r| r.get(cur as usize)).copied().unwrap_or(0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_conll_and_converts_iob1() {
        let docs = read_conll("-DOCSTART- -X- O O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n\n-DOCSTART- -X- O O\n\nOslo NNP B-NP I-LOC\n");
        assert_eq!(docs.len(), 2);
        let s = &docs[0][0];
        assert_eq!(s.tokens, ["EU", "rejects", "Peter", "Blackburn"]);
        let names: Vec<&str> = s.labels.iter().map(|&l| LABELS[l as usize]).collect();
        assert_eq!(names, ["B-ORG", "O", "B-PER", "I-PER"]);
        assert_eq!(spans(&s.labels), [(2, 0, 1), (1, 2, 4)]);
    }

    #[test]
    fn shapes_and_transitions() {
        for (w, s) in [
            ("Lei", "Xxx"),
            ("Paris", "Xxx"),
            ("XPENG", "XX"),
            ("SU7", "XXd"),
            ("1996-08-22", "dd-dd-dd"),
            ("e-mail", "x-xx"),
        ] {
            assert_eq!(shape(w), s, "{w}");
        }
        assert!(allowed(L, 1) && !allowed(L, 2) && allowed(1, 2) && !allowed(3, 2) && allowed(2, 2) && !allowed(0, 4));
    }

    #[test]
    fn compact_form_round_trips_and_refuses_junk() {
        let mut m = Model::default();
        m.weights.insert(7, [1.0, -2.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        m.weights.insert(9, [0.0001; L]);
        m.trans[L][1] = 0.25;
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.weights.len(), 1, "all-zero rows are pruned");
        let w = back.weights[&7];
        assert!((w[1] + 2.0).abs() < 0.02 && (w[0] - 1.0).abs() < 0.02);
        assert_eq!(back.trans[L][1], 0.25);
        for junk in [&b""[..], b"NLNERv01\xff\xff", b"NEWSLENS...."] {
            assert!(Model::from_bytes(junk).is_err());
        }
    }

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn votes_carry_what_the_article_said_elsewhere() {
        // Stage one tagged "Peter Blackburn" as a person, then missed a lone "Blackburn".
        let a = words("Peter Blackburn spoke");
        let b = words("Blackburn said no");
        let c = words("Oslo is cold");
        let sentences: Vec<&[String]> = vec![&a, &b, &c];
        let labels = vec![vec![1, 2, 0], vec![0, 0, 0], vec![5, 0, 0]];
        let votes = Votes::new(&sentences, &labels);
        let empty = vec![Vec::new(); 3];
        let has = |f: &[u32], parts: &[&str]| f.contains(&hash(parts));
        let fb = votes.features(&b, &labels[1], &empty);
        // The lone "Blackburn": elsewhere inside a person's name, and once as a person word.
        assert!(has(&fb[0], &["vin", "1", "all"]), "contained in a longer person name");
        assert!(has(&fb[0], &["vw", "1", "all"]), "its other mention was a person");
        assert!(has(&fb[0], &["p1", "0"]));
        // A name mentioned once learns nothing from itself.
        let fc = votes.features(&c, &labels[2], &empty);
        assert!(!fc[0].iter().any(|&x| x == hash(&["vw", "3", "all"]) || x == hash(&["vn", "3", "all", "="])));
        assert!(has(&fc[0], &["p1", "5"]));
    }

    #[test]
    fn a_two_stage_model_round_trips_and_refuses_junk() {
        let mut t = Tagger::default();
        t.first.weights.insert(7, [1.0, -2.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        t.second.weights.insert(8, [0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        t.second.trans[L][1] = 0.5;
        let bytes = t.to_bytes();
        let back = Tagger::from_bytes(&bytes).unwrap();
        assert_eq!((back.first.weights.len(), back.second.weights.len()), (1, 1));
        assert_eq!(back.second.trans[L][1], 0.5);
        assert!((back.second.weights[&8][2] - 3.0).abs() < 0.03);
        let mut longer = bytes.clone();
        longer.push(0);
        for junk in [&b""[..], &bytes[..bytes.len() - 1], &longer, &t.first.to_bytes(), b"NLNERv02\xff\xff\xff\xff"] {
            assert!(Tagger::from_bytes(junk).is_err());
        }
    }

    #[test]
    fn viterbi_respects_bio() {
        // Emissions prefer I-PER at the start, which BIO forbids.
        let mut e = [[0f32; L]; 2];
        e[0][2] = 5.0;
        e[0][1] = 1.0;
        e[1][2] = 5.0;
        let tags = viterbi(&e, &[[0f32; L]; L + 1]);
        assert_eq!(tags, [1, 2]);
    }
}
