//! Relations between the mentions of one article: who holds which role where ("Xiaomi CEO
//! Lei Jun", "Lei Jun, CEO of Xiaomi", "Lu Weibing from Xiaomi Group") and who said what
//! ("…,” said X; X said, “…”; X stated that “…”).
//!
//! Rules over the text between mentions, not a model: news writes roles and attributions
//! in a handful of fixed shapes, and a rule can say why it linked two names. Invariants: a
//! role links a person to an organisation both mentioned within one paragraph; a quote's
//! byte range lies inside one paragraph, between its marks, and has at least
//! [`MIN_QUOTE_WORDS`] words (shorter quoted words are scare quotes, not speech); a
//! speaker is a person or an organisation named in the article.

use super::people::{PERSON_VERBS, ROLE_WORDS};
use super::words::{segment, Word};
use crate::model::{EntityType, Mention, Quote, Relations, Role};

/// Quoted passages shorter than this are titles or scare quotes (“redeployed”).
pub const MIN_QUOTE_WORDS: usize = 3;

/// Words that may stand inside a role phrase without being roles themselves: "founder,
/// chairman and CEO", "chief executive", "current CEO", "co-founder".
const ROLE_MODIFIERS: &[&str] = &[
    "acting",
    "assistant",
    "associate",
    "co",
    "current",
    "deputy",
    "former",
    "founding",
    "global",
    "interim",
    "managing",
    "outgoing",
    "principal",
    "regional",
    "senior",
    "then",
    "vice",
];
/// Words that join roles in one phrase.
const ROLE_JOINERS: &[&str] = &[",", "and", "&", "-", "/"];
/// Forms of address: they come before names but say nothing about an organisation.
const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "dr", "sir", "dame", "prof"];
/// Reporting verbs written in their -ing form before a quote ("…, stating, “…”").
const SPEECH_PARTICIPLES: &[&str] = &["adding", "explaining", "noting", "saying", "stating", "writing", "telling"];
const PRONOUNS: &[&str] = &["he", "she"];

/// Roles and quotes in an article's `text`, given its paragraph byte ranges (title first)
/// and its settled mentions (sorted, not overlapping).
pub fn find(text: &str, spans: &[(usize, usize)], mentions: &[Mention]) -> Relations {
    let mut out = Relations::default();
    let mut previous: &[Mention] = &[];
    for &(s, e) in spans {
        let Some(paragraph) = text.get(s..e) else { continue };
        let inside: &[Mention] = {
            let from = mentions.partition_point(|m| m.start < s);
            let to = mentions.partition_point(|m| m.start < e);
            mentions.get(from..to).unwrap_or_default()
        };
        roles(text, (s, e), inside, &mut out.roles);
        quotes(segment(paragraph, s), inside, previous, &mut out.quotes);
        previous = inside;
    }
    dedup_roles(&mut out.roles);
    out
}

fn is_role_word(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    ROLE_WORDS.contains(&w) && !HONORIFICS.contains(&w)
}

/// A lower-case word that may stand inside a role phrase: a role, a modifier, a joiner.
fn in_role_phrase(w: &str) -> bool {
    is_role_word(w) || ROLE_MODIFIERS.contains(&w) || ROLE_JOINERS.contains(&w)
}

/// The role phrase that `words` are, all of them: role words with modifiers and joiners
/// between, starting and ending on a word, at least one a role. Returns its text.
fn role_phrase<'a>(text: &'a str, words: &[Word]) -> Option<&'a str> {
    let (first, last) = (words.first()?, words.last()?);
    let lower: Vec<String> = words.iter().map(Word::lower).collect();
    let ok = lower.iter().all(|w| in_role_phrase(w));
    let ends = [lower.first()?, lower.last()?].iter().all(|w| !ROLE_JOINERS.contains(&w.as_str()));
    (ok && ends && lower.iter().any(|w| is_role_word(w))).then(|| text.get(first.start..last.end)).flatten()
}

/// Strips one leading possessive ending ("’s", "'s", and the "‘s" some sites write).
fn after_possessive(gap: &str) -> Option<&str> {
    ["’s", "'s", "‘s"].iter().find_map(|p| gap.strip_prefix(p))
}

fn words_of(text: &str, from: usize, to: usize) -> Vec<Word<'_>> {
    text.get(from..to).map(|g| segment(g, from)).unwrap_or_default()
}

/// The first char boundary of `text` at or after byte `i`.
fn boundary(text: &str, i: usize) -> usize {
    (i..text.len()).find(|&b| text.is_char_boundary(b)).unwrap_or(text.len())
}

/// Person–organisation links from adjacent mentions of the paragraph at `para`.
fn roles(text: &str, para: (usize, usize), ms: &[Mention], out: &mut Vec<Role>) {
    for (k, pair) in ms.windows(2).enumerate() {
        let (Some(a), Some(b)) = (pair.first(), pair.get(1)) else { continue };
        let Some(gap) = text.get(a.end..b.start) else { continue };
        match (a.entity.ty, b.entity.ty) {
            // "Xiaomi CEO Lei Jun", "Xiaomi’s founder, chairman and CEO Lei Jun".
            (EntityType::Org, EntityType::Person) => {
                let rest = after_possessive(gap).unwrap_or(gap);
                let from = b.start - rest.len();
                let title = role_phrase(text, &words_of(text, from, b.start));
                if let Some(title) = title.filter(|_| rest.starts_with(char::is_whitespace)) {
                    out.push(role(b, a, title));
                } else if gap.trim() == "," {
                    // "the CEO of Xiaomi, Lei Jun".
                    let from = boundary(text, a.start.saturating_sub(80).max(para.0));
                    let before = words_of(text, from, a.start);
                    if let Some(title) = role_before(text, &before) {
                        out.push(role(b, a, title));
                    }
                }
            }
            (EntityType::Person, EntityType::Org) => {
                let words = words_of(text, a.end, b.start);
                let lower: Vec<String> = words.iter().map(Word::lower).collect();
                let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
                match lower.as_slice() {
                    // "Lu Weibing from Xiaomi Group", "Tim Cook of Apple".
                    ["from" | "of" | "at"] | ["from" | "of" | "at", "the"] => out.push(role(a, b, "")),
                    // "Lei Jun, CEO of Xiaomi", "Lei Jun, one of the founders and current CEO of Xiaomi".
                    [",", ..] => {
                        if let Some(title) = appositive_role(text, &words) {
                            out.push(role(a, b, title));
                        } else if lower == [","] {
                            // "Tim Cook, Apple’s chief executive".
                            let after = text.get(b.end..).unwrap_or_default();
                            if let Some(rest) = after_possessive(after) {
                                let from = b.end + (after.len() - rest.len());
                                let upto = ms.get(k + 2).map_or(para.1, |n| n.start).min(boundary(text, from + 80));
                                let ws = words_of(text, from, upto.max(from));
                                let n = ws
                                    .iter()
                                    .take_while(|w| {
                                        // Not the joiners: the phrase ends at the next comma.
                                        let l = w.lower();
                                        is_role_word(&l) || ROLE_MODIFIERS.contains(&l.as_str()) || w.text == "-"
                                    })
                                    .count();
                                if let Some(title) = ws.get(..n).and_then(|p| role_phrase(text, p)) {
                                    out.push(role(a, b, title));
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// ", [the|a|an|one of the] ROLE of|at|for [the]" between a person and an organisation.
/// The title keeps "one of the" ("one of the founders"), which its plural needs.
fn appositive_role<'a>(text: &'a str, words: &[Word]) -> Option<&'a str> {
    let mut ws = words.get(1..)?;
    let mut one_of: Option<usize> = None;
    while ws.len() > 2 {
        let first = ws.first()?;
        let l = first.lower();
        if matches!(l.as_str(), "the" | "a" | "an") {
            ws = ws.get(1..)?;
        } else if l == "one" && ws.get(1)?.lower() == "of" {
            one_of = Some(first.start);
            ws = ws.get(2..)?;
        } else {
            break;
        }
    }
    let mut end = ws.len();
    if ws.get(end.checked_sub(1)?)?.lower() == "the" {
        end -= 1;
    }
    let prep = ws.get(end.checked_sub(1)?)?.lower();
    if !matches!(prep.as_str(), "of" | "at" | "for") {
        return None;
    }
    let phrase = ws.get(..end - 1)?;
    role_phrase(text, phrase)?;
    let last = phrase.last()?;
    text.get(one_of.unwrap_or(phrase.first()?.start)..last.end)
}

/// "[the] ROLE of|at [the]" ending just before an organisation ("the CEO of Xiaomi, …").
fn role_before<'a>(text: &'a str, words: &[Word]) -> Option<&'a str> {
    let mut end = words.len();
    if words.get(end.checked_sub(1)?)?.lower() == "the" {
        end -= 1;
    }
    if !matches!(words.get(end.checked_sub(1)?)?.lower().as_str(), "of" | "at") {
        return None;
    }
    let phrase_end = end - 1;
    let mut start = phrase_end;
    while start > 0 {
        let w = words.get(start - 1)?;
        let l = w.lower();
        if in_role_phrase(&l) {
            start -= 1;
        } else {
            break;
        }
    }
    role_phrase(text, words.get(start..phrase_end)?)
}

fn role(person: &Mention, org: &Mention, title: &str) -> Role {
    Role { person: person.entity.clone(), org: org.entity.clone(), title: title.to_string() }
}

/// One entry per (person, organisation, title); an empty title is dropped where the same
/// pair has a named role.
fn dedup_roles(roles: &mut Vec<Role>) {
    let mut seen: Vec<Role> = Vec::new();
    for r in roles.drain(..) {
        let same = |s: &Role| s.person.id == r.person.id && s.org.id == r.org.id;
        if r.title.is_empty() && seen.iter().any(same) {
            continue;
        }
        seen.retain(|s| !(same(s) && s.title.is_empty()));
        if !seen.iter().any(|s| same(s) && s.title.eq_ignore_ascii_case(&r.title)) {
            seen.push(r);
        }
    }
    *roles = seen;
}

/// A quoted passage: the byte range inside its marks, and the words before and after.
struct Quoted {
    open: usize,
    close: usize,
    start: usize,
    end: usize,
}

/// Quoted passages of one paragraph, from its word segments: “…”, "…", ‘…’ and «…». A
/// single curly mark counts only where it cannot be an apostrophe (‘ after a letter is one
/// in "Xiaomi‘s"; ’ between letters is one in "don’t"); straight double marks pair in turn.
fn quoted(words: &[Word]) -> Vec<Quoted> {
    let mut out = Vec::new();
    // The opening mark: where it starts and ends, and which it is.
    let mut open: Option<(usize, usize, char)> = None;
    for (i, w) in words.iter().enumerate() {
        let mut chars = w.text.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else { continue };
        let glued_before = i > 0 && words.get(i - 1).is_some_and(|p| p.end == w.start && p.is_word());
        let glued_after = words.get(i + 1).is_some_and(|n| n.start == w.end && n.is_word());
        let closes = match open {
            Some((_, _, '“')) => c == '”',
            Some((_, _, '‘')) => c == '’' && !glued_after,
            Some((_, _, '«')) => c == '»',
            // Straight marks pair up in turn: text typed with spaces inside them (" We
            // will , " he said) still quotes.
            Some((_, _, '"')) => c == '"',
            _ => false,
        };
        if closes {
            if let Some((o, start, _)) = open.take() {
                out.push(Quoted { open: o, close: w.end, start, end: w.start });
            }
            continue;
        }
        let opens = match c {
            '“' | '«' => true,
            '‘' => !glued_before && words.get(i + 1).is_some_and(|n| n.start == w.end),
            '"' => !(glued_before && glued_after),
            _ => false,
        };
        if opens {
            open = Some((w.start, w.end, c));
        }
    }
    out
}

fn is_speech(word: &str) -> bool {
    let l = word.to_lowercase();
    PERSON_VERBS.contains(&l.as_str()) || SPEECH_PARTICIPLES.contains(&l.as_str())
}

fn is_speaker(m: &Mention) -> bool {
    matches!(m.entity.ty, EntityType::Person | EntityType::Org)
}

/// Quotes of one paragraph attributed to their speakers. `previous` are the mentions of
/// the paragraph before, where a "he said" may find its person.
fn quotes(words: Vec<Word>, ms: &[Mention], previous: &[Mention], out: &mut Vec<Quote>) {
    // The last person named before byte `at`, here or in the paragraph before.
    let last_person = |at: usize| -> Option<&Mention> {
        ms.iter().chain(previous).filter(|m| m.end <= at && m.entity.ty == EntityType::Person).max_by_key(|m| m.end)
    };
    let mention_ending = |at: usize| ms.iter().find(|m| m.end == at && is_speaker(m));
    let mention_starting = |at: usize| ms.iter().find(|m| m.start == at && is_speaker(m));
    for q in quoted(&words) {
        let inner = words.iter().filter(|w| w.start >= q.start && w.end <= q.end && w.is_word()).count();
        if inner < MIN_QUOTE_WORDS {
            continue;
        }
        let before: Vec<&Word> = words.iter().filter(|w| w.end <= q.open).collect();
        let after: Vec<&Word> = words.iter().filter(|w| w.start >= q.close).collect();
        let speaker = speaker_after(&after, &mention_starting, &last_person, q.open)
            .or_else(|| speaker_before(&before, ms, &mention_ending, &last_person))
            .or_else(|| speaker_of_paragraph(&before, ms));
        if let Some((m, confidence)) = speaker {
            out.push(Quote { speaker: m.entity.clone(), start: q.start, end: q.end, confidence });
        }
    }
}

type Lookup<'m, 'a> = &'a dyn Fn(usize) -> Option<&'m Mention>;

/// “…,” said X / “…,” X said / “…,” he said.
fn speaker_after<'m>(
    after: &[&Word],
    starting: Lookup<'m, '_>,
    last_person: Lookup<'m, '_>,
    open: usize,
) -> Option<(&'m Mention, f32)> {
    let mut i = usize::from(after.first().is_some_and(|w| w.text == ","));
    let w = after.get(i)?;
    if is_speech(w.text) {
        // "said Xiaomi CEO Lei Jun", "said the Agriculture Department's Drazek", "said Eagles
        // owner Jeffrey Lurie": a person within a few lower-case or role words, after an
        // organisation or not; the organisation speaks only when no person follows.
        i += 1;
        let mut org: Option<&Mention> = None;
        // Ten words: "Pirelli SpA chairman and chief executive officer Marco Tonchetti".
        for _ in 0..10 {
            let Some(n) = after.get(i) else { break };
            if let Some(m) = starting(n.start) {
                match m.entity.ty {
                    EntityType::Person => return Some((m, 0.9)),
                    EntityType::Org => org = org.or(Some(m)),
                    _ => break,
                }
                let Some(next) = after.iter().position(|x| x.start >= m.end) else { break };
                i = next;
                continue;
            }
            let lower = n.lower();
            let plain = n.text.chars().all(char::is_lowercase) || is_role_word(&lower);
            if !plain && !ROLE_MODIFIERS.contains(&lower.as_str()) {
                break;
            }
            i += 1;
        }
        return org.map(|m| (m, 0.8));
    }
    if PRONOUNS.contains(&w.lower().as_str()) && after.get(i + 1).is_some_and(|v| is_speech(v.text)) {
        return last_person(open).map(|m| (m, 0.6));
    }
    let m = starting(w.start)?;
    let next = after.iter().find(|x| x.start >= m.end)?;
    is_speech(next.text).then_some((m, 0.9))
}

/// X said, “…” / X stated that “…” / X, CEO of Y, said: “…” / he said, “…” / (X …) stating, “…”.
fn speaker_before<'m>(
    before: &[&Word],
    ms: &'m [Mention],
    ending: Lookup<'m, '_>,
    last_person: Lookup<'m, '_>,
) -> Option<(&'m Mention, f32)> {
    let mut j = before.len();
    if before.get(j.checked_sub(1)?).is_some_and(|w| matches!(w.text, "," | ":" | "that")) {
        j -= 1;
    }
    let verb = before.get(j.checked_sub(1)?)?;
    if !is_speech(verb.text) {
        return None;
    }
    let subject = before.get(j.checked_sub(2)?)?;
    if let Some(m) = ending(subject.end) {
        return Some((m, 0.9));
    }
    if PRONOUNS.contains(&subject.lower().as_str()) {
        return last_person(subject.start).map(|m| (m, 0.6));
    }
    // "Lei Jun … recommended products …, stating, “…”": the sentence's person.
    if SPEECH_PARTICIPLES.contains(&verb.lower().as_str()) {
        let sentence_start = before.iter().rposition(|w| matches!(w.text, "." | "!" | "?")).map_or(0, |p| p + 1);
        let from = before.get(sentence_start).map_or(verb.start, |w| w.start);
        return ms
            .iter()
            .filter(|m| m.start >= from && m.end <= verb.start && m.entity.ty == EntityType::Person)
            .min_by_key(|m| m.start)
            .map(|m| (m, 0.7));
    }
    // "X, CEO of Y, said": an appositive between the name and the verb.
    if subject.text == "," {
        let mut k = j - 2;
        for _ in 0..12 {
            k = k.checked_sub(1)?;
            let w = before.get(k)?;
            if w.text == "," {
                let name = before.get(k.checked_sub(1)?)?;
                return ending(name.end).filter(|m| m.entity.ty == EntityType::Person).map(|m| (m, 0.85));
            }
        }
        return None;
    }
    None
}

/// A quote standing as its own sentence after "X stated that …" in the same paragraph:
/// the paragraph's speaker says it.
fn speaker_of_paragraph<'m>(before: &[&Word], ms: &'m [Mention]) -> Option<(&'m Mention, f32)> {
    let last = before.last();
    let starts_sentence = last.is_none_or(|w| matches!(w.text, "." | "!" | "?" | ":"));
    if !starts_sentence || before.is_empty() {
        return None;
    }
    ms.iter()
        .filter(|m| m.entity.ty == EntityType::Person && last.is_some_and(|l| m.end <= l.start))
        .filter(|m| {
            let next = before.iter().find(|w| w.start >= m.end);
            next.is_some_and(|w| is_speech(w.text))
        })
        .max_by_key(|m| m.end)
        .map(|m| (m, 0.6))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entity;

    /// Mentions at every occurrence of each (surface, type).
    fn at(text: &str, names: &[(&str, EntityType)]) -> Vec<Mention> {
        let mut out = Vec::new();
        for (name, ty) in names {
            for (s, _) in text.match_indices(name) {
                out.push(Mention { start: s, end: s + name.len(), entity: Entity::new(*ty, name), confidence: 1.0 });
            }
        }
        out.sort_by_key(|m| m.start);
        out
    }

    const P: EntityType = EntityType::Person;
    const O: EntityType = EntityType::Org;

    fn relations(text: &str, names: &[(&str, EntityType)]) -> Relations {
        find(text, &[(0, text.len())], &at(text, names))
    }

    #[test]
    fn roles() {
        for (text, names, want) in [
            ("Xiaomi CEO Lei Jun said so.", &[("Xiaomi", O), ("Lei Jun", P)][..], Some(("Lei Jun", "Xiaomi", "CEO"))),
            (
                "Xiaomi‘s founder, chairman and CEO Lei Jun posted.",
                &[("Xiaomi", O), ("Lei Jun", P)],
                Some(("Lei Jun", "Xiaomi", "founder, chairman and CEO")),
            ),
            ("Xiaomi’s CEO Lei Jun announced", &[("Xiaomi", O), ("Lei Jun", P)], Some(("Lei Jun", "Xiaomi", "CEO"))),
            ("Lei Jun, CEO of Xiaomi, announced", &[("Xiaomi", O), ("Lei Jun", P)], Some(("Lei Jun", "Xiaomi", "CEO"))),
            (
                "Lei Jun, one of the founders and current CEO of Xiaomi, has",
                &[("Xiaomi", O), ("Lei Jun", P)],
                Some(("Lei Jun", "Xiaomi", "one of the founders and current CEO")),
            ),
            (
                "Lu Weibing from Xiaomi Group posted",
                &[("Xiaomi Group", O), ("Lu Weibing", P)],
                Some(("Lu Weibing", "Xiaomi Group", "")),
            ),
            (
                "Tim Cook, Apple’s chief executive, said",
                &[("Apple", O), ("Tim Cook", P)],
                Some(("Tim Cook", "Apple", "chief executive")),
            ),
            (
                "the chief executive of Apple, Tim Cook, said",
                &[("Apple", O), ("Tim Cook", P)],
                Some(("Tim Cook", "Apple", "chief executive")),
            ),
            (
                "Ana Vidal, vice-president at Iberdrola",
                &[("Iberdrola", O), ("Ana Vidal", P)],
                Some(("Ana Vidal", "Iberdrola", "vice-president")),
            ),
            // Not roles: a verb, an honorific, a place between.
            ("Xiaomi beat Lei Jun", &[("Xiaomi", O), ("Lei Jun", P)], None),
            ("Xiaomi Mr Lei Jun", &[("Xiaomi", O), ("Lei Jun", P)], None),
            ("Lei Jun announced at the Xiaomi Investor Conference", &[("Xiaomi", O), ("Lei Jun", P)], None),
            ("Lei Jun, who left Xiaomi", &[("Xiaomi", O), ("Lei Jun", P)], None),
        ] {
            let got = relations(text, names).roles;
            let got: Vec<(&str, &str, &str)> =
                got.iter().map(|r| (r.person.name.as_str(), r.org.name.as_str(), r.title.as_str())).collect();
            assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "{text}");
        }
    }

    #[test]
    fn quotes() {
        let lei = &[("Lei Jun", P), ("Xiaomi", O), ("Sichuan", EntityType::Place)][..];
        for (text, want) in [
            ("“We will deliver more cars,” said Lei Jun.", Some(("Lei Jun", "We will deliver more cars,"))),
            ("“We will deliver more cars,” Lei Jun said.", Some(("Lei Jun", "We will deliver more cars,"))),
            ("“We will deliver more cars,” said Xiaomi CEO Lei Jun.", Some(("Lei Jun", "We will deliver more cars,"))),
            ("Lei Jun said, “We will deliver more cars.”", Some(("Lei Jun", "We will deliver more cars."))),
            ("Lei Jun stated that \"we will deliver more cars\".", Some(("Lei Jun", "we will deliver more cars"))),
            ("\" We will deliver more cars , \" Lei Jun said .", Some(("Lei Jun", " We will deliver more cars , "))),
            (
                "Lei Jun, the CEO of Xiaomi, said: “We will deliver more cars.”",
                Some(("Lei Jun", "We will deliver more cars.")),
            ),
            (
                "Lei Jun praised rivals, stating, “They are all good choices.”",
                Some(("Lei Jun", "They are all good choices.")),
            ),
            (
                "Lei Jun stated that orders rose. ‘At the show, I will explain our plan.’",
                Some(("Lei Jun", "At the show, I will explain our plan.")),
            ),
            ("Lei Jun spoke. “We sold them all,” he said.", Some(("Lei Jun", "We sold them all,"))),
            ("“Prices will fall,” Xiaomi said.", Some(("Xiaomi", "Prices will fall,"))),
            ("“Prices will fall,” said Xiaomi.", Some(("Xiaomi", "Prices will fall,"))),
            ("“Prices will fall,” said Xiaomi’s Lei Jun.", Some(("Lei Jun", "Prices will fall,"))),
            ("“Prices will fall,” said Xiaomi owner Lei Jun.", Some(("Lei Jun", "Prices will fall,"))),
            ("“Prices will fall,” said a spokesman for Xiaomi.", Some(("Xiaomi", "Prices will fall,"))),
            ("“Prices will fall,” said officials in Sichuan, Lei Jun wrote.", None),
            // No named speaker, a scare quote, a non-speech verb, an apostrophe.
            ("A clerk in Sichuan said, “There is indeed such a policy.”", None),
            ("Lei Jun said the car was “redeployed” twice.", None),
            ("Lei Jun will discuss “How many cars are planned?” later.", None),
            ("Xiaomi‘s cars and Lei Jun’s plan said nothing.", None),
        ] {
            let r = relations(text, lei);
            let got: Vec<(&str, &str)> =
                r.quotes.iter().map(|q| (q.speaker.name.as_str(), &text[q.start..q.end])).collect();
            assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "{text}");
        }
    }

    #[test]
    fn a_pronoun_finds_the_person_of_the_paragraph_before() {
        let text = "Lei Jun spoke.\n\n“We sold them all,” she said.";
        let ms = at(text, &[("Lei Jun", P)]);
        let r = find(text, &[(0, 14), (16, text.len())], &ms);
        assert_eq!(r.quotes.len(), 1);
        assert_eq!(r.quotes[0].speaker.name, "Lei Jun");
    }
}
