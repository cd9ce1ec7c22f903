//! Index files written by each released format version. The current version must open its
//! golden files (one file, and a sharded folder); every other version's file must be
//! refused with a clear rebuild message.
//!
//! Regenerate after a format change (with the new version's folder):
//! `newslens index www/articles -o <dir> --layout single|sharded`.

use std::io::Read;

use newslens::error::ErrorKind;
use newslens::format::{self, sharded::Manifest, FORMAT_VERSION};
use newslens::search::{Engine, SearchRequest};

fn dir(version: u32) -> String {
    format!("{}/tests/golden/v{version}", env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> Vec<u8> {
    let raw = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    if !raw.starts_with(&[0x1f, 0x8b]) {
        return raw;
    }
    // A sharded folder's files are stored gzip-compressed.
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut out).unwrap();
    out
}

#[test]
fn current_version_opens_its_golden_files() {
    assert_eq!(FORMAT_VERSION, 7, "a new format version needs tests/golden/v{FORMAT_VERSION}");
    let bytes = read(&format!("{}/seeds.newslens", dir(7)));
    assert_eq!(format::version_of(&bytes), Some(7));
    let single = Engine::from_bytes(&bytes).unwrap();
    assert_eq!(single.stats().articles, 4);
    let r = single.search(&SearchRequest::new("SU7")).unwrap();
    assert_eq!(r.total, 3);

    // Version 3 added roles and quotes.
    let lei = single.entity("person:lei-jun").unwrap();
    assert!(lei.roles.iter().any(|r| r.id == "org:xiaomi" && r.title == "CEO"), "{:?}", lei.roles);
    assert!(!lei.quotes.is_empty());

    // Version 5 numbers articles oldest first.
    let dates: Vec<_> = single.index().docs.iter().map(|d| d.date.clone()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");

    let sharded = open_folder(&format!("{}/sharded", dir(7)));
    let req = SearchRequest::new("SU7");
    assert_eq!(sharded.search(&req).unwrap(), r);
    // Version 4 moved mentions, roles, quotes and related coverage into an extras file per
    // article: the reader and the entity page still see them.
    assert_eq!(sharded.entity("person:lei-jun").unwrap(), lei);
    let id = &r.hits[0].id;
    assert_eq!(sharded.article(id, "SU7").unwrap(), single.article(id, "SU7").unwrap());
}

/// A sharded golden folder, every file of it loaded.
fn open_folder(folder: &str) -> Engine {
    let manifest_bytes = read(&format!("{folder}/index.newslens"));
    let manifest = Manifest::read(&manifest_bytes).unwrap();
    let mut sharded = Engine::from_manifest(&manifest_bytes).unwrap();
    let mut names =
        vec![manifest.docs.clone(), manifest.meta.clone(), manifest.entity_table.clone(), manifest.ids.clone()];
    names.extend(manifest.term_shards.iter().map(|s| s.file()));
    for name in &names {
        sharded.add_file(name, &read(&format!("{folder}/{name}"))).unwrap();
    }
    for name in sharded.needs_all_fragments() {
        sharded.add_file(&name, &read(&format!("{folder}/{name}"))).unwrap();
    }
    sharded
}

/// Version 6 keeps a removed article's number empty on an update (`holed/`: the seeds'
/// sharded folder after `--update --remove 002_df41c56c829562b5`, number 1).
#[test]
fn current_version_opens_a_folder_with_a_hole() {
    let removed = "002_df41c56c829562b5";
    let full = Engine::from_bytes(&read(&format!("{}/seeds.newslens", dir(7)))).unwrap();
    let holed = open_folder(&format!("{}/holed", dir(7)));
    assert_eq!(holed.index().holes, [1]);
    assert_eq!(holed.index().docs[1].id, "");
    assert_eq!(holed.stats().articles, 3);
    for q in ["", "SU7", "Lei Jun", "-huawei"] {
        let ids = |e: &Engine| -> Vec<String> {
            e.search(&SearchRequest::new(q)).unwrap().hits.into_iter().map(|h| h.id).collect()
        };
        let want: Vec<String> = ids(&full).into_iter().filter(|id| id != removed).collect();
        assert_eq!(ids(&holed), want, "{q}");
        assert_eq!(holed.search(&SearchRequest::new(q)).unwrap().total, want.len(), "{q}");
    }
    assert!(holed.article(removed, "").is_err());
}

#[test]
fn other_versions_are_refused_with_rebuild_needed() {
    // The real files of the versions before, and the current one relabelled as every other.
    for old in 1..FORMAT_VERSION {
        let err = Engine::from_bytes(&read(&format!("{}/seeds.newslens", dir(old)))).err().expect("must be refused");
        assert_eq!(err.kind(), ErrorKind::RebuildNeeded);
        assert!(err.to_string().contains(&format!("format version {old}")), "{err}");
    }
    for v in (1..FORMAT_VERSION).chain([FORMAT_VERSION + 1, 0]) {
        let mut bytes = read(&format!("{}/seeds.newslens", dir(FORMAT_VERSION)));
        bytes[8..12].copy_from_slice(&v.to_le_bytes());
        let err = Engine::from_bytes(&bytes).err().expect("must refuse");
        assert_eq!(err.kind(), ErrorKind::RebuildNeeded);
        assert!(err.to_string().contains("rebuild"), "{err}");
    }
}
