//! format/: how does an index become bytes and back? One versioned envelope around each
//! file, whether the whole [`Index`] in one file or one part of a sharded index folder
//! (`sharded.rs`); writer and reader go through the same serde types, so they cannot drift.
//!
//! ```text
//! offset  size  field
//! 0       8     magic  b"NEWSLENS"
//! 8       4     format version, u32 little-endian (FORMAT_VERSION)
//! 12      4     kind of file, u32 little-endian (Kind)
//! 16      8     payload length, u64 little-endian
//! 24      4     CRC-32 (IEEE) of the payload, u32 little-endian
//! 28      n     payload, postcard-encoded
//! ```
//!
//! Invariants: a reader accepts exactly one version and refuses every other one with a
//! "rebuild needed" error (the version sits where version 1 had it, so old files are
//! recognised); every accepted file has the expected kind, has passed its checksum and
//! its validation. Any change to `Index`, to a shard type or to the analyzer bumps
//! FORMAT_VERSION and adds golden files under tests/golden/ (old ones must then be refused).

pub mod sharded;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::index::Index;

pub const MAGIC: &[u8; 8] = b"NEWSLENS";
/// Version 4 (after 3's roles and quotes) keeps each article's mentions, roles, quotes and
/// related coverage in a sharded folder's extras file (`x/`), apart from its text, so that
/// results download about a quarter less. Version 5 numbers articles oldest first (4:
/// newest first), so that adding a newer article leaves every older one's files as they
/// were, and cuts term shards where the terms say rather than where the bytes do. Version 6
/// lets an update leave a removed article's number empty (`Index::holes`), so that every
/// later article keeps its files. Version 7 shrinks what every first search downloads: body
/// lengths as one-byte codes (`index::length_code`), term shard keys cut to the shortest
/// start that still sorts after the shard before, shard tags as four fixed bytes.
pub const FORMAT_VERSION: u32 = 7;
pub const HEADER_LEN: usize = 28;

/// Conventional file name of a single-file index inside an index folder.
pub const INDEX_FILE: &str = "index.newslens";

/// What a file holds: checked on read, so that one part of an index can never be read as
/// another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Kind {
    /// A whole [`Index`] in one file.
    Single = 1,
    Manifest = 2,
    Docs = 3,
    Entities = 4,
    Ids = 5,
    Terms = 6,
    Fragment = 7,
    Meta = 8,
    Extras = 9,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Single => "a single-file index",
            Kind::Manifest => "an index manifest",
            Kind::Docs => "an article table",
            Kind::Entities => "an entity table",
            Kind::Ids => "an article id list",
            Kind::Terms => "a term shard",
            Kind::Fragment => "an article fragment",
            Kind::Meta => "a table of dates and sources",
            Kind::Extras => "an article's mentions, roles and quotes",
        }
    }

    fn from_u32(v: u32) -> Option<Kind> {
        [
            Kind::Single,
            Kind::Manifest,
            Kind::Docs,
            Kind::Entities,
            Kind::Ids,
            Kind::Terms,
            Kind::Fragment,
            Kind::Meta,
            Kind::Extras,
        ]
        .into_iter()
        .find(|k| *k as u32 == v)
    }
}

/// CRC-32 (IEEE, as in zip and PNG). The `crc` crate with its one 1 KB table: the
/// faster 16 KB table of other crates is not worth its size in the wasm for an index that
/// is checked once per load.
const CRC32: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

pub fn checksum(bytes: &[u8]) -> u32 {
    CRC32.checksum(bytes)
}

/// `value` in an envelope of `kind`.
pub(crate) fn seal<T: Serialize>(kind: Kind, value: &T) -> Vec<u8> {
    // postcard only fails on writers that run out of room; a Vec never does, and an empty
    // payload would be refused by the reader rather than mistaken for an index.
    seal_payload(kind, &postcard::to_allocvec(value).unwrap_or_default())
}

/// An already encoded payload in an envelope of `kind`.
pub(crate) fn seal_payload(kind: Kind, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(kind as u32).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&checksum(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

pub fn write(index: &Index) -> Vec<u8> {
    seal(Kind::Single, index)
}

/// The format version written in `bytes`, if they start like a newslens index.
pub fn version_of(bytes: &[u8]) -> Option<u32> {
    if bytes.get(..8)? != MAGIC {
        return None;
    }
    Some(u32::from_le_bytes(bytes.get(8..12)?.try_into().ok()?))
}

fn le<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    bytes.get(at..at + N).and_then(|b| b.try_into().ok()).unwrap_or([0; N])
}

/// The checksum in an envelope's header (a sharded index names its files by it).
pub fn checksum_of(bytes: &[u8]) -> Option<u32> {
    (bytes.len() >= HEADER_LEN).then(|| u32::from_le_bytes(le(bytes, 24)))
}

/// The tag in a sharded index's file names: a CRC of the header after the magic (format
/// version, kind, length, payload checksum). The version is in it so that a rebuild by a
/// newer newslens never reuses a name: caches that keep content-named files forever, and
/// `newslens index` keeping files whose name it would write again, stay right.
pub fn file_tag(bytes: &[u8]) -> Option<u32> {
    bytes.get(8..HEADER_LEN).map(checksum)
}

/// The kind of file `bytes` claim to be, once magic and version are right.
pub fn kind_of(bytes: &[u8]) -> Result<Kind> {
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
    if bytes.len() < HEADER_LEN {
        return Err(Error::corrupt("index damaged: header is truncated"));
    }
    let kind = u32::from_le_bytes(le(bytes, 12));
    Kind::from_u32(kind).ok_or_else(|| Error::corrupt(format!("index damaged: unknown kind of file {kind}")))
}

/// The payload of an envelope of `kind`, checked and decoded (not yet validated).
pub(crate) fn open<T: DeserializeOwned>(bytes: &[u8], kind: Kind) -> Result<T> {
    let found = kind_of(bytes)?;
    if found != kind {
        return Err(Error::corrupt(format!("index damaged: expected {}, found {}", kind.name(), found.name())));
    }
    let len = u64::from_le_bytes(le(bytes, 16));
    let payload = bytes.get(HEADER_LEN..).unwrap_or_default();
    if len != payload.len() as u64 {
        return Err(Error::corrupt(format!(
            "index damaged: {} payload bytes, header says {len} (truncated download?)",
            payload.len()
        )));
    }
    if Some(checksum(payload)) != checksum_of(bytes) {
        return Err(Error::corrupt("index damaged: checksum mismatch"));
    }
    let (value, rest): (T, &[u8]) =
        postcard::take_from_bytes(payload).map_err(|e| Error::corrupt(format!("index damaged: {e}")))?;
    if !rest.is_empty() {
        return Err(Error::corrupt("index damaged: trailing bytes after the index"));
    }
    Ok(value)
}

pub fn read(bytes: &[u8]) -> Result<Index> {
    if kind_of(bytes)? == Kind::Manifest {
        return Err(Error::bad_request(
            "this is the manifest of a sharded index: open it with the page (or the sharded reader), not as one file",
        ));
    }
    let index: Index = open(bytes, Kind::Single)?;
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
        let with_kind = |k: u32| {
            let mut b = good.clone();
            b[12..16].copy_from_slice(&k.to_le_bytes());
            b
        };
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        let cases: Vec<(Vec<u8>, ErrorKind, &str)> = vec![
            (b"PK\x03\x04 zip".to_vec(), ErrorKind::NotAnIndex, "not a newslens index"),
            (vec![], ErrorKind::NotAnIndex, "not a newslens index"),
            (with_version(0), ErrorKind::RebuildNeeded, "rebuild needed"),
            (with_version(FORMAT_VERSION + 1), ErrorKind::RebuildNeeded, "format version 8"),
            (with_version(2), ErrorKind::RebuildNeeded, "format version 2"),
            (with_version(1), ErrorKind::RebuildNeeded, "format version 1"),
            (good[..10].to_vec(), ErrorKind::NotAnIndex, "not a newslens index"),
            (good[..20].to_vec(), ErrorKind::DataCorruption, "truncated"),
            (with_kind(3), ErrorKind::DataCorruption, "expected a single-file index, found an article table"),
            (with_kind(99), ErrorKind::DataCorruption, "unknown kind"),
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
    fn file_tags_change_with_the_format_version() {
        let good = write(&Index::default());
        let mut older = good.clone();
        older[8..12].copy_from_slice(&(FORMAT_VERSION - 1).to_le_bytes());
        assert_eq!(checksum_of(&good), checksum_of(&older), "same payload");
        assert_ne!(file_tag(&good), file_tag(&older), "so a sharded file's name must differ");
        assert_eq!(file_tag(&good[..10]), None);
    }

    #[test]
    fn checksummed_garbage_is_refused_not_trusted() {
        let payload = vec![0xffu8; 64];
        let mut bytes = Vec::new();
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        bytes.extend_from_slice(&(Kind::Single as u32).to_le_bytes());
        bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&checksum(&payload).to_le_bytes());
        bytes.extend_from_slice(&payload);
        assert_eq!(read(&bytes).unwrap_err().kind(), ErrorKind::DataCorruption);
    }
}
