//! The app's own log on disk, bounded: [`RotatingLog`] appends to
//! `deskmate.log` and, when a write would take it past its size, renames it
//! to `deskmate.log.1` (replacing the one before) and starts anew. At most
//! two files of [`LOG_MAX_BYTES`] each are ever kept. The diagnostics show
//! the end of both, scrubbed.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The log's name in its folder.
pub const LOG_FILE_NAME: &str = "deskmate.log";

/// Size at which a log file is turned over (1 MiB; a line being written
/// may take it a quarter past): with the previous one, 2.5 MiB at most.
pub const LOG_MAX_BYTES: u64 = 1024 * 1024;

/// Where the app keeps its log: `<data dir>/logs/deskmate.log`.
pub fn log_path(data_dir: &Path) -> PathBuf {
    data_dir.join("logs").join(LOG_FILE_NAME)
}

/// The file a full log was moved to.
pub fn previous_log(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".1");
    path.with_file_name(name)
}

/// A size-capped log file (blocking writes: the tracing writer's own thread
/// or the caller's).
#[derive(Debug)]
pub struct RotatingLog {
    path: PathBuf,
    max_bytes: u64,
    file: File,
    written: u64,
    /// Whether the last byte written ended a line: the log turns over
    /// between lines, so no line is split across the two files.
    at_line_start: bool,
}

impl RotatingLog {
    /// Opens (or creates, with its folder) the log at `path`, appending.
    pub fn open(path: &Path) -> io::Result<Self> {
        Self::with_max(path, LOG_MAX_BYTES)
    }

    /// Like [`RotatingLog::open`] with another size cap.
    pub fn with_max(path: &Path, max_bytes: u64) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = append(path)?;
        let written = file.metadata()?.len();
        Ok(Self {
            path: path.to_owned(),
            max_bytes,
            file,
            written,
            at_line_start: true,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn rotate(&mut self) -> io::Result<()> {
        self.file.flush()?;
        std::fs::rename(&self.path, previous_log(&self.path))?;
        self.file = append(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

fn append(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

impl RotatingLog {
    /// What a line being written may take past the cap before it is cut.
    fn slack(&self) -> u64 {
        self.max_bytes / 4
    }
}

impl Write for RotatingLog {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let over = self.written + buf.len() as u64 > self.max_bytes;
        let line_too_long = self.written >= self.max_bytes + self.slack();
        if self.written > 0 && over && (self.at_line_start || line_too_long) {
            self.rotate()?;
        }
        // A line far longer than the cap is cut: the file stays bounded.
        let cap = self.max_bytes + self.slack();
        let room = usize::try_from(cap.saturating_sub(self.written)).unwrap_or(0);
        let take = buf.len().min(room.max(1));
        let n = self.file.write(&buf[..take])?;
        self.written += n as u64;
        if n > 0 {
            self.at_line_start = buf[n - 1] == b'\n';
        }
        // Report the whole buffer taken, so a cut line is not retried.
        Ok(if take < buf.len() { buf.len() } else { n })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_rotates_and_stays_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logs").join(LOG_FILE_NAME);
        let mut log = RotatingLog::with_max(&path, 100).unwrap();
        for i in 0..50 {
            writeln!(log, "line {i:02} of the log").unwrap();
        }
        log.flush().unwrap();
        let current = std::fs::read_to_string(&path).unwrap();
        let previous = std::fs::read_to_string(previous_log(&path)).unwrap();
        // Whole lines in each, up to the cap and a line's slack.
        assert!(current.len() <= 125 && previous.len() <= 125);
        assert!(
            current.starts_with("line ") && current.ends_with("line 49 of the log\n"),
            "{current}"
        );
        assert!(
            previous.starts_with("line ") && previous.ends_with(" of the log\n"),
            "{previous}"
        );
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            2
        );

        // Reopened, it goes on from its size.
        drop(log);
        let mut again = RotatingLog::with_max(&path, 100).unwrap();
        assert_eq!(again.written, current.len() as u64);
        again.write_all(&[b'x'; 500]).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() <= 125);
    }
}
