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
    let mentions = newslens::entity::Extractor::new().unwrap().extract_corpus(&articles);
    let mut b = newslens::index::IndexBuilder::new();
    for (a, m) in articles.into_iter().zip(mentions) {
        b.add(a, m).unwrap();
    }
    newslens::format::write(&b.build())
}

/// A search as the page makes it.
fn search(engine: &Engine, query: &str, entities: &[&str]) -> Result<JsValue, wasm_bindgen::JsError> {
    engine.search(query, entities.iter().map(|e| e.to_string()).collect(), 20, 0, 50, "relevance", true)
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
    let bad_sort = engine.search("x", vec![], 20, 0, 50, "sideways", false);
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
