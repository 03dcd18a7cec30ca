use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::AuthorKind;

wire_enum! {
    /// The kinds of file a ticket accepts, as told by their first bytes
    /// ([`sniff`]); every other kind is refused.
    AttachmentKind {
        Png => "png",
        Jpeg => "jpeg",
        Gif => "gif",
        Webp => "webp",
        Pdf => "pdf",
        /// UTF-8 text without NUL bytes (logs, configuration).
        Text => "text",
        /// A ZIP archive (diagnostic bundles).
        Zip => "zip",
    }
}

impl AttachmentKind {
    /// The `Content-Type` the server stores and answers for this kind.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Pdf => "application/pdf",
            Self::Text => "text/plain; charset=utf-8",
            Self::Zip => "application/zip",
        }
    }

    /// Whether the file is a picture, whose dimensions are checked.
    pub fn is_image(self) -> bool {
        matches!(self, Self::Png | Self::Jpeg | Self::Gif | Self::Webp)
    }
}

/// What kind of file `bytes` is, from its magic bytes (text: valid UTF-8
/// without NUL); `None` for an empty file or any kind that is not accepted.
/// Reads nothing but the bytes given, so clients can check before sending.
pub fn sniff(bytes: &[u8]) -> Option<AttachmentKind> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.is_empty() {
        return None;
    }
    let kind = if bytes.starts_with(PNG) {
        AttachmentKind::Png
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        AttachmentKind::Jpeg
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        AttachmentKind::Gif
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        AttachmentKind::Webp
    } else if bytes.starts_with(b"%PDF-") {
        AttachmentKind::Pdf
    } else if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        AttachmentKind::Zip
    } else if !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() {
        AttachmentKind::Text
    } else {
        return None;
    };
    Some(kind)
}

/// The name a file is stored under: the last component of `raw` (a path
/// like `C:\x\a.png` becomes `a.png`), trimmed; refused when that is empty,
/// `.` or `..`, has control characters, or is longer than
/// [`crate::limits::FILE_NAME_MAX_CHARS`].
pub fn clean_file_name(raw: &str) -> Result<String, String> {
    use crate::limits::FILE_NAME_MAX_CHARS;
    let name = raw.rsplit(['/', '\\']).next().unwrap_or(raw).trim();
    if name.is_empty() || name == "." || name == ".." {
        return Err("the file needs a name".into());
    }
    if name.chars().any(char::is_control) {
        return Err("the file name must not contain control characters".into());
    }
    if name.chars().count() > FILE_NAME_MAX_CHARS {
        return Err(format!(
            "the file name must be at most {FILE_NAME_MAX_CHARS} characters"
        ));
    }
    Ok(name.to_owned())
}

/// A file attached to a ticket (the bytes are fetched separately, from
/// `GET /api/v1/tickets/{ticket_id}/attachments/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Attachment {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub ticket_id: i64,
    /// The message of the ticket it belongs to, if the uploader named one.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[ts(type = "number | null")]
    pub message_id: Option<i64>,
    /// The name it was sent under, without directories.
    pub file_name: String,
    /// What the server found the bytes to be, never what the sender claimed.
    pub content_type: String,
    #[ts(type = "number")]
    pub size_bytes: i64,
    /// SHA-256 of the bytes, lower-case hex; also the download's `ETag`.
    pub sha256: String,
    /// Pictures only: width in pixels.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub width: Option<u32>,
    /// Pictures only: height in pixels.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub height: Option<u32>,
    pub author_kind: AuthorKind,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn accepted_kinds_are_told_by_their_first_bytes() {
        let cases: &[(&[u8], AttachmentKind)] = &[
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", AttachmentKind::Png),
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF", AttachmentKind::Jpeg),
            (b"GIF89a\x01\0\x01\0", AttachmentKind::Gif),
            (b"GIF87a\x01\0\x01\0", AttachmentKind::Gif),
            (b"RIFF\x24\0\0\0WEBPVP8 ", AttachmentKind::Webp),
            (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3", AttachmentKind::Pdf),
            (b"PK\x03\x04\x14\0\0\0", AttachmentKind::Zip),
            (b"PK\x05\x06\0\0\0\0", AttachmentKind::Zip),
            (b"2026-11-25 09:10 nginx: 502", AttachmentKind::Text),
            ("caf\u{e9} \u{2014} ok\n".as_bytes(), AttachmentKind::Text),
        ];
        for (bytes, kind) in cases {
            assert_eq!(sniff(bytes), Some(*kind), "{bytes:?}");
        }
    }

    #[test]
    fn everything_else_is_refused() {
        let refused: &[&[u8]] = &[
            b"",
            b"\x7FELF\x02\x01\x01\0\0\0",
            b"MZ\x90\0\x03\0\0\0",
            b"text with a \0 NUL",
            b"\xC3\x28 invalid UTF-8",
            b"\x89PNG\r\n",
            b"RIFF\x24\0\0\0WAVEfmt ",
        ];
        for bytes in refused {
            assert_eq!(sniff(bytes), None, "{bytes:?}");
        }
    }

    #[test]
    fn a_claimed_text_file_with_image_magic_is_the_image() {
        // The bytes decide, whatever the name or the sender says.
        assert_eq!(sniff(b"GIF89a is how it starts"), Some(AttachmentKind::Gif));
    }

    #[test]
    fn content_types_are_the_standard_ones() {
        assert_eq!(AttachmentKind::Png.content_type(), "image/png");
        assert_eq!(
            AttachmentKind::Text.content_type(),
            "text/plain; charset=utf-8"
        );
        assert!(AttachmentKind::Webp.is_image());
        assert!(!AttachmentKind::Pdf.is_image());
    }

    #[test]
    fn older_peers_pages_and_details_parse_without_attachments() {
        let page: crate::SyncPage =
            serde_json::from_str(r#"{"tickets":[],"messages":[],"cursor":7,"more":false}"#)
                .unwrap();
        assert!(page.attachments.is_empty());
        assert_eq!(page.cursor, 7);
    }

    #[test]
    fn file_names_lose_their_directories() {
        assert_eq!(clean_file_name("C:\\x\\a.png").unwrap(), "a.png");
        assert_eq!(clean_file_name("/etc/passwd").unwrap(), "passwd");
        assert_eq!(clean_file_name("../../a b.txt").unwrap(), "a b.txt");
        assert_eq!(
            clean_file_name(" r\u{e9}sum\u{e9}.pdf ").unwrap(),
            "r\u{e9}sum\u{e9}.pdf"
        );
    }

    #[test]
    fn bad_file_names_are_refused() {
        use crate::limits::FILE_NAME_MAX_CHARS;
        for bad in [
            "",
            "  ",
            "dir/",
            "..",
            "a\\..",
            "a\nb.txt",
            "a\u{7}.png",
            "x\0.png",
        ] {
            assert!(clean_file_name(bad).is_err(), "{bad:?}");
        }
        let longest = "\u{e9}".repeat(FILE_NAME_MAX_CHARS);
        assert!(clean_file_name(&longest).is_ok());
        assert!(clean_file_name(&format!("{longest}x")).is_err());
    }
}
