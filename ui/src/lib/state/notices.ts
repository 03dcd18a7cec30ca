// The provider's announcements and the requests waiting for the user's answer.
import { derived, writable } from 'svelte/store';
import * as platform from '../platform';
import type { Announcement, AppError, OrderDelayView, RemoteSessionView } from '../platform';
import { latest } from './latest';

export type Notices = {
  announcements: Announcement[];
  remoteSessions: RemoteSessionView[];
  orderDelays: OrderDelayView[];
  /** Whether each part has been read once, and why its last reading failed. */
  announcementsLoaded: boolean;
  announcementsError: AppError | null;
  requestsLoaded: boolean;
  requestsError: AppError | null;
};

const EMPTY: Notices = {
  announcements: [],
  remoteSessions: [],
  orderDelays: [],
  announcementsLoaded: false,
  announcementsError: null,
  requestsLoaded: false,
  requestsError: null,
};

export const notices = writable<Notices>(EMPTY);

/** Whether an announcement applies at `now` (started, not ended). */
export function inEffect(a: Announcement, now: number): boolean {
  const starts = a.starts_at === null ? -Infinity : Date.parse(a.starts_at);
  const ends = a.ends_at === null ? Infinity : Date.parse(a.ends_at);
  return starts <= now && now < ends;
}

/** Whether it has not started yet. */
export function upcoming(a: Announcement, now: number): boolean {
  return a.starts_at !== null && Date.parse(a.starts_at) > now;
}

/**
 * An incident or planned maintenance in effect now for the organisation:
 * a maintenance window that has started and not ended, or an announcement
 * with an end that has not passed yet (an incident being dealt with).
 */
export const activeIncident = derived(notices, ($notices) => {
  const now = Date.now();
  return (
    $notices.announcements.find(
      (a) => inEffect(a, now) && (a.kind === 'maintenance' || a.ends_at !== null),
    ) ?? null
  );
});

/** Requests waiting for the user's answer (or whose answer was refused). */
export const openRequests = derived(notices, ($notices) => {
  const sessions = $notices.remoteSessions.filter(
    (v) => v.remote_session.status === 'requested' || v.answer?.state === 'failed',
  ).length;
  const delays = $notices.orderDelays.filter(
    (v) => v.order_delay.status === 'open' || v.answer?.state === 'failed',
  ).length;
  return sessions + delays;
});

const announcementReads = latest();
const requestReads = latest();

/** What the helpdesk offers of the requests (not offered: not asked for). */
export type RequestOffers = { remoteSessions: boolean; orderDelays: boolean };


/** Reads the announcements again. Never rejects: the error is kept in the store. */
export async function reloadAnnouncements(): Promise<void> {
  const current = announcementReads.begin();
  try {
    const announcements = await platform.listAnnouncements();
    if (current()) {
      notices.update((n) => ({ ...n, announcements, announcementsLoaded: true, announcementsError: null }));
    }
  } catch (reason) {
    if (current()) {
      const error = platform.toAppError(reason);
      notices.update((n) => ({ ...n, announcementsLoaded: true, announcementsError: error }));
    }
  }
}

/**
 * Reads the requests again (their answers wait in the outbox, so they move
 * with it too). Never rejects: the error is kept in the store.
 */
export async function reloadRequests(offers: RequestOffers): Promise<void> {
  const current = requestReads.begin();
  try {
    const [remoteSessions, orderDelays] = await Promise.all([
      offers.remoteSessions ? platform.remoteSessionRequests() : Promise.resolve([]),
      offers.orderDelays ? platform.listOrderDelays() : Promise.resolve([]),
    ]);
    if (current()) {
      notices.update((n) => ({ ...n, remoteSessions, orderDelays, requestsLoaded: true, requestsError: null }));
    }
  } catch (reason) {
    if (current()) {
      const error = platform.toAppError(reason);
      notices.update((n) => ({ ...n, requestsLoaded: true, requestsError: error }));
    }
  }
}

/** Both: the notices changed. */
export async function reloadNotices(offers: RequestOffers): Promise<void> {
  await Promise.all([reloadAnnouncements(), reloadRequests(offers)]);
}

/** Shows the helpdesk's (or the outbox's) answer to one remote-session request at once. */
export function putRemoteSession(view: RemoteSessionView): void {
  notices.update((n) => ({
    ...n,
    remoteSessions: n.remoteSessions.map((v) => (v.remote_session.id === view.remote_session.id ? view : v)),
  }));
}

/** Shows the state of one order-delay request after the user answered it. */
export function putOrderDelay(view: OrderDelayView): void {
  notices.update((n) => ({
    ...n,
    orderDelays: n.orderDelays.map((v) => (v.order_delay.id === view.order_delay.id ? view : v)),
  }));
}

export function resetNotices(): void {
  announcementReads.cancel();
  requestReads.cancel();
  notices.set(EMPTY);
}
