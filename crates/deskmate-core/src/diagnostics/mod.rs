//! Diagnostics that leave the machine only as the user saw them, and the
//! scrubber that takes secrets out of them and of any text attachment.

mod collect;
mod file;
mod log_file;
mod prepare;
mod reach;
mod scrub;

pub use collect::{Context, Diagnostics, Section, SectionId};
pub use file::{TEXT_MAX_BYTES, read_text_file};
pub use log_file::{LOG_FILE_NAME, LOG_MAX_BYTES, RotatingLog, log_path, previous_log};
pub use prepare::{Prepared, ScrubbedFile};
pub use reach::reachability;
pub use scrub::{REDACTED, ScrubOptions, Scrubbed, SecretKind, scrub};
