// Generated from crates/deskmate-api/src/bindings.rs by `cargo test -p deskmate-api`. Do not edit.
import type { Department } from "./Department";
import type { NotifyKind } from "./NotifyKind";
import type { OutboxKind } from "./OutboxKind";
import type { OutboxState } from "./OutboxState";
import type { Priority } from "./Priority";
import type { TicketStatus } from "./TicketStatus";

/** Longest ticket subject, in characters. */
export const SUBJECT_MAX_CHARS = 200;

/** Longest ticket body, reply or detail text, in characters. */
export const BODY_MAX_CHARS = 20000;

/** Longest one-line answer (an affected service), in characters. */
export const LINE_MAX_CHARS = 200;

/** Longest order number, server IP or invoice number, in characters. */
export const REFERENCE_MAX_CHARS = 100;

/** Longest e-mail address, in characters. */
export const EMAIL_MAX_CHARS = 254;

/** Shortest new password, in characters. */
export const PASSWORD_MIN_CHARS = 10;

/** Longest password, in characters. */
export const PASSWORD_MAX_CHARS = 1024;

/** Largest attached file, in bytes. */
export const ATTACHMENT_MAX_BYTES = 10485760;

/** Most bytes of attachments one ticket holds. */
export const TICKET_ATTACHMENTS_MAX_BYTES = 52428800;

/** Most attachments one ticket holds. */
export const TICKET_ATTACHMENTS_MAX_COUNT = 50;

/** Longest attachment file name, in characters. */
export const FILE_NAME_MAX_CHARS = 255;

/** Most rows one page of the ticket list holds. */
export const TICKET_PAGE_MAX = 500;

/** Most weekly availability windows of one ticket. */
export const WEEKLY_MAX = 14;

/** Most one-off availability windows of one ticket. */
export const DATED_MAX = 20;

/** How many days ahead a one-off window may start. */
export const DATED_AHEAD_MAX_DAYS = 90;

/** Longest availability note, in characters. */
export const NOTE_MAX_CHARS = 500;

/** Most services one announcement names. */
export const SERVICES_MAX = 20;

/** How long one may say they are ready for remote help now, in minutes. */
export const READY_NOW_MINUTES = [30, 60, 120] as const;

/** The app event that carries a `LiveUpdate` to the window. */
export const LIVE_EVENT = "deskmate://live";

/** The app event that carries a `ConsentProgress` (the consent flow's step) to the window. */
export const CONSENT_EVENT = "deskmate://remote-consent";

/** The app event that names the screen to show (a `NotifyTarget`). */
export const OPEN_EVENT = "deskmate://open";

/** The app event that says a capture waits for the editor (`take_capture` takes it). */
export const CAPTURE_EVENT = "deskmate://capture";

/** The app event that carries the files dropped on the window (`PickedFile[]`). */
export const DROP_EVENT = "deskmate://dropped";

/** The screenshot shortcut when the user chose none. */
export const DEFAULT_SCREENSHOT_SHORTCUT = "Ctrl+Alt+S";

/** Starts a matched term in a search snippet. */
export const SNIPPET_MARK_START = "\u0002";

/** Ends a matched term in a search snippet. */
export const SNIPPET_MARK_END = "\u0003";

/** Every department, in display order. */
export const DEPARTMENTS: readonly Department[] = ["technical", "billing", "commercial"];

/** Every priority, in display order. */
export const PRIORITIES: readonly Priority[] = ["regular", "high"];

/** Every kind of desktop notification, in display order. */
export const NOTIFY_KINDS: readonly NotifyKind[] = ["reply", "status", "remote_session", "expedite", "announcement", "order_delay"];

/** Every ticket status, in display order. */
export const TICKET_STATUSES: readonly TicketStatus[] = ["open", "waiting_for_customer", "resolved", "closed"];

/** Every kind of outbox write. */
export const OUTBOX_KINDS: readonly OutboxKind[] = ["new_ticket", "reply", "reopen", "attachments", "remote_session_answer", "order_delay_answer", "expedite", "set_availability"];

/** Every state of an outbox write. */
export const OUTBOX_STATES: readonly OutboxState[] = ["pending", "failed"];
