import { describe, expect, it } from 'vitest';
import { applyFilter, formatSpan, moveSelection, organisations, timeLeft } from './queue';
import type { QueuedTicket } from './types';
import { NO_DETAILS } from '../test/fixtures';

function queued(id: number, department: 'technical' | 'billing', organisation: [number, string]): QueuedTicket {
  return {
    position: id,
    first_response_due_at: '2026-12-04T10:00:00Z',
    organisation_name: organisation[1],
    expedited: false,
    claimed_by_name: null,
    claimed_at: null,
    reachable_now: false,
    next_reachable_at: null,
    ready_until: null,
    ticket: {
      id,
      organisation_id: organisation[0],
      requester_id: 1,
      requester_name: 'Ida',
      department,
      priority: 'regular',
      status: 'open',
      subject: `#${id}`,
      body: '',
      details: NO_DETAILS,
      created_at: '2026-12-04T09:00:00Z',
      updated_at: '2026-12-04T09:00:00Z',
      expedited: false,
      expedited_at: null,
      availability: null,
    },
  };
}

const acme: [number, string] = [1, 'Acme'];
const globex: [number, string] = [2, 'Globex'];
const queue = [queued(1, 'technical', globex), queued(2, 'billing', acme), queued(3, 'technical', acme)];

describe('the queue screen', () => {
  it('filters by department and organisation, keeping the order', () => {
    expect(applyFilter(queue, { department: '', organisation: '' }).map((q) => q.ticket.id)).toEqual([1, 2, 3]);
    expect(applyFilter(queue, { department: 'technical', organisation: '' }).map((q) => q.ticket.id)).toEqual([1, 3]);
    expect(applyFilter(queue, { department: 'technical', organisation: 1 }).map((q) => q.ticket.id)).toEqual([3]);
    expect(applyFilter(queue, { department: 'billing', organisation: 2 })).toEqual([]);
  });

  it('lists each organisation once, by name', () => {
    expect(organisations(queue)).toEqual([
      { id: 1, name: 'Acme' },
      { id: 2, name: 'Globex' },
    ]);
  });

  it('counts the time to the deadline, and past it', () => {
    const due = '2026-12-04T10:00:00Z';
    expect(timeLeft(due, Date.parse('2026-12-04T08:54:30Z'))).toEqual({ missed: false, minutes: 65 });
    expect(timeLeft(due, Date.parse('2026-12-04T10:03:00Z'))).toEqual({ missed: true, minutes: 3 });
    expect(formatSpan(65)).toBe('1 h 05 min');
    expect(formatSpan(45)).toBe('45 min');
    expect(formatSpan(3 * 1440 + 250)).toBe('3 d 4 h');
  });

  it('moves the selection with j, k, arrows, Home and End, within the list', () => {
    expect(moveSelection('j', 0, 3)).toBe(1);
    expect(moveSelection('ArrowDown', 2, 3)).toBe(2);
    expect(moveSelection('k', 0, 3)).toBe(0);
    expect(moveSelection('End', 0, 3)).toBe(2);
    expect(moveSelection('Home', 2, 3)).toBe(0);
    expect(moveSelection('x', 1, 3)).toBeNull();
    expect(moveSelection('j', 0, 0)).toBeNull();
  });
});
