//! The wasm engine in a real headless browser (wasm-bindgen-test): load index bytes,
//! search, filter, snippets, and refuse bad bytes without losing a working engine.
#![cfg(target_arch = "wasm32")]

use newslens::wasm::Engine;
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEEDS: [(&str, &str); 4] = [
    ("000_4fbfb928e7286689", include_str!("../www/articles/000_4fbfb928e7286689.txt")),
    ("001_0fef88d9e394b442", include_str!("../www/articles/001_0fef88d9e394b442.txt")),
    ("002_df41c56c829562b5", include_str!("../www/articles/002_df41c56c829562b5.txt")),
    ("003_d46702537c126cfa", include_str!("../www/articles/003_d46702537c126cfa.txt")),
];

/// Index bytes built in the browser by the same core the CLI uses.
fn seed_index() -> Vec<u8> {
    let articles: Vec<_> = SEEDS.iter().map(|(id, raw)| newslens::article::parse(id, raw).unwrap().article).collect();
    let ex = newslens::entity::Extractor::new().unwrap();
    let mentions = ex.extract_corpus(&articles);
    let mut b = newslens::index::IndexBuilder::new();
    for (a, m) in articles.into_iter().zip(mentions) {
        let relations = ex.relations(&a, &m);
        b.add_with(a, m, relations).unwrap();
    }
    newslens::format::write(&b.build())
}

/// A search as the page makes it.
fn search(engine: &Engine, query: &str, entities: &[&str]) -> Result<JsValue, wasm_bindgen::JsError> {
    engine.search(query, entities.iter().map(|e| e.to_string()).collect(), 20, 0, 50, "relevance", true, "", "")
}

fn json(v: JsValue) -> Value {
    serde_wasm_bindgen::from_value(v).unwrap()
}

fn message(e: wasm_bindgen::JsError) -> String {
    let v: JsValue = e.into();
    js_sys::Error::from(v).message().into()
}

fn ids(v: &Value) -> Vec<String> {
    let mut ids: Vec<String> =
        v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()[..3].to_string()).collect();
    ids.sort();
    ids
}

#[wasm_bindgen_test]
fn search_filter_and_snippets() {
    let engine = Engine::new(&seed_index()).unwrap();
    let r = json(search(&engine, "SU7", &[]).unwrap());
    assert_eq!(r["total"], 3);
    assert_eq!(ids(&r), ["000", "001", "002"]);
    let snippet = r["hits"][0]["snippet"].as_array().unwrap();
    assert!(snippet.iter().any(|s| s["kind"] == "hit" && s["text"] == "SU7"));

    let r = json(search(&engine, "", &["org:huawei"]).unwrap());
    assert_eq!(ids(&r), ["000", "003"]);
    let r = json(search(&engine, "", &["org:huawei", "org:apple", "person:pan-jiutang"]).unwrap());
    assert_eq!(ids(&r), ["003"]);

    let a = json(engine.article("003_d46702537c126cfa", "iphone").unwrap());
    let segs: Vec<&Value> = a["paragraphs"].as_array().unwrap().iter().flat_map(|p| p.as_array().unwrap()).collect();
    assert!(segs.iter().any(|s| s["kind"] == "hit" && s["entity"] == "product:iphone"));
    assert!(segs.iter().any(|s| s["entity"] == "person:lei-jun" && s["type"] == "person"));
}

#[wasm_bindgen_test]
fn bad_bytes_are_errors_and_the_engine_keeps_answering() {
    let good = seed_index();
    let engine = Engine::new(&good).unwrap();

    let junk = Engine::new(b"<html>not an index</html>").err().unwrap();
    assert!(message(junk).contains("not a newslens index"));

    let mut other_version = good.clone();
    other_version[8..12].copy_from_slice(&99u32.to_le_bytes());
    assert!(message(Engine::new(&other_version).err().unwrap()).contains("rebuild needed"));

    let truncated = &good[..good.len() / 2];
    assert!(message(Engine::new(truncated).err().unwrap()).contains("damaged"));

    assert!(message(engine.article("no-such-id", "").err().unwrap()).contains("no article"));
    let bad_sort = engine.search("x", vec![], 20, 0, 50, "sideways", false, "", "");
    assert!(message(bad_sort.err().unwrap()).contains("bad search request"));
    // Malformed queries are parsed leniently, never refused.
    let r = json(search(&engine, "(\"lei jun OR -", &[]).unwrap());
    assert!(!r["notes"].as_array().unwrap().is_empty());

    let r = json(search(&engine, "iphone", &[]).unwrap());
    assert_eq!(r["hits"][0]["id"], "003_d46702537c126cfa");
}

/// The in-browser importer: files in, steps with progress, an index the viewer's engine opens.
#[wasm_bindgen_test]
fn importer_builds_an_index_the_engine_searches() {
    use newslens::wasm::Importer;
    let feed = "<rss version=\"2.0\"><channel><title>Wire</title>\
        <item><title>A harbour reopens</title><guid>h-1</guid>\
        <description>The port of Rotterdam reopened on Monday, said Anna Berg.</description></item>\
        </channel></rss>";
    let mut imp = Importer::new("").unwrap();
    let report = json(imp.add_file("wire.xml", feed.as_bytes()).unwrap());
    assert_eq!(report["articles"], 1);
    let bad = json(imp.add_file("broken.json", b"[{").unwrap());
    assert!(bad["error"].is_string(), "{bad}");
    let mut stages = Vec::new();
    loop {
        let p = json(imp.step(1).unwrap());
        stages.push(p["stage"].as_str().unwrap().to_string());
        if p["stage"] == "ready" {
            break;
        }
    }
    // One article, one at a time: its names pass ends in the first step, its mentions in the next.
    assert_eq!(stages, ["entities", "ready"]);
    let engine = Engine::new(&imp.build().unwrap()).unwrap();
    let r = json(search(&engine, "harbour", &[]).unwrap());
    assert_eq!(r["total"], 1);
    let warnings = json(imp.warnings().unwrap());
    assert_eq!(warnings[0]["file"], "broken.json");
    // Nothing readable: a clear error, and the importer still answers.
    let mut empty = Importer::new("").unwrap();
    empty.add_file("broken.json", b"{").unwrap();
    assert!(message(empty.build().unwrap_err()).contains("no article"));
    assert!(empty.warnings().is_ok());
}

/// A JS-valued result reduced to whether it answered, with the error's message.
fn ok(r: Result<JsValue, wasm_bindgen::JsError>) -> Result<(), String> {
    r.map(|_| ()).map_err(message)
}

/// After an error, every export still answers: each is called with bad input (an error, not
/// a trap), then the engine that saw the error is asked again with good input.
#[wasm_bindgen_test]
fn every_export_answers_after_an_error() {
    use newslens::wasm::{file_kind, format_version};
    let good = seed_index();

    // Free functions and constructors.
    assert!(message(file_kind(b"garbage").unwrap_err()).contains("not a newslens index"));
    assert_eq!(file_kind(&good).unwrap(), "single");
    assert!(format_version() >= 1);
    assert!(Engine::new(&good[..20]).is_err());
    assert!(Engine::from_manifest(&good).is_err(), "a single-file index is not a manifest");
    let mut engine = Engine::new(&good).unwrap();

    // Each single-file export: (name, a call that must fail, a call that must answer).
    type Call = fn(&mut Engine) -> Result<(), String>;
    let cases: [(&str, Call, Call); 6] = [
        ("search", |e| ok(e.search("x", vec![], 10, 0, 10, "nope", false, "", "")), |e| ok(search(e, "xiaomi", &[]))),
        ("article", |e| ok(e.article("missing", "")), |e| ok(e.article("000_4fbfb928e7286689", "su7"))),
        ("entity", |e| ok(e.entity("person:nobody")), |e| ok(e.entity("person:lei-jun"))),
        (
            "resolveEntity",
            |e| e.resolve_entity("person:Nobody At All").map(|_| ()).map_err(message),
            |e| e.resolve_entity("person:Lei Jun").map(|_| ()).map_err(message),
        ),
        (
            "addFile",
            |e| e.add_file("x.nl", b"junk").map_err(message),
            |e| e.stats().map(|_| ()).map_err(message), // a single-file engine takes no files; stats answers
        ),
        ("stats", |e| ok(e.article("", "")), |e| ok(e.stats())),
    ];
    for (name, bad, good_call) in cases {
        assert!(bad(&mut engine).is_err(), "{name}: bad input must be an error");
        good_call(&mut engine).unwrap_or_else(|m| panic!("{name} after an error: {m}"));
        // And the engine as a whole still searches.
        assert_eq!(json(search(&engine, "iphone", &[]).unwrap())["total"], 1, "{name}");
    }
    assert!(engine.needs("x", vec![], "nope", false, "", "").is_err());
    assert!(engine.needs("x", vec![], "relevance", false, "", "").unwrap().is_empty(), "a single file needs nothing");
    assert!(engine.needs_article("000_4fbfb928e7286689", "").is_empty());
    assert!(engine.needs_entity("person:lei-jun").is_empty());
    // Roles and quotes, found by the wasm build of the extractor, reach the page.
    let lei = json(engine.entity("person:lei-jun").unwrap());
    assert_eq!(lei["quotes"].as_array().map(Vec::len), Some(2), "{lei}");
    assert!(lei["roles"].as_array().unwrap().iter().any(|r| r["id"] == "org:xiaomi" && r["title"] == "CEO"), "{lei}");
    assert_eq!(engine.entity_table_file(), None);

    // The sharded engine: bad files are refused, then the real ones load and it answers.
    let index = newslens::format::read(&good).unwrap();
    let written = newslens::format::sharded::write(&index, 64);
    assert!(Engine::from_manifest(&written.manifest[..written.manifest.len() - 3]).is_err());
    let mut sharded = Engine::from_manifest(&written.manifest).unwrap();
    let files: std::collections::HashMap<&str, &[u8]> =
        written.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    assert!(sharded.needs("x", vec![], "sideways", false, "", "").is_err());
    let wanted = sharded.needs("iphone", vec![], "relevance", false, "", "").unwrap();
    assert!(!wanted.is_empty());
    let first = files[wanted[0].as_str()];
    let mut flipped = first.to_vec();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    assert!(message(sharded.add_file(&wanted[0], &flipped).unwrap_err()).contains("damaged"));
    assert!(sharded.add_file(&wanted[0], &first[..first.len() / 2]).is_err());
    assert!(sharded.add_file("not/in/this/index.nl", b"").is_err());
    let mut rounds = 0;
    loop {
        let wanted = sharded.needs("iphone", vec![], "relevance", false, "", "").unwrap();
        if wanted.is_empty() {
            break;
        }
        for name in wanted {
            sharded.add_file(&name, files[name.as_str()]).unwrap();
        }
        rounds += 1;
        assert!(rounds < 10, "needs must converge");
    }
    let r = json(search(&sharded, "iphone", &[]).unwrap());
    assert_eq!(r["total"], 1);
    for name in r["missing"].as_array().unwrap() {
        let name = name.as_str().unwrap();
        sharded.add_file(name, files[name]).unwrap();
    }
    let r = json(search(&sharded, "iphone", &[]).unwrap());
    let id = r["hits"][0]["id"].as_str().unwrap().to_string();
    for name in sharded.needs_article(&id, "iphone") {
        sharded.add_file(&name, files[name.as_str()]).unwrap();
    }
    assert!(sharded.article(&id, "iphone").is_ok());
    if let Some(table) = sharded.entity_table_file() {
        assert!(sharded.add_file(&table, b"NLIX garbage").is_err());
        sharded.add_file(&table, files[table.as_str()]).unwrap();
    }
    assert!(sharded.resolve_entity("person:Lei Jun").is_ok());
    assert!(sharded.stats().is_ok());
}

/// The importer's exports after errors: a bad field map, bad files, an empty build.
#[wasm_bindgen_test]
fn importer_exports_answer_after_errors() {
    use newslens::wasm::Importer;
    assert!(Importer::new("title").is_err(), "a field map entry needs '='");
    let mut imp = Importer::new("").unwrap();
    assert!(message(imp.build().unwrap_err()).contains("no article"));
    for (name, bytes) in [
        ("a.json", &b"[{\"title\":"[..]),
        ("b.xml", b"<rss><channel><item>"),
        ("c.html", b"<html></html>"),
        ("d.md", b"---\nauthor: nobody\n---\n"),
        ("e.txt", b""),
    ] {
        let r = json(imp.add_file(name, bytes).unwrap());
        assert!(r["error"].is_string() || r["articles"] == 0, "{name}: {r}");
    }
    let r = json(imp.add_file("ok.txt", b"Harbour news\n\nThe harbour of Genoa reopened.").unwrap());
    assert_eq!(r["articles"], 1);
    assert!(imp.step(1).is_ok());
    let late = json(imp.add_file("late.txt", b"Late\n\nToo late to be read.").unwrap());
    assert!(late["error"].is_string(), "files after the first step are refused: {late}");
    while json(imp.step(10).unwrap())["stage"] != "ready" {}
    let engine = Engine::new(&imp.build().unwrap()).unwrap();
    assert_eq!(json(search(&engine, "genoa", &[]).unwrap())["total"], 1);
    assert!(json(imp.warnings().unwrap()).as_array().unwrap().len() >= 4);
}
