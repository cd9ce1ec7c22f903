//! Real answers on the four seed articles.

use crate::common::*;

#[test]
fn su7_finds_the_three_car_stories() {
    let e = engine_for(seed_articles());
    let r = search(&e, "SU7", &[]);
    assert_eq!(sorted(short_ids(&r)), ["000", "001", "002"]);
}

#[test]
fn iphone_ranks_the_iphone_story_first() {
    let e = engine_for(seed_articles());
    let r = search(&e, "iPhone", &[]);
    assert_eq!(short_ids(&r)[0], "003");
}

#[test]
fn lei_jun_is_in_all_four() {
    let e = engine_for(seed_articles());
    let r = search(&e, "", &["person:lei-jun"]);
    assert_eq!(sorted(short_ids(&r)), ["000", "001", "002", "003"]);
}

#[test]
fn huawei_filter_leaves_000_and_003() {
    let e = engine_for(seed_articles());
    let r = search(&e, "", &["org:huawei"]);
    assert_eq!(sorted(short_ids(&r)), ["000", "003"]);
}

#[test]
fn intercepted_finds_000_through_stemming() {
    let e = engine_for(seed_articles());
    for q in ["intercepted", "intercept", "interception"] {
        let r = search(&e, q, &[]);
        assert_eq!(short_ids(&r)[0], "000", "{q}");
        // 000 is the only exact (stemmed) match; anything after it came in as a typo.
        assert_eq!(r.hits[0].explain[0].kind, "exact", "{q}");
        for h in &r.hits[1..] {
            assert!(h.explain.iter().all(|x| x.kind == "typo"), "{q}: {:?}", h.explain);
        }
    }
}

#[test]
fn snippet_highlights_the_matching_word() {
    let e = engine_for(seed_articles());
    let r = search(&e, "intercept", &[]);
    let marked = highlighted(&r, 0);
    assert!(!marked.is_empty());
    for word in &marked {
        assert!(word.to_lowercase().starts_with("intercept"), "{word}");
    }
    let title: Vec<&str> = r.hits[0]
        .title_segments
        .iter()
        .filter(|s| s.kind == newslens::search::SegmentKind::Hit)
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(title, ["Interception"]);
}

#[test]
fn seed_boilerplate_titles_and_sources() {
    let arts = seed_articles();
    // 003 repeats its title twice at the top and twice mid-body.
    let a3 = &arts[3];
    assert_eq!(a3.title, "Xiaomi CEO uses an iPhone");
    assert!(a3.paragraphs.iter().all(|p| p != &a3.title));
    assert!(!a3.paragraphs.iter().any(|p| p == "Popular topic"));
    // 001 ends in a comment form and names its source.
    let a1 = &arts[1];
    assert_eq!(a1.source.as_deref(), Some("Duzhe Finance"));
    let text = a1.text();
    for chrome in ["Leave a Reply", "reCAPTCHA", "will not be published", "Sources:"] {
        assert!(!text.contains(chrome), "{chrome}");
    }
    // 000 links elsewhere; 002 ends with pager links.
    assert!(!arts[0].text().contains("SEE ALSO"));
    assert!(!arts[2].paragraphs.iter().any(|p| p == "Next" || p == "Previous"));
    // Nothing is indexed from the chrome either.
    let e = engine_for(arts);
    assert_eq!(search(&e, "reCAPTCHA", &[]).total, 0);
}

#[test]
fn seed_entities_of_every_type() {
    let e = engine_for(seed_articles());
    let r = search(&e, "", &[]);
    let ids: Vec<&str> = r.facets.iter().flat_map(|g| &g.values).map(|v| v.id.as_str()).collect();
    for id in [
        "person:lei-jun",
        "person:lu-weibing",
        "person:pan-jiutang",
        "person:paco-leon",
        "org:xiaomi",
        "org:huawei",
        "org:apple",
        "place:china",
        "place:spain",
        "place:chengdu",
        "product:xiaomi-su7",
        "product:luxeed-s7",
        "product:xpeng-p7",
        "product:nio-et5",
        "product:iphone",
        "date:2025-02-09",
        "money:5000-cny",
        "money:999-eur",
    ] {
        assert!(ids.contains(&id), "{id} missing from facets");
    }
    // Aliases are one entity: "Zhijie S7" (001) and "LUXEED S7" (000).
    let r = search(&e, "", &["product:luxeed-s7"]);
    assert_eq!(sorted(short_ids(&r)), ["000", "001"]);
}

#[test]
fn facet_counts_follow_the_query_and_keep_totals() {
    let e = engine_for(seed_articles());
    let r = search(&e, "iPhone", &[]);
    let lei = r.facets.iter().flat_map(|g| &g.values).find(|v| v.id == "person:lei-jun").unwrap();
    assert_eq!((lei.count, lei.total), (1, 4));
    // Choosing two orgs widens (OR); a person narrows (AND).
    let r = search(&e, "", &["org:huawei", "org:apple"]);
    assert_eq!(sorted(short_ids(&r)), ["000", "003"]);
    let r = search(&e, "", &["org:huawei", "person:pan-jiutang"]);
    assert_eq!(short_ids(&r), ["003"]);
}

#[test]
fn the_reader_lists_roles_and_quotes_with_their_speakers() {
    let e = crate::common::engine_for(crate::common::seed_articles());
    let id = e.search(&newslens::search::SearchRequest::new("anxious")).unwrap().hits[0].id.clone();
    let view = e.article(&id, "").unwrap();
    assert!(
        view.quotes.iter().any(|q| q.speaker_id == "person:lei-jun" && q.text.starts_with("If you are anxious")),
        "{:?}",
        view.quotes
    );
    assert!(
        view.roles.iter().any(|r| r.person_id == "person:lu-weibing" && r.org_id == "org:xiaomi"),
        "{:?}",
        view.roles
    );
    let page = e.entity("org:xiaomi").unwrap();
    assert!(page.roles.iter().any(|r| r.id == "person:lei-jun"), "{:?}", page.roles);
    assert_eq!(page.total, 4);
    assert!(e.entity("person:nobody").is_err());
}
