use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the app shell tells the UI at start (`app_info` command).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// The helpdesk to sign in to: the saved session's, or the one the app was started with.
    pub server_url: Option<String>,
    /// Demo accounts to list on the sign-in screen (only when started by `make run`).
    pub demo_accounts: Vec<String>,
    /// The language the user chose in the app (a BCP 47 tag such as "sl");
    /// absent: follow the system's.
    #[serde(default)]
    pub language: Option<String>,
}

/// What the signed-in helpdesk offers beyond tickets and their
/// conversations (`capabilities` command): the window hides or explains what
/// it does not. deskmate-server offers all of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Capabilities {
    /// A paid expedited response of a ticket.
    pub expedite: bool,
    /// Saying when the customer can be reached about a ticket.
    pub availability: bool,
    /// Remote-assistance requests the customer answers.
    pub remote_sessions: bool,
    /// Order-delay information requests the customer answers.
    pub order_delays: bool,
    /// A live stream of changes (else the app pulls on its own clock).
    pub live_events: bool,
    /// A ticket's place in the queue and its first-response deadline.
    pub queue_facts: bool,
}

impl Capabilities {
    /// Everything (deskmate-server).
    pub const ALL: Self = Self {
        expedite: true,
        availability: true,
        remote_sessions: true,
        order_delays: true,
        live_events: true,
        queue_facts: true,
    };
    /// Tickets and conversations only.
    pub const NONE: Self = Self {
        expedite: false,
        availability: false,
        remote_sessions: false,
        order_delays: false,
        live_events: false,
        queue_facts: false,
    };
}

/// Result of `refresh_tickets`: the cached list, and whether the server answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct RefreshOutcome {
    pub tickets: Vec<crate::Ticket>,
    /// `false` when the server could not be reached and the list is the cached one.
    pub online: bool,
}

wire_enum! {
    /// Where a write waiting in the app's outbox stands.
    OutboxState {
        /// Not yet accepted by the helpdesk; sent when it can be reached.
        Pending => "pending",
        /// Refused by the helpdesk; the user can fix and retry it or discard it.
        Failed => "failed",
    }
}

wire_enum! {
    /// What a write in the outbox does.
    OutboxKind {
        /// Files a new ticket.
        NewTicket => "new_ticket",
        /// Adds the customer's reply to a ticket.
        Reply => "reply",
        /// Reopens a closed ticket with new details.
        Reopen => "reopen",
        /// Adds files to a ticket (also what is left of a new ticket or a
        /// reply whose text the helpdesk has, while its files are sent).
        Attachments => "attachments",
        /// Accepts or declines an agent's remote-session request.
        RemoteSessionAnswer => "remote_session_answer",
        /// Answers an order-delay information request.
        OrderDelayAnswer => "order_delay_answer",
        /// The customer's consent to the price of an expedited response.
        Expedite => "expedite",
        /// Says (or takes back) when the customer can be reached about a ticket.
        SetAvailability => "set_availability",
    }
}

/// A write the user made that the helpdesk has not accepted yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxItem {
    /// This computer's id of the write (not a ticket id).
    #[ts(type = "number")]
    pub local_id: i64,
    pub kind: OutboxKind,
    pub state: OutboxState,
    /// A line that says what it is (the ticket's subject, the reply's start).
    pub summary: String,
    /// The ticket as it will be filed (for a `new_ticket`).
    pub ticket: Option<crate::NewTicket>,
    /// The ticket a reply or reopen is for.
    #[ts(type = "number | null")]
    pub ticket_id: Option<i64>,
    /// The text of a reply or reopen.
    pub text: Option<String>,
    /// Tries so far.
    #[ts(type = "number")]
    pub attempts: i64,
    /// Why the helpdesk refused it (failed) or why the last try did not get through.
    pub error: Option<crate::ErrorResponse>,
    /// Its files the helpdesk does not have yet, in the order they were added.
    pub files: Vec<PendingFile>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A file waiting in the outbox with the write it belongs to; its copy is
/// kept on this computer until the helpdesk has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PendingFile {
    /// The outbox item it belongs to.
    #[ts(type = "number")]
    pub local_id: i64,
    /// Its place among the item's files, from 0.
    pub index: u32,
    /// The name it will be sent under, without directories.
    pub file_name: String,
    pub kind: crate::AttachmentKind,
    #[ts(type = "number")]
    pub size_bytes: i64,
}

/// A file of a ticket as the detail screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum TicketAttachment {
    /// The helpdesk has it (`attachment_thumbnail`, `open_attachment`,
    /// `save_attachment` take its `ticket_id` and `id`).
    Sent(crate::Attachment),
    /// Waiting in the outbox (`pending_attachment_thumbnail` takes its
    /// `local_id` and `index`); its item in `TicketView::pending` says
    /// whether it was refused.
    Pending(PendingFile),
}

/// What became of files the user added to a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export)]
pub enum AttachOutcome {
    /// The helpdesk has them.
    Sent { attachments: Vec<crate::Attachment> },
    /// Saved on this computer and sent as soon as the helpdesk can be reached
    /// (or refused: see the item's state).
    Queued { item: Box<OutboxItem> },
}

/// What became of a ticket the user filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export)]
pub enum FileOutcome {
    /// The helpdesk has it.
    Sent { ticket: Box<crate::Ticket> },
    /// Saved on this computer and sent as soon as the helpdesk can be reached
    /// (or refused: see the item's state).
    Queued { item: Box<OutboxItem> },
}

/// What one pass over the outbox did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DrainReport {
    pub sent: u32,
    /// Refused by the helpdesk in this pass.
    pub failed: u32,
    /// Still waiting to be sent.
    pub pending: u32,
    /// `false` when the helpdesk could not be reached.
    pub online: bool,
}

/// What became of a reply or reopen the user sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export)]
pub enum WriteOutcome {
    /// The helpdesk has it.
    Sent { message: crate::Message },
    /// Saved on this computer and sent as soon as the helpdesk can be reached
    /// (or refused: see the item's state).
    Queued { item: Box<OutboxItem> },
}

/// A ticket as the detail screen shows it: from the helpdesk when it answers,
/// else from the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TicketView {
    pub ticket: crate::Ticket,
    /// The conversation, oldest first.
    pub messages: Vec<crate::Message>,
    /// Until when a closed ticket may be reopened.
    pub reopen_until: Option<chrono::DateTime<chrono::Utc>>,
    /// While the ticket waits for the provider's first answer: its place in
    /// the provider's queue (1 is next), as the helpdesk last said.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub queue_position: Option<i64>,
    /// While the ticket waits for the provider's first answer: when that
    /// answer is due, as the helpdesk last said.
    #[serde(default)]
    pub first_response_due_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When the helpdesk said so (the queue facts are "as of" then when the
    /// view comes from the cache); absent when there are none.
    #[serde(default)]
    pub queue_checked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Replies and reopens for this ticket not yet accepted by the helpdesk.
    pub pending: Vec<OutboxItem>,
    /// The ticket's files, oldest first: those the helpdesk has, then those
    /// waiting in the outbox.
    pub attachments: Vec<TicketAttachment>,
    /// `false` when the helpdesk could not be reached and this is the cached view.
    pub online: bool,
}

/// Marks where a matched word starts in [`SearchHit::snippet`] (U+0002).
pub const SNIPPET_MARK_START: char = '\u{2}';
/// Marks where a matched word ends in [`SearchHit::snippet`] (U+0003).
pub const SNIPPET_MARK_END: char = '\u{3}';

/// A cached ticket that matches a local search (`search_tickets`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchHit {
    pub ticket: crate::Ticket,
    /// Plain text around where it matched (description, message or subject),
    /// `…` where cut; each matched word is between U+0002 and U+0003. Show it
    /// as text, never as HTML.
    pub snippet: String,
}

wire_enum! {
    /// What an unsent form saved on this computer is for.
    DraftKind {
        /// A new ticket being written.
        NewTicket => "new_ticket",
        /// A reply to a ticket being written.
        Reply => "reply",
    }
}

/// An unsent form, saved locally as the user types (`save_draft`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Draft {
    /// This computer's id of the draft (a reply draft's is `reply:<ticket id>`).
    pub id: String,
    pub kind: DraftKind,
    /// The ticket a reply draft is for.
    #[ts(type = "number | null")]
    pub ticket_id: Option<i64>,
    /// The form as left (a `new_ticket`): the answers as typed, not yet checked.
    pub ticket: Option<crate::NewTicket>,
    /// The text of a reply.
    pub text: Option<String>,
    /// A line that says what it is: the subject or the text's start ("" when blank).
    pub summary: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// What `save_draft` keeps: a new draft when `id` is absent (a reply draft's id
/// is always its ticket's), else the one with that id is replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftInput {
    #[serde(default)]
    pub id: Option<String>,
    pub kind: DraftKind,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub ticket_id: Option<i64>,
    #[serde(default)]
    pub ticket: Option<crate::NewTicket>,
    #[serde(default)]
    pub text: Option<String>,
}

/// A file the user chose to attach, as the form lists it before sending:
/// its size and kind are read when it is chosen so the form can refuse a
/// file too big or of a kind not accepted at once (sending checks again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PickedFile {
    /// The choice's opaque id: what `create_ticket`, `reply_to_ticket` and
    /// `attach_files` take. The page never learns the file's path, and the
    /// shell sends only files the user chose in its own picker (or dropped).
    pub id: String,
    /// The name it will be sent under, without directories.
    pub file_name: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// What its first bytes say it is; `None` when not an accepted kind.
    pub kind: Option<crate::AttachmentKind>,
}
