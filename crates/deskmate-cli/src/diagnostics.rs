//! What leaves the machine, shown before it does: `deskmate scrub FILE`
//! prints a text file as it would be attached, without its secrets.

use std::io::Write;
use std::path::Path;

use deskmate_core::Core;
use deskmate_core::diagnostics::{ScrubOptions, read_text_file, scrub as scrub_text};

use crate::{Failure, Outcome};

pub async fn scrub(core: &Core, file: &Path, ip_addresses: bool) -> Outcome {
    let options = ScrubOptions {
        own_email: core.account_email().await?,
        ip_addresses,
    };
    let path = file.to_owned();
    let text = tokio::task::spawn_blocking(move || read_text_file(&path))
        .await
        .map_err(|e| Failure::Message(format!("reading {} stopped: {e}", file.display())))??;
    let scrubbed = tokio::task::spawn_blocking(move || scrub_text(&text, &options))
        .await
        .map_err(|e| Failure::Message(format!("scrubbing {} stopped: {e}", file.display())))?;
    let mut out = std::io::stdout().lock();
    out.write_all(scrubbed.text.as_bytes())?;
    out.flush()?;
    Ok(())
}
