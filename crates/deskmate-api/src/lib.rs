//! Wire types shared by the Deskmate app and `deskmate-server`.
//!
//! Everything that crosses HTTP or the Tauri IPC boundary is declared here once;
//! the TypeScript twins in `ui/src/lib/bindings` are generated from these types
//! by ts-rs (`cargo test -p deskmate-api`) and checked for drift by `make test`.
//! This crate does no I/O.

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        #[ts(export)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire and database spelling.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            /// The inverse of [`Self::as_str`].
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some(Self::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

mod account;
mod account_request;
mod attachment;
mod availability;
mod billing;
#[cfg(test)]
mod bindings;
mod capture;
mod desktop;
mod error;
mod evidence;
mod expedite;
mod ipc;
mod live;
mod message;
mod notice;
mod notice_view;
mod notification_address;
mod notify;
mod order_delay;
mod password_reset;
pub mod reachability;
mod remote;
mod remote_session;
pub mod rpc;
mod service;
mod ticket;
mod ticket_list;
mod user;

pub use account::{NewUser, Rights, UserAccount, UserList, UserUpdate, check_email};
pub use account_request::{AccountRequest, AccountRequestList, NewAccountRequest};
pub use attachment::{Attachment, AttachmentKind, clean_file_name, sniff};
pub use availability::{
    Availability, AvailabilityError, DATED_AHEAD_MAX_DAYS, DATED_MAX, DatedWindow, NOTE_MAX_CHARS,
    WEEKLY_MAX, Weekday, WeeklyWindow, WeeklyWindowSyntax,
};
pub use billing::{CallRecord, CallRecordList, Invoice, InvoiceList, InvoiceStatus};
pub use capture::{
    CAPTURE_EVENT, Capture, CaptureMonitor, CaptureSources, CaptureTarget, CaptureWindow,
    DEFAULT_SCREENSHOT_SHORTCUT, DROP_EVENT, PixelArrow, PixelPoint, PixelRect, ScreenshotEdits,
};
pub use desktop::{DesktopSettings, DesktopStatus};
pub use error::{ErrorCode, ErrorResponse};
pub use evidence::{
    AttachmentLimits, DiagnosticsReport, DiagnosticsSection, RemovedCount, RenderedDiagnostics,
    ScrubOffer,
};
pub use expedite::{ExpediteChargeList, ExpediteQuote, ExpediteRequest, NewExpedite, Price};
pub use ipc::{
    AppInfo, AttachOutcome, Capabilities, Draft, DraftInput, DraftKind, DrainReport, FileOutcome,
    OutboxItem, OutboxKind, OutboxState, PendingFile, PickedFile, RefreshOutcome, SNIPPET_MARK_END,
    SNIPPET_MARK_START, SearchHit, TicketAttachment, TicketView, WriteOutcome,
};
pub use live::{LIVE_EVENT, LiveUpdate};
pub use message::{
    AuthorKind, Message, NewMessage, QueuedTicket, ReopenTicket, SyncPage, TicketDetail,
    TicketQueue, TicketUpdate,
};
pub use notice::{
    Announcement, AnnouncementKind, AnnouncementList, AnnouncementUpdate, Deletion, DeletionKind,
    NewAnnouncement, SERVICES_MAX,
};
pub use notice_view::{OrderDelayView, RemoteSessionView};
pub use notification_address::{
    NewNotificationAddress, NotificationAddress, NotificationAddressList,
    NotificationAddressUpdate, NotificationKind, check_email_domain, email_domain,
};
pub use notify::{
    Notification, NotifyKind, NotifySettings, NotifyTarget, OPEN_EVENT, Pause, QuietHours,
};
pub use order_delay::{
    NewOrderDelay, OrderDelayAnswer, OrderDelayKind, OrderDelayList, OrderDelayRequest,
    OrderDelayStatus, PHONE_MAX_CHARS, PHONE_PATTERN, RESOLUTION_AHEAD_MAX_DAYS, SiteContact,
};
pub use password_reset::{PasswordResetConfirm, PasswordResetDone, PasswordResetRequest};
pub use remote::{
    CONSENT_EVENT, ConsentProgress, ConsentStep, DetectedTool, RemoteTools, ToolDownload,
};
pub use remote_session::{
    NewRemoteSession, READY_NOW_MINUTES, ReadyNow, ReadyNowRequest, RemoteConnection,
    RemoteConnectionDetails, RemoteSession, RemoteSessionAnswer, RemoteSessionEnd,
    RemoteSessionList, RemoteSessionStatus, RemoteTool, TOOL_ID_MAX_CHARS, TOOL_PASSWORD_MAX_CHARS,
};
pub use service::{
    AffectedService, OrganisationList, OrganisationSummary, SERVICE_REFERENCE_PATTERN, Service,
    ServiceList, ServiceName, check_service_reference,
};
pub use ticket::{
    Department, NewTicket, Priority, Ticket, TicketDetails, TicketList, TicketStatus,
};
pub use ticket_list::{
    RefreshStatus, StatusCount, TICKET_PAGE_MAX, TicketListCursor, TicketListPage, TicketListQuery,
    TicketSummary,
};
pub use user::{ChangePassword, Health, LoginRequest, LoginResponse, Me, OrganisationRef, Role};

/// Version segment of every versioned route: `/api/v1/...`.
pub const API_VERSION: &str = "v1";

/// Limits a client can check before sending, the server enforces them again.
pub mod limits {
    /// Longest accepted ticket subject, in characters.
    pub const SUBJECT_MAX_CHARS: usize = 200;
    /// Longest accepted ticket body, in characters.
    pub const BODY_MAX_CHARS: usize = 20_000;
    /// Longest one-line answer (an affected service), in characters.
    pub const LINE_MAX_CHARS: usize = 200;
    /// Longest order number, server IP or invoice number, in characters.
    pub const REFERENCE_MAX_CHARS: usize = 100;
    /// Longest accepted e-mail address, in characters.
    pub const EMAIL_MAX_CHARS: usize = 254;
    /// Longest accepted password, in characters.
    pub const PASSWORD_MAX_CHARS: usize = 1_024;
    /// Shortest password accepted when one is set or changed, in characters.
    pub const PASSWORD_MIN_CHARS: usize = 10;
    /// Largest attached file, in bytes (10 MiB).
    pub const ATTACHMENT_MAX_BYTES: usize = 10 * 1024 * 1024;
    /// Most bytes of attachments one ticket holds (50 MiB).
    pub const TICKET_ATTACHMENTS_MAX_BYTES: usize = 50 * 1024 * 1024;
    /// Most attachments one ticket holds.
    pub const TICKET_ATTACHMENTS_MAX_COUNT: usize = 50;
    /// Longest attachment file name, in characters.
    pub const FILE_NAME_MAX_CHARS: usize = 255;
    /// Most pixels (width times height) of an attached picture.
    pub const IMAGE_MAX_PIXELS: u64 = 40_000_000;
    /// Longest side of an attached picture, in pixels.
    pub const IMAGE_MAX_SIDE: u32 = 16_384;
}

/// Checks a password about to be set: from
/// [`limits::PASSWORD_MIN_CHARS`] to [`limits::PASSWORD_MAX_CHARS`] characters.
pub fn validate_new_password(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < limits::PASSWORD_MIN_CHARS {
        return Err(format!(
            "the new password must be at least {} characters long",
            limits::PASSWORD_MIN_CHARS
        ));
    }
    if chars > limits::PASSWORD_MAX_CHARS {
        return Err(format!(
            "the new password must be at most {} characters long",
            limits::PASSWORD_MAX_CHARS
        ));
    }
    Ok(())
}
