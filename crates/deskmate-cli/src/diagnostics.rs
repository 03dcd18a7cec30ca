//! What leaves the machine, shown before it does: `deskmate scrub FILE`
//! prints a text file as it would be attached, without its secrets, and
//! `deskmate diagnostics` the diagnostics as they would be attached.

use std::io::Write;
use std::path::Path;

use deskmate_core::Core;
use deskmate_core::diagnostics::{
    Context, Diagnostics, ScrubOptions, SectionId, log_path, read_text_file, scrub as scrub_text,
};

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

pub async fn diagnostics(
    core: &Core,
    data_dir: &Path,
    json: bool,
    without: &[String],
    ip_addresses: bool,
) -> Outcome {
    let context = Context {
        app: format!("deskmate CLI {}", env!("CARGO_PKG_VERSION")),
        server_url: core.last_server_url().await?,
        data_dir: data_dir.to_owned(),
        // The app's own log, when the app keeps one in this data directory.
        log_file: Some(log_path(data_dir)).filter(|p| p.is_file()),
        scrub: ScrubOptions {
            own_email: core.account_email().await?,
            ip_addresses,
        },
        ..Context::default()
    };
    let collected = Diagnostics::collect(&context).await;
    let keep: Vec<SectionId> = SectionId::ALL
        .into_iter()
        .filter(|id| !without.iter().any(|w| w == id.as_str()))
        .collect();
    let text = collected.render(&keep);
    let mut out = std::io::stdout().lock();
    if json {
        let sections: Vec<_> = collected
            .sections
            .iter()
            .filter(|s| keep.contains(&s.id))
            .collect();
        let value = serde_json::json!({ "sections": sections, "text": text });
        writeln!(out, "{value}")?;
    } else {
        out.write_all(text.as_bytes())?;
    }
    out.flush()?;
    Ok(())
}
