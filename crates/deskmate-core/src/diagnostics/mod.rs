//! Diagnostics that leave the machine only as the user saw them, and the
//! scrubber that takes secrets out of them and of any text attachment.

mod file;
mod scrub;

pub use file::{TEXT_MAX_BYTES, read_text_file};
pub use scrub::{REDACTED, ScrubOptions, Scrubbed, SecretKind, scrub};
