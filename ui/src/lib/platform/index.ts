// The only module that talks to the Tauri shell. Components import this module
// (never @tauri-apps/api) so tests can replace it with vi.mock.
import { CONSENT_EVENT, LIVE_EVENT, OPEN_EVENT } from '../bindings/constants';
import { call, subscribe } from './ipc';
import type {
  Announcement,
  AppInfo,
  AttachOutcome,
  Availability,
  ConsentProgress,
  Capabilities,
  DesktopSettings,
  DesktopStatus,
  DrainReport,
  Draft,
  DraftInput,
  ExpediteQuote,
  FileOutcome,
  LiveUpdate,
  Me,
  NewTicket,
  NotifySettings,
  NotifyTarget,
  Pause,
  OrderDelayAnswer,
  OrderDelayView,
  OutboxItem,
  PickedFile,
  Price,
  ReadyNow,
  RefreshStatus,
  RemoteSessionView,
  RemoteTool,
  RemoteTools,
  SearchHit,
  TicketListPage,
  TicketListQuery,
  TicketView,
  WriteOutcome,
} from './types';

export { AppError, NOT_IN_APP_MESSAGE, toAppError } from './errors';
export type * from './types';
// The account screen: password, accounts, notification addresses.
export * from './account';
// Password reset, account requests, billing.
export * from './accounts';
// Screenshots: capture, paste, the editor's result, dropped files.
export * from './capture';

/** Version, the helpdesk address to offer and demo accounts (if any). */
export function appInfo(): Promise<AppInfo> {
  return call('app_info');
}

/** The signed-in user when a session is saved, else null. */
export function session(): Promise<Me | null> {
  return call('session');
}

export function login(serverUrl: string, email: string, password: string): Promise<Me> {
  return call('login', { serverUrl, email, password });
}

export async function logout(): Promise<void> {
  await call('logout');
}

/**
 * One page of the tickets saved on this computer, newest activity first, with
 * only what a list row shows (and whether the user has read it), plus the
 * counts around it: tickets the filters match, saved, unread, per status.
 * Pass the previous page's `next` as `after` for the page after it; `limit`
 * is 1 to 500. Instant, no network.
 */
export function ticketPage(query: TicketListQuery): Promise<TicketListPage> {
  return call('ticket_page', { query });
}

/**
 * Sends the pending outbox items, then pulls the tickets from the helpdesk
 * into the saved ones (read them again with ticketPage); `online: false`:
 * the helpdesk could not be reached.
 */
export function refreshTickets(): Promise<RefreshStatus> {
  return call('refresh_tickets');
}

/**
 * Files a ticket: `sent` when the helpdesk took it (with its files), else `queued`
 * in the outbox (`pending`: sent when the helpdesk can be reached; `failed`: refused,
 * see `item.error`). `files` are paths the user chose: each is checked and copied
 * before the ticket is queued; one refused (`payload_too_large`, `validation`)
 * queues nothing.
 */
export function createTicket(
  ticket: NewTicket,
  draftId: string | null = null,
  files: string[] = [],
): Promise<FileOutcome> {
  // Filed from a draft: the draft is deleted in the same step the ticket is queued.
  return call('create_ticket', { ticket, draftId, files });
}

/**
 * A ticket with its conversation (oldest first) and this ticket's unsent replies
 * and reopens. `refresh: false` answers from the cache at once; `refresh: true`
 * asks the helpdesk and falls back to the cache (`online: false`) when it is
 * unreachable. Rejects with `not_found` for a ticket this computer does not know.
 */
export function ticketView(id: number, refresh: boolean): Promise<TicketView> {
  return call('ticket_view', { id, refresh });
}

/**
 * Adds a reply to a ticket: `sent` when the helpdesk took it, else `queued` in the
 * outbox (`pending`: sent later; `failed`: refused, see `item.error`).
 */
export function replyToTicket(
  ticketId: number,
  body: string,
  draftId: string | null = null,
  files: string[] = [],
): Promise<WriteOutcome> {
  return call('reply_to_ticket', { ticketId, body, draftId, files });
}

/** Adds files (paths the user chose) to a ticket, through the outbox like a reply. */
export function attachFiles(ticketId: number, files: string[]): Promise<AttachOutcome> {
  return call('attach_files', { ticketId, files });
}

/**
 * A thumbnail (PNG, at most 256 px on the long side) of a picture the helpdesk has,
 * as a data URL for an `<img src>`; kept after the first time, so it works offline.
 */
export function attachmentThumbnail(ticketId: number, attachmentId: number): Promise<string> {
  return call('attachment_thumbnail', { ticketId, attachmentId });
}

/** Like attachmentThumbnail, for a picture still waiting in the outbox (a PendingFile). */
export function pendingAttachmentThumbnail(localId: number, index: number): Promise<string> {
  return call('pending_attachment_thumbnail', { localId, index });
}

/** Downloads an attachment (unless kept) and opens it with the system's default app. */
export async function openAttachment(ticketId: number, attachmentId: number): Promise<void> {
  await call('open_attachment', { ticketId, attachmentId });
}

/**
 * Asks where to save an attachment (the system's save dialog) and writes it
 * there, downloading it first if needed; resolves with where it went, or null
 * when the user cancelled.
 */
export function saveAttachment(ticketId: number, attachmentId: number): Promise<string | null> {
  return call('save_attachment', { ticketId, attachmentId });
}

/**
 * Lets the user choose files to attach (the system's file dialog); resolves
 * with each file's name, size, kind and opaque id (what the commands that send
 * files take), or [] when the dialog was cancelled.
 */
export function pickFiles(): Promise<PickedFile[]> {
  return call('pick_files');
}

/** Reopens a closed ticket (within its `reopen_until`) with what is new; like a reply. */
export function reopenTicket(ticketId: number, details: string): Promise<WriteOutcome> {
  return call('reopen_ticket', { ticketId, details });
}

/** The signed-in account's unsent items (pending and failed), oldest first. */
export function listOutbox(): Promise<OutboxItem[]> {
  return call('list_outbox');
}

/** Puts an unsent item back in line (with the corrected ticket, if given) and sends it. */
export function retryOutboxItem(localId: number, ticket: NewTicket | null = null): Promise<DrainReport> {
  return call('retry_outbox_item', { localId, ticket });
}

/** Drops an unsent item for good. */
export async function discardOutboxItem(localId: number): Promise<void> {
  await call('discard_outbox_item', { localId });
}

/**
 * The saved tickets matching what the user typed (subject, description and
 * conversation; accents optional, the last word also as a prefix), best first,
 * at most 100. Instant, no network. Each hit's `snippet` is plain text with the
 * matched words between U+0002 and U+0003 (see features/tickets/snippet.ts).
 */
export function searchTickets(query: string): Promise<SearchHit[]> {
  return call('search_tickets', { query });
}

/**
 * Saves an unsent form on this computer (call it when typing pauses): a new
 * draft when `id` is null, else the draft with that id is replaced. A reply
 * draft's id is always `reply:<ticket id>`. Resolves with the saved draft.
 */
export function saveDraft(draft: DraftInput): Promise<Draft> {
  return call('save_draft', { draft });
}

/** The signed-in account's drafts, most recently changed first. */
export function listDrafts(): Promise<Draft[]> {
  return call('list_drafts');
}

/** Drops a draft (fine when it is gone already). */
export async function discardDraft(id: string): Promise<void> {
  await call('discard_draft', { id });
}

/**
 * Open tickets saved on this computer that look like the one being written
 * (more than half of its words), at most three, best first. Nothing for very
 * short input. Instant, no network.
 */
export function similarTickets(subject: string, body: string): Promise<SearchHit[]> {
  return call('similar_tickets', { subject, body });
}

/**
 * Keeps the language the user chose for the next start (a tag such as "sl");
 * null goes back to the system's. `appInfo().language` gives it back.
 */
export async function setLanguage(language: string | null): Promise<void> {
  await call('set_language', { language });
}

/**
 * The provider's announcements and planned maintenance that apply now or later:
 * those in effect first, then the upcoming ones by start. Instant, no network
 * (the sync and live updates keep them current; a withdrawn one disappears).
 */
export function listAnnouncements(): Promise<Announcement[]> {
  return call('list_announcements');
}

/**
 * A ticket's remote-session requests, oldest first. While the user's answer
 * waits in the outbox (`answer.state === 'pending'`) the status is already the
 * answer; a refused answer (`failed`) leaves the status as the helpdesk said.
 */
export function listRemoteSessions(ticketId: number): Promise<RemoteSessionView[]> {
  return call('list_remote_sessions', { ticketId });
}

/** The remote-session requests waiting for the user's answer, on every ticket, oldest first. */
export function remoteSessionRequests(): Promise<RemoteSessionView[]> {
  return call('remote_session_requests');
}

/**
 * Declines a remote-session request through the outbox (only the decline is
 * sent): `answer` is null once the helpdesk took it, else the pending or
 * failed outbox item. Rejects with `validation` when it takes no answer.
 */
export function declineRemoteSession(id: number): Promise<RemoteSessionView> {
  return call('decline_remote_session', { id });
}

/** The remote-assistance tools installed on this computer, and each vendor's download page. */
export function detectRemoteTools(): Promise<RemoteTools> {
  return call('detect_remote_tools');
}

/**
 * The user's consent to this request only: the tool is started or brought up,
 * its ID read and sent (with a one-time password where the tool offers one).
 * Each step arrives through `onConsentProgress` as it begins. Rejects with
 * `validation` when no tool gives an ID (or a tool hung: said within 5 s),
 * `network` when the helpdesk cannot be reached (then nothing was sent).
 */
export function consentRemoteSession(id: number, tool: RemoteTool | null): Promise<RemoteSessionView> {
  return call('consent_remote_session', { id, tool });
}

/** Ends an accepted session: the tool's incoming session stops where Deskmate started it; the end is recorded. */
export function endRemoteSession(id: number): Promise<RemoteSessionView> {
  return call('end_remote_session', { id });
}

/** Opens a tool's vendor download page in the system browser (Deskmate downloads nothing). */
export async function openToolDownload(tool: RemoteTool): Promise<void> {
  await call('open_tool_download', { tool });
}

/** Until when the user said they are ready for remote help now on a ticket (`ready_until` null: not ready). */
export function readyNow(ticketId: number): Promise<ReadyNow> {
  return call('ready_now', { ticketId });
}

/** Ready for remote help now for 30, 60 or 120 minutes, or (`null`) no longer. Straight to the helpdesk. */
export function setReadyNow(ticketId: number, minutes: number | null): Promise<ReadyNow> {
  return call('set_ready_now', { ticketId, minutes });
}

/** The organisation's order-delay requests: open ones first (soonest due first), then answered ones. */
export function listOrderDelays(): Promise<OrderDelayView[]> {
  return call('list_order_delays');
}

/**
 * Answers an order-delay request through the outbox, like `declineRemoteSession`,
 * with the field its kind asks for (`answer`: the words, or a note beside a typed
 * answer). Rejects with `validation` for the wrong kind of answer, a date in the
 * past or a contact without name or phone.
 */
export function answerOrderDelay(id: number, answer: OrderDelayAnswer): Promise<OrderDelayView> {
  return call('answer_order_delay', {
    id,
    answer: answer.answer,
    resolutionDate: answer.resolution_date ?? undefined,
    siteContact: answer.site_contact ?? undefined,
    chargeAccepted: answer.charge_accepted ?? undefined,
  });
}

/**
 * Says when the user can be reached about a ticket, replacing what was said
 * (null takes it back), through the outbox: `sent` with the ticket as it is now,
 * else `queued` (`pending`: sent later; `failed`: refused, see `item.error`).
 * Rejects with `validation` (the core's message) for windows the helpdesk would refuse.
 */
export function setAvailability(ticketId: number, availability: Availability | null): Promise<FileOutcome> {
  return call('set_availability', { ticketId, availability });
}

/** Like setAvailability, for a ticket still waiting in the outbox as item `localId`. */
export function setPendingTicketAvailability(
  localId: number,
  availability: Availability | null,
): Promise<FileOutcome> {
  return call('set_pending_ticket_availability', { localId, availability });
}

/**
 * What an expedited response of the ticket costs now, its terms, and whether the
 * user can have it (`can_expedite`, else `refusal`). Online only: rejects with
 * `network` offline and `not_offered` when the provider does not offer it.
 */
export function expediteQuote(ticketId: number): Promise<ExpediteQuote> {
  return call('expedite_quote', { ticketId });
}

/**
 * The user's consent to pay `acceptedPrice` (exactly the quoted one) for an
 * expedited response, through the outbox: null once the helpdesk took it, else
 * the item (`pending`: sent later; `failed`: refused, e.g. the price changed).
 */
export function expedite(ticketId: number, acceptedPrice: Price): Promise<OutboxItem | null> {
  return call('expedite', { ticketId, acceptedPrice });
}

/**
 * What the signed-in user's back-end offers (expedited responses, availability
 * windows, remote sessions, order delays, live events, queue facts), so the
 * window hides or explains the rest. Rejects with `signed_out` when nobody is.
 */
export function capabilities(): Promise<Capabilities> {
  return call('capabilities');
}

/**
 * Calls `handler` with every live update from the shell (which tickets, the
 * notices or the outbox changed; the helpdesk came or went; the session
 * ended) until the returned function is called. The window subscribes once,
 * in lib/state/live.ts.
 */
export function onLive(handler: (update: LiveUpdate) => void): () => void {
  return subscribe<LiveUpdate>(LIVE_EVENT, handler);
}

/** Calls `handler` with each step of a consent flow as it begins, until the returned function is called. */
export function onConsentProgress(handler: (progress: ConsentProgress) => void): () => void {
  return subscribe<ConsentProgress>(CONSENT_EVENT, handler);
}

/** Which desktop notifications are shown, the quiet hours, a pause. */
export function notifySettings(): Promise<NotifySettings> {
  return call('notify_settings');
}

/** Keeps the notification settings; an unknown time zone is refused (`validation`). */
export function setNotifySettings(settings: NotifySettings): Promise<NotifySettings> {
  return call('set_notify_settings', { settings });
}

/** Pauses notifications for an hour or until tomorrow, or resumes them. */
export function pauseNotifications(pause: Pause): Promise<NotifySettings> {
  return call('pause_notifications', { pause });
}

/** Close-to-tray, start at login, and whether this desktop shows a tray. */
export function desktopSettings(): Promise<DesktopStatus> {
  return call('desktop_settings');
}

/** Keeps close-to-tray and adds or removes the start-at-login entry. */
export function setDesktopSettings(settings: DesktopSettings): Promise<DesktopStatus> {
  return call('set_desktop_settings', { settings });
}

/** The screen a `deskmate://` link the app was started with names, once. */
export function takeOpenRequest(): Promise<NotifyTarget | null> {
  return call('take_open_request');
}

/**
 * Calls `handler` whenever the shell asks to show a screen (a click on a
 * notification, a `deskmate://` link, a second launch) until the returned
 * function is called.
 */
export function onOpen(handler: (target: NotifyTarget) => void): () => void {
  return subscribe<NotifyTarget>(OPEN_EVENT, handler);
}

// Diagnostics in the form, the scrubber's offer, attachment limits.
export * from './evidence';
