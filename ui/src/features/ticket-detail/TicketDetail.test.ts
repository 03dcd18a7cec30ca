import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import type { Ticket } from '../../lib/platform';
import { ME, message, NO_DETAILS, ticket, view, writeItem } from '../../test/fixtures';
import TicketDetail from './TicketDetail.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const T = ticket(5, 'Mail server down', '2025-05-01T09:00:00Z');
const CLOSED: Ticket = { ...T, status: 'closed' };
const CONVERSATION = [
  message(1, 5, 'agent', 'We are looking into it.\nPlease wait.', '2025-05-01T10:00:00Z'),
  message(2, 5, 'customer', 'Thanks! <b>not bold</b>', '2025-05-01T11:00:00Z'),
];

function props(overrides: Record<string, unknown> = {}) {
  return {
    ticketId: 5,
    initial: T,
    me: ME,
    onClose: vi.fn(),
    onNewTicket: vi.fn(),
    onSignedOut: vi.fn(),
    onOutboxChanged: vi.fn(),
    ...overrides,
  };
}

function field(id: string): HTMLTextAreaElement {
  return document.getElementById(id) as HTMLTextAreaElement;
}

async function type(id: string, value: string): Promise<void> {
  await fireEvent.input(field(id), { target: { value } });
}

function calls(): [number, boolean][] {
  return vi.mocked(platform.ticketView).mock.calls;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ticket detail', () => {
  it('shows the ticket and its conversation, oldest first, as text', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, CONVERSATION));
    render(TicketDetail, props());

    const root = screen.getByTestId('ticket-detail');
    expect(root.dataset.ticketId).toBe('5');
    expect(screen.getByTestId('detail-subject').textContent).toBe('Mail server down');
    expect(document.activeElement?.tagName).toBe('H1');

    await vi.waitFor(() => expect(screen.getAllByTestId('message')).toHaveLength(2));
    expect(calls()).toEqual([
      [5, false],
      [5, true],
    ]);
    const [first, second] = screen.getAllByTestId('message') as HTMLElement[];
    expect(first?.dataset.authorKind).toBe('agent');
    expect(within(first as HTMLElement).getByTestId('message-author').textContent).toBe(
      'Alice Agent',
    );
    expect(within(first as HTMLElement).getByTestId('message-body').textContent).toBe(
      'We are looking into it.\nPlease wait.',
    );
    expect(second?.dataset.authorKind).toBe('customer');
    expect(second?.querySelector('b')).toBeNull();
    expect(within(second as HTMLElement).getByTestId('message-body').textContent).toBe(
      'Thanks! <b>not bold</b>',
    );
    expect(screen.getByTestId('detail-status').textContent).toBe('Open');
    expect(screen.getByTestId('detail-department').textContent).toBe('Technical support');
    expect(screen.getByTestId('detail-body').textContent).toBe('Body of Mail server down');
    expect(screen.queryByTestId('detail-offline')).toBeNull();
    expect(document.querySelector('form#reply')).not.toBeNull();
  });

  it('lists the details given with the ticket under the description, as text', async () => {
    const withDetails: Ticket = {
      ...T,
      details: {
        ...NO_DETAILS,
        affected_service: 'Managed VPS',
        reference: '203.0.113.10',
        incident_started_at: '2026-01-14T01:10:00Z',
        incident_time_zone: 'Europe/Rome',
        error_message: '<b>421</b> Service not available\n  retry later',
        steps: '1. Open Outlook\n2. Send',
      },
    };
    vi.mocked(platform.ticketView).mockResolvedValue(view(withDetails));
    render(TicketDetail, props({ initial: withDetails }));

    const list = screen.getByTestId('ticket-details');
    expect(list.tagName).toBe('DL');
    const rows = [...list.querySelectorAll('dt')].map((dt) => [
      dt.textContent?.trim(),
      dt.nextElementSibling?.textContent?.trim(),
    ]);
    const started = new Intl.DateTimeFormat('en', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Europe/Rome',
    }).format(new Date('2026-01-14T01:10:00Z'));
    expect(started).toContain('2:10');
    expect(rows).toEqual([
      ['Affected service', 'Managed VPS'],
      ['Order number or server IP', '203.0.113.10'],
      ['Problem started', `${started} (Europe/Rome)`],
      ['Error message', '<b>421</b> Service not available\n  retry later'],
      ['The steps that led to the problem', '1. Open Outlook\n2. Send'],
    ]);
    expect(list.querySelector('b')).toBeNull();
    expect(screen.getByTestId('detail-error-message').querySelector('pre')).not.toBeNull();
    expect(screen.getByTestId('detail-incident').querySelector('time')?.getAttribute('datetime')).toBe(
      '2026-01-14T01:10:00Z',
    );
    expect(screen.queryByTestId('detail-tried')).toBeNull();
    // Under the description.
    const body = screen.getByTestId('detail-body');
    expect(body.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('names the reference after the department', () => {
    const invoice: Ticket = {
      ...T,
      department: 'billing',
      details: { ...NO_DETAILS, reference: 'INV-2026-0042' },
    };
    vi.mocked(platform.ticketView).mockReturnValue(new Promise(() => {}));
    render(TicketDetail, props({ initial: invoice }));
    const list = screen.getByTestId('ticket-details');
    expect(list.querySelector('dt')?.textContent).toBe('Invoice number');
    expect(screen.getByTestId('detail-reference').textContent?.trim()).toBe('INV-2026-0042');
  });

  it('shows no details list when none were given', () => {
    vi.mocked(platform.ticketView).mockReturnValue(new Promise(() => {}));
    render(TicketDetail, props());
    expect(screen.queryByTestId('ticket-details')).toBeNull();
  });

  it('says when the helpdesk could not be reached', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, [], { online: false }));
    render(TicketDetail, props());
    expect((await screen.findByTestId('detail-offline')).getAttribute('role')).toBe('status');
  });

  it('says the ticket is not available when nobody knows it', async () => {
    vi.mocked(platform.ticketView).mockRejectedValue(new AppError('not_found', 'no ticket #5'));
    render(TicketDetail, props({ initial: null }));
    const error = await screen.findByTestId('detail-error');
    expect(error.textContent?.trim()).toBe('This ticket is not available.');
    expect(calls()).toEqual([
      [5, false],
      [5, true],
    ]);
  });

  it('goes back with the back button and with Escape', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(view(T));
    const onClose = vi.fn();
    render(TicketDetail, props({ onClose }));
    await fireEvent.click(document.getElementById('back-to-list') as HTMLElement);
    expect(onClose).toHaveBeenCalledTimes(1);
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it('keeps a reply being written when Escape is pressed in it', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(view(T));
    const onClose = vi.fn();
    render(TicketDetail, props({ onClose }));
    await vi.waitFor(() => expect(field('reply-body')).not.toBeNull());
    await type('reply-body', 'Half a sentence');
    await fireEvent.keyDown(field('reply-body'), { key: 'Escape' });
    expect(onClose).not.toHaveBeenCalled();
  });
});

describe('reply', () => {
  it('asks for some text before sending', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(view(T));
    render(TicketDetail, props());
    await vi.waitFor(() => expect(field('reply-body')).not.toBeNull());
    await type('reply-body', '   ');
    await fireEvent.click(document.getElementById('reply-submit') as HTMLElement);
    expect(screen.getByTestId('reply-problem').textContent?.trim()).toBe('Write your reply.');
    expect(field('reply-body').getAttribute('aria-invalid')).toBe('true');
    expect(document.querySelector('label[for=reply-body]')).not.toBeNull();

    await type('reply-body', 'x'.repeat(20_001));
    await fireEvent.click(document.getElementById('reply-submit') as HTMLElement);
    expect(screen.getByTestId('reply-problem').textContent).toContain('20000');
    expect(platform.replyToTicket).not.toHaveBeenCalled();
  });

  it('sends a reply, clears the box and reloads the conversation', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, CONVERSATION));
    render(TicketDetail, props());
    await vi.waitFor(() => expect(calls()).toHaveLength(2));

    const reply = message(3, 5, 'customer', 'It works again.\nThank you!');
    vi.mocked(platform.replyToTicket).mockResolvedValue({ outcome: 'sent', message: reply });
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, [...CONVERSATION, reply]));
    await type('reply-body', 'It works again.\nThank you!');
    await fireEvent.submit(document.getElementById('reply') as HTMLFormElement);

    expect(platform.replyToTicket).toHaveBeenCalledExactlyOnceWith(5, 'It works again.\nThank you!');
    await vi.waitFor(() => expect(screen.getAllByTestId('message')).toHaveLength(3));
    expect(calls().slice(2)).toEqual([
      [5, false],
      [5, true],
    ]);
    expect(field('reply-body').value).toBe('');
    expect(screen.getByTestId('reply-sent').textContent?.trim()).toBe('Your reply has been sent.');
  });

  it('keeps a reply written offline and shows it as waiting', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, CONVERSATION, { online: false }));
    const onOutboxChanged = vi.fn();
    render(TicketDetail, props({ onOutboxChanged }));
    await vi.waitFor(() => expect(calls()).toHaveLength(2));

    const item = writeItem(21, 5, 'Still down here.', 'pending');
    vi.mocked(platform.replyToTicket).mockResolvedValue({ outcome: 'queued', item });
    // The cache may not list it yet: it shows all the same.
    await type('reply-body', 'Still down here.');
    await fireEvent.click(document.getElementById('reply-submit') as HTMLElement);

    const status = await screen.findByTestId('reply-queued');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent?.trim()).toBe(
      'Saved on this computer. It will be sent when the helpdesk can be reached.',
    );
    const pending = await screen.findByTestId('pending-message');
    expect(pending.dataset.localId).toBe('21');
    expect(pending.textContent).toContain('Still down here.');
    expect(pending.textContent).toContain('Waiting to be sent');
    expect(within(pending).queryByTestId('pending-retry')).toBeNull();
    // After the messages.
    const items = screen.getByTestId('ticket-detail').querySelectorAll('.messages > li');
    expect(items[items.length - 1]).toBe(pending);
    expect(field('reply-body').value).toBe('');
    expect(onOutboxChanged).toHaveBeenCalled();
  });

  it('keeps the text and shows why the helpdesk refused the reply', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, CONVERSATION));
    render(TicketDetail, props());
    await vi.waitFor(() => expect(calls()).toHaveLength(2));

    const item = writeItem(22, 5, 'One more thing', 'failed', {
      code: 'conflict',
      message: 'the ticket is closed',
    });
    vi.mocked(platform.replyToTicket).mockResolvedValue({ outcome: 'queued', item });
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, CONVERSATION, { pending: [item] }));
    await type('reply-body', 'One more thing');
    await fireEvent.click(document.getElementById('reply-submit') as HTMLElement);

    const error = await screen.findByTestId('reply-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain('the ticket is closed');
    expect(field('reply-body').value).toBe('One more thing');
    expect(screen.queryByTestId('reply-queued')).toBeNull();
    const pending = await screen.findByTestId('pending-message');
    expect(within(pending).getByTestId('pending-error').textContent).toContain('the ticket is closed');

    // Sending the corrected text replaces the refused one.
    vi.mocked(platform.discardOutboxItem).mockResolvedValue();
    vi.mocked(platform.replyToTicket).mockResolvedValue({
      outcome: 'sent',
      message: message(4, 5, 'customer', 'One more thing!'),
    });
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, CONVERSATION));
    await type('reply-body', 'One more thing!');
    await fireEvent.click(document.getElementById('reply-submit') as HTMLElement);
    await vi.waitFor(() => expect(platform.replyToTicket).toHaveBeenCalledTimes(2));
    expect(platform.discardOutboxItem).toHaveBeenCalledExactlyOnceWith(22);
    await vi.waitFor(() => expect(screen.queryByTestId('reply-error')).toBeNull());
  });

  it('shows an error when the reply cannot be saved at all', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(view(T));
    render(TicketDetail, props());
    await vi.waitFor(() => expect(calls()).toHaveLength(2));
    vi.mocked(platform.replyToTicket).mockRejectedValue(new AppError('cache', 'disk full'));
    await type('reply-body', 'Hello');
    await fireEvent.click(document.getElementById('reply-submit') as HTMLElement);
    expect((await screen.findByTestId('reply-error')).textContent).toContain('disk full');
    expect(field('reply-body').value).toBe('Hello');
  });
});

describe('unsent replies', () => {
  it('tries a refused reply again', async () => {
    const item = writeItem(23, 5, 'Refused once', 'failed', { code: 'rate_limited', message: 'slow' });
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, [], { pending: [item] }));
    render(TicketDetail, props());
    const pending = await screen.findByTestId('pending-message');
    expect(pending.textContent).toContain('Not accepted by the helpdesk');
    expect(within(pending).getByTestId('pending-error').textContent?.trim()).toBe(
      'Too many attempts. Wait a minute and try again.',
    );

    vi.mocked(platform.retryOutboxItem).mockResolvedValue({ sent: 1, failed: 0, pending: 0, online: true });
    vi.mocked(platform.ticketView).mockResolvedValue(
      view(T, [message(9, 5, 'customer', 'Refused once')]),
    );
    await fireEvent.click(within(pending).getByTestId('pending-retry'));
    expect(platform.retryOutboxItem).toHaveBeenCalledExactlyOnceWith(23, null);
    await vi.waitFor(() => expect(screen.queryByTestId('pending-message')).toBeNull());
    expect(screen.getAllByTestId('message')).toHaveLength(1);
  });

  it('discards a refused reply only after the confirming click', async () => {
    const item = writeItem(24, 5, 'Wrong', 'failed', { code: 'validation', message: 'no' });
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, [], { pending: [item] }));
    vi.mocked(platform.discardOutboxItem).mockResolvedValue();
    render(TicketDetail, props());
    const pending = await screen.findByTestId('pending-message');

    await fireEvent.click(within(pending).getByTestId('pending-discard'));
    expect(platform.discardOutboxItem).not.toHaveBeenCalled();
    expect(within(pending).getByTestId('pending-discard').textContent?.trim()).toBe(
      'Really discard?',
    );
    // Escape backs out of the confirmation, not out of the ticket.
    await fireEvent.keyDown(within(pending).getByTestId('pending-discard'), { key: 'Escape' });
    expect(within(pending).getByTestId('pending-discard').textContent?.trim()).toBe('Discard');
    expect(screen.getByTestId('ticket-detail')).toBeTruthy();

    await fireEvent.click(within(pending).getByTestId('pending-discard'));
    vi.mocked(platform.ticketView).mockResolvedValue(view(T));
    await fireEvent.click(within(pending).getByTestId('pending-discard'));
    expect(platform.discardOutboxItem).toHaveBeenCalledExactlyOnceWith(24);
    await vi.waitFor(() => expect(screen.queryByTestId('pending-message')).toBeNull());
  });
});

describe('availability and expedite writes', () => {
  it("lists them with the conversation's unsent items, refused ones with the server's message", async () => {
    const availability = writeItem(31, 5, 'Mon-Fri 09:00-17:00 (Europe/Rome)', 'pending', null, 'set_availability');
    const expedite = writeItem(
      32,
      5,
      'Expedite ticket #5 for 49.00 EUR',
      'failed',
      { code: 'conflict', message: 'the price of an expedited response is now 59.00 EUR' },
      'expedite',
    );
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, [], { pending: [availability, expedite] }));
    render(TicketDetail, props());
    const [first, second] = await screen.findAllByTestId('pending-message');
    expect(first?.textContent).toContain('When we can reach you');
    expect(within(first as HTMLElement).getByTestId('pending-body').textContent).toBe(
      'Mon-Fri 09:00-17:00 (Europe/Rome)',
    );
    expect(second?.textContent).toContain('Your request to expedite');
    expect(within(second as HTMLElement).getByTestId('pending-error').textContent?.trim()).toBe(
      'the price of an expedited response is now 59.00 EUR',
    );
    expect(screen.getByTestId('availability-pending')).toBeTruthy();
    expect(screen.getByTestId('expedite-refused').textContent).toContain('59.00 EUR');
  });
});

describe('closed ticket', () => {
  it('offers to reopen it within the window', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(
      view(CLOSED, CONVERSATION, { reopen_until: '2999-06-15T12:00:00Z' }),
    );
    render(TicketDetail, props({ initial: CLOSED }));
    await vi.waitFor(() => expect(document.querySelector('form#reopen')).not.toBeNull());
    expect(document.querySelector('form#reply')).toBeNull();
    expect(screen.getByTestId('detail-status').textContent).toBe('Closed');
    expect(screen.getByTestId('reopen-until').textContent).toContain(
      'You can reopen this ticket until',
    );
    expect(screen.getByTestId('reopen-until').textContent).toContain('2999');
    expect(document.getElementById('reopen-submit')?.textContent?.trim()).toBe(
      'Reopen with these details',
    );

    await fireEvent.click(document.getElementById('reopen-submit') as HTMLElement);
    expect(screen.getByTestId('reopen-problem')).toBeTruthy();
    expect(platform.reopenTicket).not.toHaveBeenCalled();

    const reopened = message(3, 5, 'customer', 'It is down again.');
    vi.mocked(platform.reopenTicket).mockResolvedValue({ outcome: 'sent', message: reopened });
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, [...CONVERSATION, reopened]));
    await type('reopen-details', 'It is down again.');
    await fireEvent.click(document.getElementById('reopen-submit') as HTMLElement);

    expect(platform.reopenTicket).toHaveBeenCalledExactlyOnceWith(5, 'It is down again.');
    await vi.waitFor(() => expect(screen.getByTestId('detail-status').textContent).toBe('Open'));
    expect(document.querySelector('form#reply')).not.toBeNull();
    expect(screen.getByTestId('reopen-sent')).toBeTruthy();
  });

  it('shows why a reopen was refused', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(
      view(CLOSED, [], { reopen_until: '2999-06-15T12:00:00Z' }),
    );
    render(TicketDetail, props({ initial: CLOSED }));
    await vi.waitFor(() => expect(document.querySelector('form#reopen')).not.toBeNull());
    vi.mocked(platform.reopenTicket).mockResolvedValue({
      outcome: 'queued',
      item: writeItem(30, 5, 'Again', 'failed', { code: 'conflict', message: 'too late' }, 'reopen'),
    });
    await type('reopen-details', 'Again');
    await fireEvent.click(document.getElementById('reopen-submit') as HTMLElement);
    const error = await screen.findByTestId('reopen-error');
    expect(error.textContent).toContain('too late');
    expect(field('reopen-details').value).toBe('Again');
  });

  it('says to file a new ticket once the window has passed', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(
      view(CLOSED, CONVERSATION, { reopen_until: '2020-01-01T00:00:00Z' }),
    );
    const onNewTicket = vi.fn();
    render(TicketDetail, props({ initial: CLOSED, onNewTicket }));
    const hint = await screen.findByTestId('closed-hint');
    expect(hint.textContent?.trim()).toBe(
      'This ticket was closed. File a new ticket if the problem is back.',
    );
    expect(document.querySelector('form#reply')).toBeNull();
    expect(document.querySelector('form#reopen')).toBeNull();
    await fireEvent.click(document.getElementById('file-new-ticket') as HTMLElement);
    expect(onNewTicket).toHaveBeenCalledOnce();
  });

  it('says to file a new ticket when it cannot be reopened at all', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(view(CLOSED));
    render(TicketDetail, props({ initial: CLOSED }));
    expect(await screen.findByTestId('closed-hint')).toBeTruthy();
    expect(document.querySelector('form#reopen')).toBeNull();
  });
});

describe('live updates', () => {
  it('never polls: reads the ticket again when a live update names it, until closed', async () => {
    vi.useFakeTimers();
    let live: ((update: platform.LiveUpdate) => void) | undefined;
    vi.mocked(platform.onLive).mockImplementation((handler) => {
      live = handler;
      return () => {};
    });
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, CONVERSATION));
    const { unmount } = render(TicketDetail, props());
    await vi.advanceTimersByTimeAsync(0);
    expect(calls()).toEqual([
      [5, false],
      [5, true],
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls()).toHaveLength(2);

    const answer = message(3, 5, 'agent', 'Fixed.');
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, [...CONVERSATION, answer]));
    // Another ticket changed: not this one's business.
    live?.({ kind: 'tickets', ids: [6, 7] });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls()).toHaveLength(2);
    live?.({ kind: 'tickets', ids: [5] });
    await vi.advanceTimersByTimeAsync(0);
    // The cache at once, then the helpdesk for what the pull does not carry.
    expect(calls().slice(2)).toEqual([
      [5, false],
      [5, true],
    ]);
    expect(screen.getAllByTestId('message')).toHaveLength(3);

    // Its unsent items moved: the cache only.
    live?.({ kind: 'outbox' });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls().slice(4)).toEqual([[5, false]]);

    unmount();
    live?.({ kind: 'resync' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls()).toHaveLength(5);
  });

  it('keeps the newest reading when an older, slower one ends last', async () => {
    let live: ((update: platform.LiveUpdate) => void) | undefined;
    vi.mocked(platform.onLive).mockImplementation((handler) => {
      live = handler;
      return () => {};
    });
    vi.mocked(platform.ticketView).mockResolvedValue(view(T));
    render(TicketDetail, props());
    await vi.waitFor(() => expect(calls()).toHaveLength(2));

    let slow: (v: ReturnType<typeof view>) => void = () => {};
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, CONVERSATION));
    vi.mocked(platform.ticketView).mockReturnValueOnce(new Promise((resolve) => (slow = resolve)));
    live?.({ kind: 'outbox' });
    live?.({ kind: 'outbox' });
    await vi.waitFor(() => expect(screen.getAllByTestId('message')).toHaveLength(2));
    slow(view(T));
    await Promise.resolve();
    expect(screen.getAllByTestId('message')).toHaveLength(2);
  });

  it('goes back to sign-in when the session is gone', async () => {
    vi.mocked(platform.ticketView)
      .mockResolvedValueOnce(view(T))
      .mockRejectedValueOnce(new AppError('signed_out', 'no session'));
    const onSignedOut = vi.fn();
    render(TicketDetail, props({ onSignedOut }));
    await vi.waitFor(() => expect(onSignedOut).toHaveBeenCalledOnce());
  });
});
