//! Running a remote-assistance tool's own command line: always an argument
//! array (never a shell), a deadline after which the program is killed,
//! bounded output, and a secret only ever on stdin.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

use crate::Sensitive;

/// How long a tool may take to answer before it is reported and killed.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// The most bytes of a tool's output that are read; a tool printing more
/// is answered with [`RunError::TooMuchOutput`].
pub const OUTPUT_MAX: usize = 64 * 1024;

/// Why running a tool gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    #[error("cannot start {program}: {reason}")]
    Start { program: String, reason: String },
    #[error("{program} did not answer within {seconds} s and was stopped")]
    TimedOut { program: String, seconds: u64 },
    #[error("{program} failed ({status}){detail}")]
    Failed {
        program: String,
        status: String,
        detail: String,
    },
    #[error("{program} printed more than {OUTPUT_MAX} bytes")]
    TooMuchOutput { program: String },
}

/// What a tool printed on stdout, once it exited successfully.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
}

/// Runs `program` with `args` exactly as given (each one argument, spaces,
/// quotes and `$(...)` included), `secret` written to its stdin and stdin
/// closed, and waits at most `timeout` for it to exit.
pub async fn run<S: AsRef<OsStr>>(
    program: &Path,
    args: &[S],
    secret: Option<&Sensitive<String>>,
    timeout: Duration,
) -> Result<Output, RunError> {
    let name = program_name(program);
    let mut command = tokio::process::Command::new(program);
    command
        .args(args)
        .stdin(if secret.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(windows)]
    {
        // CREATE_NO_WINDOW: no console window flashes up for a query.
        command.creation_flags(0x0800_0000);
    }
    let mut child = command.spawn().map_err(|e| RunError::Start {
        program: name.clone(),
        reason: e.to_string(),
    })?;
    let stdin = child.stdin.take();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let work = async {
        let feed = async {
            if let (Some(mut pipe), Some(secret)) = (stdin, secret) {
                // A tool that exits without reading gives a broken pipe:
                // its exit status says what happened.
                let _ = pipe.write_all(secret.expose().as_bytes()).await;
                let _ = pipe.write_all(b"\n").await;
                let _ = pipe.shutdown().await;
            }
        };
        let ((), out, err) = tokio::join!(feed, bounded(stdout), bounded(stderr));
        let status = child.wait().await;
        (status, out, err)
    };
    let (status, (out, overflow), (err, _)) = match tokio::time::timeout(timeout, work).await {
        Ok(done) => done,
        Err(_) => {
            // `work` is dropped: the child is ours again to kill and reap.
            let _ = child.start_kill();
            let _ = tokio::time::timeout(Duration::from_secs(1), child.wait()).await;
            return Err(RunError::TimedOut {
                program: name,
                seconds: timeout.as_secs().max(1),
            });
        }
    };
    if overflow {
        return Err(RunError::TooMuchOutput { program: name });
    }
    let status = status.map_err(|e| RunError::Start {
        program: name.clone(),
        reason: e.to_string(),
    })?;
    if !status.success() {
        let text = String::from_utf8_lossy(&err);
        let first = text.lines().map(str::trim).find(|l| !l.is_empty());
        return Err(RunError::Failed {
            program: name,
            status: status.to_string(),
            detail: first
                .map(|l| format!(": {}", l.chars().take(200).collect::<String>()))
                .unwrap_or_default(),
        });
    }
    Ok(Output {
        stdout: String::from_utf8_lossy(&out).into_owned(),
    })
}

/// Reads `pipe` to its end, keeping at most [`OUTPUT_MAX`] bytes; says
/// whether there was more.
async fn bounded(pipe: Option<impl AsyncRead + Unpin>) -> (Vec<u8>, bool) {
    let Some(pipe) = pipe else {
        return (Vec::new(), false);
    };
    let mut kept = Vec::new();
    let mut head = pipe.take(OUTPUT_MAX as u64 + 1);
    if head.read_to_end(&mut kept).await.is_err() {
        return (kept, false);
    }
    let overflow = kept.len() > OUTPUT_MAX;
    kept.truncate(OUTPUT_MAX);
    // Dropping the pipe closes it: a tool still writing gets a broken pipe.
    (kept, overflow)
}

/// The program's file name, for messages.
pub(crate) fn program_name(program: &Path) -> String {
    program
        .file_name()
        .unwrap_or(program.as_os_str())
        .to_string_lossy()
        .into_owned()
}
