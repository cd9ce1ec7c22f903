//! The query language end to end on articles written for these tests, table-driven, plus
//! properties that must hold for any query.

use proptest::prelude::*;

use crate::common::*;
use newslens::article::parse;
use newslens::model::Article;
use newslens::search::{Engine, SearchRequest, SegmentKind, Sort};

fn article(id: &str, date: Option<&str>, raw: &str) -> Article {
    let mut a = parse(id, raw).unwrap().article;
    a.date = date.map(str::to_string);
    a
}

fn corpus() -> Vec<Article> {
    vec![
        article(
            "mars",
            Some("2021-02-18"),
            "Rover lands on Mars\n\nThe Perseverance rover landed on Mars on Thursday.\n\nEngineers in Pasadena cheered.\n\nSource: Space Wire",
        ),
        article(
            "moon",
            Some("2024-01-10"),
            "Lunar lander fails\n\nA private lander crashed on the Moon.\n\nEngineers said a sensor failed.\n\nSource: Space Wire",
        ),
        article(
            "markets",
            Some("2024-05-02"),
            "Stocks rally in Tokyo\n\nShares of Sony rose 4% after strong earnings; the yen fell.\n\nSource: Market Daily",
        ),
        article(
            "cjk",
            Some("2024-03-28"),
            "雷军 on the SU7\n\n小米 founder 雷军 presented the car. 小米汽车 is new.\n\nLei Jun said the car sold well.",
        ),
        article("cafe", None, "Café culture in León\n\nIn León, cafés open early. Baristas say espresso sales doubled."),
        article(
            "rover2",
            Some("2023-07-01"),
            "Mars rover finds water clues\n\nThe rover found minerals.\n\nScientists at NASA say water once flowed on Mars.\n\nSource: Science Now",
        ),
    ]
}

fn run(e: &Engine, query: &str, typing: bool) -> newslens::search::SearchResponse {
    let mut req = SearchRequest::new(query);
    req.as_you_type = typing;
    e.search(&req).unwrap()
}

fn ids(r: &newslens::search::SearchResponse) -> Vec<&str> {
    r.hits.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn query_features() {
    let e = engine_for(corpus());
    // (query, typing, expected ids; "set:" compares without order)
    let table: &[(&str, bool, &[&str], bool)] = &[
        ("mars rover", false, &["mars", "rover2"], false),
        ("\"rover lands\"", false, &["mars"], true),
        ("\"lands rover\"", false, &[], true),
        ("\"rover landed\" engineers", false, &["mars"], true),
        ("\"landed rover\"", false, &[], true),
        ("\"perseverance rover\" engineers", false, &["mars"], true),
        ("mars OR moon", false, &["mars", "moon", "rover2"], false),
        ("rover -water", false, &["mars"], true),
        ("rover -\"water clues\"", false, &["mars"], true),
        ("(moon OR tokyo) engineers", false, &["moon"], true),
        ("title:rover", false, &["mars", "rover2"], false),
        ("title:engineers", false, &[], true),
        ("title:\"water clues\"", false, &["rover2"], true),
        ("source:\"space wire\"", false, &["mars", "moon"], false),
        ("source:science", false, &["rover2"], true),
        ("after:2024-01-01", false, &["cjk", "markets", "moon"], false),
        ("before:2022", false, &["mars"], true),
        ("after:2023 before:2024-02", false, &["moon", "rover2"], false),
        ("leon", false, &["cafe"], true),
        ("LEÓN", false, &["cafe"], true),
        ("cafe", false, &["cafe"], true),
        ("Ｍａｒｓ", false, &["mars", "rover2"], false),
        ("雷军", false, &["cjk"], true),
        ("小米汽车", false, &["cjk"], true),
        ("雷", false, &["cjk"], true),
        ("perse", true, &["mars"], true),
        ("perse", false, &[], true),
        ("prseverance", false, &["mars"], true),
        ("scientsts", false, &["rover2"], true),
        ("person:\"Lei Jun\"", false, &["cjk"], true),
        ("person:lei", true, &["cjk"], true),
        ("org:sony", false, &["markets"], true),
        ("org:sony OR person:\"lei jun\"", false, &["cjk", "markets"], false),
        ("-mars -moon -tokyo -雷军 -leon", false, &[], true),
        ("-mars -moon -tokyo -雷军", false, &["cafe"], true),
    ];
    for (query, typing, want, ordered) in table {
        let r = run(&e, query, *typing);
        let mut got = ids(&r);
        let mut want = want.to_vec();
        if !ordered {
            got.sort();
            want.sort();
        }
        assert_eq!(got, want, "{query:?} (typing {typing}), understood as {:?}", r.understood);
        assert!(!r.partial, "{query:?}");
    }
}

#[test]
fn exact_before_prefix_before_typo() {
    let e = engine_for(corpus());
    // "land" is exact in mars (lands, landed), a prefix of "lander" in moon.
    let r = run(&e, "land", true);
    assert_eq!(ids(&r), ["mars", "moon"]);
    assert_eq!(r.hits[0].explain[0].kind, "exact");
    assert_eq!(r.hits[1].explain[0].kind, "prefix");
    // "rovers" is exact (stem) everywhere it matches; "rovex" only by typo.
    let r = run(&e, "rovex", false);
    assert!(r.hits.iter().all(|h| h.explain[0].kind == "typo"));
}

#[test]
fn fallback_did_you_mean_and_sort() {
    let e = engine_for(corpus());
    let r = run(&e, "rover zebra", false);
    assert!(r.partial);
    let mut got = ids(&r);
    got.sort();
    assert_eq!(got, ["mars", "rover2"]);

    let r = run(&e, "rovr minerals", false);
    assert_eq!(r.did_you_mean.as_deref(), Some("rover minerals"));

    let mut req = SearchRequest::new("");
    req.sort = Sort::Date;
    let r = e.search(&req).unwrap();
    assert_eq!(ids(&r), ["markets", "cjk", "moon", "rover2", "mars", "cafe"]);
}

#[test]
fn malformed_queries_never_fail() {
    let e = engine_for(corpus());
    let long = "mars ".repeat(2500);
    for q in [
        "\"unclosed mars",
        "(mars OR",
        "mars)",
        "-",
        "OR OR",
        "OR",
        "((((((((((((mars))))))))))))",
        "\u{0}\u{1}mars\u{7f}",
        "title:",
        "person:",
        "after:yesterday",
        "\"\"",
        "-\"\"",
        long.as_str(),
        "🚀🚀 mars",
    ] {
        let r = run(&e, q, true);
        assert!(r.total <= 6, "{q:?}");
    }
    let r = run(&e, "after:yesterday", false);
    assert!(r.warnings.iter().any(|w| w.contains("not a date")));
    let r = run(&e, long.as_str(), false);
    assert!(r.notes.iter().any(|n| n.contains("long query") || n.contains("first 32 words")));
}

#[test]
fn phrase_hits_are_highlighted_in_the_title() {
    let e = engine_for(corpus());
    let r = run(&e, "\"rover lands\"", false);
    let marked: Vec<&str> =
        r.hits[0].title_segments.iter().filter(|s| s.kind == SegmentKind::Hit).map(|s| s.text.as_str()).collect();
    assert_eq!(marked, ["Rover", "lands"]);
}

#[test]
fn the_reader_marks_what_the_search_matched() {
    let e = engine_for(corpus());
    let marked = |id: &str, q: &str| -> Vec<String> {
        let v = e.article(id, q).unwrap();
        std::iter::once(&v.title)
            .chain(&v.paragraphs)
            .flatten()
            .filter(|s| s.kind == SegmentKind::Hit)
            .map(|s| s.text.clone())
            .collect()
    };
    // A typo is marked where it matched; an excluded word and a filter's name are not.
    assert_eq!(marked("mars", "prseverance"), ["Perseverance"]);
    assert_eq!(marked("mars", "rover -pasadena source:space"), ["Rover", "rover"]);
    // "rover landed" is the same phrase once stemmed.
    assert_eq!(marked("mars", "\"rover lands\""), ["Rover", "lands", "rover", "landed"]);
}

#[test]
fn entity_suggestions_complete_names() {
    let e = engine_for(corpus());
    let r = run(&e, "car lei j", true);
    assert!(r.suggestions.iter().any(|s| s.id == "person:lei-jun"), "{:?}", r.suggestions);
    let r = run(&e, "car lei j ", true);
    assert!(r.suggestions.is_empty());
}

const WORDS: &[&str] = &[
    "mars",
    "rover",
    "moon",
    "lander",
    "engineers",
    "water",
    "tokyo",
    "sony",
    "leon",
    "cafe",
    "雷军",
    "小米",
    "the",
    "on",
    "perse",
    "scientsts",
];

fn query_strategy() -> impl Strategy<Value = (String, Vec<String>)> {
    let word = proptest::sample::select(WORDS);
    let part = (word, 0u8..6).prop_map(|(w, op)| match op {
        0 => format!("-{w}"),
        1 => format!("\"{w} {w}\""),
        2 => format!("{w} OR"),
        3 => format!("({w}"),
        _ => w.to_string(),
    });
    let filters = proptest::collection::vec(
        proptest::sample::select(&["person:lei-jun", "org:sony", "place:leon", "place:tokyo", "org:nasa"][..]),
        0..3,
    );
    (proptest::collection::vec(part, 0..6), filters)
        .prop_map(|(parts, f)| (parts.join(" "), f.into_iter().map(str::to_string).collect()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Every hit satisfies every filter and every top-level exclusion, and every segment
    /// is a piece of the article text.
    #[test]
    fn hits_satisfy_filters_and_exclusions((query, filters) in query_strategy(), typing in any::<bool>()) {
        let e = engine_for(corpus());
        let mut req = SearchRequest::new(&query).with_entities(filters.clone());
        req.as_you_type = typing;
        let r = e.search(&req).unwrap();
        let index = e.index();
        for h in &r.hits {
            let doc = index.docs.iter().find(|d| d.id == h.id).unwrap();
            let doc_no = index.docs.iter().position(|d| d.id == h.id).unwrap() as u32;
            // Filters: OR within a type, AND across types.
            let mut by_type: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
            for f in &filters {
                if index.entity_index(f).is_some() {
                    by_type.entry(f.split(':').next().unwrap()).or_default().push(f);
                }
            }
            for ids in by_type.values() {
                let ok = ids.iter().any(|id| {
                    let ent = index.entity_index(id).unwrap();
                    doc.mentions.iter().any(|m| m.entity == ent)
                });
                prop_assert!(ok, "{} fails filter {:?}", h.id, ids);
            }
            // Top-level exclusions (when not swallowed by a dangling OR or parenthesis).
            if !query.contains("OR") && !query.contains('(') {
                for part in query.split_whitespace().filter(|p| p.starts_with('-')) {
                    let word = part.trim_start_matches('-');
                    let t = newslens::text::term(word);
                    let present = index.postings(&t).iter().any(|p| p.doc == doc_no);
                    prop_assert!(!present, "{} contains excluded {word}", h.id);
                }
            }
            // Snippets are one contiguous piece of the text (between optional ellipses);
            // titles and reader paragraphs are their whole text, cut only on character
            // boundaries (a cut inside a character would lose the piece).
            let joined: String = h.snippet.iter().map(|s| s.text.as_str()).collect();
            let inner = joined.trim_start_matches("… ").trim_end_matches(" …");
            prop_assert!(doc.text.contains(inner), "snippet {inner:?} not in {}", h.id);
            let title: String = h.title_segments.iter().map(|s| s.text.as_str()).collect();
            prop_assert_eq!(&title, &doc.title);
            let view = e.article(&h.id, &query).unwrap();
            let spans = doc.spans_usize();
            for (block, (a, b)) in std::iter::once(&view.title).chain(&view.paragraphs).zip(spans) {
                let text: String = block.iter().map(|s| s.text.as_str()).collect();
                prop_assert_eq!(text.as_str(), &doc.text[a..b]);
            }
        }
    }
}

/// "Why this result" is worked out again for the shown articles only; for a one-part query its
/// score must be the very score the article was ranked by.
#[test]
fn explain_repeats_the_ranking_score() {
    let e = engine_for(seed_articles());
    for (q, typing) in
        [("xiaomi", false), ("xiao", true), ("smartphnoe", false), ("\"Lei Jun\"", false), ("title:xiaomi", false)]
    {
        let mut req = SearchRequest::new(q);
        req.as_you_type = typing;
        let r = e.search(&req).unwrap();
        assert!(!r.hits.is_empty(), "{q}");
        for h in &r.hits {
            assert_eq!(h.explain.len(), 1, "{q}: {:?}", h.explain);
            assert_eq!(h.explain[0].score, h.score, "{q}: {}", h.id);
        }
    }
}
