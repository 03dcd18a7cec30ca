import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import { ME, ticket } from '../../test/fixtures';
import TicketsScreen from './TicketsScreen.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const OLD = ticket(1, 'Old invoice question', '2025-01-01T09:00:00Z');
const NEW = ticket(2, 'Mail server down', '2025-03-01T09:00:00Z');

function subjects(): string[] {
  return screen.getAllByTestId('ticket-subject').map((e) => e.textContent ?? '');
}

describe('tickets screen', () => {
  it('shows who is signed in and the tickets, newest first', async () => {
    vi.mocked(platform.listTickets).mockResolvedValue([OLD, NEW]);
    vi.mocked(platform.refreshTickets).mockResolvedValue({ tickets: [OLD, NEW], online: true });
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });

    expect(screen.getByTestId('signed-in-as').textContent).toBe('Ursula User · Acme Hosting Ltd');
    await vi.waitFor(() => expect(platform.refreshTickets).toHaveBeenCalled());
    await vi.waitFor(() => expect(subjects()).toEqual(['Mail server down', 'Old invoice question']));
    const row = screen.getAllByTestId('ticket-row')[0] as HTMLElement;
    expect(row.dataset.ticketId).toBe('2');
    expect(row.textContent).toContain('Open');
    expect(row.textContent).toContain('Technical support');
    expect(screen.queryByTestId('offline-banner')).toBeNull();
  });

  it('says when it shows the saved tickets because the helpdesk is unreachable', async () => {
    vi.mocked(platform.listTickets).mockResolvedValue([OLD]);
    vi.mocked(platform.refreshTickets).mockResolvedValue({ tickets: [OLD], online: false });
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });

    const banner = await screen.findByTestId('offline-banner');
    expect(banner.textContent?.trim()).toBe('Offline: showing the tickets saved on this computer.');
    expect(subjects()).toEqual(['Old invoice question']);
  });

  it('goes back to sign-in when the session is gone', async () => {
    vi.mocked(platform.listTickets).mockResolvedValue([]);
    vi.mocked(platform.refreshTickets).mockRejectedValue(new AppError('signed_out', 'no session'));
    const onSignedOut = vi.fn();
    render(TicketsScreen, { me: ME, onSignedOut });
    await vi.waitFor(() => expect(onSignedOut).toHaveBeenCalledOnce());
  });

  it('puts a newly filed ticket at the top', async () => {
    const filed = ticket(3, 'Backup job fails', '2025-04-01T09:00:00Z');
    vi.mocked(platform.listTickets).mockResolvedValueOnce([OLD, NEW]);
    vi.mocked(platform.refreshTickets).mockResolvedValue({ tickets: [OLD, NEW], online: true });
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(subjects()).toHaveLength(2));

    vi.mocked(platform.listTickets).mockResolvedValue([OLD, NEW, filed]);
    vi.mocked(platform.createTicket).mockResolvedValue(filed);
    await fireEvent.click(document.getElementById('new-ticket-button') as HTMLElement);
    await fireEvent.input(document.getElementById('subject') as HTMLElement, {
      target: { value: 'Backup job fails' },
    });
    await fireEvent.input(document.getElementById('body') as HTMLElement, {
      target: { value: 'Quota exceeded.' },
    });
    await fireEvent.click(document.getElementById('new-ticket-submit') as HTMLElement);

    await vi.waitFor(() => expect(subjects()[0]).toBe('Backup job fails'));
    expect(document.getElementById('new-ticket')).toBeNull();
  });
});
