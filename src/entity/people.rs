//! People: names that no list can hold, found from how news writes about people.
//!
//! A run of two to four capitalised words ("Lei Jun", "Paco León", "Ursula von der Leyen")
//! is a person when the sentence says so: a role just before it ("CEO Lei Jun", "director
//! Paco León"), a reporting verb just after it ("Pan Jiutang said", "Lu Weibing from Xiaomi
//! Group posted"), or an appositive role ("Lei Jun, one of the founders"). A name accepted
//! once is then a person everywhere it appears (see `super::Extractor::extract_corpus`).
//! Titles are written in Title Case, so runs there are never accepted on their own.

use super::words::Word;

/// Roles written before a name ("CEO Lei Jun") or in an appositive ("Lei Jun, CEO of").
pub(crate) const ROLE_WORDS: &[&str] = &[
    "actor",
    "actress",
    "adviser",
    "advisor",
    "analyst",
    "analysts",
    "artist",
    "attorney",
    "author",
    "boss",
    "captain",
    "ceo",
    "cfo",
    "chair",
    "chairman",
    "chairwoman",
    "chancellor",
    "chief",
    "coach",
    "co-founder",
    "cofounder",
    "colonel",
    "commissioner",
    "coo",
    "cto",
    "dame",
    "dr",
    "director",
    "economist",
    "editor",
    "engineer",
    "executive",
    "executives",
    "founder",
    "founders",
    "general",
    "governor",
    "head",
    "inventor",
    "investor",
    "journalist",
    "judge",
    "king",
    "lawmaker",
    "lawyer",
    "leader",
    "manager",
    "mayor",
    "minister",
    "mr",
    "mrs",
    "ms",
    "officer",
    "player",
    "pope",
    "premier",
    "president",
    "prince",
    "princess",
    "prof",
    "professor",
    "queen",
    "reporter",
    "researcher",
    "scientist",
    "secretary",
    "senator",
    "singer",
    "sir",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "writer",
];

/// Reporting and action verbs that follow a person's name.
pub(crate) const PERSON_VERBS: &[&str] = &[
    "acknowledged",
    "added",
    "adds",
    "admitted",
    "announced",
    "announces",
    "argued",
    "asked",
    "believes",
    "claimed",
    "commented",
    "confirmed",
    "denied",
    "emphasised",
    "emphasized",
    "explained",
    "expressed",
    "insisted",
    "joked",
    "mentioned",
    "noted",
    "posted",
    "posts",
    "predicted",
    "recalled",
    "recommended",
    "replied",
    "responded",
    "revealed",
    "said",
    "says",
    "shared",
    "stated",
    "states",
    "stressed",
    "suggested",
    "tells",
    "thinks",
    "told",
    "tweeted",
    "urged",
    "warned",
    "wrote",
    "writes",
];

/// Capitalised words that are not names: sentence openers, pronouns, days, months.
const NOT_NAMES: &[&str] = &[
    "a",
    "about",
    "according",
    "after",
    "also",
    "although",
    "an",
    "and",
    "another",
    "any",
    "april",
    "as",
    "at",
    "august",
    "because",
    "before",
    "both",
    "but",
    "by",
    "december",
    "despite",
    "during",
    "each",
    "even",
    "every",
    "february",
    "for",
    "friday",
    "from",
    "furthermore",
    "he",
    "her",
    "his",
    "however",
    "i",
    "if",
    "in",
    "it",
    "its",
    "january",
    "july",
    "june",
    "march",
    "many",
    "may",
    "meanwhile",
    "monday",
    "more",
    "most",
    "mr",
    "mrs",
    "ms",
    "my",
    "new",
    "no",
    "not",
    "november",
    "october",
    "of",
    "on",
    "one",
    "our",
    "saturday",
    "september",
    "she",
    "since",
    "so",
    "some",
    "sunday",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "thursday",
    "to",
    "tuesday",
    "we",
    "wednesday",
    "what",
    "when",
    "where",
    "while",
    "who",
    "why",
    "with",
    "yet",
    "you",
    "your",
];

/// A capitalised word that is not part of a name ("The", "In", "Monday"): where a name run
/// starts after it.
pub(crate) fn is_function_word(word: &str) -> bool {
    NOT_NAMES.contains(&word.to_lowercase().as_str())
}

/// Last words of organisation names: a run ending in one is an organisation, never a
/// person ("Duzhe Finance", "Xiaomi Group").
pub const ORG_HEADS: &[&str] = &[
    "agency",
    "airlines",
    "association",
    "bank",
    "capital",
    "co",
    "commission",
    "company",
    "corp",
    "corporation",
    "council",
    "court",
    "department",
    "electronics",
    "finance",
    "foundation",
    "group",
    "holdings",
    "inc",
    "industries",
    "institute",
    "journal",
    "labs",
    "limited",
    "llc",
    "ltd",
    "media",
    "ministry",
    "motors",
    "network",
    "news",
    "partners",
    "party",
    "plc",
    "post",
    "securities",
    "society",
    "systems",
    "technologies",
    "technology",
    "times",
    "university",
];

/// Last words of other capitalised things that are not people ("Auto Show", "Car App").
pub(crate) const THING_HEADS: &[&str] = &[
    "app",
    "awards",
    "car",
    "conference",
    "congress",
    "cup",
    "day",
    "expo",
    "fair",
    "festival",
    "forum",
    "games",
    "league",
    "model",
    "series",
    "show",
    "summit",
    "week",
    "year",
];

/// Lowercase particles allowed inside a name ("Ursula von der Leyen").
const PARTICLES: &[&str] = &["al", "bin", "da", "de", "del", "der", "di", "du", "la", "le", "van", "von"];

/// How many words after a name may come before its reporting verb ("Lu Weibing from
/// Xiaomi Group posted").
const VERB_WINDOW: usize = 5;
/// How many words into an appositive its role may come ("Lei Jun, one of the founders").
const APPOSITIVE_WINDOW: usize = 4;

/// A name run found in a paragraph: word range and the name as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRun {
    pub start_word: usize,
    pub end_word: usize,
    pub name: String,
}

fn lower_no_dot(w: &Word) -> String {
    w.lower().trim_end_matches('.').to_string()
}

/// The name as written without a possessive ending ("Lei Jun’s" -> "Lei Jun").
pub(super) fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("’s").or_else(|| s.strip_suffix("'s")).unwrap_or(s)
}

/// A capitalised word that can be part of a name. Roles are not ("Spokeswoman Dana
/// Whitfield" is the name "Dana Whitfield" after a role).
fn is_name_word(w: &Word) -> bool {
    let lower = w.lower();
    let bare = strip_possessive(&lower);
    w.is_titlecase() && !NOT_NAMES.contains(&bare) && !ROLE_WORDS.contains(&bare)
}

/// Runs of 2..=4 name words in `words`, skipping words covered by `taken` (already an
/// entity: "Beijing Auto Show" is not a person).
pub fn name_runs(text: &str, words: &[Word], taken: &dyn Fn(usize, usize) -> bool) -> Vec<NameRun> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let ok = |k: usize| words.get(k).is_some_and(|w| is_name_word(w) && !taken(w.start, w.end));
        if !ok(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        let mut count = 1;
        loop {
            // A possessive ends the name: "Lei Jun’s post".
            let prev_possessive = words.get(end - 1).is_some_and(|w| strip_possessive(w.text).len() != w.text.len());
            if prev_possessive || count == 4 {
                break;
            }
            let particles =
                words.get(end..).unwrap_or_default().iter().take_while(|w| PARTICLES.contains(&w.text)).count();
            let hyphen = usize::from(words.get(end).is_some_and(|w| w.text == "-"));
            let skip = if particles > 0 { particles } else { hyphen };
            if ok(end + skip) {
                end += skip + 1;
                count += 1;
            } else {
                break;
            }
        }
        if count >= 2 {
            if let (Some(first), Some(last)) = (words.get(start), words.get(end - 1)) {
                if let Some(name) = text.get(first.start..last.end) {
                    runs.push(NameRun { start_word: start, end_word: end, name: strip_possessive(name).to_string() });
                }
            }
        }
        i = end;
    }
    runs
}

/// Does the sentence around `run` say that it names a person?
/// What says a name run is a person: a role next to it ("CEO Lei Jun", "Lei Jun, CEO of
/// Xiaomi"), or only a reporting verb after it ("X said"), which organisations have too
/// ("the Federal Reserve said").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    Role,
    Verb,
}

pub fn person_evidence(words: &[Word], run: &NameRun) -> Option<Evidence> {
    if head_in(words, run, ORG_HEADS) || head_in(words, run, THING_HEADS) {
        return None;
    }
    let before = run.start_word.checked_sub(1).and_then(|k| words.get(k));
    // "CEO Lei Jun", "Dr. Smith": the word before (skipping an abbreviation's dot).
    let role_before = match before {
        Some(w) if w.text == "." => run
            .start_word
            .checked_sub(2)
            .and_then(|k| words.get(k))
            .is_some_and(|w| ROLE_WORDS.contains(&lower_no_dot(w).as_str())),
        Some(w) => ROLE_WORDS.contains(&lower_no_dot(w).as_str()),
        None => false,
    };
    if role_before {
        return Some(Evidence::Role);
    }
    let after = words.get(run.end_word..).unwrap_or_default();
    // "X said", "X from Y posted": a reporting verb before the clause ends.
    let verb_after = after
        .iter()
        .take(VERB_WINDOW)
        .take_while(|w| w.is_word() || w.text == "-")
        .any(|w| PERSON_VERBS.contains(&w.lower().as_str()));
    // "Lei Jun, CEO of Xiaomi", "Lei Jun, one of the founders".
    let appositive = after.first().is_some_and(|w| w.text == ",")
        && after
            .iter()
            .skip(1)
            .take(APPOSITIVE_WINDOW)
            .take_while(|w| w.is_word())
            .any(|w| ROLE_WORDS.contains(&w.lower().as_str()));
    if appositive {
        Some(Evidence::Role)
    } else if verb_after {
        Some(Evidence::Verb)
    } else {
        None
    }
}

/// Does the run's last word belong to `heads`?
pub fn head_in(words: &[Word], run: &NameRun, heads: &[&str]) -> bool {
    run.end_word
        .checked_sub(1)
        .and_then(|k| words.get(k))
        .is_some_and(|w| heads.contains(&strip_possessive(&w.lower())))
}

#[cfg(test)]
mod tests {
    use super::super::words::segment;
    use super::*;

    fn people(text: &str) -> Vec<String> {
        let words = segment(text, 0);
        name_runs(text, &words, &|_, _| false)
            .into_iter()
            .filter(|r| person_evidence(&words, r).is_some())
            .map(|r| r.name)
            .collect()
    }

    #[test]
    fn cues() {
        for (text, want) in [
            ("founder, chairman and CEO Lei Jun posted", vec!["Lei Jun"]),
            ("Pan Jiutang said it is normal", vec!["Pan Jiutang"]),
            ("Lu Weibing from Xiaomi Group posted on Weibo", vec!["Lu Weibing"]),
            ("Lei Jun, one of the founders and current CEO", vec!["Lei Jun"]),
            ("the actor and director Paco León to record", vec!["Paco León"]),
            ("Dr. Jane Goodall warned", vec!["Jane Goodall"]),
            ("Spokeswoman Dana Whitfield said", vec!["Dana Whitfield"]),
            ("Ursula von der Leyen told reporters", vec!["Ursula von der Leyen"]),
            ("Jean-Luc Picard said", vec!["Jean-Luc Picard"]),
            ("Lei Jun’s post was deleted", vec![]),
            // Capitalised phrases that are not people.
            ("a Dream Car for everyone", vec![]),
            ("in the Xiaomi Car App that the expected delivery", vec![]),
            ("The Company said", vec![]),
            ("On Monday Morning we left", vec![]),
            ("Duzhe Finance reported", vec![]),
        ] {
            assert_eq!(people(text), want, "{text}");
        }
    }

    #[test]
    fn taken_words_break_runs() {
        let text = "Beijing Auto Show said";
        let words = segment(text, 0);
        let runs = name_runs(text, &words, &|s, _| s == 0);
        assert_eq!(runs.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["Auto Show"]);
        assert!(person_evidence(&words, &runs[0]).is_none());
    }
}
