import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../../lib/i18n';
import * as platform from '../../lib/platform';
import { ME, pages, ticket, view } from '../../test/fixtures';
import TicketsScreen from './TicketsScreen.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const MINE = ticket(1, 'Old invoice question', '2025-01-01T09:00:00Z');
const ANSWERED = ticket(2, 'Mail server down', '2025-03-01T09:00:00Z');

function row(id: number): HTMLElement {
  return document.querySelector(`[data-testid=ticket-row][data-ticket-id="${id}"]`) as HTMLElement;
}

function marker(id: number): HTMLElement | null {
  return row(id).querySelector('[data-testid=unread-marker]');
}

beforeEach(() => {
  vi.mocked(platform.listOutbox).mockResolvedValue([]);
  vi.mocked(platform.ticketPage).mockImplementation(pages([MINE, ANSWERED]));
  vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
});

describe('unread tickets', () => {
  it('carry a labelled marker, and their count shows beside the title and in the window title', async () => {
    vi.mocked(platform.ticketPage).mockImplementation(pages([MINE, ANSWERED], [2]));
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(marker(2)).not.toBeNull());

    expect(marker(1)).toBeNull();
    expect(row(2).dataset.unread).toBe('true');
    expect(marker(2)?.textContent).toContain('New');
    // The subject button, the keyboard's way in, is described by the marker's label.
    const subject = row(2).querySelector('[data-testid=ticket-subject]') as HTMLElement;
    const described = document.getElementById(subject.getAttribute('aria-describedby') ?? '');
    expect(described).toBe(marker(2));
    expect(described?.querySelector('.visually-hidden')?.textContent).toBe(
      'Unread: there is news on this ticket',
    );
    const count = screen.getByTestId('unread-count');
    expect(count.getAttribute('role')).toBe('status');
    expect(count.textContent).toBe('1 unread');
    expect(document.title).toBe('(1) Deskmate');
  });

  it('turn unread on a live update, without a refresh, and read when opened', async () => {
    let live: ((update: platform.LiveUpdate) => void) | undefined;
    vi.mocked(platform.onLive).mockImplementation((handler) => {
      live = handler;
      return () => {};
    });
    vi.mocked(platform.ticketPage).mockImplementation(pages([MINE, ANSWERED], []));
    vi.mocked(platform.ticketView).mockResolvedValue(view(ANSWERED));
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(row(2)).not.toBeNull());
    await vi.waitFor(() => expect(platform.refreshTickets).toHaveBeenCalledTimes(1));
    expect(marker(2)).toBeNull();
    expect(document.title).toBe('Deskmate');

    // The provider answered: the shell pulled it and says the cache changed.
    vi.mocked(platform.ticketPage).mockImplementation(pages([MINE, ANSWERED], [2]));
    live?.({ kind: 'tickets', ids: [2] });
    await vi.waitFor(() => expect(marker(2)).not.toBeNull());
    expect(platform.refreshTickets).toHaveBeenCalledTimes(1);
    expect(document.title).toBe('(1) Deskmate');

    // Opening it reads it (the core marks it as the detail loads).
    vi.mocked(platform.ticketPage).mockImplementation(pages([MINE, ANSWERED], []));
    await fireEvent.click(row(2).querySelector('[data-testid=ticket-subject]') as HTMLElement);
    await vi.waitFor(() => expect(screen.getByTestId('ticket-detail')).toBeTruthy());
    expect(document.title).toBe('Deskmate');
    await fireEvent.click(document.getElementById('back-to-list') as HTMLElement);
    await vi.waitFor(() => expect(row(2)).not.toBeNull());
    expect(marker(2)).toBeNull();
    expect(screen.getByTestId('unread-count').textContent).toBe('');
  });

  it('are counted with the plural forms of the chosen language', async () => {
    vi.mocked(platform.ticketPage).mockImplementation(pages([MINE, ANSWERED], [1, 2]));
    setupI18n('sl');
    try {
      render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
      await vi.waitFor(() => expect(screen.getByTestId('unread-count').textContent).toBe('2 neprebrana'));
    } finally {
      setupI18n('en');
    }
  });
});
