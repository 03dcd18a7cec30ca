// Shared state of the window: one live subscription (live.ts) feeding the
// stores of the session, the outbox, the tickets and the notices.
import { get } from 'svelte/store';
import type { Me } from '../platform';
import { resetRoute } from '../router';
import { followLive, noticeChanges, onChange, outboxChanges, resetLive, sessionEnded } from './live';
import { reloadNotices, reloadRequests, resetNotices, type RequestOffers } from './notices';
import { followOpen, newTicketToOpen, ticketToOpen } from './open';
import { resetOutbox } from './outbox';
import { capabilities, loadCapabilities, resetSession, session } from './session';
import { resetTickets } from './tickets';
import { attachmentLimits, DEFAULT_LIMITS } from './attachmentLimits';

function offers(): RequestOffers {
  const c = get(capabilities);
  return { remoteSessions: c.remote_sessions, orderDelays: c.order_delays };
}

/** Reads again the requests of the kinds the helpdesk offers. */
export function reloadOfferedRequests(): Promise<void> {
  return reloadRequests(offers());
}

/**
 * While `me` is signed in: what the back-end offers, the notices, and the
 * window-wide part of the live updates (the notices, the requests moving
 * with the outbox, the session ending). Returns the function that stops.
 */
export function followSession(me: Me, onSessionEnded: () => void): () => void {
  session.set(me);
  void loadCapabilities().then(() => reloadNotices(offers()));
  const stops = [
    followLive(),
    followOpen(),
    onChange(noticeChanges, () => void reloadNotices(offers())),
    onChange(outboxChanges, () => void reloadOfferedRequests()),
    onChange(sessionEnded, onSessionEnded),
  ];
  return () => stops.forEach((stop) => stop());
}

/** Everything back to the start: signed out (and between component tests). */
export function resetState(): void {
  resetLive();
  resetNotices();
  resetOutbox();
  resetSession();
  resetTickets();
  attachmentLimits.set(DEFAULT_LIMITS);
  resetRoute();
  ticketToOpen.set(null);
  newTicketToOpen.set(false);
}
