//! Index files written by each released format version. The current version must open its
//! golden file; every other version's file must be refused with a clear rebuild message.

use newslens::error::ErrorKind;
use newslens::format::{self, FORMAT_VERSION};
use newslens::search::{Engine, SearchRequest};

fn golden(version: u32) -> Vec<u8> {
    let path = format!("{}/tests/golden/v{version}/seeds.newslens", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn current_version_opens_its_golden_file() {
    assert_eq!(FORMAT_VERSION, 1, "a new format version needs tests/golden/v{FORMAT_VERSION}");
    let bytes = golden(1);
    assert_eq!(format::version_of(&bytes), Some(1));
    let e = Engine::from_bytes(&bytes).unwrap();
    assert_eq!(e.stats().articles, 4);
    let r = e.search(&SearchRequest::new("SU7")).unwrap();
    assert_eq!(r.total, 3);
}

#[test]
fn other_versions_are_refused_with_rebuild_needed() {
    for v in (1..FORMAT_VERSION).chain([FORMAT_VERSION + 1, 0]) {
        let mut bytes = golden(1);
        bytes[8..12].copy_from_slice(&v.to_le_bytes());
        let err = Engine::from_bytes(&bytes).err().expect("must refuse");
        assert_eq!(err.kind(), ErrorKind::RebuildNeeded);
        assert!(err.to_string().contains("rebuild"), "{err}");
    }
}
