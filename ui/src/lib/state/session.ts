// Who is signed in, and what their provider's helpdesk offers.
import { writable } from 'svelte/store';
import * as platform from '../platform';
import type { Capabilities, Me } from '../platform';
import { ALL_CAPABILITIES } from './offers';

export { ALL_CAPABILITIES };

/** The signed-in user (null: signed out). */
export const session = writable<Me | null>(null);

/** What the signed-in back-end offers (see platform.capabilities); everything until it says. */
export const capabilities = writable<Capabilities>(ALL_CAPABILITIES);

/** Whether the shell has said (or could not say) what the back-end offers. */
export const capabilitiesKnown = writable(false);

/** Asks the shell what the back-end offers; keeps the last answer if it cannot say. */
export async function loadCapabilities(): Promise<void> {
  try {
    capabilities.set(await platform.capabilities());
  } catch {
    // An older shell without the command: deskmate-server's back-end offers everything.
  } finally {
    capabilitiesKnown.set(true);
  }
}

export function resetSession(): void {
  session.set(null);
  capabilities.set(ALL_CAPABILITIES);
  capabilitiesKnown.set(false);
}
