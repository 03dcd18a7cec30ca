//! Drawing on a screenshot: filled rectangles (redaction), outlined boxes
//! and arrows, clipped to the picture.

use image::{Rgba, RgbaImage};

use super::{Edits, Rect};

/// The colour of boxes and arrows: a red that stands out on most screens.
const MARK: [u8; 4] = [230, 30, 40, 255];
/// Line width of boxes and arrows, in pixels.
const THICKNESS: u32 = 4;

/// Every pixel of `r` (clipped to the picture) set to `colour`.
pub fn fill(picture: &mut RgbaImage, r: Rect, colour: [u8; 4]) {
    let (w, h) = picture.dimensions();
    let x_end = r.x.saturating_add(r.width).min(w);
    let y_end = r.y.saturating_add(r.height).min(h);
    for y in r.y.min(h)..y_end {
        for x in r.x.min(w)..x_end {
            picture.put_pixel(x, y, Rgba(colour));
        }
    }
}

pub fn annotate(picture: &mut RgbaImage, edits: &Edits) {
    for b in &edits.boxes {
        outline(picture, *b);
    }
    for (from, to) in &edits.arrows {
        arrow(picture, *from, *to);
    }
}

fn outline(picture: &mut RgbaImage, r: Rect) {
    let t = THICKNESS;
    let right = r.x.saturating_add(r.width).saturating_sub(t);
    let bottom = r.y.saturating_add(r.height).saturating_sub(t);
    for side in [
        Rect { height: t, ..r },
        Rect {
            y: bottom,
            height: t,
            ..r
        },
        Rect { width: t, ..r },
        Rect {
            x: right,
            width: t,
            ..r
        },
    ] {
        fill(picture, side, MARK);
    }
}

/// A line from `from` to `to` with a head of two short strokes at `to`.
fn arrow(picture: &mut RgbaImage, from: (u32, u32), to: (u32, u32)) {
    let (fx, fy) = (f64::from(from.0), f64::from(from.1));
    let (tx, ty) = (f64::from(to.0), f64::from(to.1));
    line(picture, (fx, fy), (tx, ty));
    let angle = (ty - fy).atan2(tx - fx);
    let head = 18.0;
    for turn in [2.6_f64, -2.6] {
        let a = angle + turn;
        line(
            picture,
            (tx, ty),
            (tx + head * a.cos(), ty + head * a.sin()),
        );
    }
}

fn line(picture: &mut RgbaImage, from: (f64, f64), to: (f64, f64)) {
    let steps = (to.0 - from.0)
        .abs()
        .max((to.1 - from.1).abs())
        .ceil()
        .max(1.0);
    let half = f64::from(THICKNESS) / 2.0;
    let mut i = 0.0;
    while i <= steps {
        let x = from.0 + (to.0 - from.0) * i / steps - half;
        let y = from.1 + (to.1 - from.1) * i / steps - half;
        if x >= 0.0 && y >= 0.0 {
            let r = Rect {
                x: x as u32,
                y: y as u32,
                width: THICKNESS,
                height: THICKNESS,
            };
            fill(picture, r, MARK);
        }
        i += 1.0;
    }
}
