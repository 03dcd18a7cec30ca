//! Thumbnails of attached pictures: at most [`MAX_SIDE`] pixels on the long
//! side, as PNG. Decoding is bounded ([`image::Limits`] plus the pixel limit
//! read from the header first), so a picture that claims huge dimensions (a
//! decompression bomb) is refused before memory is spent on it.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat};

use crate::{CoreError, Result};

/// Longest side of a thumbnail, in pixels.
pub const MAX_SIDE: u32 = 256;

/// A PNG thumbnail of the picture `bytes`, decoded within
/// [`crate::capture::decode`]'s limits.
pub fn make(bytes: &[u8]) -> Result<Vec<u8>> {
    let picture = crate::capture::decode(bytes).map_err(|e| match e {
        CoreError::Invalid(why) => CoreError::Invalid(why.replace("cannot read", "cannot preview")),
        other => other,
    })?;
    make_of(&picture)
}

/// A PNG thumbnail of a decoded picture.
pub(crate) fn make_of(picture: &image::RgbaImage) -> Result<Vec<u8>> {
    let (w, h) = picture.dimensions();
    let long = w.max(h);
    let thumb = if long > MAX_SIDE {
        // Both sides scaled alike, rounded, at least one pixel.
        let side = |v: u32| {
            ((u64::from(v) * u64::from(MAX_SIDE) + u64::from(long) / 2) / u64::from(long)).max(1)
        };
        let (tw, th) = (side(w), side(h));
        image::imageops::thumbnail(
            picture,
            u32::try_from(tw).unwrap_or(MAX_SIDE),
            u32::try_from(th).unwrap_or(MAX_SIDE),
        )
    } else {
        picture.clone()
    };
    let mut png = Vec::new();
    DynamicImage::ImageRgba8(thumb)
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|e| CoreError::File(format!("cannot write a thumbnail: {e}")))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(picture)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    fn dimensions(png: &[u8]) -> (u32, u32) {
        let thumb = image::load_from_memory_with_format(png, ImageFormat::Png).unwrap();
        (thumb.width(), thumb.height())
    }

    #[test]
    fn large_pictures_shrink_keeping_their_shape() {
        assert_eq!(dimensions(&make(&png(1024, 512)).unwrap()), (256, 128));
        assert_eq!(dimensions(&make(&png(300, 900)).unwrap()), (85, 256));
    }

    #[test]
    fn small_pictures_stay_as_they_are() {
        assert_eq!(dimensions(&make(&png(40, 30)).unwrap()), (40, 30));
    }

    /// CRC-32 (ISO-HDLC) as PNG chunks carry it.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// A small PNG whose (valid) header claims `width` x `height` pixels.
    fn claiming(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&width.to_be_bytes());
        bytes[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    #[test]
    fn a_picture_claiming_huge_dimensions_is_refused_before_decoding() {
        // The header reads fine: the refusal is the dimensions'.
        let fine = claiming(1, 1);
        assert_eq!(dimensions(&make(&fine).unwrap()), (1, 1));
        for (w, h) in [(100_000, 100_000), (16_384, 16_384), (10_000, 4_001)] {
            let err = make(&claiming(w, h)).unwrap_err();
            assert_eq!(err.code(), deskmate_api::ErrorCode::Validation, "{err}");
            assert!(
                err.to_string().contains("pixels") || err.to_string().contains("limit"),
                "{w}x{h}: {err}"
            );
        }
    }

    #[test]
    fn what_is_not_a_picture_is_an_error() {
        assert!(make(b"%PDF-1.7").is_err());
        assert!(make(&png(10, 10)[..40]).is_err(), "truncated");
    }
}
