//! Reading a text file the user wants to attach or scrub: bounded, and
//! UTF-8 or UTF-16 (Windows exports its logs so) as one string.

use std::io::Read;
use std::path::Path;

use crate::error::{CoreError, Result};

/// The largest text file read whole (20 MiB).
pub const TEXT_MAX_BYTES: u64 = 20 * 1024 * 1024;

/// The text of `path`: a clear error for a file that cannot be read, is
/// larger than [`TEXT_MAX_BYTES`], or is not UTF-8 or UTF-16 with its BOM.
/// Blocking: call it off the async runtime.
pub fn read_text_file(path: &Path) -> Result<String> {
    let shown = path.display();
    let unreadable = |e: std::io::Error| CoreError::File(format!("cannot read {shown}: {e}"));
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if meta.is_dir() {
        return Err(CoreError::Invalid(format!(
            "{shown} is a folder, not a file"
        )));
    }
    let mut bytes = Vec::new();
    file.take(TEXT_MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > TEXT_MAX_BYTES {
        return Err(CoreError::TooLarge(format!(
            "{shown} is larger than {} MiB",
            TEXT_MAX_BYTES / (1024 * 1024)
        )));
    }
    decode(bytes)
        .ok_or_else(|| CoreError::Invalid(format!("{shown} is not a text file (UTF-8 or UTF-16)")))
}

fn decode(bytes: Vec<u8>) -> Option<String> {
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        if !rest.len().is_multiple_of(2) {
            return None;
        }
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
        String::from_utf16(&units).ok()
    };
    match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => String::from_utf8(bytes).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_its_bom_is_text_binary_is_not() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Ereignis".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(le).as_deref(), Some("Ereignis"));
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Log".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(be).as_deref(), Some("Log"));
        assert_eq!(decode(vec![0xFF, 0xFE, 0x41]), None, "odd length");
        assert_eq!(decode(vec![0x89, b'P', b'N', b'G', 0xFF]), None);
    }

    #[test]
    fn missing_large_and_folders_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = read_text_file(&dir.path().join("nope.log")).unwrap_err();
        assert!(missing.to_string().contains("cannot read"), "{missing}");
        assert!(matches!(
            read_text_file(dir.path()),
            Err(CoreError::Invalid(_))
        ));
        let big = dir.path().join("big.log");
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(TEXT_MAX_BYTES + 1).unwrap();
        assert!(matches!(read_text_file(&big), Err(CoreError::TooLarge(_))));
    }
}
