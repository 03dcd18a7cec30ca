//! The app's IPC surface, declared once: every command the Tauri shell
//! answers, its arguments and its result.
//!
//! From this one list come
//! - an arguments struct per command (`LoginArgs`, ...), which the shell's
//!   handler takes, so a renamed argument is renamed on both sides;
//! - [`Command`], which ties each arguments struct to the command's name and
//!   result type: the shell's handler returns `Reply<LoginArgs>`, so a handler
//!   that answers something else fails to build;
//! - [`for_each_command!`](crate::for_each_command), which hands the list of
//!   names to the shell's `generate_handler!`, so a declared command without
//!   a handler fails to build;
//! - the TypeScript map `ui/src/lib/bindings/commands.ts` (`typescript`, run by the bindings test),
//!   against which `ui/src/lib/platform` type-checks every call.
//!
//! Arguments cross the boundary as `{ args: {...} }` with camelCase keys.

#[cfg(test)]
use std::collections::BTreeMap;
#[cfg(test)]
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
#[cfg(test)]
use ts_rs::{Config, Dependency, TypeVisitor};

use crate::{
    Announcement, AppInfo, AttachOutcome, AttachmentLimits, Availability, Capabilities, Capture,
    CaptureSources, CaptureTarget, DesktopSettings, DesktopStatus, DiagnosticsReport, Draft,
    DraftInput, DrainReport, ExpediteQuote, FileOutcome, Me, NewTicket, NotifySettings,
    NotifyTarget, OrderDelayView, OutboxItem, Pause, PickedFile, Price, ReadyNow, RefreshStatus,
    RemoteSessionView, RemoteTool, RemoteTools, RenderedDiagnostics, ScreenshotEdits, ScrubOffer,
    SearchHit, SiteContact, TicketListPage, TicketListQuery, TicketView, WriteOutcome,
};
// Accounts.
use crate::{
    AccountRequest, CallRecordList, ExpediteChargeList, InvoiceList, NewAccountRequest,
    NewNotificationAddress, NewUser, NotificationAddress, NotificationAddressList, UserAccount,
    UserList, UserUpdate,
};

/// A command of the IPC surface: its arguments struct names it and says
/// what it answers.
pub trait Command {
    /// The name the window invokes.
    const NAME: &'static str;
    /// What a successful call answers.
    type Result;
}

/// Declares the commands. Each entry is
/// `name(ArgsStruct { field: Type, ... }) -> Result;` with its doc comment.
macro_rules! commands {
    ($d:tt $(
        $(#[$doc:meta])*
        $name:ident ($args:ident { $($(#[$fmeta:meta])* $field:ident : $fty:ty),* $(,)? }) -> $ret:ty;
    )*) => {
        $(
            #[doc = concat!(" Arguments of the `", stringify!($name), "` command.")]
            #[doc = ""]
            $(#[$doc])*
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
            #[serde(rename_all = "camelCase")]
            #[ts(export)]
            pub struct $args {
                $($(#[$fmeta])* pub $field: $fty,)*
            }

            impl Command for $args {
                const NAME: &'static str = stringify!($name);
                type Result = $ret;
            }
        )*

        /// Every command's name, in declaration order.
        pub const COMMAND_NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Calls `$callback!` with every command's name, comma-separated: the
        /// shell registers its handlers with it
        /// (`for_each_command!(register)` where `register` expands to
        /// `tauri::generate_handler![...]`).
        #[macro_export]
        macro_rules! for_each_command {
            ($d callback:ident) => { $d callback! { $($name),* } };
        }

        /// One line of the TypeScript map per command, and the types they use.
        #[cfg(test)]
        fn entries(cfg: &Config, imports: &mut Imports) -> Vec<String> {
            vec![$({
                imports.visit::<$args>();
                imports.visit::<$ret>();
                format!(
                    "  {}: {{ args: {}; result: {} }};",
                    stringify!($name),
                    <$args as TS>::name(cfg),
                    <$ret as TS>::name(cfg),
                )
            }),*]
        }
    };
}

commands! { $
    /// Version, the helpdesk address to offer and demo accounts (if any).
    app_info(AppInfoArgs {}) -> AppInfo;
    /// Keeps the language the user chose (`null`: follow the system's again).
    set_language(SetLanguageArgs { language: Option<String> }) -> ();
    /// The signed-in user when a session is saved, else `null`.
    session(SessionArgs {}) -> Option<Me>;
    login(LoginArgs { server_url: String, email: String, password: String }) -> Me;
    logout(LogoutArgs {}) -> ();
    /// What the signed-in account's helpdesk offers (`signed_out` when nobody is).
    capabilities(CapabilitiesArgs {}) -> Capabilities;
    /// One page of the saved tickets, newest activity first.
    ticket_page(TicketPageArgs { query: TicketListQuery }) -> TicketListPage;
    /// Sends the outbox, then pulls the tickets into the cache.
    refresh_tickets(RefreshTicketsArgs {}) -> RefreshStatus;
    /// Files a ticket, from a draft and with files (the ids of `PickedFile`s).
    create_ticket(CreateTicketArgs {
        ticket: NewTicket,
        draft_id: Option<String>,
        files: Option<Vec<String>>,
    }) -> FileOutcome;
    list_outbox(ListOutboxArgs {}) -> Vec<OutboxItem>;
    /// Tries an outbox item again now (a refused new ticket with its fix).
    retry_outbox_item(RetryOutboxItemArgs {
        #[ts(type = "number")]
        local_id: i64,
        ticket: Option<NewTicket>,
    }) -> DrainReport;
    discard_outbox_item(DiscardOutboxItemArgs {
        #[ts(type = "number")]
        local_id: i64,
    }) -> ();
    /// A ticket with its conversation, from the cache or (`refresh`) the helpdesk.
    ticket_view(TicketViewArgs {
        #[ts(type = "number")]
        id: i64,
        refresh: bool,
    }) -> TicketView;
    reply_to_ticket(ReplyToTicketArgs {
        #[ts(type = "number")]
        ticket_id: i64,
        body: String,
        draft_id: Option<String>,
        /// The ids of `PickedFile`s.
        files: Option<Vec<String>>,
    }) -> WriteOutcome;
    reopen_ticket(ReopenTicketArgs {
        #[ts(type = "number")]
        ticket_id: i64,
        details: String,
    }) -> WriteOutcome;
    search_tickets(SearchTicketsArgs { query: String }) -> Vec<SearchHit>;
    save_draft(SaveDraftArgs { draft: DraftInput }) -> Draft;
    list_drafts(ListDraftsArgs {}) -> Vec<Draft>;
    discard_draft(DiscardDraftArgs { id: String }) -> ();
    /// Open tickets like the one being written.
    similar_tickets(SimilarTicketsArgs { subject: String, body: String }) -> Vec<SearchHit>;
    attach_files(AttachFilesArgs {
        #[ts(type = "number")]
        ticket_id: i64,
        /// The ids of `PickedFile`s.
        files: Vec<String>,
    }) -> AttachOutcome;
    /// A `data:` URL of a sent picture's thumbnail.
    attachment_thumbnail(AttachmentThumbnailArgs {
        #[ts(type = "number")]
        ticket_id: i64,
        #[ts(type = "number")]
        attachment_id: i64,
    }) -> String;
    /// A `data:` URL of a waiting picture's thumbnail.
    pending_attachment_thumbnail(PendingAttachmentThumbnailArgs {
        #[ts(type = "number")]
        local_id: i64,
        index: u32,
    }) -> String;
    open_attachment(OpenAttachmentArgs {
        #[ts(type = "number")]
        ticket_id: i64,
        #[ts(type = "number")]
        attachment_id: i64,
    }) -> ();
    /// Asks where to save the attachment (the native dialog) and writes it
    /// there; answers where it went, `None` when the user cancelled.
    save_attachment(SaveAttachmentArgs {
        #[ts(type = "number")]
        ticket_id: i64,
        #[ts(type = "number")]
        attachment_id: i64,
    }) -> Option<String>;
    list_announcements(ListAnnouncementsArgs {}) -> Vec<Announcement>;
    list_remote_sessions(ListRemoteSessionsArgs {
        #[ts(type = "number")]
        ticket_id: i64,
    }) -> Vec<RemoteSessionView>;
    /// Remote sessions the consultants asked for that wait for an answer.
    remote_session_requests(RemoteSessionRequestsArgs {}) -> Vec<RemoteSessionView>;
    /// Declines a remote-session request, through the outbox: only the
    /// decline is sent.
    decline_remote_session(DeclineRemoteSessionArgs {
        #[ts(type = "number")]
        id: i64,
    }) -> RemoteSessionView;
    /// The remote-assistance tools on this computer, and each vendor's
    /// download page.
    detect_remote_tools(DetectRemoteToolsArgs {}) -> RemoteTools;
    /// The user's consent to this request only: starts or brings up the
    /// tool (`tool`, else the one asked for, else the first found), reads
    /// its ID (and sets a one-time password where the tool takes one) and
    /// sends them with the acceptance. Each step is told to the window as a
    /// `ConsentProgress` event (`CONSENT_EVENT`).
    consent_remote_session(ConsentRemoteSessionArgs {
        #[ts(type = "number")]
        id: i64,
        tool: Option<RemoteTool>,
    }) -> RemoteSessionView;
    /// Ends an accepted session: stops the tool's incoming session where
    /// Deskmate started the tool, makes a one-time password useless, and
    /// has the end recorded as the customer's.
    end_remote_session(EndRemoteSessionArgs {
        #[ts(type = "number")]
        id: i64,
    }) -> RemoteSessionView;
    /// Opens a tool's vendor download page in the system browser.
    open_tool_download(OpenToolDownloadArgs { tool: RemoteTool }) -> ();
    /// Until when the user said they are ready for remote help now.
    ready_now(ReadyNowArgs {
        #[ts(type = "number")]
        ticket_id: i64,
    }) -> ReadyNow;
    /// Ready for remote help now for 30, 60 or 120 minutes, or (`null`) no longer.
    set_ready_now(SetReadyNowArgs {
        #[ts(type = "number")]
        ticket_id: i64,
        minutes: Option<u32>,
    }) -> ReadyNow;
    list_order_delays(ListOrderDelaysArgs {}) -> Vec<OrderDelayView>;
    /// The field the request's kind asks for (a resolution date, a site
    /// contact, the charge accepted or not), or `answer` in words; `answer`
    /// is a note beside a typed answer.
    answer_order_delay(AnswerOrderDelayArgs {
        #[ts(type = "number")]
        id: i64,
        answer: String,
        #[serde(default)]
        #[ts(optional, type = "string")]
        resolution_date: Option<chrono::NaiveDate>,
        #[serde(default)]
        #[ts(optional)]
        site_contact: Option<SiteContact>,
        #[serde(default)]
        #[ts(optional)]
        charge_accepted: Option<bool>,
    }) -> OrderDelayView;
    set_availability(SetAvailabilityArgs {
        #[ts(type = "number")]
        ticket_id: i64,
        availability: Option<Availability>,
    }) -> FileOutcome;
    /// Availability of a ticket still waiting in the outbox.
    set_pending_ticket_availability(SetPendingTicketAvailabilityArgs {
        #[ts(type = "number")]
        local_id: i64,
        availability: Option<Availability>,
    }) -> FileOutcome;
    expedite_quote(ExpediteQuoteArgs {
        #[ts(type = "number")]
        ticket_id: i64,
    }) -> ExpediteQuote;
    /// The customer's consent to the quoted price of an expedited response.
    expedite(ExpediteArgs {
        #[ts(type = "number")]
        ticket_id: i64,
        accepted_price: Price,
    }) -> Option<OutboxItem>;
    /// The native file picker: files to attach.
    pick_files(PickFilesArgs {}) -> Vec<PickedFile>;
    /// Which desktop notifications are shown, quiet hours, a pause.
    notify_settings(NotifySettingsArgs {}) -> NotifySettings;
    /// Keeps the notification settings (an unknown time zone is `validation`).
    set_notify_settings(SetNotifySettingsArgs { settings: NotifySettings }) -> NotifySettings;
    /// Pauses notifications for an hour or until tomorrow, or resumes them.
    pause_notifications(PauseNotificationsArgs { pause: Pause }) -> NotifySettings;
    /// The screen a `deskmate://` link at launch named, once (`null` after).
    take_open_request(TakeOpenRequestArgs {}) -> Option<NotifyTarget>;
    /// Close-to-tray and start at login, and whether the desktop has a tray.
    desktop_settings(DesktopSettingsArgs {}) -> DesktopStatus;
    /// Keeps close-to-tray and adds or removes the start-at-login entry.
    set_desktop_settings(SetDesktopSettingsArgs { settings: DesktopSettings }) -> DesktopStatus;
    // Accounts (issue 16, the customer admin's screens): online only, each
    // straight to the helpdesk; offline a `network` error.
    /// The signed-in user's new password; a wrong current one is
    /// `unauthorized` (the session stays).
    change_password(ChangePasswordArgs { current_password: String, new_password: String }) -> ();
    /// The organisation's accounts (with the manage-users right).
    list_users(ListUsersArgs {}) -> UserList;
    /// A new customer user with their first password and rights.
    add_user(AddUserArgs { user: NewUser }) -> UserAccount;
    /// Renames an account, sets its rights, promotes or demotes it.
    update_user(UpdateUserArgs {
        #[ts(type = "number")]
        id: i64,
        update: UserUpdate,
    }) -> UserAccount;
    remove_user(RemoveUserArgs {
        #[ts(type = "number")]
        id: i64,
    }) -> ();
    /// The organisation's notification addresses and allowed domains (customer admins).
    list_notification_addresses(ListNotificationAddressesArgs {}) -> NotificationAddressList;
    add_notification_address(AddNotificationAddressArgs {
        address: NewNotificationAddress,
    }) -> NotificationAddress;
    /// Turns mail to an address on or off.
    set_notification_mail(SetNotificationMailArgs {
        #[ts(type = "number")]
        id: i64,
        mail: bool,
    }) -> NotificationAddress;
    remove_notification_address(RemoveNotificationAddressArgs {
        #[ts(type = "number")]
        id: i64,
    }) -> ();
    // Accounts (acct2): the remembered address, password reset, account
    // requests, billing.
    /// The e-mail address last signed in with at this helpdesk (`null`: none).
    remembered_email(RememberedEmailArgs { server_url: String }) -> Option<String>;
    /// Asks the helpdesk to mail a password reset code (answered alike
    /// whether or not the address has an account).
    request_password_reset(RequestPasswordResetArgs { server_url: String, email: String }) -> ();
    /// Sets a new password with the mailed code; answers the account's address.
    confirm_password_reset(ConfirmPasswordResetArgs {
        server_url: String,
        token: String,
        password: String,
    }) -> String;
    /// Asks for an account with the organisation's contract number (no session needed).
    request_account(RequestAccountArgs { server_url: String, request: NewAccountRequest }) -> ();
    /// The pending account requests the signed-in customer admin decides on.
    account_requests(AccountRequestsArgs {}) -> Vec<AccountRequest>;
    /// Approves a request: the helpdesk creates the account and mails a set-password link.
    approve_account_request(ApproveAccountRequestArgs {
        #[ts(type = "number")]
        id: i64,
    }) -> UserAccount;
    reject_account_request(RejectAccountRequestArgs {
        #[ts(type = "number")]
        id: i64,
    }) -> ();
    /// One page of the organisation's invoices (`cursor`: the previous page's `next_cursor`).
    invoices(InvoicesArgs { cursor: Option<String> }) -> InvoiceList;
    /// One page of the calls on the organisation's voice services.
    call_records(CallRecordsArgs { cursor: Option<String> }) -> CallRecordList;
    /// One page of the organisation's expedited responses as charges.
    expedite_charges(ExpediteChargesArgs { cursor: Option<String> }) -> ExpediteChargeList;
    // diagform: diagnostics in the new-ticket form, scrubbing attached text, attachment limits.
    /// What the helpdesk accepts as attachments (the last limits heard, or
    /// deskmate-server's defaults, when it cannot be asked).
    attachment_limits(AttachmentLimitsArgs {}) -> AttachmentLimits;
    /// Collects the diagnostics once for a form, every section scrubbed.
    collect_diagnostics(CollectDiagnosticsArgs {}) -> DiagnosticsReport;
    /// The text of the kept `sections` of collection `id`, and the file
    /// holding exactly that text, to attach.
    render_diagnostics(RenderDiagnosticsArgs { id: String, sections: Vec<String> }) -> RenderedDiagnostics;
    /// What scrubbing a chosen file (a `PickedFile`'s id) would remove, with
    /// the scrubbed copy to attach instead (`null`: not a text file).
    scrub_offer(ScrubOfferArgs { file_id: String }) -> Option<ScrubOffer>;
    // ---- capture: screenshots, paste ----
    /// The monitors and other apps' windows that can be captured now.
    capture_sources(CaptureSourcesArgs {}) -> CaptureSources;
    /// Captures the screen, a monitor or a window, Deskmate's window hidden
    /// meanwhile; the pixels stay in memory until saved or discarded.
    capture_screen(CaptureScreenArgs { target: CaptureTarget }) -> Capture;
    /// A pasted picture (its file's bytes, base64), decoded under the
    /// core's limits, as a capture for the editor.
    capture_from_bytes(CaptureFromBytesArgs { data: String }) -> Capture;
    /// What the screenshot shortcut or the tray captured, once (`null` after).
    take_capture(TakeCaptureArgs {}) -> Option<Capture>;
    /// Applies the edits (crop, boxes, arrows, opaque redactions) to
    /// capture `id` and writes a PNG without metadata, ready to attach.
    save_capture(SaveCaptureArgs { id: u32, edits: ScreenshotEdits }) -> PickedFile;
    /// Forgets capture `id`.
    discard_capture(DiscardCaptureArgs { id: u32 }) -> ();
}

/// The TypeScript types a set of commands uses, by name and file.
#[cfg(test)]
struct Imports<'a> {
    cfg: &'a Config,
    files: BTreeMap<String, PathBuf>,
}

#[cfg(test)]
impl TypeVisitor for Imports<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if let Some(dependency) = Dependency::from_ty::<T>(self.cfg) {
            self.files
                .insert(dependency.ts_name, dependency.output_path);
        }
        // `Vec<T>`, `Option<T>`: the types inside.
        T::visit_generics(self);
    }
}

/// `ui/src/lib/bindings/commands.ts`: the map from each command's name to
/// its arguments and result, for `ui/src/lib/platform` to type its calls
/// (written by the bindings test).
#[cfg(test)]
pub fn typescript(cfg: &Config) -> String {
    let mut imports = Imports {
        cfg,
        files: BTreeMap::new(),
    };
    let entries = entries(cfg, &mut imports);
    let mut out = String::from(
        "// Generated from crates/deskmate-api/src/rpc.rs by `cargo test -p deskmate-api`. Do not edit.\n",
    );
    for (name, path) in &imports.files {
        let module = path.with_extension("");
        out.push_str(&format!(
            "import type {{ {name} }} from \"./{}\";\n",
            module.display()
        ));
    }
    out.push_str("\n/** Every command the app shell answers: its arguments and its result. */\n");
    out.push_str("export type Commands = {\n");
    for entry in entries {
        out.push_str(&entry);
        out.push('\n');
    }
    out.push_str("};\n\nexport type CommandName = keyof Commands;\n");
    out.push_str(
        "\n/** Every command's name, in declaration order. */\nexport const COMMAND_NAMES = [\n",
    );
    for name in COMMAND_NAMES {
        out.push_str(&format!("  \"{name}\",\n"));
    }
    out.push_str("] as const satisfies readonly CommandName[];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for name in COMMAND_NAMES {
            assert!(seen.insert(*name), "{name} declared twice");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name} is not snake_case"
            );
        }
    }

    #[test]
    fn arguments_cross_in_camel_case() {
        let args: CreateTicketArgs = serde_json::from_value(serde_json::json!({
            "ticket": {
                "subject": "s", "body": "b", "department": "technical", "priority": "regular"
            },
            "draftId": "d1",
            "files": null,
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(args.draft_id.as_deref(), Some("d1"));
        assert_eq!(<CreateTicketArgs as Command>::NAME, "create_ticket");
    }

    #[test]
    fn the_map_imports_what_it_names() {
        let ts = typescript(&Config::default());
        assert!(
            ts.contains("  login: { args: LoginArgs; result: Me };"),
            "{ts}"
        );
        assert!(ts.contains("import type { OutboxItem } from \"./OutboxItem\";"));
        assert!(ts.contains("import type { LoginArgs } from \"./LoginArgs\";"));
        assert!(ts.contains("  session: { args: SessionArgs; result: Me | null };"));
    }
}
