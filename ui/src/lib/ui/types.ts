/** The outbox item being retried or discarded, if any (one at a time). */
export type OutboxBusy = { id: number; action: 'retry' | 'discard' } | null;

/** What a refused outbox item's row offers: "Try again" and the two-step discard. */
export interface OutboxRowActions {
  busy: OutboxBusy;
  /** Whether this item's discard waits for the confirming click. */
  confirming: boolean;
  onRetry: () => void;
  onAskDiscard: () => void;
  onKeep: () => void;
  onDiscard: () => void;
}
