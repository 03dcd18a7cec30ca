// What the queue screen computes from the helpdesk's queue: the filters'
// choices, the rows they keep, and each row's time to its first-response
// deadline. The order is the server's (expedited, deadline, oldest).
import type { Department, QueuedTicket } from './types';

export interface QueueFilter {
  department: Department | '';
  organisation: number | '';
}

export function applyFilter(queue: QueuedTicket[], filter: QueueFilter): QueuedTicket[] {
  return queue.filter(
    (q) =>
      (filter.department === '' || q.ticket.department === filter.department) &&
      (filter.organisation === '' || q.ticket.organisation_id === filter.organisation),
  );
}

/** The organisations in the queue, by name. */
export function organisations(queue: QueuedTicket[]): { id: number; name: string }[] {
  const byId = new Map<number, string>();
  for (const q of queue) byId.set(q.ticket.organisation_id, q.organisation_name);
  return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

export interface TimeLeft {
  missed: boolean;
  /** Whole minutes to the deadline, or since it passed. */
  minutes: number;
}

export function timeLeft(dueAt: string, now: number): TimeLeft {
  const due = Date.parse(dueAt);
  const diff = Number.isNaN(due) ? 0 : due - now;
  return { missed: diff < 0, minutes: Math.floor(Math.abs(diff) / 60_000) };
}

/** "2 h 05 min", "45 min", "3 d 4 h": short, as a queue column needs. */
export function formatSpan(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${String(rest).padStart(2, '0')} min`;
  return `${rest} min`;
}

/** The index a key moves the selection to, or null for any other key. */
export function moveSelection(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return Math.min(index + 1, count - 1);
    case 'k':
    case 'ArrowUp':
      return Math.max(index - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
