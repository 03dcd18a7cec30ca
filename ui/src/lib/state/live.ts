// The window's one subscription to the shell's live updates (deskmate://live).
// Each update says what changed; the stores below carry that on, so a screen
// re-reads only what it shows of it (the tickets named, the notices, the
// outbox), never everything on every change. The core owns the only retry
// clock: the window never polls.
import { writable, type Readable } from 'svelte/store';
import * as platform from '../platform';
import type { LiveUpdate } from '../platform';

/** Tickets changed in the cache: `ids` those named, null any (a resync). */
export type TicketChange = { seq: number; ids: number[] | null };

/** Whether the helpdesk can be reached, as the shell last said (null: not said yet). */
export const online = writable<boolean | null>(null);
/** The last change of the saved tickets. */
export const ticketChanges = writable<TicketChange>({ seq: 0, ids: [] });
/** Bumped when the outbox changed (an item sent, refused or postponed). */
export const outboxChanges = writable(0);
/** Bumped when the announcements or the requests changed. */
export const noticeChanges = writable(0);
/** Bumped when the saved session is no longer accepted. */
export const sessionEnded = writable(0);

let followers = 0;
let stop: (() => void) | null = null;

/**
 * Follows the live updates while anything shown needs them: the first
 * follower subscribes, the last one to release unsubscribes, so the window
 * holds one subscription however many screens follow.
 */
export function followLive(): () => void {
  followers += 1;
  if (followers === 1) {
    stop = platform.onLive(dispatch);
  }
  let released = false;
  return () => {
    if (released) {
      return;
    }
    released = true;
    followers -= 1;
    if (followers === 0) {
      stop?.();
      stop = null;
    }
  };
}

let ticketSeq = 0;
const bump = (n: number): number => n + 1;

function resync(): void {
  ticketChanges.set({ seq: ++ticketSeq, ids: null });
  noticeChanges.update(bump);
  outboxChanges.update(bump);
}

/** Carries one live update on to the stores it concerns. */
export function dispatch(update: LiveUpdate): void {
  switch (update.kind) {
    case 'tickets':
      ticketChanges.set({ seq: ++ticketSeq, ids: update.ids });
      break;
    case 'notices':
      noticeChanges.update(bump);
      break;
    case 'outbox':
      outboxChanges.update(bump);
      break;
    case 'online':
      online.set(update.online);
      break;
    case 'signed_out':
      sessionEnded.update(bump);
      break;
    case 'resync':
      resync();
      break;
    default:
      // A kind this window does not know (an older or newer shell, e.g. the
      // former "changed"): anything may have changed.
      resync();
  }
}

/** Whether a ticket change concerns the ticket `id`. */
export function names(change: TicketChange, id: number): boolean {
  return change.ids === null || change.ids.includes(id);
}

/** Calls `handler` on each later value of `store` (not the one it holds now). */
export function onChange<T>(store: Readable<T>, handler: (value: T) => void): () => void {
  let first = true;
  return store.subscribe((value) => {
    if (first) {
      first = false;
      return;
    }
    handler(value);
  });
}

/** Back to the start (tests; a new sign-in). */
export function resetLive(): void {
  online.set(null);
  ticketSeq = 0;
  ticketChanges.set({ seq: 0, ids: [] });
  outboxChanges.set(0);
  noticeChanges.set(0);
  sessionEnded.set(0);
}
