//! Tauri commands: parse input, call the core, map the error to `{code, message}`.
//! The UI reaches them only through `ui/src/lib/platform`.

use deskmate_api::rpc;
use deskmate_api::{AppInfo, ErrorCode, ErrorResponse, RefreshStatus};
use deskmate_core::{CoreError, Sensitive, WriteOptions};
use tauri::State;

use crate::AppState;

/// What the handler of command `C` answers: the result [`rpc`] declares for it.
pub type Reply<C> = Result<<C as rpc::Command>::Result, ErrorResponse>;

// The file pickers, registered with the other commands.
pub use crate::pickers::*;
// Notification settings and links.
pub use crate::notify_commands::*;
// Remote assistance: tools, consent, the end, ready now.
pub use crate::remote_commands::*;
// Close-to-tray and start at login.
pub use crate::desktop_commands::*;
// The account screen: password, accounts, notification addresses.
pub use crate::account_commands::*;
// Password reset, account requests, billing.
pub use crate::self_service_commands::*;
// Diagnostics in the form, scrubbing attached text, attachment limits.
pub use crate::diagnostics_commands::*;
// Screenshots: capture, paste, the editor's result.
pub use crate::capture_commands::*;

pub(crate) fn fail(error: CoreError) -> ErrorResponse {
    match error.code() {
        ErrorCode::Validation
        | ErrorCode::Unauthorized
        | ErrorCode::SignedOut
        | ErrorCode::PayloadTooLarge
        | ErrorCode::Network => {
            tracing::info!(error = %error, "command refused")
        }
        _ => tracing::warn!(error = %error, "command failed"),
    }
    error.to_response()
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Reply<rpc::AppInfoArgs> {
    // Answers even when the cache could not open, so the window can say why.
    let (saved, language) = match state.core() {
        Ok(core) => (
            core.last_server_url().await.map_err(fail)?,
            core.language().await.map_err(fail)?,
        ),
        Err(_) => (None, None),
    };
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        server_url: state.options.server_url.clone().or(saved),
        demo_accounts: state.options.demo_accounts.clone(),
        language,
    })
}

/// Keeps the language the user chose (`None`: follow the system's again).
#[tauri::command]
pub async fn set_language(
    state: State<'_, AppState>,
    args: rpc::SetLanguageArgs,
) -> Reply<rpc::SetLanguageArgs> {
    let rpc::SetLanguageArgs { language } = args;
    state
        .core()?
        .set_language(language.as_deref())
        .await
        .map_err(fail)
}

#[tauri::command]
pub async fn session(state: State<'_, AppState>) -> Reply<rpc::SessionArgs> {
    let session = state.core()?.session().await.map_err(fail)?;
    Ok(session.map(|s| s.user))
}

#[tauri::command]
pub async fn login(state: State<'_, AppState>, args: rpc::LoginArgs) -> Reply<rpc::LoginArgs> {
    let rpc::LoginArgs {
        server_url,
        email,
        password,
    } = args;
    state
        .core()?
        .login(&server_url, &email, Sensitive::new(password))
        .await
        .map_err(fail)
}

#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> Reply<rpc::LogoutArgs> {
    state.core()?.logout().await.map_err(fail)
}

/// One page of the cached list (only what its rows show) with the counts the
/// window shows: instant, offline. The window never asks for the whole list.
#[tauri::command]
pub async fn ticket_page(
    state: State<'_, AppState>,
    args: rpc::TicketPageArgs,
) -> Reply<rpc::TicketPageArgs> {
    let rpc::TicketPageArgs { query } = args;
    state.core()?.ticket_page(query).await.map_err(fail)
}

/// Sends the outbox and pulls from the helpdesk; the window then reads the
/// pages it shows again.
#[tauri::command]
pub async fn refresh_tickets(state: State<'_, AppState>) -> Reply<rpc::RefreshTicketsArgs> {
    let online = state.core()?.refresh().await.map_err(fail)?;
    Ok(RefreshStatus { online })
}

/// Files a ticket with the files the user chose (ids from the picker,
/// copied into the outbox before the ticket is queued): sent at once when the
/// helpdesk answers, else kept in the outbox (shown as pending) and sent later.
#[tauri::command]
pub async fn create_ticket(
    state: State<'_, AppState>,
    args: rpc::CreateTicketArgs,
) -> Reply<rpc::CreateTicketArgs> {
    let rpc::CreateTicketArgs {
        ticket,
        draft_id,
        files,
    } = args;
    let options = WriteOptions {
        draft_id,
        files: state.chosen.paths(&files.unwrap_or_default())?,
    };
    state
        .core()?
        .file_ticket(ticket, options)
        .await
        .map_err(fail)
}

/// What the signed-in account's helpdesk offers beyond tickets and their
/// conversations (`signed_out` when nobody is signed in): the window hides
/// or explains the rest.
#[tauri::command]
pub async fn capabilities(state: State<'_, AppState>) -> Reply<rpc::CapabilitiesArgs> {
    state.core()?.capabilities().await.map_err(fail)
}

/// Writes not yet accepted by the helpdesk, oldest first.
#[tauri::command]
pub async fn list_outbox(state: State<'_, AppState>) -> Reply<rpc::ListOutboxArgs> {
    state.core()?.outbox().await.map_err(fail)
}

/// Puts a refused write back in line (corrected, if given) and sends it.
#[tauri::command]
pub async fn retry_outbox_item(
    state: State<'_, AppState>,
    args: rpc::RetryOutboxItemArgs,
) -> Reply<rpc::RetryOutboxItemArgs> {
    let rpc::RetryOutboxItemArgs { local_id, ticket } = args;
    state
        .core()?
        .retry_outbox_item(local_id, ticket)
        .await
        .map_err(fail)
}

#[tauri::command]
pub async fn discard_outbox_item(
    state: State<'_, AppState>,
    args: rpc::DiscardOutboxItemArgs,
) -> Reply<rpc::DiscardOutboxItemArgs> {
    let rpc::DiscardOutboxItemArgs { local_id } = args;
    state
        .core()?
        .discard_outbox_item(local_id)
        .await
        .map_err(fail)
}

/// A ticket with its conversation: `refresh` asks the helpdesk (falling back
/// to the cache when it cannot be reached), otherwise the cache answers at once.
#[tauri::command]
pub async fn ticket_view(
    state: State<'_, AppState>,
    args: rpc::TicketViewArgs,
) -> Reply<rpc::TicketViewArgs> {
    let rpc::TicketViewArgs { id, refresh } = args;
    state.core()?.ticket_view(id, refresh).await.map_err(fail)
}

/// The user's reply, through the outbox.
#[tauri::command]
pub async fn reply_to_ticket(
    state: State<'_, AppState>,
    args: rpc::ReplyToTicketArgs,
) -> Reply<rpc::ReplyToTicketArgs> {
    let rpc::ReplyToTicketArgs {
        ticket_id,
        body,
        draft_id,
        files,
    } = args;
    let options = WriteOptions {
        draft_id,
        files: state.chosen.paths(&files.unwrap_or_default())?,
    };
    state
        .core()?
        .reply(ticket_id, body, options)
        .await
        .map_err(fail)
}

/// Adds files (ids from the picker) to a ticket, through the outbox.
#[tauri::command]
pub async fn attach_files(
    state: State<'_, AppState>,
    args: rpc::AttachFilesArgs,
) -> Reply<rpc::AttachFilesArgs> {
    let rpc::AttachFilesArgs { ticket_id, files } = args;
    let files = state.chosen.paths(&files)?;
    state
        .core()?
        .attach_files(ticket_id, &files)
        .await
        .map_err(fail)
}

/// A thumbnail of an attached picture as a `data:image/png;base64,...` URL
/// (downloaded and made the first time, then kept: works offline).
#[tauri::command]
pub async fn attachment_thumbnail(
    state: State<'_, AppState>,
    args: rpc::AttachmentThumbnailArgs,
) -> Reply<rpc::AttachmentThumbnailArgs> {
    let rpc::AttachmentThumbnailArgs {
        ticket_id,
        attachment_id,
    } = args;
    let png = state
        .core()?
        .thumbnail(ticket_id, attachment_id)
        .await
        .map_err(fail)?;
    Ok(png_data_url(&png))
}

/// A thumbnail of a picture still waiting in the outbox (file `index` of
/// item `local_id`), as a data URL.
#[tauri::command]
pub async fn pending_attachment_thumbnail(
    state: State<'_, AppState>,
    args: rpc::PendingAttachmentThumbnailArgs,
) -> Reply<rpc::PendingAttachmentThumbnailArgs> {
    let rpc::PendingAttachmentThumbnailArgs { local_id, index } = args;
    let png = state
        .core()?
        .pending_thumbnail(local_id, index)
        .await
        .map_err(fail)?;
    Ok(png_data_url(&png))
}

/// Downloads the attachment (unless kept) and opens it with the OS's default
/// app for its kind. The copy opened carries the extension of the kind its
/// bytes are, and is handed to the OS directly, never through a shell.
#[tauri::command]
pub async fn open_attachment(
    state: State<'_, AppState>,
    args: rpc::OpenAttachmentArgs,
) -> Reply<rpc::OpenAttachmentArgs> {
    let rpc::OpenAttachmentArgs {
        ticket_id,
        attachment_id,
    } = args;
    let path = state
        .core()?
        .attachment_to_open(ticket_id, attachment_id)
        .await
        .map_err(fail)?;
    open::that_detached(&path).map_err(|e| {
        tracing::warn!(path = %path.display(), error = %e, "cannot open an attachment");
        ErrorResponse::new(
            ErrorCode::Internal,
            "no app on this computer could open the file; save it instead",
        )
    })
}

fn png_data_url(png: &[u8]) -> String {
    use base64::Engine;
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    )
}

/// Reopens a closed ticket with new details, through the outbox.
#[tauri::command]
pub async fn reopen_ticket(
    state: State<'_, AppState>,
    args: rpc::ReopenTicketArgs,
) -> Reply<rpc::ReopenTicketArgs> {
    let rpc::ReopenTicketArgs { ticket_id, details } = args;
    state.core()?.reopen(ticket_id, details).await.map_err(fail)
}

/// The cached tickets matching what the user typed, best first (instant,
/// offline; the query is never FTS syntax).
#[tauri::command]
pub async fn search_tickets(
    state: State<'_, AppState>,
    args: rpc::SearchTicketsArgs,
) -> Reply<rpc::SearchTicketsArgs> {
    let rpc::SearchTicketsArgs { query } = args;
    state.core()?.search(&query).await.map_err(fail)
}

/// Saves an unsent form (on every pause in typing); returns it with its id.
#[tauri::command]
pub async fn save_draft(
    state: State<'_, AppState>,
    args: rpc::SaveDraftArgs,
) -> Reply<rpc::SaveDraftArgs> {
    let rpc::SaveDraftArgs { draft } = args;
    state.core()?.save_draft(draft).await.map_err(fail)
}

/// The signed-in account's drafts, most recent first.
#[tauri::command]
pub async fn list_drafts(state: State<'_, AppState>) -> Reply<rpc::ListDraftsArgs> {
    state.core()?.drafts().await.map_err(fail)
}

#[tauri::command]
pub async fn discard_draft(
    state: State<'_, AppState>,
    args: rpc::DiscardDraftArgs,
) -> Reply<rpc::DiscardDraftArgs> {
    let rpc::DiscardDraftArgs { id } = args;
    state.core()?.discard_draft(&id).await.map_err(fail)
}

/// Open cached tickets like the one being written, at most three (local search).
#[tauri::command]
pub async fn similar_tickets(
    state: State<'_, AppState>,
    args: rpc::SimilarTicketsArgs,
) -> Reply<rpc::SimilarTicketsArgs> {
    let rpc::SimilarTicketsArgs { subject, body } = args;
    state
        .core()?
        .similar_open_tickets(&subject, &body)
        .await
        .map_err(fail)
}

/// The announcements and planned maintenance that apply now or later
/// (instant, offline).
#[tauri::command]
pub async fn list_announcements(state: State<'_, AppState>) -> Reply<rpc::ListAnnouncementsArgs> {
    state.core()?.announcements().await.map_err(fail)
}

/// A ticket's remote-session requests, oldest first, with unsent answers applied.
#[tauri::command]
pub async fn list_remote_sessions(
    state: State<'_, AppState>,
    args: rpc::ListRemoteSessionsArgs,
) -> Reply<rpc::ListRemoteSessionsArgs> {
    let rpc::ListRemoteSessionsArgs { ticket_id } = args;
    state.core()?.remote_sessions(ticket_id).await.map_err(fail)
}

/// The remote-session requests waiting for the user's answer, on every ticket.
#[tauri::command]
pub async fn remote_session_requests(
    state: State<'_, AppState>,
) -> Reply<rpc::RemoteSessionRequestsArgs> {
    state.core()?.remote_session_requests().await.map_err(fail)
}

/// The organisation's order-delay requests, open ones first.
#[tauri::command]
pub async fn list_order_delays(state: State<'_, AppState>) -> Reply<rpc::ListOrderDelaysArgs> {
    state.core()?.order_delays().await.map_err(fail)
}

/// Answers an order-delay request, through the outbox.
#[tauri::command]
pub async fn answer_order_delay(
    state: State<'_, AppState>,
    args: rpc::AnswerOrderDelayArgs,
) -> Reply<rpc::AnswerOrderDelayArgs> {
    let rpc::AnswerOrderDelayArgs {
        id,
        answer,
        resolution_date,
        site_contact,
        charge_accepted,
    } = args;
    let answer = deskmate_api::OrderDelayAnswer {
        answer,
        resolution_date,
        site_contact,
        charge_accepted,
    };
    state
        .core()?
        .answer_order_delay(id, answer)
        .await
        .map_err(fail)
}

/// Says when the user can be reached about a ticket (`None`: takes it back),
/// through the outbox.
#[tauri::command]
pub async fn set_availability(
    state: State<'_, AppState>,
    args: rpc::SetAvailabilityArgs,
) -> Reply<rpc::SetAvailabilityArgs> {
    let rpc::SetAvailabilityArgs {
        ticket_id,
        availability,
    } = args;
    state
        .core()?
        .set_availability(ticket_id, availability)
        .await
        .map_err(fail)
}

/// Like `set_availability`, for a ticket still waiting in the outbox as item `local_id`.
#[tauri::command]
pub async fn set_pending_ticket_availability(
    state: State<'_, AppState>,
    args: rpc::SetPendingTicketAvailabilityArgs,
) -> Reply<rpc::SetPendingTicketAvailabilityArgs> {
    let rpc::SetPendingTicketAvailabilityArgs {
        local_id,
        availability,
    } = args;
    state
        .core()?
        .set_pending_ticket_availability(local_id, availability)
        .await
        .map_err(fail)
}

/// What an expedited response of a ticket costs now (online only: `network` offline).
#[tauri::command]
pub async fn expedite_quote(
    state: State<'_, AppState>,
    args: rpc::ExpediteQuoteArgs,
) -> Reply<rpc::ExpediteQuoteArgs> {
    let rpc::ExpediteQuoteArgs { ticket_id } = args;
    state.core()?.expedite_quote(ticket_id).await.map_err(fail)
}

/// The user's consent to `accepted_price` for an expedited response, through
/// the outbox: `None` once the helpdesk took it, else the pending or failed item.
#[tauri::command]
pub async fn expedite(
    state: State<'_, AppState>,
    args: rpc::ExpediteArgs,
) -> Reply<rpc::ExpediteArgs> {
    let rpc::ExpediteArgs {
        ticket_id,
        accepted_price,
    } = args;
    state
        .core()?
        .expedite(ticket_id, accepted_price)
        .await
        .map_err(fail)
}
