// What the ticket list last read that other parts of the window show.
import { writable } from 'svelte/store';

/** Saved tickets with news the user has not read (the list's last page says). */
export const unread = writable(0);

export function resetTickets(): void {
  unread.set(0);
}
