import type { Ticket } from '../../lib/platform';

function time(value: string): number {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? 0 : ms;
}

/** Newest activity first; ties by the higher (newer) id. */
export function newestFirst(tickets: readonly Ticket[]): Ticket[] {
  return [...tickets].sort((a, b) => time(b.updated_at) - time(a.updated_at) || b.id - a.id);
}
