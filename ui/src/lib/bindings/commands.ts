// Generated from crates/deskmate-api/src/rpc.rs by `cargo test -p deskmate-api`. Do not edit.
import type { AccountRequest } from "./AccountRequest";
import type { AccountRequestsArgs } from "./AccountRequestsArgs";
import type { AddNotificationAddressArgs } from "./AddNotificationAddressArgs";
import type { AddUserArgs } from "./AddUserArgs";
import type { Announcement } from "./Announcement";
import type { AnswerOrderDelayArgs } from "./AnswerOrderDelayArgs";
import type { AppInfo } from "./AppInfo";
import type { AppInfoArgs } from "./AppInfoArgs";
import type { ApproveAccountRequestArgs } from "./ApproveAccountRequestArgs";
import type { AttachFilesArgs } from "./AttachFilesArgs";
import type { AttachOutcome } from "./AttachOutcome";
import type { AttachmentLimits } from "./AttachmentLimits";
import type { AttachmentLimitsArgs } from "./AttachmentLimitsArgs";
import type { AttachmentThumbnailArgs } from "./AttachmentThumbnailArgs";
import type { CallRecordList } from "./CallRecordList";
import type { CallRecordsArgs } from "./CallRecordsArgs";
import type { Capabilities } from "./Capabilities";
import type { CapabilitiesArgs } from "./CapabilitiesArgs";
import type { Capture } from "./Capture";
import type { CaptureFromBytesArgs } from "./CaptureFromBytesArgs";
import type { CaptureScreenArgs } from "./CaptureScreenArgs";
import type { CaptureSources } from "./CaptureSources";
import type { CaptureSourcesArgs } from "./CaptureSourcesArgs";
import type { ChangePasswordArgs } from "./ChangePasswordArgs";
import type { CollectDiagnosticsArgs } from "./CollectDiagnosticsArgs";
import type { ConfirmPasswordResetArgs } from "./ConfirmPasswordResetArgs";
import type { ConsentRemoteSessionArgs } from "./ConsentRemoteSessionArgs";
import type { CreateTicketArgs } from "./CreateTicketArgs";
import type { DeclineRemoteSessionArgs } from "./DeclineRemoteSessionArgs";
import type { DesktopSettingsArgs } from "./DesktopSettingsArgs";
import type { DesktopStatus } from "./DesktopStatus";
import type { DetectRemoteToolsArgs } from "./DetectRemoteToolsArgs";
import type { DiagnosticsReport } from "./DiagnosticsReport";
import type { DiscardCaptureArgs } from "./DiscardCaptureArgs";
import type { DiscardDraftArgs } from "./DiscardDraftArgs";
import type { DiscardOutboxItemArgs } from "./DiscardOutboxItemArgs";
import type { Draft } from "./Draft";
import type { DrainReport } from "./DrainReport";
import type { EndRemoteSessionArgs } from "./EndRemoteSessionArgs";
import type { ExpediteArgs } from "./ExpediteArgs";
import type { ExpediteChargeList } from "./ExpediteChargeList";
import type { ExpediteChargesArgs } from "./ExpediteChargesArgs";
import type { ExpediteQuote } from "./ExpediteQuote";
import type { ExpediteQuoteArgs } from "./ExpediteQuoteArgs";
import type { FileOutcome } from "./FileOutcome";
import type { InvoiceList } from "./InvoiceList";
import type { InvoicesArgs } from "./InvoicesArgs";
import type { ListAnnouncementsArgs } from "./ListAnnouncementsArgs";
import type { ListDraftsArgs } from "./ListDraftsArgs";
import type { ListNotificationAddressesArgs } from "./ListNotificationAddressesArgs";
import type { ListOrderDelaysArgs } from "./ListOrderDelaysArgs";
import type { ListOutboxArgs } from "./ListOutboxArgs";
import type { ListRemoteSessionsArgs } from "./ListRemoteSessionsArgs";
import type { ListUsersArgs } from "./ListUsersArgs";
import type { LoginArgs } from "./LoginArgs";
import type { LogoutArgs } from "./LogoutArgs";
import type { Me } from "./Me";
import type { NotificationAddress } from "./NotificationAddress";
import type { NotificationAddressList } from "./NotificationAddressList";
import type { NotifySettings } from "./NotifySettings";
import type { NotifySettingsArgs } from "./NotifySettingsArgs";
import type { NotifyTarget } from "./NotifyTarget";
import type { OpenAttachmentArgs } from "./OpenAttachmentArgs";
import type { OpenToolDownloadArgs } from "./OpenToolDownloadArgs";
import type { OrderDelayView } from "./OrderDelayView";
import type { OutboxItem } from "./OutboxItem";
import type { PauseNotificationsArgs } from "./PauseNotificationsArgs";
import type { PendingAttachmentThumbnailArgs } from "./PendingAttachmentThumbnailArgs";
import type { PickFilesArgs } from "./PickFilesArgs";
import type { PickedFile } from "./PickedFile";
import type { ReadyNow } from "./ReadyNow";
import type { ReadyNowArgs } from "./ReadyNowArgs";
import type { RefreshStatus } from "./RefreshStatus";
import type { RefreshTicketsArgs } from "./RefreshTicketsArgs";
import type { RejectAccountRequestArgs } from "./RejectAccountRequestArgs";
import type { RememberedEmailArgs } from "./RememberedEmailArgs";
import type { RemoteSessionRequestsArgs } from "./RemoteSessionRequestsArgs";
import type { RemoteSessionView } from "./RemoteSessionView";
import type { RemoteTools } from "./RemoteTools";
import type { RemoveNotificationAddressArgs } from "./RemoveNotificationAddressArgs";
import type { RemoveUserArgs } from "./RemoveUserArgs";
import type { RenderDiagnosticsArgs } from "./RenderDiagnosticsArgs";
import type { RenderedDiagnostics } from "./RenderedDiagnostics";
import type { ReopenTicketArgs } from "./ReopenTicketArgs";
import type { ReplyToTicketArgs } from "./ReplyToTicketArgs";
import type { RequestAccountArgs } from "./RequestAccountArgs";
import type { RequestPasswordResetArgs } from "./RequestPasswordResetArgs";
import type { RetryOutboxItemArgs } from "./RetryOutboxItemArgs";
import type { SaveAttachmentArgs } from "./SaveAttachmentArgs";
import type { SaveCaptureArgs } from "./SaveCaptureArgs";
import type { SaveDraftArgs } from "./SaveDraftArgs";
import type { ScrubOffer } from "./ScrubOffer";
import type { ScrubOfferArgs } from "./ScrubOfferArgs";
import type { SearchHit } from "./SearchHit";
import type { SearchTicketsArgs } from "./SearchTicketsArgs";
import type { SessionArgs } from "./SessionArgs";
import type { SetAvailabilityArgs } from "./SetAvailabilityArgs";
import type { SetDesktopSettingsArgs } from "./SetDesktopSettingsArgs";
import type { SetLanguageArgs } from "./SetLanguageArgs";
import type { SetNotificationMailArgs } from "./SetNotificationMailArgs";
import type { SetNotifySettingsArgs } from "./SetNotifySettingsArgs";
import type { SetPendingTicketAvailabilityArgs } from "./SetPendingTicketAvailabilityArgs";
import type { SetReadyNowArgs } from "./SetReadyNowArgs";
import type { SimilarTicketsArgs } from "./SimilarTicketsArgs";
import type { TakeCaptureArgs } from "./TakeCaptureArgs";
import type { TakeOpenRequestArgs } from "./TakeOpenRequestArgs";
import type { TicketListPage } from "./TicketListPage";
import type { TicketPageArgs } from "./TicketPageArgs";
import type { TicketView } from "./TicketView";
import type { TicketViewArgs } from "./TicketViewArgs";
import type { UpdateUserArgs } from "./UpdateUserArgs";
import type { UserAccount } from "./UserAccount";
import type { UserList } from "./UserList";
import type { WriteOutcome } from "./WriteOutcome";

/** Every command the app shell answers: its arguments and its result. */
export type Commands = {
  app_info: { args: AppInfoArgs; result: AppInfo };
  set_language: { args: SetLanguageArgs; result: null };
  session: { args: SessionArgs; result: Me | null };
  login: { args: LoginArgs; result: Me };
  logout: { args: LogoutArgs; result: null };
  capabilities: { args: CapabilitiesArgs; result: Capabilities };
  ticket_page: { args: TicketPageArgs; result: TicketListPage };
  refresh_tickets: { args: RefreshTicketsArgs; result: RefreshStatus };
  create_ticket: { args: CreateTicketArgs; result: FileOutcome };
  list_outbox: { args: ListOutboxArgs; result: Array<OutboxItem> };
  retry_outbox_item: { args: RetryOutboxItemArgs; result: DrainReport };
  discard_outbox_item: { args: DiscardOutboxItemArgs; result: null };
  ticket_view: { args: TicketViewArgs; result: TicketView };
  reply_to_ticket: { args: ReplyToTicketArgs; result: WriteOutcome };
  reopen_ticket: { args: ReopenTicketArgs; result: WriteOutcome };
  search_tickets: { args: SearchTicketsArgs; result: Array<SearchHit> };
  save_draft: { args: SaveDraftArgs; result: Draft };
  list_drafts: { args: ListDraftsArgs; result: Array<Draft> };
  discard_draft: { args: DiscardDraftArgs; result: null };
  similar_tickets: { args: SimilarTicketsArgs; result: Array<SearchHit> };
  attach_files: { args: AttachFilesArgs; result: AttachOutcome };
  attachment_thumbnail: { args: AttachmentThumbnailArgs; result: string };
  pending_attachment_thumbnail: { args: PendingAttachmentThumbnailArgs; result: string };
  open_attachment: { args: OpenAttachmentArgs; result: null };
  save_attachment: { args: SaveAttachmentArgs; result: string | null };
  list_announcements: { args: ListAnnouncementsArgs; result: Array<Announcement> };
  list_remote_sessions: { args: ListRemoteSessionsArgs; result: Array<RemoteSessionView> };
  remote_session_requests: { args: RemoteSessionRequestsArgs; result: Array<RemoteSessionView> };
  decline_remote_session: { args: DeclineRemoteSessionArgs; result: RemoteSessionView };
  detect_remote_tools: { args: DetectRemoteToolsArgs; result: RemoteTools };
  consent_remote_session: { args: ConsentRemoteSessionArgs; result: RemoteSessionView };
  end_remote_session: { args: EndRemoteSessionArgs; result: RemoteSessionView };
  open_tool_download: { args: OpenToolDownloadArgs; result: null };
  ready_now: { args: ReadyNowArgs; result: ReadyNow };
  set_ready_now: { args: SetReadyNowArgs; result: ReadyNow };
  list_order_delays: { args: ListOrderDelaysArgs; result: Array<OrderDelayView> };
  answer_order_delay: { args: AnswerOrderDelayArgs; result: OrderDelayView };
  set_availability: { args: SetAvailabilityArgs; result: FileOutcome };
  set_pending_ticket_availability: { args: SetPendingTicketAvailabilityArgs; result: FileOutcome };
  expedite_quote: { args: ExpediteQuoteArgs; result: ExpediteQuote };
  expedite: { args: ExpediteArgs; result: OutboxItem | null };
  pick_files: { args: PickFilesArgs; result: Array<PickedFile> };
  notify_settings: { args: NotifySettingsArgs; result: NotifySettings };
  set_notify_settings: { args: SetNotifySettingsArgs; result: NotifySettings };
  pause_notifications: { args: PauseNotificationsArgs; result: NotifySettings };
  take_open_request: { args: TakeOpenRequestArgs; result: NotifyTarget | null };
  desktop_settings: { args: DesktopSettingsArgs; result: DesktopStatus };
  set_desktop_settings: { args: SetDesktopSettingsArgs; result: DesktopStatus };
  change_password: { args: ChangePasswordArgs; result: null };
  list_users: { args: ListUsersArgs; result: UserList };
  add_user: { args: AddUserArgs; result: UserAccount };
  update_user: { args: UpdateUserArgs; result: UserAccount };
  remove_user: { args: RemoveUserArgs; result: null };
  list_notification_addresses: { args: ListNotificationAddressesArgs; result: NotificationAddressList };
  add_notification_address: { args: AddNotificationAddressArgs; result: NotificationAddress };
  set_notification_mail: { args: SetNotificationMailArgs; result: NotificationAddress };
  remove_notification_address: { args: RemoveNotificationAddressArgs; result: null };
  remembered_email: { args: RememberedEmailArgs; result: string | null };
  request_password_reset: { args: RequestPasswordResetArgs; result: null };
  confirm_password_reset: { args: ConfirmPasswordResetArgs; result: string };
  request_account: { args: RequestAccountArgs; result: null };
  account_requests: { args: AccountRequestsArgs; result: Array<AccountRequest> };
  approve_account_request: { args: ApproveAccountRequestArgs; result: UserAccount };
  reject_account_request: { args: RejectAccountRequestArgs; result: null };
  invoices: { args: InvoicesArgs; result: InvoiceList };
  call_records: { args: CallRecordsArgs; result: CallRecordList };
  expedite_charges: { args: ExpediteChargesArgs; result: ExpediteChargeList };
  attachment_limits: { args: AttachmentLimitsArgs; result: AttachmentLimits };
  collect_diagnostics: { args: CollectDiagnosticsArgs; result: DiagnosticsReport };
  render_diagnostics: { args: RenderDiagnosticsArgs; result: RenderedDiagnostics };
  scrub_offer: { args: ScrubOfferArgs; result: ScrubOffer | null };
  capture_sources: { args: CaptureSourcesArgs; result: CaptureSources };
  capture_screen: { args: CaptureScreenArgs; result: Capture };
  capture_from_bytes: { args: CaptureFromBytesArgs; result: Capture };
  take_capture: { args: TakeCaptureArgs; result: Capture | null };
  save_capture: { args: SaveCaptureArgs; result: PickedFile };
  discard_capture: { args: DiscardCaptureArgs; result: null };
};

export type CommandName = keyof Commands;

/** Every command's name, in declaration order. */
export const COMMAND_NAMES = [
  "app_info",
  "set_language",
  "session",
  "login",
  "logout",
  "capabilities",
  "ticket_page",
  "refresh_tickets",
  "create_ticket",
  "list_outbox",
  "retry_outbox_item",
  "discard_outbox_item",
  "ticket_view",
  "reply_to_ticket",
  "reopen_ticket",
  "search_tickets",
  "save_draft",
  "list_drafts",
  "discard_draft",
  "similar_tickets",
  "attach_files",
  "attachment_thumbnail",
  "pending_attachment_thumbnail",
  "open_attachment",
  "save_attachment",
  "list_announcements",
  "list_remote_sessions",
  "remote_session_requests",
  "decline_remote_session",
  "detect_remote_tools",
  "consent_remote_session",
  "end_remote_session",
  "open_tool_download",
  "ready_now",
  "set_ready_now",
  "list_order_delays",
  "answer_order_delay",
  "set_availability",
  "set_pending_ticket_availability",
  "expedite_quote",
  "expedite",
  "pick_files",
  "notify_settings",
  "set_notify_settings",
  "pause_notifications",
  "take_open_request",
  "desktop_settings",
  "set_desktop_settings",
  "change_password",
  "list_users",
  "add_user",
  "update_user",
  "remove_user",
  "list_notification_addresses",
  "add_notification_address",
  "set_notification_mail",
  "remove_notification_address",
  "remembered_email",
  "request_password_reset",
  "confirm_password_reset",
  "request_account",
  "account_requests",
  "approve_account_request",
  "reject_account_request",
  "invoices",
  "call_records",
  "expedite_charges",
  "attachment_limits",
  "collect_diagnostics",
  "render_diagnostics",
  "scrub_offer",
  "capture_sources",
  "capture_screen",
  "capture_from_bytes",
  "take_capture",
  "save_capture",
  "discard_capture",
] as const satisfies readonly CommandName[];
