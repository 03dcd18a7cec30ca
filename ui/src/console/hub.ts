// Who on the page wants to hear of live changes: the queue and the open
// ticket each listen while they are shown.
import type { Change } from './live';

const listeners = new Set<(change: Change) => void>();

export function listen(listener: (change: Change) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function tell(change: Change): void {
  for (const listener of listeners) listener(change);
}

/** Whether `change` may concern ticket `id` (a resync concerns everything). */
export function concerns(change: Change, id: number): boolean {
  return change.kind === 'resync' || ('ticket_id' in change && change.ticket_id === id);
}
