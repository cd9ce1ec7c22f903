//! Bytes to text. Article files arrive in whatever encoding their site used; none is
//! refused, and a guess is said out loud.

use std::borrow::Cow;

use encoding_rs::{Encoding, GBK, WINDOWS_1252};

/// Decodes article bytes: a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) decides; else
/// valid UTF-8 is UTF-8; else the charset the file declares (HTML `<meta charset>` or
/// `http-equiv`, the XML prolog's `encoding`); else GBK when the bytes are valid GBK and read
/// as Chinese; else Windows-1252, the commonest legacy encoding of English news (every byte
/// sequence is valid in it, so nothing is lost). Anything but a BOM or UTF-8 is said in a
/// warning. Valid UTF-8 is borrowed, not copied: an archive export can be a gigabyte.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Option<String>) {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes.get(bom..).unwrap_or_default());
        return (text, None);
    }
    let bad_at = match std::str::from_utf8(bytes) {
        Ok(s) => return (Cow::Borrowed(s), None),
        Err(e) => e.valid_up_to(),
    };
    if let Some(encoding) = declared(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        let errors = if had_errors { " (some bytes were not valid in it and were replaced)" } else { "" };
        return (text, Some(format!("read as {}, as the file declares{errors}", encoding.name())));
    }
    let (gbk, had_errors) = GBK.decode_without_bom_handling(bytes);
    let non_ascii = gbk.chars().filter(|c| !c.is_ascii()).count();
    let cjk = gbk.chars().filter(|&c| crate::text::is_cjk(c)).count();
    if !had_errors && non_ascii > 0 && cjk * 2 >= non_ascii {
        return (gbk, Some(format!("not valid UTF-8 (first bad byte at offset {bad_at}); read as GBK")));
    }
    let (text, _, _) = WINDOWS_1252.decode(bytes);
    (text, Some(format!("not valid UTF-8 (first bad byte at offset {bad_at}); read as Windows-1252")))
}

/// The encoding named by `charset=` or `encoding=` in the first kilobyte, if it is one the
/// Encoding Standard knows.
fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or_default().to_ascii_lowercase();
    for key in [&b"charset="[..], &b"encoding="[..]] {
        let Some(at) = head.windows(key.len()).position(|w| w == key) else { continue };
        let rest = head.get(at + key.len()..).unwrap_or_default();
        let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
        let end = rest.iter().position(|b| !(b.is_ascii_alphanumeric() || b"-_:.".contains(b))).unwrap_or(rest.len());
        if let Some(e) = rest.get(..end).and_then(Encoding::for_label) {
            return Some(e);
        }
    }
    None
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
            // GBK, undeclared and declared.
            (b"\xd0\xa1\xc3\xd7 SU7".to_vec(), "小米 SU7", true),
            (b"<meta charset=\"gbk\"><p>\xc0\xd7\xbe\xfc</p>".to_vec(), "<meta charset=\"gbk\"><p>雷军</p>", true),
            (
                b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xe9</a>".to_vec(),
                "<?xml version='1.0' encoding='ISO-8859-1'?><a>é</a>",
                true,
            ),
        ] {
            let (text, warning) = decode(&bytes);
            assert_eq!(text, want);
            assert_eq!(warning.is_some(), warns);
        }
    }
}
