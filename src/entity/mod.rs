//! entity/: who and what does the article mention? Typed mentions with spans and a
//! canonical entity, from curated lists (gazetteer), grammars (dates, money, percentages,
//! "<brand> <model>" products) and contextual rules (people).
//!
//! Invariants: mentions never overlap; each lies on word edges inside the article text
//! and inside one paragraph; the same name in a corpus always maps to the same entity id.
//! Rule order when candidates overlap: amounts, then dates, then list names and products,
//! then people and organisations found by rule; within a level the longer span wins.

mod gazetteer;
mod patterns;
mod people;
mod relations;
mod tagged;
mod words;

use std::collections::BTreeSet;

use aho_corasick::{AhoCorasick, MatchKind};

pub use gazetteer::{Entry, Gazetteer};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Article, Entity, EntityType, Mention, Relations};
use crate::text::is_word_edge;
use words::{segment, Word};

/// Words that may follow a model number ("Mi 10 Pro", "iPhone 15 Pro Max").
const MODEL_SUFFIXES: &[&str] =
    &["Pro", "Max", "Plus", "Ultra", "Mini", "Lite", "SE", "Air", "Fold", "Flip", "Neo", "GT", "Turbo", "XL", "Edge"];

/// Lower-cased words of the shipped name lists with the kinds of names they occur in (bit
/// 0 person, 1 organisation, 2 place, 3 anything else, 4 a known first name), plus the
/// rules' own word lists (bit 5 a role before or after a person's name: "CEO", "chairman";
/// 6 a word that ends an organisation's name: "Group", "Bank"; 7 a word that ends the name
/// of a thing or an event: "App", "Conference"): features for the statistical tagger in
/// `ner`, which learns from its training news how much each list is worth, and then knows
/// that "CEO" is a role as "chairman" is.
pub fn gazetteer_words() -> Result<crate::ner::GazetteerWords> {
    let mut out = crate::ner::GazetteerWords::default();
    for (entry, surfaces) in gazetteer::builtin_rows()? {
        let bit = match entry.entity.ty {
            EntityType::Person => 1,
            EntityType::Org => 2,
            EntityType::Place => 4,
            _ => 8,
        };
        for s in surfaces {
            for w in s.split_whitespace() {
                *out.entry(w.to_lowercase()).or_insert(0u8) |= bit;
            }
        }
    }
    for name in gazetteer::FIRST_NAMES.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        *out.entry(name.to_lowercase()).or_insert(0u8) |= FIRST_NAME_BIT;
    }
    for (list, bit) in [(people::ROLE_WORDS, 32u8), (people::ORG_HEADS, 64), (people::THING_HEADS, 128)] {
        for w in list {
            *out.entry(w.to_lowercase()).or_insert(0u8) |= bit;
        }
    }
    Ok(out)
}

/// The bit of [`gazetteer_words`] that marks a known first name.
const FIRST_NAME_BIT: u8 = 16;

/// A possible mention before overlaps are settled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub entity: Entity,
    pub confidence: f32,
    /// Higher wins an overlap (see the module doc).
    pub priority: u8,
}

/// The trained tagger shipped in data/ner (provenance and figures in its README).
const MODEL: &[u8] = include_bytes!("../../data/ner/model.bin");

/// A tagger's name is kept only when its weakest token beats "outside" by this much. At 0,
/// a name the transitions carried against the token's own scores is dropped. Higher costs
/// recall without buying precision: at 10, CoNLL-2003 dev fell from 84.8 to 83.0 F1, and
/// the tagger's mistakes on the seeds ("NOA", "Lei Jun" as an organisation) have margins
/// of 20 to 40.
const MIN_MARGIN: f32 = 0.0;

/// Finds entity mentions. Build once and reuse: building compiles the name lists and
/// reads the tagger's weights.
pub struct Extractor {
    gazetteer: Gazetteer,
    currencies: patterns::Currencies,
    /// None only for comparisons (`newslens eval-ner`).
    tagger: Option<&'static crate::ner::Tagger>,
    tagger_words: crate::ner::GazetteerWords,
}

/// What the corpus's first pass learned of one article.
pub struct FirstPass {
    /// The people it names with evidence of its own.
    pub people: Vec<String>,
    /// The tagger's names, for the second pass.
    tagged: Vec<tagged::Tagged>,
}

/// People found across a corpus, matched wherever else they are named.
pub struct KnownPeople {
    names: Vec<String>,
    matcher: Option<AhoCorasick>,
}

impl KnownPeople {
    pub fn new(names: BTreeSet<String>) -> KnownPeople {
        let names: Vec<String> = names.into_iter().collect();
        let matcher = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&names).ok();
        KnownPeople { names, matcher }
    }
}

/// One paragraph (or the title) cut into words.
struct Block<'a> {
    words: Vec<Word<'a>>,
    is_title: bool,
}

impl Extractor {
    /// An extractor with the lists shipped in data/gazetteer.
    pub fn new() -> Result<Extractor> {
        Ok(Extractor {
            gazetteer: Gazetteer::builtin()?,
            currencies: patterns::parse_currencies(gazetteer::CURRENCIES),
            tagger: Some(Extractor::shipped_tagger()?),
            tagger_words: gazetteer_words()?,
        })
    }

    /// The lists, grammars and rules alone: what the tagger adds is measured against this.
    pub fn without_tagger() -> Result<Extractor> {
        Ok(Extractor { tagger: None, ..Extractor::new()? })
    }

    /// The tagger shipped in data/ner, read once per process (its weights are 1.5 MB).
    pub fn shipped_tagger() -> Result<&'static crate::ner::Tagger> {
        static TAGGER: std::sync::OnceLock<std::result::Result<crate::ner::Tagger, String>> =
            std::sync::OnceLock::new();
        TAGGER
            .get_or_init(|| crate::ner::Tagger::from_bytes(MODEL).map_err(|e| e.message().to_string()))
            .as_ref()
            .map_err(|e| Error::corrupt(e.clone()))
    }

    /// Mentions in one article, on its own.
    pub fn extract(&self, article: &Article) -> Vec<Mention> {
        self.extract_corpus(std::slice::from_ref(article)).into_iter().next().unwrap_or_default()
    }

    /// Mentions for each article of a corpus (same order). A person recognised in one
    /// article is recognised in all: "Lei Jun" named as CEO in one story is still Lei Jun
    /// in a headline or a story that never says who he is.
    pub fn extract_corpus(&self, articles: &[Article]) -> Vec<Vec<Mention>> {
        let firsts: Vec<FirstPass> = articles.iter().map(|a| self.first_pass(a)).collect();
        let known = KnownPeople::new(firsts.iter().flat_map(|f| f.people.iter().cloned()).collect());
        articles.iter().zip(firsts).map(|(a, f)| self.mentions_after(a, &known, f)).collect()
    }

    /// The corpus's first pass, one article at a time (so a caller can report progress):
    /// the people this article names with evidence of its own (a role, a reporting verb).
    pub fn people_in(&self, article: &Article) -> Vec<String> {
        self.first_pass(article).people
    }

    /// The first pass with what the tagger read, which the second pass then reuses: the
    /// tagger was half of extraction when it ran in both.
    pub fn first_pass(&self, article: &Article) -> FirstPass {
        let (_, people, tagged) = self.candidates(article, &article.text(), None, None);
        FirstPass { people, tagged }
    }

    /// The corpus's second pass: an article's mentions, given every person the first pass
    /// found anywhere in the corpus.
    pub fn mentions(&self, article: &Article, known: &KnownPeople) -> Vec<Mention> {
        let matcher = known.matcher.as_ref().map(|m| (m, known.names.as_slice()));
        resolve(self.candidates(article, &article.text(), matcher, None).0)
    }

    /// [`Extractor::mentions`] for an article whose [`FirstPass`] is at hand: the same
    /// mentions, without tagging it again.
    pub fn mentions_after(&self, article: &Article, known: &KnownPeople, first: FirstPass) -> Vec<Mention> {
        let matcher = known.matcher.as_ref().map(|m| (m, known.names.as_slice()));
        resolve(self.candidates(article, &article.text(), matcher, Some(first.tagged)).0)
    }

    /// Who holds which role where, and who said what, in an article whose mentions (from
    /// [`Extractor::mentions`]) are settled.
    pub fn relations(&self, article: &Article, mentions: &[Mention]) -> Relations {
        relations::find(&article.text(), &article.spans(), mentions)
    }

    /// Candidates in one article, the people names accepted from its own evidence, and
    /// the tagger's names (`tagged` when given, else the tagger is run).
    fn candidates(
        &self,
        article: &Article,
        text: &str,
        known: Option<(&AhoCorasick, &[String])>,
        tagged: Option<Vec<tagged::Tagged>>,
    ) -> (Vec<Candidate>, Vec<String>, Vec<tagged::Tagged>) {
        let blocks: Vec<Block> = article
            .spans()
            .into_iter()
            .enumerate()
            .map(|(i, (s, e))| Block { words: segment(text.get(s..e).unwrap_or_default(), s), is_title: i == 0 })
            .collect();

        let mut out = Vec::new();
        for b in &blocks {
            out.extend(patterns::amounts(text, &b.words, &self.currencies));
            out.extend(patterns::dates(&b.words, article.date.as_deref()));
        }
        let listed = self.listed(text, &blocks);
        for b in &blocks {
            out.extend(headed_names(&b.words, &listed));
        }
        out.extend(listed);

        let found = match (tagged, &self.tagger) {
            (Some(found), _) => found,
            // A title in Title Case says nothing by its capitals (the training news set
            // headlines in capitals, which the tagger knows): its names come from the lists
            // and from the people the article names.
            (None, Some(tagger)) => {
                let spans: Vec<(usize, usize)> = article
                    .spans()
                    .into_iter()
                    .zip(&blocks)
                    .filter(|(_, b)| !(b.is_title && title_case(&b.words)))
                    .map(|(s, _)| s)
                    .collect();
                tagged::tag(tagger, &self.tagger_words, text, &spans)
            }
            (None, None) => Vec::new(),
        };

        // People and organisations by rule, on words no list or grammar has taken.
        let taken: Vec<(usize, usize)> = out.iter().map(|c| (c.start, c.end)).collect();
        let is_taken = |s: usize, e: usize| taken.iter().any(|&(ts, te)| s < te && ts < e);
        let mut accepted = Vec::new();
        for b in blocks.iter().filter(|b| !b.is_title) {
            for run in people::name_runs(text, &b.words, &is_taken) {
                if people::head_in(&b.words, &run, people::ORG_HEADS) {
                    if let (Some(f), Some(l)) = (b.words.get(run.start_word), b.words.get(run.end_word - 1)) {
                        out.push(Candidate {
                            start: f.start,
                            end: f.start + run.name.len().min(l.end - f.start),
                            entity: Entity::new(EntityType::Org, &run.name),
                            confidence: 0.6,
                            // Below the tagger: "West Bank" ends in "Bank" and is a place.
                            priority: 1,
                        });
                    }
                } else if let Some(evidence) = people::person_evidence(&b.words, &run) {
                    // A reporting verb alone is weak evidence for one word: where the tagger
                    // reads the same word as an organisation or a place ("Pirelli said"), it
                    // is not a person. (Full names keep the rule: the tagger, trained on 1996
                    // Reuters, reads unfamiliar names like "Lei Jun" as organisations.)
                    let start = b.words.get(run.start_word).map_or(0, |w| w.start);
                    let end = start + run.name.len();
                    let disputed =
                        !run.name.contains(' ') && found.iter().any(|t| t.ty != 1 && t.start == start && t.end == end);
                    if evidence == people::Evidence::Role || !disputed {
                        accepted.push(run.name);
                    }
                }
            }
        }

        let mut bare_parts: Vec<(String, String)> = Vec::new();
        if let Some((matcher, names)) = known {
            let (found_people, parts) = self.known_people(text, &blocks, matcher, names);
            out.extend(found_people);
            bare_parts = parts;
        }

        // The statistical tagger's names, at the rules' level for people and organisations
        // but after them, so a rule's name wins a tie and the tagger wins with a longer
        // name; lists, dates and amounts always win.
        let lower_words: std::collections::HashSet<&str> = blocks
            .iter()
            .flat_map(|b| &b.words)
            .map(|w| w.text)
            .filter(|t| t.chars().all(char::is_lowercase))
            .collect();
        let mut not_places = Vec::new();
        for t in &found {
            if t.margin < MIN_MARGIN {
                continue;
            }
            let Some(surface) = text.get(t.start..t.end) else { continue };
            let name = surface.split_whitespace().collect::<Vec<_>>().join(" ");
            // One capitalised word the article also writes in lower case ("Similar" at the
            // start of a run-on sentence), or a model's variant word ("Max", "Pro"), is
            // not a name on its own.
            if !name.contains(' ')
                && (lower_words.contains(name.to_lowercase().as_str()) || MODEL_SUFFIXES.contains(&name.as_str()))
            {
                continue;
            }
            let ty = match t.ty {
                1 => EntityType::Person,
                2 => EntityType::Org,
                3 => EntityType::Place,
                // One plain word is mostly a nationality or group ("Chinese", "Arab",
                // "Moslem"): the part of CoNLL's MISC that is newslens's norp.
                _ if !name.contains(' ') && is_plain_titlecase(&name) => EntityType::Norp,
                // CoNLL's other MISC names are events when their last word says so ("World
                // Cup", "U.S. Open", "PGA Tour"); the rest (works, terms, "a Dream Car") are
                // left out: no newslens type fits them all.
                _ if name.rsplit(' ').next().is_some_and(is_event_word) => EntityType::Event,
                _ => continue,
            };
            if ty == EntityType::Person && name.contains(' ') && !is_taken(t.start, t.end) {
                accepted.push(name.clone());
            }
            // The tagger's one-word person is the person this article names in full.
            let name = match bare_parts.iter().find(|(part, _)| ty == EntityType::Person && *part == name) {
                Some((_, full)) => full.clone(),
                None => name,
            };
            if ty != EntityType::Place {
                not_places.push((t.start, t.end, matches!(ty, EntityType::Person | EntityType::Org)));
            }
            out.push(Candidate {
                start: t.start,
                end: t.end,
                entity: Entity::new(ty, &name),
                confidence: 0.5 + 0.4 * (1.0 - (-t.margin / 20.0).exp()),
                priority: 2,
            });
        }
        // A place name used for something else: a team ("New York beat Chicago"), a
        // government ("Washington said"), a person ("Jordan scored"), or part of a longer
        // name ("Air France", "U.S. Open"). The place lists cannot tell; the tagger reads the
        // sentence, so its name wins there.
        out.retain(|c| {
            !(c.priority == 3
                && c.entity.ty == EntityType::Place
                && not_places.iter().any(|&(s, e, same_span_counts)| {
                    (s == c.start && e == c.end && same_span_counts)
                        || (s <= c.start && c.end <= e && e - s > c.end - c.start)
                }))
        });

        (out, accepted, found)
    }

    /// Names from the lists, with products extended by their model ("NIO" + "ET5").
    fn listed(&self, text: &str, blocks: &[Block]) -> Vec<Candidate> {
        let hits = self.gazetteer.find(text);
        let words: Vec<Word> = blocks.iter().flat_map(|b| b.words.iter().copied()).collect();
        let mut out = Vec::new();
        let mut skip_until = 0;
        for (k, hit) in hits.iter().enumerate() {
            if hit.start < skip_until {
                continue;
            }
            let Some(entry) = self.gazetteer.entry(hit.entry) else {
                continue;
            };
            let mut cand = Candidate {
                start: hit.start,
                end: hit.end,
                entity: entry.entity.clone(),
                confidence: 0.9,
                priority: 3,
            };
            if entry.brand || entry.line {
                let next = next_word(&words, text, hit.end);
                // "Xiaomi Mi 10 Pro": a brand followed by one of its own lines.
                let line_hit = hits.get(k + 1).filter(|h| {
                    next.and_then(|j| words.get(j)).is_some_and(|w| w.start == h.start)
                        && self
                            .gazetteer
                            .entry(h.entry)
                            .is_some_and(|l| l.line && l.brand_of.as_deref() == Some(entry.entity.name.as_str()))
                });
                let (head, head_end) = match line_hit.and_then(|h| Some((self.gazetteer.entry(h.entry)?, h.end))) {
                    Some((line, end)) => (line, end),
                    None => (entry, hit.end),
                };
                match next_word(&words, text, head_end).and_then(|j| model_after(&words, j)) {
                    Some((end, model)) => {
                        cand.end = end;
                        cand.entity = Entity::new(EntityType::Product, &format!("{} {model}", head.entity.name));
                        cand.confidence = 0.85;
                    }
                    None if !std::ptr::eq(head, entry) => {
                        cand.end = head_end;
                        cand.entity = head.entity.clone();
                    }
                    None if entry.needs_model => continue,
                    None => {}
                }
                skip_until = cand.end;
            } else if entry.needs_model {
                continue;
            }
            out.push(cand);
        }
        out
    }

    /// Every place a known person is named, plus a bare part of a name this article gives
    /// in full: the last word ("Paco León" … "León said") or the first where it is not a
    /// given name, as the surname in Chinese, Korean and Hungarian names ("Lei Jun" … "Lei
    /// said"). A word that could be part of two people's names here is left alone.
    /// Returns the candidates and the (bare part, full name) pairs.
    fn known_people(
        &self,
        text: &str,
        blocks: &[Block],
        matcher: &AhoCorasick,
        names: &[String],
    ) -> (Vec<Candidate>, Vec<(String, String)>) {
        let mut out = Vec::new();
        let mut present: Vec<&str> = Vec::new();
        for m in matcher.find_iter(text) {
            if !(is_word_edge(text, m.start()) && is_word_edge(text, m.end())) {
                continue;
            }
            let Some(name) = names.get(m.pattern().as_usize()) else {
                continue;
            };
            out.push(person(m.start(), m.end(), name, 0.8));
            if !present.contains(&name.as_str()) {
                present.push(name);
            }
        }
        let mut parts: Vec<(&str, &str)> = Vec::new();
        for name in &present {
            let words: Vec<&str> = name.split(' ').collect();
            if words.len() < 2 {
                continue;
            }
            // A first word that is a given name ("John" of "John Smith") is left out:
            // alone, it names someone else as often as not.
            let first = words
                .first()
                .filter(|w| self.tagger_words.get(&w.to_lowercase()).is_none_or(|bits| bits & FIRST_NAME_BIT == 0));
            for part in [first, words.last()].into_iter().flatten() {
                if part.chars().count() >= 3 && !people::is_function_word(part) && !parts.contains(&(part, name)) {
                    parts.push((part, name));
                }
            }
        }
        for &(part, name) in &parts {
            if parts.iter().any(|&(p, n)| p == part && n != name) {
                continue;
            }
            // A one-word name accepted on its own evidence ("Mr Lei") is the same person.
            for c in out.iter_mut().filter(|c| c.entity.name == part) {
                c.entity = Entity::new(EntityType::Person, name);
            }
            let words = blocks.iter().flat_map(|b| b.words.iter().enumerate().map(move |(i, w)| (b, i, w)));
            for (b, i, w) in words {
                if people::strip_possessive(w.text) != part {
                    continue;
                }
                // Only a word standing alone ("Mr Lei" aside): "Lei" in "Lei Jun" is the full
                // name's, and "Jun" before another capitalised word starts some other name.
                let capital = |k: Option<usize>| {
                    k.and_then(|k| b.words.get(k)).is_some_and(|x| {
                        x.text.starts_with(char::is_uppercase)
                            && !people::ROLE_WORDS.contains(&x.text.trim_end_matches('.').to_lowercase().as_str())
                    })
                };
                if capital(i.checked_sub(1)) || capital(Some(i + 1)) {
                    continue;
                }
                // Below the tagger: where it reads the word as something else ("Iraqi" of a
                // misread "Iraqi Kengo" is a nationality), its reading wins; where it reads a
                // person, `candidates` makes that person this one.
                out.push(Candidate { priority: 1, ..person(w.start, w.start + part.len(), name, 0.6) });
            }
        }
        let parts = parts
            .iter()
            .filter(|&&(part, name)| !parts.iter().any(|&(p, n)| p == part && n != name))
            .map(|&(p, n)| (p.to_string(), n.to_string()))
            .collect();
        (out, parts)
    }
}

/// Last words that make a capitalised run the name of an event or of a product.
const EVENT_HEADS: &[&str] = &[
    "Conference",
    "Show",
    "Summit",
    "Expo",
    "Forum",
    "Festival",
    "Fair",
    "Awards",
    "Games",
    "Cup",
    "Championship",
    "Championships",
    "Olympics",
    "Congress",
    "Week",
    "Marathon",
    "Exhibition",
    "Convention",
];
const PRODUCT_HEADS: &[&str] = &["App"];

/// "Xiaomi Investor Conference", "HarmonyOS Spring Eco-Communication Conference", "Xiaomi
/// Car App": a capitalised run ending in an event or product head is one name, even when it
/// begins with a listed company (the longer name wins the overlap at the lists' level). A
/// run whose end a list already names ("… Beijing Auto Show") is left to the list.
fn headed_names(words: &[Word], listed: &[Candidate]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (k, head) in words.iter().enumerate() {
        let ty = if EVENT_HEADS.contains(&head.text) {
            EntityType::Event
        } else if PRODUCT_HEADS.contains(&head.text) {
            EntityType::Product
        } else {
            continue;
        };
        let mut first = k;
        while first > 0 {
            let Some(w) = words.get(first - 1) else { break };
            let glued = |a: Option<&Word>, b: Option<&Word>| a.zip(b).is_some_and(|(a, b)| a.end == b.start);
            if w.text == "-" && glued(words.get(first.wrapping_sub(2)), Some(w)) && glued(Some(w), words.get(first)) {
                first -= 1;
                continue;
            }
            let capitalised = w.text.starts_with(char::is_uppercase) && w.text.chars().all(char::is_alphanumeric);
            if !capitalised || people::is_function_word(w.text) {
                break;
            }
            first -= 1;
        }
        if first == k || listed.iter().any(|c| c.end == head.end) {
            continue;
        }
        let (Some(f), Some(text)) = (words.get(first), words.get(first..=k)) else { continue };
        let mut name = String::new();
        for (i, w) in text.iter().enumerate() {
            if i > 0 && text.get(i - 1).is_some_and(|p| p.end != w.start) {
                name.push(' ');
            }
            name.push_str(w.text);
        }
        out.push(Candidate {
            start: f.start,
            end: head.end,
            entity: Entity::new(ty, &name),
            confidence: 0.7,
            priority: 3,
        });
    }
    out
}

/// Most words capitalised, short function words aside: "Xiaomi CEO Uses an iPhone".
fn title_case(words: &[Word]) -> bool {
    // Words in capitals are left out: a headline in capitals is one the tagger knows.
    let long: Vec<&Word> =
        words.iter().filter(|w| w.text.chars().count() > 3 && w.text.chars().any(char::is_lowercase)).collect();
    let upper = long.iter().filter(|w| w.text.chars().next().is_some_and(char::is_uppercase)).count();
    long.len() >= 3 && upper * 5 >= long.len() * 4
}

/// "Arab", "Moslem": one capital then lower-case letters (not "GMT", not "C$").
fn is_plain_titlecase(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().skip(1).all(char::is_lowercase)
        && word.len() > 2
}

/// The last word of an event's name, in any case ("Cup", "CUP", "Open", "Tour").
fn is_event_word(word: &str) -> bool {
    const MORE: &[&str] = &["Open", "Tour", "Prix", "Trophy", "Series", "Rally", "Grand", "Classic", "Masters", "Day"];
    let title: String =
        word.chars().take(1).chain(word.chars().skip(1).flat_map(char::to_lowercase)).collect::<String>();
    EVENT_HEADS.contains(&title.as_str()) || MORE.contains(&title.as_str())
}

fn person(start: usize, end: usize, name: &str, confidence: f32) -> Candidate {
    Candidate { start, end, entity: Entity::new(EntityType::Person, name), confidence, priority: 2 }
}

/// Index of the first word starting at or after byte `at`, allowing a possessive between
/// ("Xiaomi’s SU7"). None when another word part or punctuation comes first.
fn next_word(words: &[Word], text: &str, at: usize) -> Option<usize> {
    let i = words.iter().position(|w| w.end > at)?;
    let w = words.get(i)?;
    if w.start < at {
        // The hit ended inside this word: only a possessive may follow it.
        let rest = text.get(at..w.end)?;
        return matches!(rest, "’s" | "'s").then_some(i + 1);
    }
    Some(i)
}

/// A model name starting at word `j`: "SU7", "10 Pro", "S24 Ultra". Returns its end byte
/// and text. Four-digit numbers are years, not models.
fn model_after(words: &[Word], j: usize) -> Option<(usize, String)> {
    let w = words.get(j)?;
    let t = w.text;
    let alnum = t.chars().all(|c| c.is_ascii_alphanumeric());
    let digit = t.chars().any(|c| c.is_ascii_digit());
    let letter = t.chars().any(|c| c.is_ascii_alphabetic());
    let uppercase_letters = t.chars().filter(char::is_ascii_alphabetic).all(|c| c.is_ascii_uppercase());
    if !(alnum && digit && ((letter && uppercase_letters) || t.len() <= 3)) {
        return None;
    }
    let mut end = w.end;
    let mut model = t.to_string();
    for s in words.get(j + 1..).unwrap_or_default() {
        if MODEL_SUFFIXES.contains(&s.text) && s.start <= end + 1 {
            model.push(' ');
            model.push_str(s.text);
            end = s.end;
        } else {
            break;
        }
    }
    Some((end, model))
}

/// Settles overlaps (see the module doc) and orders mentions by position.
fn resolve(mut candidates: Vec<Candidate>) -> Vec<Mention> {
    candidates.sort_by(|a, b| {
        b.priority.cmp(&a.priority).then((b.end - b.start).cmp(&(a.end - a.start))).then(a.start.cmp(&b.start))
    });
    let mut chosen: Vec<Candidate> = Vec::new();
    for c in candidates {
        if c.start < c.end && !chosen.iter().any(|k| c.start < k.end && k.start < c.end) {
            chosen.push(c);
        }
    }
    chosen.sort_by_key(|c| c.start);
    chosen
        .into_iter()
        .map(|c| Mention { start: c.start, end: c.end, entity: c.entity, confidence: c.confidence })
        .collect()
}

impl From<aho_corasick::BuildError> for Error {
    fn from(e: aho_corasick::BuildError) -> Error {
        Error::new(ErrorKind::BadRequest, format!("name matcher: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, paragraphs: &[&str]) -> Article {
        Article {
            id: "t".into(),
            title: title.into(),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        }
    }

    fn mentions(a: &Article) -> Vec<(String, String)> {
        let text = a.text();
        Extractor::new()
            .unwrap()
            .extract(a)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.entity.id))
            .collect()
    }

    fn has(found: &[(String, String)], surface: &str, id: &str) -> bool {
        found.iter().any(|(s, i)| s == surface && i == id)
    }

    #[test]
    fn products_from_brand_and_model() {
        let a = article(
            "EV makers",
            &["Buy a LUXEED S7, NIO ET5 or XPeng P7 series, or a Zhijie S7 and Xiaopeng P7. Xiaomi’s SU7 and the Mi 10 Pro, Xiaomi Mi 10 Pro and iPhone 15 Pro Max. Apple sold iPhones; the iPhone sold."],
        );
        let found = mentions(&a);
        for (surface, id) in [
            ("LUXEED S7", "product:luxeed-s7"),
            ("Zhijie S7", "product:luxeed-s7"),
            ("NIO ET5", "product:nio-et5"),
            ("XPeng P7", "product:xpeng-p7"),
            ("Xiaopeng P7", "product:xpeng-p7"),
            ("Xiaomi’s SU7", "product:xiaomi-su7"),
            ("Mi 10 Pro", "product:mi-10-pro"),
            ("Xiaomi Mi 10 Pro", "product:mi-10-pro"),
            ("iPhone 15 Pro Max", "product:iphone-15-pro-max"),
            ("Apple", "org:apple"),
            ("iPhone", "product:iphone"),
        ] {
            assert!(has(&found, surface, id), "{surface} -> {id} not in {found:?}");
        }
    }

    #[test]
    fn people_are_consistent_across_the_corpus_and_titles() {
        let arts = [
            article("Smartphone maker news", &["CEO Mina Okafor said sales rose. Okafor’s plan worked."]),
            article("Mina Okafor Visits Lagos", &["Mina Okafor toured a Lagos factory."]),
        ];
        let ex = Extractor::new().unwrap();
        let all = ex.extract_corpus(&arts);
        let ids = |i: usize| -> Vec<(String, String)> {
            let t = arts[i].text();
            all[i].iter().map(|m| (t[m.start..m.end].to_string(), m.entity.id.clone())).collect()
        };
        let first = ids(0);
        assert!(has(&first, "Mina Okafor", "person:mina-okafor"), "{first:?}");
        assert!(has(&first, "Okafor", "person:mina-okafor"), "{first:?}");
        let second = ids(1);
        assert_eq!(second.iter().filter(|(_, id)| id == "person:mina-okafor").count(), 2, "{second:?}");
        assert!(has(&second, "Lagos", "place:lagos"));
    }

    #[test]
    fn a_bare_first_or_last_name_is_the_person_named_in_full() {
        let a = article(
            "Phone makers",
            &["Xiaomi CEO Lei Jun spoke in Beijing. Later, Lei said orders rose, and Mr Lei smiled. Jun Li, a fan, agreed."],
        );
        let found = mentions(&a);
        assert_eq!(found.iter().filter(|(s, id)| s == "Lei" && id == "person:lei-jun").count(), 2, "{found:?}");
        // "Jun" stands before another capitalised word: some other name, not Lei Jun.
        assert!(!found.iter().any(|(s, id)| s == "Jun" && id == "person:lei-jun"), "{found:?}");
    }

    #[test]
    fn roles_and_quotes_of_an_article() {
        let a = article(
            "Phone makers",
            &["Xiaomi CEO Lei Jun spoke in Beijing. “We will deliver more cars this year,” Lei said."],
        );
        let ex = Extractor::new().unwrap();
        let ms = ex.extract(&a);
        let r = ex.relations(&a, &ms);
        let roles: Vec<(&str, &str, &str)> =
            r.roles.iter().map(|r| (r.person.id.as_str(), r.org.id.as_str(), r.title.as_str())).collect();
        assert_eq!(roles, [("person:lei-jun", "org:xiaomi", "CEO")]);
        let text = a.text();
        let quotes: Vec<(&str, &str)> =
            r.quotes.iter().map(|q| (q.speaker.id.as_str(), &text[q.start..q.end])).collect();
        assert_eq!(quotes, [("person:lei-jun", "We will deliver more cars this year,")]);
    }

    #[test]
    fn types_in_a_written_story() {
        let a = article(
            "Markets",
            &["On March 3, 2024, Northwind Holdings paid $2.5 million to Acme in Paris, up 4% from 2023, said analyst Ravi Menon."],
        );
        let found = mentions(&a);
        for (surface, id) in [
            ("March 3, 2024", "date:2024-03-03"),
            ("Northwind Holdings", "org:northwind-holdings"),
            ("$2.5 million", "money:2500000-usd"),
            ("Paris", "place:paris"),
            ("4%", "percent:4"),
            ("2023", "date:2023"),
            ("Ravi Menon", "person:ravi-menon"),
        ] {
            assert!(has(&found, surface, id), "{surface} -> {id} not in {found:?}");
        }
    }

    #[test]
    fn mentions_never_overlap_and_sit_on_word_edges() {
        let a = article(
            "Apple’s $5bn Beijing Auto Show bet",
            &["Apple’s iPhone 15 and 5000 yuan on April 22, 2024 in Beijing; CEO Tim Cook said so."],
        );
        let text = a.text();
        let ms = Extractor::new().unwrap().extract(&a);
        assert!(!ms.is_empty());
        for pair in ms.windows(2) {
            assert!(pair[0].end <= pair[1].start, "{pair:?}");
        }
        for m in &ms {
            assert!(is_word_edge(&text, m.start) && is_word_edge(&text, m.end), "{m:?}");
        }
    }
}
