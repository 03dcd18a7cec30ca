//! What the app shows before evidence leaves the machine: the helpdesk's
//! attachment limits, the diagnostics with their sections, and what the
//! scrubber would take out of a text file.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AttachmentKind, PickedFile, limits};

/// What the helpdesk accepts as attachments (`GET /api/v1/attachment-limits`):
/// the app checks a file against these before it is queued, and the server
/// checks again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct AttachmentLimits {
    /// Largest file, in bytes.
    #[ts(type = "number")]
    pub max_file_bytes: u64,
    /// Most bytes of files one ticket holds.
    #[ts(type = "number")]
    pub max_ticket_bytes: u64,
    /// Most files one ticket holds.
    pub max_ticket_files: u32,
    /// The kinds of file accepted (told from their bytes).
    pub kinds: Vec<AttachmentKind>,
    /// Longest side of a picture, in pixels.
    pub image_max_side: u32,
    /// Most pixels (width times height) of a picture.
    #[ts(type = "number")]
    pub image_max_pixels: u64,
}

impl Default for AttachmentLimits {
    /// The most any deskmate-server accepts ([`limits`]).
    fn default() -> Self {
        Self {
            max_file_bytes: limits::ATTACHMENT_MAX_BYTES as u64,
            max_ticket_bytes: limits::TICKET_ATTACHMENTS_MAX_BYTES as u64,
            max_ticket_files: limits::TICKET_ATTACHMENTS_MAX_COUNT as u32,
            kinds: AttachmentKind::ALL.to_vec(),
            image_max_side: limits::IMAGE_MAX_SIDE,
            image_max_pixels: limits::IMAGE_MAX_PIXELS,
        }
    }
}

/// One section of the diagnostics, as the form lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiagnosticsSection {
    /// `system`, `locale`, `display`, `resources`, `network`,
    /// `remote_tools`, `log`.
    pub id: String,
    /// Its heading in the attached text (English: the helpdesk reads it).
    pub title: String,
}

/// The diagnostics collected once for a form (`collect_diagnostics`): the
/// text shown and attached is rendered from this collection only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiagnosticsReport {
    /// Names this collection in `render_diagnostics`.
    pub id: String,
    pub sections: Vec<DiagnosticsSection>,
}

/// The diagnostics of the kept sections, as they will be attached: `text`
/// is the whole content of `file`, byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RenderedDiagnostics {
    pub text: String,
    /// SHA-256 of `text` (UTF-8), lower-case hex.
    pub sha256: String,
    /// The file to send with the ticket.
    pub file: PickedFile,
}

/// How many secrets of one kind the scrubber found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RemovedCount {
    /// `private_key`, `authorization_header`, `cookie`, `bearer_token`,
    /// `jwt`, `url_password`, `command_line`, `key_value`, `cloud_key`,
    /// `email`, `ip_address`.
    pub kind: String,
    pub count: u32,
}

/// What scrubbing a text file the user attaches would remove
/// (`scrub_offer`); `scrubbed` is the copy to attach instead, made only
/// when something would be removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScrubOffer {
    /// The file as the user chose it.
    pub original: PickedFile,
    pub removed: Vec<RemovedCount>,
    pub scrubbed: Option<PickedFile>,
}
