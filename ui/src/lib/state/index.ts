// Shared state of the window: one live subscription (live.ts) feeding the
// stores of the session, the outbox, the tickets and the notices.
import { resetLive } from './live';
import { resetNotices } from './notices';
import { resetOutbox } from './outbox';
import { resetSession } from './session';
import { resetTickets } from './tickets';

/** Everything back to the start: signed out (and between component tests). */
export function resetState(): void {
  resetLive();
  resetNotices();
  resetOutbox();
  resetSession();
  resetTickets();
}
