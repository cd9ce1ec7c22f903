//! format/: how does an index become bytes and back? One versioned envelope around the
//! [`Index`] type; writer and reader go through the same serde types, so they cannot drift.
//!
//! ```text
//! offset  size  field
//! 0       8     magic  b"NEWSLENS"
//! 8       4     format version, u32 little-endian (FORMAT_VERSION)
//! 12      8     payload length, u64 little-endian
//! 20      4     CRC-32 (IEEE) of the payload, u32 little-endian
//! 24      n     payload: the Index, postcard-encoded
//! ```
//!
//! Invariants: a reader accepts exactly one version and refuses every other one with a
//! "rebuild needed" error; every accepted index has passed its checksum and
//! [`Index::validate`]. Any change to `Index` or to the analyzer bumps FORMAT_VERSION and
//! adds a golden file under tests/golden/ (old golden files must then be refused).

use crate::error::{Error, ErrorKind, Result};
use crate::index::Index;

pub const MAGIC: &[u8; 8] = b"NEWSLENS";
pub const FORMAT_VERSION: u32 = 1;
pub const HEADER_LEN: usize = 24;

/// Conventional file name of a single-file index inside an index folder.
pub const INDEX_FILE: &str = "index.newslens";

/// CRC-32 (IEEE, as in zip and PNG). The `crc` crate with its one 1 KB table: the
/// faster 16 KB table of other crates is not worth its size in the wasm for an index that
/// is checked once per load.
const CRC32: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

pub fn checksum(bytes: &[u8]) -> u32 {
    CRC32.checksum(bytes)
}

pub fn write(index: &Index) -> Vec<u8> {
    // postcard only fails on writers that run out of room; a Vec never does, and an empty
    // payload would be refused by the reader rather than mistaken for an index.
    let payload = postcard::to_allocvec(index).unwrap_or_default();
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&checksum(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// The format version written in `bytes`, if they start like a newslens index.
pub fn version_of(bytes: &[u8]) -> Option<u32> {
    if bytes.get(..8)? != MAGIC {
        return None;
    }
    Some(u32::from_le_bytes(bytes.get(8..12)?.try_into().ok()?))
}

pub fn read(bytes: &[u8]) -> Result<Index> {
    let Some(version) = version_of(bytes) else {
        return Err(Error::new(
            ErrorKind::NotAnIndex,
            "not a newslens index (wrong magic bytes); build one with `newslens index`",
        ));
    };
    if version != FORMAT_VERSION {
        return Err(Error::new(
            ErrorKind::RebuildNeeded,
            format!(
                "rebuild needed: this index has format version {version}, and this newslens reads version {FORMAT_VERSION}; rebuild it with `newslens index`"
            ),
        ));
    }
    let header = bytes.get(..HEADER_LEN).ok_or_else(|| Error::corrupt("index damaged: header is truncated"))?;
    let len_bytes: [u8; 8] = header.get(12..20).and_then(|b| b.try_into().ok()).unwrap_or_default();
    let crc_bytes: [u8; 4] = header.get(20..24).and_then(|b| b.try_into().ok()).unwrap_or_default();
    let payload = bytes.get(HEADER_LEN..).unwrap_or_default();
    if u64::from_le_bytes(len_bytes) != payload.len() as u64 {
        return Err(Error::corrupt(format!(
            "index damaged: {} payload bytes, header says {} (truncated download?)",
            payload.len(),
            u64::from_le_bytes(len_bytes)
        )));
    }
    if checksum(payload) != u32::from_le_bytes(crc_bytes) {
        return Err(Error::corrupt("index damaged: checksum mismatch"));
    }
    let (index, rest): (Index, &[u8]) =
        postcard::take_from_bytes(payload).map_err(|e| Error::corrupt(format!("index damaged: {e}")))?;
    if !rest.is_empty() {
        return Err(Error::corrupt("index damaged: trailing bytes after the index"));
    }
    index.validate()?;
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::IndexBuilder;
    use crate::model::Article;

    fn sample() -> Index {
        let mut b = IndexBuilder::new();
        b.add(
            Article {
                id: "a".into(),
                title: "Hello world".into(),
                paragraphs: vec!["Body text.".into()],
                ..Default::default()
            },
            vec![],
        )
        .unwrap();
        b.build()
    }

    #[test]
    fn checksum_is_standard_crc32() {
        assert_eq!(checksum(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn round_trip() {
        let idx = sample();
        let bytes = write(&idx);
        assert_eq!(&bytes[..8], MAGIC);
        assert_eq!(read(&bytes).unwrap(), idx);
    }

    #[test]
    fn refusals_say_why() {
        let good = write(&sample());
        let with_version = |v: u32| {
            let mut b = good.clone();
            b[8..12].copy_from_slice(&v.to_le_bytes());
            b
        };
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        let cases: Vec<(Vec<u8>, ErrorKind, &str)> = vec![
            (b"PK\x03\x04 zip".to_vec(), ErrorKind::NotAnIndex, "not a newslens index"),
            (vec![], ErrorKind::NotAnIndex, "not a newslens index"),
            (with_version(0), ErrorKind::RebuildNeeded, "rebuild needed"),
            (with_version(2), ErrorKind::RebuildNeeded, "format version 2"),
            (good[..10].to_vec(), ErrorKind::NotAnIndex, "not a newslens index"),
            (good[..20].to_vec(), ErrorKind::DataCorruption, "truncated"),
            (good[..good.len() - 3].to_vec(), ErrorKind::DataCorruption, "truncated download"),
            (flipped, ErrorKind::DataCorruption, "checksum"),
        ];
        for (bytes, kind, msg) in cases {
            let e = read(&bytes).unwrap_err();
            assert_eq!(e.kind(), kind, "{e}");
            assert!(e.message().contains(msg), "{e}");
        }
    }

    #[test]
    fn checksummed_garbage_is_refused_not_trusted() {
        let payload = vec![0xffu8; 64];
        let mut bytes = Vec::new();
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&checksum(&payload).to_le_bytes());
        bytes.extend_from_slice(&payload);
        assert_eq!(read(&bytes).unwrap_err().kind(), ErrorKind::DataCorruption);
    }
}
