import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import type { ErrorCode } from '../../lib/platform';
import { ME, message, outboxItem, pages, ticket, view } from '../../test/fixtures';
import TicketsScreen from './TicketsScreen.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const OLD = ticket(1, 'Old invoice question', '2025-01-01T09:00:00Z');
const NEW = ticket(2, 'Mail server down', '2025-03-01T09:00:00Z');

function subjects(): string[] {
  return screen.getAllByTestId('ticket-subject').map((e) => e.textContent ?? '');
}

function outboxRows(): HTMLElement[] {
  return screen.queryAllByTestId('outbox-item');
}

function button(row: HTMLElement, testId: string): HTMLButtonElement {
  return row.querySelector(`[data-testid=${testId}]`) as HTMLButtonElement;
}

async function fileTicket(subject: string, body: string): Promise<void> {
  await fireEvent.click(document.getElementById('new-ticket-button') as HTMLElement);
  await fireEvent.input(document.getElementById('subject') as HTMLElement, {
    target: { value: subject },
  });
  await fireEvent.input(document.getElementById('body') as HTMLElement, {
    target: { value: body },
  });
  await fireEvent.click(document.getElementById('new-ticket-submit') as HTMLElement);
}

beforeEach(() => {
  vi.mocked(platform.listOutbox).mockResolvedValue([]);
});

describe('tickets screen', () => {
  it('filters the list by status and department', async () => {
    const closedBilling = { ...ticket(3, 'Invoice copy', '2025-02-01T09:00:00Z'), status: 'closed' as const, department: 'billing' as const };
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD, NEW, closedBilling]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(subjects()).toHaveLength(3));
    const status = document.getElementById('filter-status') as HTMLSelectElement;
    const department = document.getElementById('filter-department') as HTMLSelectElement;
    // Each status says how many tickets it holds.
    expect([...status.options].map((o) => o.textContent)).toEqual([
      'All',
      'Open (2)',
      'Waiting for you (0)',
      'Resolved (0)',
      'Closed (1)',
    ]);
    await fireEvent.change(status, { target: { value: 'closed' } });
    await vi.waitFor(() => expect(subjects()).toEqual(['Invoice copy']));
    // The shell filters: the window asks for the page of what the filter keeps.
    expect(platform.ticketPage).toHaveBeenLastCalledWith({ status: 'closed', limit: 100 });
    await fireEvent.change(department, { target: { value: 'technical' } });
    await vi.waitFor(() => expect(screen.getByTestId('filters-empty')).toBeTruthy());
    expect(screen.queryAllByTestId('ticket-row')).toHaveLength(0);
    expect([...status.options].map((o) => o.textContent)).toContain('Open (2)');
    expect([...status.options].map((o) => o.textContent)).toContain('Closed (0)');
    await fireEvent.change(status, { target: { value: '' } });
    await fireEvent.change(department, { target: { value: '' } });
    await vi.waitFor(() => expect(subjects()).toHaveLength(3));
  });

  it('draws a large list a page at a time', async () => {
    let live: ((update: platform.LiveUpdate) => void) | undefined;
    vi.mocked(platform.onLive).mockImplementation((handler) => {
      live = handler;
      return () => {};
    });
    const many = Array.from({ length: 250 }, (_, i) =>
      ticket(i + 1, `Ticket ${i + 1}`, new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString()),
    );
    vi.mocked(platform.ticketPage).mockImplementation(pages(many));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(screen.getAllByTestId('ticket-row')).toHaveLength(100));
    expect(subjects()[0]).toBe('Ticket 250');
    const more = document.getElementById('show-more') as HTMLButtonElement;
    expect(more.textContent).toContain('100');
    expect(more.textContent).toContain('250');
    // The window asked for one page, never for the whole list.
    expect(platform.ticketPage).toHaveBeenCalledWith({ limit: 100 });
    await fireEvent.click(more);
    await vi.waitFor(() => expect(screen.getAllByTestId('ticket-row')).toHaveLength(200));
    // The next page starts after the last row drawn.
    expect(platform.ticketPage).toHaveBeenLastCalledWith({
      after: { updated_at: new Date(Date.UTC(2025, 0, 1, 0, 150)).toISOString(), id: 151 },
      limit: 100,
    });
    expect(subjects()[100]).toBe('Ticket 150');
    await fireEvent.click(document.getElementById('show-more') as HTMLButtonElement);
    await vi.waitFor(() => expect(screen.getAllByTestId('ticket-row')).toHaveLength(250));
    expect(document.getElementById('show-more')).toBeNull();
    expect(new Set(subjects()).size).toBe(250);

    // A live update reads again as many rows as are drawn, not just the first page.
    vi.mocked(platform.ticketPage).mockClear();
    live?.({ kind: 'tickets', ids: [250] });
    await vi.waitFor(() => expect(platform.ticketPage).toHaveBeenCalled());
    await vi.waitFor(() => expect(screen.getAllByTestId('ticket-row')).toHaveLength(250));
    expect(platform.ticketPage).toHaveBeenCalledWith({ limit: 250 });
  });

  it('shows what the shell pulled live, and when the helpdesk goes away', async () => {
    let live: ((update: platform.LiveUpdate) => void) | undefined;
    const stop = vi.fn();
    vi.mocked(platform.onLive).mockImplementation((handler) => {
      live = handler;
      return stop;
    });
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    const { unmount } = render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(subjects()).toEqual(['Old invoice question']));

    // An agent answered: the shell pulled it into the cache and says so.
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD, NEW]));
    live?.({ kind: 'tickets', ids: [NEW.id] });
    await vi.waitFor(() => expect(subjects()).toEqual(['Mail server down', 'Old invoice question']));
    live?.({ kind: 'online', online: false });
    await vi.waitFor(() => expect(screen.queryByTestId('offline-banner')).not.toBeNull());
    live?.({ kind: 'online', online: true });
    await vi.waitFor(() => expect(screen.queryByTestId('offline-banner')).toBeNull());
    unmount();
    expect(stop).toHaveBeenCalled();
  });

  it('shows the tickets, newest first', async () => {
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD, NEW]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });

    await vi.waitFor(() => expect(platform.refreshTickets).toHaveBeenCalled());
    await vi.waitFor(() => expect(subjects()).toEqual(['Mail server down', 'Old invoice question']));
    const row = screen.getAllByTestId('ticket-row')[0] as HTMLElement;
    expect(row.dataset.ticketId).toBe('2');
    expect(row.textContent).toContain('Open');
    expect(row.textContent).toContain('Technical support');
    expect(screen.queryByTestId('offline-banner')).toBeNull();
  });

  it('says when it shows the saved tickets because the helpdesk is unreachable', async () => {
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: false });
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });

    const banner = await screen.findByTestId('offline-banner');
    expect(banner.textContent?.trim()).toBe('Offline: showing the tickets saved on this computer.');
    expect(subjects()).toEqual(['Old invoice question']);
  });

  it('goes back to sign-in when the session is gone', async () => {
    vi.mocked(platform.ticketPage).mockImplementation(pages([]));
    vi.mocked(platform.refreshTickets).mockRejectedValue(new AppError('signed_out', 'no session'));
    const onSignedOut = vi.fn();
    render(TicketsScreen, { me: ME, onSignedOut });
    await vi.waitFor(() => expect(onSignedOut).toHaveBeenCalledOnce());
  });

  it('puts a newly filed ticket at the top', async () => {
    const filed = ticket(3, 'Backup job fails', '2025-04-01T09:00:00Z');
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD, NEW]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(subjects()).toHaveLength(2));

    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD, NEW, filed]));
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'sent', ticket: filed });
    await fileTicket('Backup job fails', 'Quota exceeded.');

    await vi.waitFor(() => expect(subjects()[0]).toBe('Backup job fails'));
    expect(document.getElementById('new-ticket')).toBeNull();
    expect(screen.getByTestId('ticket-created').textContent?.trim()).toBe(
      'Ticket #3 has been sent.',
    );
    expect(outboxRows()).toHaveLength(0);
  });
});

describe('outbox', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says a ticket filed while the helpdesk is unreachable is saved, and lists it as waiting', async () => {
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: false });
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(subjects()).toEqual(['Old invoice question']));

    const queued = outboxItem(7, 'Printer offline', 'pending');
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'queued', item: queued });
    vi.mocked(platform.listOutbox).mockResolvedValue([queued]);
    await fileTicket('Printer offline', 'It says offline.');

    const line = await screen.findByTestId('filed-offline');
    expect(line.getAttribute('role')).toBe('status');
    expect(line.textContent?.trim()).toBe(
      'Saved on this computer. It will be sent when the helpdesk can be reached.',
    );
    expect(document.getElementById('new-ticket')).toBeNull();
    const [row] = outboxRows();
    expect(row?.dataset.localId).toBe('7');
    expect(within(row as HTMLElement).getByTestId('outbox-summary').textContent).toBe(
      'Printer offline',
    );
    expect(row?.textContent).toContain('Waiting to be sent');
    expect(button(row as HTMLElement, 'outbox-retry')).toBeNull();
    // An unsent ticket is not one of the helpdesk's tickets.
    expect(subjects()).toEqual(['Old invoice question']);
    expect(screen.getByTestId('offline-banner')).toBeTruthy();
  });

  it('keeps the form open with the reason when the helpdesk refuses a new ticket', async () => {
    vi.mocked(platform.ticketPage).mockImplementation(pages([]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(platform.refreshTickets).toHaveBeenCalled());

    const refused = outboxItem(8, 'Invoice', 'failed', {
      code: 'validation',
      message: 'billing is not available to your organisation',
    });
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'queued', item: refused });
    vi.mocked(platform.listOutbox).mockResolvedValue([refused]);
    await fileTicket('Invoice', 'Wrong amount.');

    const error = await screen.findByTestId('new-ticket-error');
    expect(error.textContent).toContain('billing is not available to your organisation');
    expect(document.getElementById('new-ticket')).not.toBeNull();
    expect((document.getElementById('subject') as HTMLInputElement).value).toBe('Invoice');
    await vi.waitFor(() => expect(outboxRows()).toHaveLength(1));
    expect(screen.queryByTestId('filed-offline')).toBeNull();
  });

  it('closes the form when the refused ticket it was correcting is sent from the outbox', async () => {
    vi.mocked(platform.ticketPage).mockImplementation(pages([]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(platform.refreshTickets).toHaveBeenCalled());

    const refused = outboxItem(16, 'Invoice', 'failed', { code: 'rate_limited', message: 'slow down' });
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'queued', item: refused });
    vi.mocked(platform.listOutbox).mockResolvedValue([refused]);
    await fileTicket('Invoice', 'Wrong amount.');
    await vi.waitFor(() => expect(outboxRows()).toHaveLength(1));

    vi.mocked(platform.retryOutboxItem).mockResolvedValue({
      sent: 1,
      failed: 0,
      pending: 0,
      online: true,
    });
    vi.mocked(platform.listOutbox).mockResolvedValue([]);
    await fireEvent.click(button(outboxRows()[0] as HTMLElement, 'outbox-retry'));

    await vi.waitFor(() => expect(document.getElementById('new-ticket')).toBeNull());
    expect(platform.createTicket).toHaveBeenCalledOnce();
  });

  it('shows why the helpdesk refused an item and tries it again', async () => {
    const refused = outboxItem(9, 'VPN certificate', 'failed', {
      code: 'forbidden',
      message: 'not allowed',
    });
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    vi.mocked(platform.listOutbox).mockResolvedValue([refused]);
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });

    await vi.waitFor(() => expect(outboxRows()).toHaveLength(1));
    const row = outboxRows()[0] as HTMLElement;
    expect(row.dataset.localId).toBe('9');
    expect(within(row).getByTestId('outbox-state').textContent?.trim()).toBe(
      'Not accepted by the helpdesk',
    );
    expect(within(row).getByTestId('outbox-error').textContent?.trim()).toBe(
      'Your account is not allowed to do this.',
    );

    const sent = ticket(10, 'VPN certificate', '2025-05-01T10:00:00Z');
    vi.mocked(platform.retryOutboxItem).mockResolvedValue({
      sent: 1,
      failed: 0,
      pending: 0,
      online: true,
    });
    vi.mocked(platform.listOutbox).mockResolvedValue([]);
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD, sent]));
    await fireEvent.click(button(row, 'outbox-retry'));

    expect(platform.retryOutboxItem).toHaveBeenCalledWith(9, null);
    await vi.waitFor(() => expect(outboxRows()).toHaveLength(0));
    expect(subjects()).toEqual(['VPN certificate', 'Old invoice question']);
    expect((await screen.findByTestId('ticket-created')).textContent?.trim()).toBe(
      'Your ticket has been sent.',
    );
  });

  it("shows the server's own message for a code the app does not know", async () => {
    const refused = outboxItem(11, 'Odd', 'failed', {
      code: 'teapot' as ErrorCode,
      message: 'the helpdesk is a teapot',
    });
    vi.mocked(platform.ticketPage).mockImplementation(pages([]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    vi.mocked(platform.listOutbox).mockResolvedValue([refused]);
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });

    const message = await screen.findByTestId('outbox-error');
    expect(message.textContent?.trim()).toBe('the helpdesk is a teapot');
    expect(screen.queryByTestId('tickets-empty')).toBeNull();
  });

  it('discards an item only after the confirming click', async () => {
    const refused = outboxItem(12, 'Wrong department', 'failed', {
      code: 'validation',
      message: 'department is closed',
    });
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    vi.mocked(platform.listOutbox).mockResolvedValue([refused]);
    vi.mocked(platform.discardOutboxItem).mockResolvedValue();
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(outboxRows()).toHaveLength(1));
    const row = outboxRows()[0] as HTMLElement;

    // First click asks; "Keep" backs out.
    await fireEvent.click(button(row, 'outbox-discard'));
    expect(platform.discardOutboxItem).not.toHaveBeenCalled();
    expect(button(row, 'outbox-discard').textContent?.trim()).toBe('Really discard?');
    await fireEvent.click(button(row, 'outbox-discard-cancel'));
    expect(button(row, 'outbox-discard').textContent?.trim()).toBe('Discard');
    expect(document.activeElement).toBe(button(row, 'outbox-discard'));

    // Escape backs out too.
    await fireEvent.click(button(row, 'outbox-discard'));
    await fireEvent.keyDown(button(row, 'outbox-discard'), { key: 'Escape' });
    expect(button(row, 'outbox-discard').textContent?.trim()).toBe('Discard');
    expect(platform.discardOutboxItem).not.toHaveBeenCalled();

    await fireEvent.click(button(row, 'outbox-discard'));
    vi.mocked(platform.listOutbox).mockResolvedValue([]);
    await fireEvent.click(button(row, 'outbox-discard'));

    expect(platform.discardOutboxItem).toHaveBeenCalledExactlyOnceWith(12);
    await vi.waitFor(() => expect(outboxRows()).toHaveLength(0));
    expect(subjects()).toEqual(['Old invoice question']);
  });

  it('never polls: the core retries the outbox, and live updates show what is left', async () => {
    vi.useFakeTimers();
    let live: ((update: platform.LiveUpdate) => void) | undefined;
    vi.mocked(platform.onLive).mockImplementation((handler) => {
      live = handler;
      return () => {};
    });
    const waiting = outboxItem(13, 'Printer offline', 'pending');
    vi.mocked(platform.ticketPage).mockImplementation(pages([]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: false });
    vi.mocked(platform.listOutbox).mockResolvedValue([waiting]);
    const { unmount } = render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });

    await vi.advanceTimersByTimeAsync(0);
    expect(platform.refreshTickets).toHaveBeenCalledTimes(1);
    expect(outboxRows()).toHaveLength(1);
    expect(screen.queryByTestId('offline-banner')).not.toBeNull();

    // One retry clock, the core's: the window never asks again on its own.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(platform.refreshTickets).toHaveBeenCalledTimes(1);

    // The helpdesk is back and the core sent it: the shell says what changed.
    vi.mocked(platform.ticketPage).mockImplementation(
      pages([ticket(14, 'Printer offline', '2025-05-01T10:00:00Z')]),
    );
    vi.mocked(platform.listOutbox).mockResolvedValue([]);
    live?.({ kind: 'online', online: true });
    live?.({ kind: 'outbox' });
    live?.({ kind: 'tickets', ids: [14] });
    await vi.advanceTimersByTimeAsync(0);
    expect(outboxRows()).toHaveLength(0);
    expect(subjects()).toEqual(['Printer offline']);
    expect(screen.queryByTestId('offline-banner')).toBeNull();
    expect(platform.refreshTickets).toHaveBeenCalledTimes(1);
    unmount();
  });

  it('re-reads only what a live update names', async () => {
    let live: ((update: platform.LiveUpdate) => void) | undefined;
    vi.mocked(platform.onLive).mockImplementation((handler) => {
      live = handler;
      return () => {};
    });
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    vi.mocked(platform.listOutbox).mockResolvedValue([]);
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(subjects()).toEqual(['Old invoice question']));
    await vi.waitFor(() => expect(platform.listOutbox).toHaveBeenCalledTimes(2));
    vi.mocked(platform.ticketPage).mockClear();
    vi.mocked(platform.listOutbox).mockClear();
    vi.mocked(platform.listDrafts).mockClear();

    // Tickets changed: the list's page, not the outbox or the drafts.
    live?.({ kind: 'tickets', ids: [OLD.id] });
    await vi.waitFor(() => expect(platform.ticketPage).toHaveBeenCalledOnce());
    expect(platform.listOutbox).not.toHaveBeenCalled();
    expect(platform.listDrafts).not.toHaveBeenCalled();

    // The outbox changed: only the outbox.
    live?.({ kind: 'outbox' });
    await vi.waitFor(() => expect(platform.listOutbox).toHaveBeenCalledOnce());
    expect(platform.ticketPage).toHaveBeenCalledOnce();

    // Notices are not the list's business; a resync reads both again.
    live?.({ kind: 'notices' });
    live?.({ kind: 'resync' });
    await vi.waitFor(() => expect(platform.ticketPage).toHaveBeenCalledTimes(2));
    await vi.waitFor(() => expect(platform.listOutbox).toHaveBeenCalledTimes(2));
    expect(platform.refreshTickets).toHaveBeenCalledOnce();
  });

  it('stops trying when the screen goes away', async () => {
    vi.useFakeTimers();
    vi.mocked(platform.ticketPage).mockImplementation(pages([]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: false });
    vi.mocked(platform.listOutbox).mockResolvedValue([outboxItem(15, 'Later', 'pending')]);
    const { unmount } = render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.advanceTimersByTimeAsync(0);
    expect(platform.refreshTickets).toHaveBeenCalledTimes(1);

    unmount();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(platform.refreshTickets).toHaveBeenCalledTimes(1);
  });
});

describe('opening a ticket', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function detail(): HTMLElement | null {
    return screen.queryByTestId('ticket-detail');
  }

  it('shows the ticket with its conversation in order, and goes back to the reloaded list', async () => {
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD, NEW]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    const conversation = [
      message(1, 2, 'customer', 'Any news?', '2025-03-01T10:00:00Z'),
      message(2, 2, 'agent', 'Fixed, please check.', '2025-03-01T11:00:00Z'),
    ];
    vi.mocked(platform.ticketView).mockResolvedValue(view(NEW, conversation));
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(subjects()).toHaveLength(2));

    const subject = screen.getAllByTestId('ticket-subject')[0] as HTMLElement;
    expect(subject.tagName).toBe('BUTTON');
    await fireEvent.click(subject);

    const root = await screen.findByTestId('ticket-detail');
    expect(root.dataset.ticketId).toBe('2');
    expect(screen.getByTestId('detail-subject').textContent).toBe('Mail server down');
    expect(document.activeElement?.tagName).toBe('H1');
    expect(screen.queryAllByTestId('ticket-row')).toHaveLength(0);
    await vi.waitFor(() =>
      expect(screen.getAllByTestId('message').map((m) => m.dataset.authorKind)).toEqual([
        'customer',
        'agent',
      ]),
    );
    expect(platform.ticketView).toHaveBeenNthCalledWith(1, 2, false);
    expect(platform.ticketView).toHaveBeenNthCalledWith(2, 2, true);

    // The status changed meanwhile: the list shows it on return.
    vi.mocked(platform.ticketPage).mockClear();
    vi.mocked(platform.listOutbox).mockClear();
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD, { ...NEW, status: 'resolved' }]));
    await fireEvent.click(document.getElementById('back-to-list') as HTMLElement);

    expect(detail()).toBeNull();
    await vi.waitFor(() => expect(screen.getAllByTestId('ticket-status')[0]?.textContent).toBe('Resolved'));
    expect(platform.ticketPage).toHaveBeenCalledOnce();
    expect(platform.listOutbox).toHaveBeenCalledOnce();
    expect(document.activeElement).toBe(screen.getAllByTestId('ticket-subject')[0]);
  });

  it('opens from anywhere on the row and closes with Escape', async () => {
    vi.mocked(platform.ticketPage).mockImplementation(pages([OLD]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    vi.mocked(platform.ticketView).mockResolvedValue(view(OLD));
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(subjects()).toHaveLength(1));

    const row = screen.getByTestId('ticket-row');
    await fireEvent.click(row.querySelector('td.num') as HTMLElement);
    expect((await screen.findByTestId('ticket-detail')).dataset.ticketId).toBe('1');

    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(detail()).toBeNull();
    await vi.waitFor(() =>
      expect(document.activeElement).toBe(screen.getByTestId('ticket-subject')),
    );
  });

  it('opens the new-ticket form from a closed ticket', async () => {
    const closed = { ...OLD, status: 'closed' as const };
    vi.mocked(platform.ticketPage).mockImplementation(pages([closed]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    vi.mocked(platform.ticketView).mockResolvedValue(view(closed));
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(subjects()).toHaveLength(1));
    await fireEvent.click(screen.getByTestId('ticket-subject'));

    await fireEvent.click(await screen.findByRole('button', { name: 'File a new ticket' }));
    expect(detail()).toBeNull();
    expect(document.querySelector('form#new-ticket')).not.toBeNull();
  });

  it('shows an answer to the open ticket when a live update names it, never polling', async () => {
    vi.useFakeTimers();
    let live: ((update: platform.LiveUpdate) => void) | undefined;
    const stop = vi.fn();
    vi.mocked(platform.onLive).mockImplementation((handler) => {
      live = handler;
      return stop;
    });
    vi.mocked(platform.ticketPage).mockImplementation(pages([NEW]));
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    vi.mocked(platform.ticketView).mockResolvedValue(view(NEW));
    const { unmount } = render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.advanceTimersByTimeAsync(0);

    await fireEvent.click(screen.getByTestId('ticket-subject'));
    await vi.advanceTimersByTimeAsync(0);
    expect(platform.ticketView).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(platform.ticketView).toHaveBeenCalledTimes(2);

    vi.mocked(platform.ticketView).mockResolvedValue(
      view(NEW, [message(5, 2, 'agent', 'We are on it.')]),
    );
    live?.({ kind: 'tickets', ids: [NEW.id] });
    await vi.advanceTimersByTimeAsync(0);
    expect(platform.ticketView).toHaveBeenCalledTimes(4);
    expect(platform.ticketView).toHaveBeenNthCalledWith(3, 2, false);
    expect(platform.ticketView).toHaveBeenLastCalledWith(2, true);
    expect(screen.getByTestId('message').textContent).toContain('We are on it.');
    // The list and the detail share one subscription.
    expect(platform.onLive).toHaveBeenCalledOnce();

    await fireEvent.click(document.getElementById('back-to-list') as HTMLElement);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(platform.ticketView).toHaveBeenCalledTimes(4);
    unmount();
    expect(stop).toHaveBeenCalledOnce();
  });
});
