//! The scrubber over any text: never a panic, and text it removes nothing
//! from comes out byte for byte as it went in.
#![no_main]

use deskmate_core::diagnostics::{ScrubOptions, scrub};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = ScrubOptions {
        own_email: Some("jana@acme.example".to_owned()),
        ip_addresses: data.first().is_some_and(|b| b % 2 == 0),
    };
    let out = scrub(text, &options);
    if out.removed.is_empty() {
        assert_eq!(out.text, text, "nothing removed, yet the text changed");
    }
    assert_eq!(out.total_removed(), out.removed.values().sum::<usize>());
});
