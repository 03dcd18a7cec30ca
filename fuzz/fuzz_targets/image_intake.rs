//! Image intake: any bytes handed to the core as a picture (a pasted image,
//! a dropped file, a capture) are decoded under the limits or refused with
//! an error; never a panic, an abort or memory past the limits (libFuzzer's
//! `-rss_limit_mb` and `-malloc_limit_mb` catch a decompression bomb).
#![no_main]

use deskmate_api::limits;
use deskmate_core::capture::{self, Edits, Format, Rect};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = deskmate_api::sniff(data);
    let Ok(picture) = capture::decode(data) else {
        return;
    };
    let (width, height) = picture.dimensions();
    assert!(width > 0 && height > 0);
    assert!(u64::from(width) * u64::from(height) <= limits::IMAGE_MAX_PIXELS);
    assert!(width <= limits::IMAGE_MAX_SIDE && height <= limits::IMAGE_MAX_SIDE);
    // Small pictures go through the whole pipeline: redact, encode, thumbnail.
    if u64::from(width) * u64::from(height) <= 64 * 64 {
        let edits = Edits {
            redactions: vec![Rect {
                x: width / 4,
                y: height / 4,
                width: width / 2 + 1,
                height: height / 2 + 1,
            }],
            ..Edits::default()
        };
        let _ = capture::prepare(picture, &edits, Format::Png);
    }
});
