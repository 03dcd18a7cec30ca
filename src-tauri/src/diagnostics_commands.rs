//! What leaves the machine, shown first: the diagnostics collected once per
//! form and rendered from the sections the user kept (the text shown is
//! the file attached), a scrubbed copy offered for a text file the user
//! attaches, and the helpdesk's attachment limits. Re-exported by
//! `commands`.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use deskmate_api::{
    AttachmentKind, DiagnosticsReport, DiagnosticsSection, ErrorCode, ErrorResponse, PickedFile,
    RemovedCount, RenderedDiagnostics, ScrubOffer, rpc,
};
use deskmate_core::diagnostics::{Context, Diagnostics, Prepared, SectionId};
use tauri::{AppHandle, State};

use crate::AppState;
use crate::commands::{Reply, fail};

/// The name the diagnostics are attached under.
const DIAGNOSTICS_FILE: &str = "diagnostics.txt";

/// Where the diagnostics come from, and the last collection: what
/// `render_diagnostics` renders, so the text cannot change between what
/// the user saw and what is sent.
pub struct Evidence {
    data_dir: PathBuf,
    log_file: Option<PathBuf>,
    collected: Mutex<Option<(String, Diagnostics)>>,
    next_id: AtomicU64,
}

impl Evidence {
    pub fn new(data_dir: PathBuf, log_file: Option<PathBuf>) -> Self {
        Self {
            data_dir,
            log_file,
            collected: Mutex::new(None),
            next_id: AtomicU64::new(1),
        }
    }
}

fn internal(what: &str) -> ErrorResponse {
    ErrorResponse::new(ErrorCode::Internal, what)
}

#[tauri::command]
pub async fn attachment_limits(state: State<'_, AppState>) -> Reply<rpc::AttachmentLimitsArgs> {
    state.core()?.attachment_limits().await.map_err(fail)
}

#[tauri::command]
pub async fn collect_diagnostics(
    app: AppHandle,
    state: State<'_, AppState>,
    evidence: State<'_, Evidence>,
) -> Reply<rpc::CollectDiagnosticsArgs> {
    let monitors = app
        .available_monitors()
        .map(|all| all.iter().map(describe_monitor).collect())
        .unwrap_or_default();
    let context = Context {
        app: format!("Deskmate {}", app.package_info().version),
        data_dir: evidence.data_dir.clone(),
        monitors,
        log_file: evidence.log_file.clone(),
        ..Context::default()
    };
    let collected = state
        .core()?
        .collect_diagnostics(context)
        .await
        .map_err(fail)?;
    let id = evidence.next_id.fetch_add(1, Ordering::Relaxed).to_string();
    let sections = collected
        .sections
        .iter()
        .map(|s| DiagnosticsSection {
            id: s.id.as_str().to_owned(),
            title: s.title.clone(),
        })
        .collect();
    *evidence
        .collected
        .lock()
        .map_err(|_| internal("the diagnostics could not be kept"))? =
        Some((id.clone(), collected));
    Ok(DiagnosticsReport { id, sections })
}

#[tauri::command]
pub async fn render_diagnostics(
    state: State<'_, AppState>,
    evidence: State<'_, Evidence>,
    args: rpc::RenderDiagnosticsArgs,
) -> Reply<rpc::RenderDiagnosticsArgs> {
    let rpc::RenderDiagnosticsArgs { id, sections } = args;
    let keep = sections
        .iter()
        .map(|s| {
            SectionId::parse(s).ok_or_else(|| {
                ErrorResponse::new(
                    ErrorCode::Validation,
                    format!("no diagnostics section {s:?}"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if keep.is_empty() {
        return Err(ErrorResponse::new(
            ErrorCode::Validation,
            "keep at least one section of the diagnostics, or do not attach them",
        ));
    }
    let text = {
        let collected = evidence
            .collected
            .lock()
            .map_err(|_| internal("the diagnostics could not be read"))?;
        match collected.as_ref() {
            Some((kept, diagnostics)) if *kept == id => diagnostics.render(&keep),
            _ => {
                return Err(ErrorResponse::new(
                    ErrorCode::NotFound,
                    "these diagnostics are no longer at hand: collect them again",
                ));
            }
        }
    };
    let prepared = state
        .core()?
        .prepare_text(DIAGNOSTICS_FILE, text.clone())
        .await
        .map_err(fail)?;
    Ok(RenderedDiagnostics {
        text,
        sha256: prepared.sha256.clone(),
        file: picked(&state, prepared),
    })
}

#[tauri::command]
pub async fn scrub_offer(
    state: State<'_, AppState>,
    args: rpc::ScrubOfferArgs,
) -> Reply<rpc::ScrubOfferArgs> {
    let rpc::ScrubOfferArgs { file_id } = args;
    let Some(path) = state
        .chosen
        .paths(std::slice::from_ref(&file_id))?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let described = path.clone();
    let mut original =
        tauri::async_runtime::spawn_blocking(move || crate::pickers::describe(&described))
            .await
            .map_err(|_| internal("the file could not be read"))??;
    original.id = file_id;
    if original.kind != Some(AttachmentKind::Text) {
        return Ok(None);
    }
    let Some(scrubbed) = state.core()?.scrub_file(&path, false).await.map_err(fail)? else {
        return Ok(None);
    };
    let removed = scrubbed
        .removed
        .iter()
        .map(|(kind, count)| RemovedCount {
            kind: serde_json::to_value(kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            count: u32::try_from(*count).unwrap_or(u32::MAX),
        })
        .collect();
    Ok(Some(ScrubOffer {
        original,
        removed,
        scrubbed: scrubbed.copy.map(|copy| picked(&state, copy)),
    }))
}

/// A file the app prepared to attach (diagnostics, a scrubbed copy), as the
/// page gets a chosen one: by an id the sending commands accept.
fn picked(state: &AppState, file: Prepared) -> PickedFile {
    PickedFile {
        id: state.chosen.remember(&file.path),
        file_name: file.file_name,
        size_bytes: file.size_bytes,
        kind: Some(AttachmentKind::Text),
    }
}

/// One monitor as the diagnostics list it.
fn describe_monitor(m: &tauri::Monitor) -> String {
    let size = m.size();
    let at = m.position();
    format!(
        "{}: {}x{} at {},{}, scale {}",
        m.name().map_or("unnamed", String::as_str),
        size.width,
        size.height,
        at.x,
        at.y,
        m.scale_factor()
    )
}
