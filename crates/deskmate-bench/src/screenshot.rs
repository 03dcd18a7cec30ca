//! `screenshot_pipeline_ms`: a 1920x1080 screenshot redacted, annotated,
//! thumbnailed, encoded losslessly and written durably into a fresh outbox
//! directory, as the capture flow does after the grab. The grab itself is
//! the window system's (xcap, under the app) and is not in this figure.
//! Both lossless formats are measured; the figure is the faster of the two
//! whose output is no more than 10 % larger, the note gives both.

use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use deskmate_core::capture::{Edits, Format, Rect, prepare};
use image::{Rgba, RgbaImage};

use crate::stats::Latencies;

/// One format's runs.
pub struct Runs {
    pub format: Format,
    pub median_ms: f64,
    pub bytes: usize,
    /// Medians of the stages: prepare (draw, redact, thumbnail, encode), write.
    pub prepare_ms: f64,
    pub write_ms: f64,
}

pub struct Outcome {
    pub png: Runs,
    pub webp: Runs,
}

impl Outcome {
    /// The format the figure stands for.
    pub fn chosen(&self) -> &Runs {
        let (fast, slow) = if self.png.median_ms <= self.webp.median_ms {
            (&self.png, &self.webp)
        } else {
            (&self.webp, &self.png)
        };
        if fast.bytes as f64 <= slow.bytes as f64 * 1.1 {
            fast
        } else {
            slow
        }
    }
}

/// Something like a desktop: flat panels, a title bar, and lines of
/// "text" (short dark runs) on white.
fn screen() -> RgbaImage {
    RgbaImage::from_fn(1920, 1080, |x, y| {
        if y < 32 {
            return Rgba([40, 44, 52, 255]);
        }
        if x < 280 {
            return Rgba([236, 239, 244, 255]);
        }
        let line = (y - 32) % 22;
        let glyph = (x.wrapping_mul(7919) ^ (y / 22).wrapping_mul(104_729)) % 11;
        if line < 14 && glyph < 6 && (x / 90) % 7 != 6 {
            Rgba([30, 30, 30, 255])
        } else {
            Rgba([255, 255, 255, 255])
        }
    })
}

fn run_format(picture: &RgbaImage, format: Format, rounds: usize) -> Result<Runs> {
    let edits = Edits {
        redactions: vec![Rect {
            x: 400,
            y: 300,
            width: 600,
            height: 60,
        }],
        boxes: vec![Rect {
            x: 1200,
            y: 500,
            width: 300,
            height: 200,
        }],
        arrows: vec![((1000, 400), (1200, 500))],
    };
    let outbox = tempfile::tempdir().context("outbox directory")?;
    let (mut total, mut prepare_t, mut write_t): (Vec<Duration>, Vec<Duration>, Vec<Duration>) =
        (Vec::new(), Vec::new(), Vec::new());
    let mut bytes = 0;
    for round in 0..rounds {
        let started = Instant::now();
        let prepared = prepare(picture.clone(), &edits, format).context("prepare")?;
        let prepared_at = Instant::now();
        let path = outbox
            .path()
            .join(format!("shot-{round}.{}", format.extension()));
        let mut file = std::fs::File::create(&path).context("outbox file")?;
        file.write_all(&prepared.picture.bytes)
            .context("outbox write")?;
        std::fs::write(path.with_extension("thumb.png"), &prepared.thumbnail)
            .context("thumbnail write")?;
        file.sync_all().context("outbox sync")?;
        let done = Instant::now();
        bytes = prepared.picture.bytes.len();
        total.push(done - started);
        prepare_t.push(prepared_at - started);
        write_t.push(done - prepared_at);
    }
    Ok(Runs {
        format,
        median_ms: Latencies::new(total).percentile_ms(50.0),
        bytes,
        prepare_ms: Latencies::new(prepare_t).percentile_ms(50.0),
        write_ms: Latencies::new(write_t).percentile_ms(50.0),
    })
}

/// Measures both formats, `rounds` times each, off the async runtime.
pub async fn run(rounds: usize) -> Result<Outcome> {
    tokio::task::spawn_blocking(move || {
        let picture = screen();
        Ok(Outcome {
            png: run_format(&picture, Format::Png, rounds)?,
            webp: run_format(&picture, Format::Webp, rounds)?,
        })
    })
    .await
    .context("the screenshot runs stopped")?
}
