//! Screenshots made into evidence: decoded under limits (a corrupt file or
//! a decompression bomb is a clear error, not a crash or an out-of-memory),
//! sized for a helpdesk, annotated (boxes, arrows), redacted with an opaque
//! fill on the pixels themselves (never blur or pixelation: both can be
//! undone), encoded losslessly with no metadata, and thumbnailed. Blocking
//! work: run it off the async runtime.

mod draw;
mod encode;

use deskmate_api::limits;
use image::{ImageReader, RgbaImage, imageops::FilterType};
use serde::{Deserialize, Serialize};
use std::io::Cursor;

pub use encode::{Encoded, Format, encode};

use crate::{CoreError, Result};

/// Most memory one decode may take (a picture at the pixel limit, 8 bits
/// per channel with alpha, is 160 MB).
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// The longest side a screenshot keeps: larger ones (a wall of 4K
/// monitors) are scaled down before anything is drawn on them.
pub const MAX_SIDE: u32 = 3840;

/// What a redaction fills with: opaque black.
pub const REDACTION_FILL: [u8; 4] = [0, 0, 0, 255];

/// A rectangle in the picture's pixels (of the picture as given, before
/// any scaling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// What the user drew on the picture.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edits {
    /// Opaque fills, applied last: nothing drawn shows through them.
    pub redactions: Vec<Rect>,
    /// Outlined boxes.
    pub boxes: Vec<Rect>,
    /// Arrows from the first point to the second.
    pub arrows: Vec<((u32, u32), (u32, u32))>,
}

/// A screenshot ready to queue: the encoded picture and its thumbnail.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub picture: Encoded,
    /// PNG, at most [`crate::thumbnail::MAX_SIDE`] on the long side.
    pub thumbnail: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Decodes `bytes` (PNG, JPEG, GIF, WebP) within the size and memory
/// limits; a bomb is refused from its header, before memory is spent.
pub fn decode(bytes: &[u8]) -> Result<RgbaImage> {
    let unusable =
        |e: image::ImageError| CoreError::Invalid(format!("cannot read this picture: {e}"));
    let (width, height) = reader(bytes)?.into_dimensions().map_err(unusable)?;
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > limits::IMAGE_MAX_PIXELS
    {
        return Err(CoreError::Invalid(format!(
            "a picture of {width}x{height} pixels is too large (at most {} pixels)",
            limits::IMAGE_MAX_PIXELS
        )));
    }
    Ok(reader(bytes)?.decode().map_err(unusable)?.to_rgba8())
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| CoreError::Invalid(format!("cannot read this picture: {e}")))?;
    let mut bounds = image::Limits::default();
    bounds.max_image_width = Some(limits::IMAGE_MAX_SIDE);
    bounds.max_image_height = Some(limits::IMAGE_MAX_SIDE);
    bounds.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(bounds);
    Ok(reader)
}

/// Scales, draws, redacts, encodes and thumbnails `picture`.
pub fn prepare(picture: RgbaImage, edits: &Edits, format: Format) -> Result<Prepared> {
    let (width, height) = picture.dimensions();
    let scale = f64::from(MAX_SIDE) / f64::from(width.max(height));
    let (mut picture, edits) = if scale < 1.0 {
        let w = scaled(width, scale).max(1);
        let h = scaled(height, scale).max(1);
        let smaller = image::imageops::resize(&picture, w, h, FilterType::Triangle);
        (smaller, scale_edits(edits, scale))
    } else {
        (picture, edits.clone())
    };
    draw::annotate(&mut picture, &edits);
    for r in &edits.redactions {
        draw::fill(&mut picture, *r, REDACTION_FILL);
    }
    let thumbnail = crate::thumbnail::make_of(&picture)?;
    let (width, height) = picture.dimensions();
    let picture = encode(&picture, format)?;
    Ok(Prepared {
        picture,
        thumbnail,
        width,
        height,
    })
}

/// The part `r` of `picture` (clipped to it); a region that misses the
/// picture, or is empty, is refused.
pub fn crop(picture: &RgbaImage, r: Rect) -> Result<RgbaImage> {
    let (w, h) = picture.dimensions();
    let width = r.width.min(w.saturating_sub(r.x));
    let height = r.height.min(h.saturating_sub(r.y));
    if width == 0 || height == 0 {
        return Err(CoreError::Invalid(format!(
            "the region {}x{} at {},{} is outside the {w}x{h} picture",
            r.width, r.height, r.x, r.y
        )));
    }
    Ok(image::imageops::crop_imm(picture, r.x, r.y, width, height).to_image())
}

impl From<deskmate_api::PixelRect> for Rect {
    fn from(r: deskmate_api::PixelRect) -> Self {
        Self {
            x: r.x,
            y: r.y,
            width: r.width,
            height: r.height,
        }
    }
}

impl From<&deskmate_api::ScreenshotEdits> for Edits {
    /// The drawing of the editor's edits (the crop is applied before them).
    fn from(e: &deskmate_api::ScreenshotEdits) -> Self {
        Self {
            redactions: e.redactions.iter().map(|r| Rect::from(*r)).collect(),
            boxes: e.boxes.iter().map(|r| Rect::from(*r)).collect(),
            arrows: e
                .arrows
                .iter()
                .map(|a| ((a.from.x, a.from.y), (a.to.x, a.to.y)))
                .collect(),
        }
    }
}

fn scaled(v: u32, scale: f64) -> u32 {
    // In range: scale < 1 and v fits in u32.
    (f64::from(v) * scale)
        .round()
        .clamp(0.0, f64::from(u32::MAX)) as u32
}

/// The edits for the picture scaled by `scale`; a redaction grows to whole
/// pixels outward, so it covers at least what was marked.
fn scale_edits(edits: &Edits, scale: f64) -> Edits {
    let point = |(x, y): (u32, u32)| (scaled(x, scale), scaled(y, scale));
    let rect = |r: &Rect| Rect {
        x: (f64::from(r.x) * scale).floor() as u32,
        y: (f64::from(r.y) * scale).floor() as u32,
        width: (f64::from(r.width) * scale).ceil() as u32 + 1,
        height: (f64::from(r.height) * scale).ceil() as u32 + 1,
    };
    Edits {
        redactions: edits.redactions.iter().map(rect).collect(),
        boxes: edits.boxes.iter().map(rect).collect(),
        arrows: edits
            .arrows
            .iter()
            .map(|(a, b)| (point(*a), point(*b)))
            .collect(),
    }
}
