import { get } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../platform';
import type { LiveUpdate } from '../platform';
import { dispatch, followLive, names, noticeChanges, onChange, online, outboxChanges, sessionEnded, ticketChanges } from './live';

vi.mock('../platform', () => import('../../test/platform-mock'));

describe('live updates', () => {
  it('hold one subscription however many follow, until the last lets go', () => {
    const stop = vi.fn();
    vi.mocked(platform.onLive).mockReturnValue(stop);
    const first = followLive();
    const second = followLive();
    expect(platform.onLive).toHaveBeenCalledOnce();
    first();
    first();
    expect(stop).not.toHaveBeenCalled();
    second();
    expect(stop).toHaveBeenCalledOnce();
  });

  it('carry each kind to the store it concerns, and only there', () => {
    const tickets = vi.fn();
    const outbox = vi.fn();
    const notices = vi.fn();
    const ended = vi.fn();
    const stops = [
      onChange(ticketChanges, tickets),
      onChange(outboxChanges, outbox),
      onChange(noticeChanges, notices),
      onChange(sessionEnded, ended),
    ];

    dispatch({ kind: 'tickets', ids: [3, 4] });
    expect(tickets).toHaveBeenCalledExactlyOnceWith({ seq: 1, ids: [3, 4] });
    expect([outbox, notices, ended].every((f) => f.mock.calls.length === 0)).toBe(true);

    dispatch({ kind: 'outbox' });
    dispatch({ kind: 'notices' });
    expect(outbox).toHaveBeenCalledOnce();
    expect(notices).toHaveBeenCalledOnce();
    expect(tickets).toHaveBeenCalledOnce();

    dispatch({ kind: 'online', online: false });
    expect(get(online)).toBe(false);
    dispatch({ kind: 'signed_out' });
    expect(ended).toHaveBeenCalledOnce();

    // A resync: everything shown is read again.
    dispatch({ kind: 'resync' });
    expect(tickets).toHaveBeenLastCalledWith({ seq: 2, ids: null });
    expect(outbox).toHaveBeenCalledTimes(2);
    expect(notices).toHaveBeenCalledTimes(2);

    // A kind this window does not know (the former "changed"): as a resync.
    dispatch({ kind: 'changed' } as unknown as LiveUpdate);
    expect(tickets).toHaveBeenLastCalledWith({ seq: 3, ids: null });
    expect(outbox).toHaveBeenCalledTimes(3);
    expect(notices).toHaveBeenCalledTimes(3);
    stops.forEach((stop) => stop());
  });

  it('say whether a change names a ticket', () => {
    expect(names({ seq: 1, ids: [1, 2] }, 2)).toBe(true);
    expect(names({ seq: 1, ids: [1, 2] }, 3)).toBe(false);
    expect(names({ seq: 1, ids: null }, 3)).toBe(true);
  });
});
