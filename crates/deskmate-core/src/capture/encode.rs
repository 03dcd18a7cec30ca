//! Lossless encoding with nothing but pixels: no EXIF, no text chunks, no
//! colour profile (the encoder writes none, and the pixels come decoded).

use std::io::Cursor;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageEncoder, RgbaImage};
use serde::Serialize;

use crate::{CoreError, Result};

/// The lossless formats a screenshot can leave in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Png,
    Webp,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Webp => "webp",
        }
    }
}

/// An encoded picture.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub format: Format,
    pub bytes: Vec<u8>,
}

pub fn encode(picture: &RgbaImage, format: Format) -> Result<Encoded> {
    let failed = |e: image::ImageError| CoreError::File(format!("cannot encode the picture: {e}"));
    let (w, h) = picture.dimensions();
    let mut bytes = Vec::new();
    match format {
        Format::Png => PngEncoder::new_with_quality(
            Cursor::new(&mut bytes),
            CompressionType::Fast,
            FilterType::Adaptive,
        )
        .write_image(picture.as_raw(), w, h, ExtendedColorType::Rgba8)
        .map_err(failed)?,
        Format::Webp => WebPEncoder::new_lossless(Cursor::new(&mut bytes))
            .write_image(picture.as_raw(), w, h, ExtendedColorType::Rgba8)
            .map_err(failed)?,
    }
    Ok(Encoded { format, bytes })
}
