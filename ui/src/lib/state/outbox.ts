// The signed-in account's unsent items, as the list and the sidebar show them.
import { writable } from 'svelte/store';
import * as platform from '../platform';
import type { OutboxItem } from '../platform';
import { latest } from './latest';

export const outbox = writable<OutboxItem[]>([]);

const reads = latest();

/** Reads the outbox again (rejects with the shell's error; the store keeps what it had). */
export async function reloadOutbox(): Promise<OutboxItem[] | null> {
  const current = reads.begin();
  const items = await platform.listOutbox();
  if (!current()) {
    return null;
  }
  outbox.set(items);
  return items;
}

export function resetOutbox(): void {
  reads.cancel();
  outbox.set([]);
}
