//! The app's own log: every tracing event goes to stderr and, once the data
//! directory is known, to `<data dir>/logs/deskmate.log` too (without
//! colours), a file kept small by [`deskmate_core::diagnostics::RotatingLog`]
//! so its recent end can go into the diagnostics.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use deskmate_core::diagnostics::{RotatingLog, log_path};
use tracing_subscriber::fmt::MakeWriter;

/// The log file, shared by the tracing writer and the diagnostics; nothing
/// is written to disk before [`AppLog::open`].
#[derive(Clone, Default)]
pub struct AppLog(Arc<Mutex<Option<RotatingLog>>>);

impl AppLog {
    /// Starts writing to the log of `data_dir`; its path, or `None` when it
    /// cannot be opened (the app runs on, logging to stderr only).
    pub fn open(&self, data_dir: &Path) -> Option<PathBuf> {
        let path = log_path(data_dir);
        match RotatingLog::open(&path) {
            Ok(log) => {
                if let Ok(mut slot) = self.0.lock() {
                    *slot = Some(log);
                }
                Some(path)
            }
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "cannot open the log file");
                None
            }
        }
    }
}

/// One event's writer: the file, if open.
pub struct LogWriter<'a>(&'a AppLog);

impl Write for LogWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.0.0.lock() {
            Ok(mut slot) => match slot.as_mut() {
                Some(log) => log.write(buf),
                None => Ok(buf.len()),
            },
            // A panic while writing: drop the line rather than the app.
            Err(_) => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.0.0.lock() {
            Ok(mut slot) => slot.as_mut().map_or(Ok(()), |log| log.flush()),
            Err(_) => Ok(()),
        }
    }
}

impl<'a> MakeWriter<'a> for AppLog {
    type Writer = LogWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LogWriter(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_reach_the_file_once_it_is_open() {
        let dir = tempfile::tempdir().unwrap();
        let log = AppLog::default();
        log.make_writer().write_all(b"before\n").unwrap();
        let path = log.open(dir.path()).unwrap();
        log.make_writer().write_all(b"after\n").unwrap();
        assert_eq!(std::fs::read_to_string(path).unwrap(), "after\n");
    }
}
