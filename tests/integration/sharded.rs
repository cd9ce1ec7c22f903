//! A sharded index answers exactly as the single file built from the same articles, while
//! loading only the files each query needs.

use std::collections::HashMap;

use newslens::error::ErrorKind;
use newslens::format::sharded::{self, Manifest};
use newslens::index::Index;
use newslens::search::{Engine, SearchRequest, SearchResponse, Sort};

use crate::common::{index_of, recombined_seeds, seed_articles};

fn index() -> Index {
    let mut articles = seed_articles();
    articles.extend(recombined_seeds(120));
    index_of(articles)
}

struct Folder {
    manifest: Vec<u8>,
    files: HashMap<String, Vec<u8>>,
}

fn folder(index: &Index, shard_bytes: usize) -> Folder {
    let w = sharded::write(index, shard_bytes);
    Folder { manifest: w.manifest, files: w.files.into_iter().collect() }
}

/// Loads what `req` needs, searches, loads the missing fragments, searches again: what the
/// page does. Returns the response and the files fetched.
fn answer(e: &mut Engine, f: &Folder, req: &SearchRequest) -> (SearchResponse, Vec<String>) {
    let mut fetched = Vec::new();
    for _ in 0..4 {
        let need = e.needs(req);
        for name in &need {
            e.add_file(name, &f.files[name]).unwrap();
        }
        fetched.extend(need);
        let r = e.search(req).unwrap();
        if r.missing.is_empty() {
            return (r, fetched);
        }
        for name in &r.missing {
            e.add_file(name, &f.files[name]).unwrap();
        }
        fetched.extend(r.missing);
    }
    panic!("still missing files after four rounds")
}

#[test]
fn results_equal_the_single_file_once_loaded() {
    let index = index();
    let single = Engine::new(index.clone()).unwrap();
    let f = folder(&index, 2048);
    let m = Manifest::read(&f.manifest).unwrap();
    assert!(m.term_shards.len() > 20, "{} term shards", m.term_shards.len());
    let mut e = Engine::from_manifest(&f.manifest).unwrap();
    // What the page loads after a first result: the entity table and the dates.
    let background = e.background_files();
    assert_eq!(background, [m.entity_table.clone(), m.meta.clone()]);
    for name in &background {
        e.add_file(name, &f.files[name]).unwrap();
    }
    assert!(e.background_files().is_empty());
    let requests = vec![
        SearchRequest::new("xiaomi"),
        SearchRequest::new("Lei Jun"),
        SearchRequest::new("\"electric vehicle\""),
        SearchRequest::new("su7 -huawei"),
        SearchRequest::new("huawei OR tesla"),
        SearchRequest::new("title:xiaomi"),
        SearchRequest::new("source:wire"),
        SearchRequest::new("after:2024-06 price"),
        SearchRequest::new("org:xiaomi"),
        SearchRequest::new("deliveries zzzqqq"),
        SearchRequest::new("xia").typing(),
        SearchRequest::new("lei j").typing(),
        SearchRequest::new(""),
        SearchRequest::new("car").with_entities(["org:xiaomi"]),
        SearchRequest { sort: Sort::Date, offset: 5, limit: 7, ..SearchRequest::new("the") },
        SearchRequest {
            date_from: Some("2024-06".into()),
            date_to: Some("2024-09-15".into()),
            ..SearchRequest::new("")
        },
    ];
    for req in &requests {
        let want = single.search(req).unwrap();
        let (got, _) = answer(&mut e, &f, req);
        assert_eq!(got, want, "{:?}", req.query);
        assert!(want.total > 0 || req.query.contains("zzz"), "{:?} matches nothing", req.query);
    }
}

#[test]
fn a_query_loads_only_its_shards() {
    let index = index();
    let f = folder(&index, 2048);
    let m = Manifest::read(&f.manifest).unwrap();
    let mut e = Engine::from_manifest(&f.manifest).unwrap();
    let (r, fetched) = answer(&mut e, &f, &SearchRequest::new("xiaomi"));
    // The article table, one term shard, and one fragment per article shown (hits and
    // their copies).
    assert_eq!(fetched[0], m.docs);
    let terms: Vec<&String> = fetched.iter().filter(|n| n.starts_with("t/")).collect();
    assert_eq!(terms.len(), 1, "{fetched:?}");
    let fragments = fetched.iter().filter(|n| n.starts_with("f/")).count();
    assert_eq!(fragments, r.hits.iter().map(|h| 1 + h.copies.len()).sum::<usize>());
    // Results show text only: the extras (mentions, roles, quotes) wait for the reader.
    assert!(!fetched.iter().any(|n| n.starts_with("x/")), "{fetched:?}");
    assert!(!fetched.contains(&m.entity_table) && !fetched.contains(&m.ids) && !fetched.contains(&m.meta));
    assert!(r.facets.is_empty(), "facets wait for the entity table");
    // Asked again, nothing more is needed.
    assert!(e.needs(&SearchRequest::new("xiaomi")).is_empty());
    // An entity filter needs the entity table first; sorting by date or a date or source
    // filter, the dates and sources.
    assert!(e.needs(&SearchRequest::new("org:xiaomi")).contains(&m.entity_table));
    assert!(e.needs(&SearchRequest::new("after:2024")).contains(&m.meta));
    assert!(e.needs(&SearchRequest { sort: Sort::Date, ..SearchRequest::new("xiaomi") }).contains(&m.meta));
}

#[test]
fn articles_open_by_id_through_the_id_list() {
    let index = index();
    let single = Engine::new(index.clone()).unwrap();
    let f = folder(&index, 4096);
    let mut e = Engine::from_manifest(&f.manifest).unwrap();
    let id = &index.docs[17].id;
    assert!(e.article(id, "").is_err());
    for _ in 0..3 {
        for name in e.needs_article(id, "xiaomi") {
            e.add_file(&name, &f.files[&name]).unwrap();
        }
    }
    assert!(e.needs_article(id, "xiaomi").is_empty());
    assert_eq!(e.article(id, "xiaomi").unwrap(), single.article(id, "xiaomi").unwrap());
}

#[test]
fn extras_may_arrive_before_their_fragment() {
    // The page loads an article's files in parallel, so they are added in whatever order
    // they arrive; the reader must come out the same.
    let index = index();
    let single = Engine::new(index.clone()).unwrap();
    let f = folder(&index, 4096);
    let id = &index.docs[5].id;
    let mut e = Engine::from_manifest(&f.manifest).unwrap();
    for _ in 0..4 {
        let mut need = e.needs_article(id, "");
        // Extras first, then twice, then the rest.
        need.sort_by_key(|n| !n.starts_with("x/"));
        for name in need.iter().chain(need.iter().filter(|n| n.starts_with("x/"))) {
            e.add_file(name, &f.files[name]).unwrap();
        }
    }
    assert!(e.needs_article(id, "").is_empty());
    assert_eq!(e.article(id, "").unwrap(), single.article(id, "").unwrap());
}

#[test]
fn extras_are_named_by_the_entity_table_and_come_after_it() {
    // Extras name their entities by id and are named by the entity table: an article's
    // extras are asked for once the table is here, and refused clearly before.
    let index = index();
    let single = Engine::new(index.clone()).unwrap();
    let f = folder(&index, 4096);
    let m = Manifest::read(&f.manifest).unwrap();
    let id = &index.docs[7].id;
    assert!(!index.docs[7].mentions.is_empty(), "an article with entities");
    let mut e = Engine::from_manifest(&f.manifest).unwrap();
    for name in [&m.docs, &m.ids] {
        e.add_file(name, &f.files[name]).unwrap();
    }
    let first = e.needs_article(id, "");
    assert!(first.contains(&m.entity_table) && !first.iter().any(|n| n.starts_with("x/")), "{first:?}");
    let (_, _, extras) = sharded::Entities::read(&f.files[&m.entity_table], &m).unwrap();
    let own = sharded::extras_file(extras[7]);
    let err = e.add_file(&own, &f.files[&own]).unwrap_err();
    assert!(err.to_string().contains("load the entity table"), "{err}");
    for _ in 0..4 {
        for name in e.needs_article(id, "") {
            e.add_file(&name, &f.files[&name]).unwrap();
        }
    }
    assert_eq!(e.article(id, "").unwrap(), single.article(id, "").unwrap());
}

#[test]
fn wrong_stale_and_damaged_files_are_refused_and_change_nothing() {
    let index = index();
    let f = folder(&index, 2048);
    let other = folder(&crate::common::engine_for(seed_articles()).index().clone(), 2048);
    let m = Manifest::read(&f.manifest).unwrap();
    let mut e = Engine::from_manifest(&f.manifest).unwrap();
    let term = &f.files[&m.term_shards[3].file()];
    // A fragment before the article table; a file of another index; a single-file index;
    // a truncated and a bit-flipped shard.
    let a_fragment = f.files.keys().find(|n| n.starts_with("f/")).unwrap();
    let mut flipped = term.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    let other_docs = &other.files[&Manifest::read(&other.manifest).unwrap().docs];
    let cases: Vec<(&[u8], &str)> = vec![
        (&f.files[a_fragment], "article table before"),
        (other_docs, "does not name"),
        (&f.manifest, "not a shard"),
        (&term[..term.len() - 5], "truncated"),
        (&flipped, "checksum"),
        (b"<html>404</html>", "not a newslens index"),
    ];
    for (bytes, msg) in cases {
        let err = e.add_file("t/x.nl", bytes).unwrap_err();
        assert!(err.message().contains(msg), "{msg}: {err}");
    }
    let mut v1 = term.clone();
    v1[8..12].copy_from_slice(&1u32.to_le_bytes());
    assert_eq!(e.add_file("t/x.nl", &v1).unwrap_err().kind(), ErrorKind::RebuildNeeded);
    // Still a working engine.
    let (r, _) = answer(&mut e, &f, &SearchRequest::new("xiaomi"));
    assert!(r.total > 0);
}

#[test]
fn an_entity_page_equals_the_single_files_once_its_articles_are_loaded() {
    let index = index();
    let single = Engine::new(index.clone()).unwrap();
    let f = folder(&index, 4096);
    let mut e = Engine::from_manifest(&f.manifest).unwrap();
    let mut fetched = Vec::new();
    for _ in 0..4 {
        let need = e.needs_entity("person:lei-jun");
        if need.is_empty() {
            break;
        }
        for name in &need {
            e.add_file(name, &f.files[name]).unwrap();
        }
        fetched.extend(need);
    }
    let page = e.entity("person:lei-jun").unwrap();
    assert_eq!(page, single.entity("person:lei-jun").unwrap());
    // Only the newest articles' fragments, however many mention him.
    assert!(page.total > newslens::search::PAGE_ARTICLES, "{}", page.total);
    assert_eq!(page.read, newslens::search::PAGE_ARTICLES);
    assert!(fetched.iter().filter(|n| n.starts_with("f/")).count() <= newslens::search::PAGE_ARTICLES);
    assert!(page.roles.iter().any(|r| r.id == "org:xiaomi" && r.title == "CEO"), "{:?}", page.roles);
    assert!(page.aliases.iter().any(|a| a.text == "Lei Jun"), "{:?}", page.aliases);
    assert!(!page.quotes.is_empty());
}
