#![no_main]
//! Any bytes as a part of a sharded index: the golden sharded seeds' manifest is loaded,
//! then the fuzzed bytes are offered as each file it names (the first byte picks which),
//! and a search runs. A wrong file must be refused with an error and the engine must go
//! on answering.
use libfuzzer_sys::fuzz_target;
use newslens::search::{Engine, SearchRequest};
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

fn inflate(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("golden files inflate");
    out
}

static MANIFEST: OnceLock<Vec<u8>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let manifest = MANIFEST.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../tests/golden/v{}/sharded", newslens::format::FORMAT_VERSION));
        inflate(&std::fs::read(dir.join("index.newslens")).expect("golden manifest"))
    });
    // The golden manifest must open: a target that returned here would fuzz nothing.
    let mut engine = Engine::from_manifest(manifest).expect("the golden manifest opens");
    let req = SearchRequest { query: "xiaomi".into(), limit: 5, facet_limit: 5, ..SearchRequest::default() };
    let mut names = engine.needs(&req);
    names.extend(engine.entity_table_file());
    let Some((&pick, rest)) = data.split_first() else { return };
    if names.is_empty() {
        return;
    }
    let name = names[pick as usize % names.len()].clone();
    let _ = engine.add_file(&name, rest);
    let _ = engine.search(&req);
    let _ = engine.stats();
});
