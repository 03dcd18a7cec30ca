//! Screenshot processing as the capture flow runs it: redaction is an exact
//! opaque fill in the encoded picture, nothing but pixels leaves (no
//! metadata chunks, even when the source had them), pictures are scaled to
//! a helpdesk's size with the redaction still covering what was marked,
//! and corrupt, truncated, huge and bomb pictures are typed errors.

use deskmate_api::{AttachmentKind, sniff};
use deskmate_core::CoreError;
use deskmate_core::capture::{Edits, Format, REDACTION_FILL, Rect, decode, encode, prepare};
use image::{Rgba, RgbaImage};

/// A picture where every pixel differs from its neighbours.
fn noise(width: u32, height: u32) -> RgbaImage {
    RgbaImage::from_fn(width, height, |x, y| {
        let v = x
            .wrapping_mul(2_654_435_761)
            .wrapping_add(y.wrapping_mul(40_503));
        Rgba([(v >> 3) as u8, (v >> 11) as u8, (v >> 19) as u8, 255])
    })
}

/// The chunk types of a PNG, in order.
fn chunks(png: &[u8]) -> Vec<String> {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let mut at = 8;
    let mut kinds = Vec::new();
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        kinds.push(String::from_utf8_lossy(&png[at + 4..at + 8]).into_owned());
        at += 12 + len;
    }
    kinds
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// `png` with a chunk of `kind` holding `data` inserted after IHDR.
fn with_chunk(png: &[u8], kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let ihdr_end = 8 + 12 + 13;
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    chunk.extend_from_slice(&body);
    chunk.extend_from_slice(&crc32(&body).to_be_bytes());
    [&png[..ihdr_end], &chunk, &png[ihdr_end..]].concat()
}

fn png_of(picture: &RgbaImage) -> Vec<u8> {
    encode(picture, Format::Png).unwrap().bytes
}

#[test]
fn a_redacted_region_is_exactly_the_fill_and_nothing_else_changes() {
    let original = noise(1920, 1080);
    let secret = Rect {
        x: 300,
        y: 200,
        width: 420,
        height: 90,
    };
    let edits = Edits {
        redactions: vec![secret],
        boxes: vec![Rect {
            x: 1000,
            y: 600,
            width: 200,
            height: 100,
        }],
        arrows: vec![((900, 500), (1000, 600))],
    };
    let prepared = prepare(original.clone(), &edits, Format::Png).unwrap();
    assert_eq!((prepared.width, prepared.height), (1920, 1080));
    assert_eq!(sniff(&prepared.picture.bytes), Some(AttachmentKind::Png));
    assert_eq!(chunks(&prepared.picture.bytes), ["IHDR", "IDAT", "IEND"]);
    let back = decode(&prepared.picture.bytes).unwrap();
    for y in 0..1080 {
        for x in 0..1920 {
            let inside = (300..720).contains(&x) && (200..290).contains(&y);
            let marked = (880..1220).contains(&x) && (480..720).contains(&y);
            if inside {
                assert_eq!(back.get_pixel(x, y).0, REDACTION_FILL, "({x}, {y})");
            } else if !marked {
                assert_eq!(back.get_pixel(x, y), original.get_pixel(x, y), "({x}, {y})");
            }
        }
    }
    // The box was drawn.
    assert_ne!(back.get_pixel(1000, 650), original.get_pixel(1000, 650));
    let thumb = decode(&prepared.thumbnail).unwrap();
    assert_eq!(thumb.width().max(thumb.height()), 256);
}

#[test]
fn metadata_of_the_source_never_leaves() {
    let source = with_chunk(
        &png_of(&noise(64, 48)),
        b"tEXt",
        b"Author\0jana@acme.example",
    );
    let source = with_chunk(&source, b"eXIf", b"MM\0*\0\0\0\x08\0\0");
    assert!(chunks(&source).contains(&"tEXt".to_owned()));
    let picture = decode(&source).unwrap();
    let out = prepare(picture, &Edits::default(), Format::Png).unwrap();
    assert_eq!(chunks(&out.picture.bytes), ["IHDR", "IDAT", "IEND"]);
    let text = String::from_utf8_lossy(&out.picture.bytes);
    assert!(!text.contains("jana@acme.example"));
}

#[test]
fn a_huge_screenshot_is_scaled_and_the_redaction_still_covers_it() {
    let wall = noise(7680, 2160);
    let secret = Rect {
        x: 1001,
        y: 333,
        width: 77,
        height: 31,
    };
    let edits = Edits {
        redactions: vec![secret],
        ..Edits::default()
    };
    let prepared = prepare(wall, &edits, Format::Png).unwrap();
    assert_eq!((prepared.width, prepared.height), (3840, 1080));
    let back = decode(&prepared.picture.bytes).unwrap();
    // Every output pixel any of whose source pixels was marked is filled.
    for y in (333 / 2)..=((333 + 31 - 1) / 2) {
        for x in (1001 / 2)..=((1001 + 77 - 1) / 2) {
            assert_eq!(back.get_pixel(x, y).0, REDACTION_FILL, "({x}, {y})");
        }
    }
}

#[test]
fn lossless_webp_keeps_every_pixel() {
    let picture = noise(320, 200);
    let webp = encode(&picture, Format::Webp).unwrap();
    assert_eq!(sniff(&webp.bytes), Some(AttachmentKind::Webp));
    assert_eq!(decode(&webp.bytes).unwrap(), picture);
}

#[test]
fn corrupt_truncated_huge_and_bomb_pictures_are_typed_errors() {
    let good = png_of(&noise(64, 64));
    let truncated = &good[..good.len() / 2];
    let mut corrupt = good.clone();
    for b in &mut corrupt[40..80] {
        *b ^= 0x5A;
    }
    // A valid header that claims 30000x30000 (900 million pixels) over a
    // few bytes of data: refused from the header, before any allocation.
    let mut bomb = good.clone();
    bomb[16..20].copy_from_slice(&30_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&30_000u32.to_be_bytes());
    let crc = crc32(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    // Within the side limit but over the pixel limit: 8000x8000.
    let mut wide = bomb.clone();
    wide[16..20].copy_from_slice(&8_000u32.to_be_bytes());
    wide[20..24].copy_from_slice(&8_000u32.to_be_bytes());
    let crc = crc32(&wide[12..29]);
    wide[29..33].copy_from_slice(&crc.to_be_bytes());
    for (what, bytes) in [
        ("truncated", truncated.to_vec()),
        ("corrupt", corrupt),
        ("30000x30000", bomb),
        ("8000x8000", wide),
        ("garbage", b"not a picture at all".to_vec()),
        ("empty", Vec::new()),
    ] {
        match decode(&bytes) {
            Err(CoreError::Invalid(message)) => {
                assert!(message.contains("picture"), "{what}: {message}");
            }
            other => panic!("{what}: {other:?}"),
        }
    }
}
