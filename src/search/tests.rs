use super::snippet::SNIPPET_WORDS;
use super::*;
use crate::index::IndexBuilder;
use crate::model::{Article, Entity, EntityType, Mention};

/// A small corpus written for these tests: (id, title, body, [(surface, type, name)]).
fn corpus() -> Engine {
    type Mentions<'a> = &'a [(&'a str, EntityType, &'a str)];
    let docs: [(&str, &str, &str, Mentions); 4] = [
        (
            "a",
            "Acme launches rocket",
            "Acme launched a rocket from Kourou. Jo Park watched.",
            &[
                ("Acme", EntityType::Org, "Acme"),
                ("Kourou", EntityType::Place, "Kourou"),
                ("Jo Park", EntityType::Person, "Jo Park"),
            ],
        ),
        (
            "b",
            "Rocket fuel prices",
            "Fuel for every rocket got dearer, said Jo Park of Bolt.",
            &[("Bolt", EntityType::Org, "Bolt"), ("Jo Park", EntityType::Person, "Jo Park")],
        ),
        (
            "c",
            "Bolt hires",
            "Bolt hired Ana Lima in Kourou.",
            &[
                ("Bolt", EntityType::Org, "Bolt"),
                ("Ana Lima", EntityType::Person, "Ana Lima"),
                ("Kourou", EntityType::Place, "Kourou"),
            ],
        ),
        ("d", "Quiet day", "Nothing about launches happened today.", &[]),
    ];
    let mut b = IndexBuilder::new();
    for (id, title, body, ents) in docs {
        let a = Article { id: id.into(), title: title.into(), paragraphs: vec![body.into()], ..Default::default() };
        let text = a.text();
        let mentions = ents
            .iter()
            .flat_map(|(surface, ty, name)| {
                text.match_indices(surface)
                    .map(|(at, s)| Mention {
                        start: at,
                        end: at + s.len(),
                        entity: Entity::new(*ty, name),
                        confidence: 1.0,
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        b.add(a, mentions).unwrap();
    }
    Engine::new(b.build()).unwrap()
}

fn ids(r: &SearchResponse) -> Vec<&str> {
    r.hits.iter().map(|h| h.id.as_str()).collect()
}

fn facet<'a>(r: &'a SearchResponse, id: &str) -> Option<&'a FacetValue> {
    r.facets.iter().flat_map(|g| &g.values).find(|v| v.id == id)
}

#[test]
fn all_words_must_match_and_title_ranks_first() {
    let e = corpus();
    let r = e.search(&SearchRequest::new("rocket")).unwrap();
    assert_eq!(r.total, 2);
    assert_eq!(ids(&r), ["a", "b"]);
    let r = e.search(&SearchRequest::new("rocket fuel")).unwrap();
    assert_eq!(ids(&r), ["b"]);
    // Nothing has both: the best partial matches, said so.
    let r = e.search(&SearchRequest::new("rocket zebra")).unwrap();
    assert!(r.partial);
    assert_eq!(ids(&r), ["a", "b"]);
    assert!(r.warnings.iter().any(|w| w.contains("zebra")));
    let r = e.search(&SearchRequest::new("rocket fuel")).unwrap();
    assert!(!r.partial);
}

#[test]
fn stemming_meets_itself() {
    let e = corpus();
    let r = e.search(&SearchRequest::new("launching")).unwrap();
    assert_eq!(ids(&r), ["a", "d"]);
}

#[test]
fn empty_query_lists_everything() {
    let r = corpus().search(&SearchRequest::new("  ")).unwrap();
    assert_eq!(r.total, 4);
}

#[test]
fn filters_or_within_type_and_across_types() {
    let e = corpus();
    let table: &[(&[&str], &[&str])] = &[
        (&["person:jo-park"], &["a", "b"]),
        (&["person:jo-park", "person:ana-lima"], &["a", "b", "c"]),
        (&["person:jo-park", "org:bolt"], &["b"]),
        (&["person:jo-park", "person:ana-lima", "place:kourou"], &["a", "c"]),
        (&["org:acme", "org:bolt", "place:kourou"], &["a", "c"]),
    ];
    for (filters, want) in table {
        let mut r = e.search(&SearchRequest::new("").with_entities(filters.iter().copied())).unwrap();
        r.hits.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(ids(&r), *want, "{filters:?}");
    }
}

#[test]
fn facets_are_disjunctive_with_totals() {
    let e = corpus();
    let r = e.search(&SearchRequest::new("").with_entities(["person:jo-park"])).unwrap();
    // Within People, counts ignore the People filter: Ana Lima stays choosable.
    let ana = facet(&r, "person:ana-lima").unwrap();
    assert_eq!((ana.count, ana.total, ana.selected), (1, 1, false));
    let jo = facet(&r, "person:jo-park").unwrap();
    assert_eq!((jo.count, jo.total, jo.selected), (2, 2, true));
    // Other types count under the filter: Bolt is in b (Jo Park) and c (not).
    let bolt = facet(&r, "org:bolt").unwrap();
    assert_eq!((bolt.count, bolt.total), (1, 2));
    assert!(facet(&r, "org:acme").is_some());
    // Under a query, counts shrink and totals do not.
    let r = e.search(&SearchRequest::new("hires")).unwrap();
    let kourou = facet(&r, "place:kourou").unwrap();
    assert_eq!((kourou.count, kourou.total), (1, 2));
    assert!(facet(&r, "org:acme").is_none());
}

#[test]
fn unknown_filters_are_reported_not_fatal() {
    let r = corpus().search(&SearchRequest::new("").with_entities(["person:nobody"])).unwrap();
    assert_eq!(r.total, 4);
    assert!(r.warnings.iter().any(|w| w.contains("person:nobody")));
}

#[test]
fn resolve_by_id_or_display_name() {
    let e = corpus();
    for (reference, want) in [
        ("person:jo-park", Some("person:jo-park")),
        ("person:Jo Park", Some("person:jo-park")),
        ("person:jo park", Some("person:jo-park")),
        ("org:Nobody", None),
        ("no colon", None),
    ] {
        assert_eq!(e.resolve_entity(reference).ok().as_deref(), want, "{reference}");
    }
}

#[test]
fn snippets_highlight_whole_words() {
    let r = corpus().search(&SearchRequest::new("dearer")).unwrap();
    let hit = &r.hits[0];
    let marked: Vec<&str> =
        hit.snippet.iter().filter(|s| s.kind == SegmentKind::Hit).map(|s| s.text.as_str()).collect();
    assert_eq!(marked, ["dearer"]);
    let joined: String = hit.snippet.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(joined, "Fuel for every rocket got dearer, said Jo Park of Bolt.");
    let title_hits: Vec<&str> =
        hit.title_segments.iter().filter(|s| s.kind == SegmentKind::Hit).map(|s| s.text.as_str()).collect();
    assert!(title_hits.is_empty());
}

#[test]
fn article_view_marks_entities_and_query_words() {
    let v = corpus().article("b", "Park").unwrap();
    let joined: String = v.paragraphs[0].iter().map(|s| s.text.as_str()).collect();
    assert_eq!(joined, "Fuel for every rocket got dearer, said Jo Park of Bolt.");
    let park = v.paragraphs[0].iter().find(|s| s.text == "Park").unwrap();
    assert_eq!(park.kind, SegmentKind::Hit);
    assert_eq!(park.entity.as_deref(), Some("person:jo-park"));
    let jo = v.paragraphs[0].iter().find(|s| s.text == "Jo ").unwrap();
    assert_eq!((jo.kind, jo.entity_type), (SegmentKind::Text, Some("person")));
    assert_eq!(v.entities.len(), 2);
    assert!(corpus().article("zzz", "").is_err());
}

#[test]
fn long_bodies_get_a_window_with_ellipses() {
    let body = format!("{} needle {}", "filler ".repeat(40), "tail ".repeat(40));
    let mut b = IndexBuilder::new();
    b.add(Article { id: "x".into(), title: "T".into(), paragraphs: vec![body], ..Default::default() }, vec![]).unwrap();
    let e = Engine::new(b.build()).unwrap();
    let r = e.search(&SearchRequest::new("needle")).unwrap();
    let s = &r.hits[0].snippet;
    assert_eq!(s.first().unwrap().text, "… ");
    assert_eq!(s.last().unwrap().text, " …");
    let words = s.iter().map(|x| x.text.as_str()).collect::<String>().split_whitespace().count();
    assert!(words <= SNIPPET_WORDS + 2, "{words}");
}
