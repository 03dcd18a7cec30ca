// Stand-in for src/lib/platform in component tests, with the same interface:
//   vi.mock('../../lib/platform', () => import('../../test/platform-mock'));
// Each command is a vi.fn() the test programs; the error helpers are the real ones.
import { vi } from 'vitest';
import type * as Platform from '../lib/platform';
import { AppError, NOT_IN_APP_MESSAGE, toAppError } from '../lib/platform/errors';
import { ALL_CAPABILITIES } from '../lib/state/offers';
import * as accountMocks from './platform-mock-account';
import * as accounts from './platform-mock-accounts';

export { AppError, NOT_IN_APP_MESSAGE, toAppError };
export * from './platform-mock-account';
export * from './platform-mock-accounts';

export const appInfo = vi.fn<typeof Platform.appInfo>();
export const session = vi.fn<typeof Platform.session>();
export const login = vi.fn<typeof Platform.login>();
export const logout = vi.fn<typeof Platform.logout>();
// An empty cache unless a test programs one (see fixtures.pages).
export const ticketPage = vi.fn<typeof Platform.ticketPage>(() =>
  Promise.resolve({ tickets: [], next: null, matching: 0, cached: 0, unread: 0, by_status: [] }),
);
export const refreshTickets = vi.fn<typeof Platform.refreshTickets>();
export const createTicket = vi.fn<typeof Platform.createTicket>();
export const listOutbox = vi.fn<typeof Platform.listOutbox>();
export const retryOutboxItem = vi.fn<typeof Platform.retryOutboxItem>();
export const discardOutboxItem = vi.fn<typeof Platform.discardOutboxItem>();
export const ticketView = vi.fn<typeof Platform.ticketView>();
export const replyToTicket = vi.fn<typeof Platform.replyToTicket>();
export const reopenTicket = vi.fn<typeof Platform.reopenTicket>();
export const searchTickets = vi.fn<typeof Platform.searchTickets>();
// Drafts and suggestions work quietly unless a test programs them: saving echoes
// the draft back (a new one gets id "draft-1"), there are none, nothing is similar.
export const saveDraft = vi.fn<typeof Platform.saveDraft>((draft) =>
  Promise.resolve({
    id: draft.id ?? 'draft-1',
    kind: draft.kind,
    ticket_id: draft.ticket_id,
    ticket: draft.ticket,
    text: draft.text,
    summary: draft.ticket?.subject ?? draft.text ?? '',
    updated_at: '2025-01-01T10:00:00Z',
  }),
);
export const listDrafts = vi.fn<typeof Platform.listDrafts>(() => Promise.resolve([]));
export const discardDraft = vi.fn<typeof Platform.discardDraft>(() => Promise.resolve());
export const similarTickets = vi.fn<typeof Platform.similarTickets>(() => Promise.resolve([]));
export const attachFiles = vi.fn<typeof Platform.attachFiles>();
export const attachmentThumbnail = vi.fn<typeof Platform.attachmentThumbnail>();
export const pendingAttachmentThumbnail = vi.fn<typeof Platform.pendingAttachmentThumbnail>();
export const openAttachment = vi.fn<typeof Platform.openAttachment>();
export const saveAttachment = vi.fn<typeof Platform.saveAttachment>();
export const pickFiles = vi.fn<typeof Platform.pickFiles>();
export const onLive = vi.fn<typeof Platform.onLive>(() => () => {});
// The language choice kept unless a test programs otherwise.
export const setLanguage = vi.fn<typeof Platform.setLanguage>(() => Promise.resolve());
// No notices unless a test programs them.
export const listAnnouncements = vi.fn<typeof Platform.listAnnouncements>(() => Promise.resolve([]));
export const listRemoteSessions = vi.fn<typeof Platform.listRemoteSessions>(() => Promise.resolve([]));
export const remoteSessionRequests = vi.fn<typeof Platform.remoteSessionRequests>(() =>
  Promise.resolve([]),
);
export const declineRemoteSession = vi.fn<typeof Platform.declineRemoteSession>();
// No remote-assistance tool installed unless a test programs one.
export const detectRemoteTools = vi.fn<typeof Platform.detectRemoteTools>(() =>
  Promise.resolve({ found: [], downloads: [] }),
);
export const consentRemoteSession = vi.fn<typeof Platform.consentRemoteSession>();
export const endRemoteSession = vi.fn<typeof Platform.endRemoteSession>();
export const openToolDownload = vi.fn<typeof Platform.openToolDownload>(() => Promise.resolve());
export const onConsentProgress = vi.fn<typeof Platform.onConsentProgress>(() => () => {});
export const readyNow = vi.fn<typeof Platform.readyNow>(() => Promise.resolve({ ready_until: null }));
export const setReadyNow = vi.fn<typeof Platform.setReadyNow>();
export const listOrderDelays = vi.fn<typeof Platform.listOrderDelays>(() => Promise.resolve([]));
export const answerOrderDelay = vi.fn<typeof Platform.answerOrderDelay>();
export const setAvailability = vi.fn<typeof Platform.setAvailability>();
export const setPendingTicketAvailability = vi.fn<typeof Platform.setPendingTicketAvailability>();
export const expediteQuote = vi.fn<typeof Platform.expediteQuote>();
export const expedite = vi.fn<typeof Platform.expedite>();
// deskmate-server's back-end offers everything unless a test says otherwise.
export const capabilities = vi.fn<typeof Platform.capabilities>(() => Promise.resolve({ ...ALL_CAPABILITIES }));
// Notifications on, nothing paused, no launch link, unless a test programs otherwise.
const NOTIFY_DEFAULTS = { muted: [], quietHours: null, timeZone: null, pausedUntil: null };
export const notifySettings = vi.fn<typeof Platform.notifySettings>(() =>
  Promise.resolve({ ...NOTIFY_DEFAULTS }),
);
export const setNotifySettings = vi.fn<typeof Platform.setNotifySettings>((s) => Promise.resolve(s));
export const pauseNotifications = vi.fn<typeof Platform.pauseNotifications>(() =>
  Promise.resolve({ ...NOTIFY_DEFAULTS }),
);
// Close-to-tray on with a tray, not started at login, unless a test programs otherwise.
export const desktopSettings = vi.fn<typeof Platform.desktopSettings>(() =>
  Promise.resolve({
    settings: { closeToTray: true, startAtLogin: false, screenshotShortcut: 'Ctrl+Alt+S' },
    trayShown: true,
    shortcutActive: true,
  }),
);
export const setDesktopSettings = vi.fn<typeof Platform.setDesktopSettings>((settings) =>
  Promise.resolve({ settings, trayShown: true, shortcutActive: true }),
);
export const takeOpenRequest = vi.fn<typeof Platform.takeOpenRequest>(() => Promise.resolve(null));
export const onOpen = vi.fn<typeof Platform.onOpen>(() => () => {});
// deskmate-server's default attachment limits, nothing to scrub, unless a test programs otherwise.
export const attachmentLimits = vi.fn<typeof Platform.attachmentLimits>(() =>
  Promise.resolve({
    max_file_bytes: 10 * 1024 * 1024,
    max_ticket_bytes: 50 * 1024 * 1024,
    max_ticket_files: 50,
    kinds: ['png', 'jpeg', 'gif', 'webp', 'pdf', 'text', 'zip'],
    image_max_side: 16_384,
    image_max_pixels: 40_000_000,
  }),
);
export const collectDiagnostics = vi.fn<typeof Platform.collectDiagnostics>();
export const renderDiagnostics = vi.fn<typeof Platform.renderDiagnostics>();
export const scrubOffer = vi.fn<typeof Platform.scrubOffer>(() => Promise.resolve(null));
// Screenshots: one monitor and no windows, nothing waiting from the shortcut.
export const captureSources = vi.fn<typeof Platform.captureSources>(() =>
  Promise.resolve({ monitors: [], windows: [] }),
);
export const captureScreen = vi.fn<typeof Platform.captureScreen>();
export const captureFromBytes = vi.fn<typeof Platform.captureFromBytes>();
export const takeCapture = vi.fn<typeof Platform.takeCapture>(() => Promise.resolve(null));
export const saveCapture = vi.fn<typeof Platform.saveCapture>();
export const discardCapture = vi.fn<typeof Platform.discardCapture>(() => Promise.resolve());
export const onCapture = vi.fn<typeof Platform.onCapture>(() => () => {});
export const onFilesDropped = vi.fn<typeof Platform.onFilesDropped>(() => () => {});

// Fails to type-check when the real module gains an export this mock lacks.
const sameInterface: Record<keyof typeof Platform, unknown> = {
  ...accounts,
  AppError,
  NOT_IN_APP_MESSAGE,
  toAppError,
  appInfo,
  session,
  login,
  logout,
  ticketPage,
  refreshTickets,
  createTicket,
  listOutbox,
  retryOutboxItem,
  discardOutboxItem,
  ticketView,
  replyToTicket,
  reopenTicket,
  searchTickets,
  saveDraft,
  listDrafts,
  discardDraft,
  similarTickets,
  attachFiles,
  attachmentThumbnail,
  pendingAttachmentThumbnail,
  openAttachment,
  saveAttachment,
  pickFiles,
  onLive,
  setLanguage,
  listAnnouncements,
  listRemoteSessions,
  remoteSessionRequests,
  declineRemoteSession,
  detectRemoteTools,
  consentRemoteSession,
  endRemoteSession,
  openToolDownload,
  onConsentProgress,
  readyNow,
  setReadyNow,
  listOrderDelays,
  answerOrderDelay,
  setAvailability,
  setPendingTicketAvailability,
  expediteQuote,
  expedite,
  capabilities,
  notifySettings,
  setNotifySettings,
  pauseNotifications,
  desktopSettings,
  setDesktopSettings,
  takeOpenRequest,
  onOpen,
  captureSources,
  captureScreen,
  captureFromBytes,
  takeCapture,
  saveCapture,
  discardCapture,
  onCapture,
  onFilesDropped,
  ...accountMocks,
  attachmentLimits,
  collectDiagnostics,
  renderDiagnostics,
  scrubOffer,
};
void sameInterface;
