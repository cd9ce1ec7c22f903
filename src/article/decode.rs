//! Bytes to text. Article files arrive in whatever encoding their site used; none is
//! refused, and a guess is said out loud.

use encoding_rs::{Encoding, WINDOWS_1252};

/// Decodes article bytes: a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) decides; else
/// valid UTF-8 is UTF-8; else Windows-1252, the commonest legacy encoding of English news
/// (every byte sequence is valid in it, so nothing is lost), with a warning saying so.
pub fn decode(bytes: &[u8]) -> (String, Option<String>) {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes.get(bom..).unwrap_or_default());
        return (text.into_owned(), None);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(e) => {
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            let warning =
                format!("not valid UTF-8 (first bad byte at offset {}); read as Windows-1252", e.valid_up_to());
            (text.into_owned(), Some(warning))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let utf16le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("Café".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let utf16be: Vec<u8> =
            [0xFE, 0xFF].into_iter().chain("Café".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        for (bytes, want, warns) in [
            ("Café".as_bytes().to_vec(), "Café", false),
            ([&[0xEF, 0xBB, 0xBF][..], "Café".as_bytes()].concat(), "Café", false),
            (utf16le, "Café", false),
            (utf16be, "Café", false),
            (b"Caf\xe9 \x93quoted\x94".to_vec(), "Café \u{201c}quoted\u{201d}", true),
        ] {
            let (text, warning) = decode(&bytes);
            assert_eq!(text, want);
            assert_eq!(warning.is_some(), warns);
        }
    }
}
