import type { Capabilities } from '../platform';

/** Everything deskmate-server's back-end offers (a second back-end may offer less). */
export const ALL_CAPABILITIES: Capabilities = {
  expedite: true,
  availability: true,
  remote_sessions: true,
  order_delays: true,
  live_events: true,
  queue_facts: true,
};
