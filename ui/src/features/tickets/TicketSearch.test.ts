import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import type { SearchHit } from '../../lib/platform';
import { ME, pages, ticket, view } from '../../test/fixtures';
import TicketsScreen from './TicketsScreen.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const OLD = ticket(1, 'Old invoice question', '2025-01-01T09:00:00Z');
const MAIL = ticket(2, 'Mailbox does not receive external mail', '2025-03-01T09:00:00Z');

const QUOTA_HIT: SearchHit = {
  ticket: MAIL,
  snippet: '…had reached its 10 GB \u0002quota\u0003. We raised it <b>to</b> 25 GB…',
};

function search(): HTMLInputElement {
  return document.getElementById('ticket-search') as HTMLInputElement;
}

async function type(text: string): Promise<void> {
  await fireEvent.input(search(), { target: { value: text } });
}

function hitIds(): string[] {
  return screen.queryAllByTestId('search-hit').map((h) => h.dataset.ticketId ?? '');
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.mocked(platform.listOutbox).mockResolvedValue([]);
  vi.mocked(platform.ticketPage).mockImplementation(pages([OLD, MAIL]));
  vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
  vi.mocked(platform.searchTickets).mockReset();
});

afterEach(() => {
  vi.useRealTimers();
});

async function start(): Promise<void> {
  render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
  await vi.advanceTimersByTimeAsync(0);
  expect(screen.getAllByTestId('ticket-row')).toHaveLength(2);
}

describe('ticket search', () => {
  it('has a labelled search field', async () => {
    await start();
    expect(search().type).toBe('search');
    expect(screen.getByLabelText('Search tickets')).toBe(search());
  });

  it('asks the cache once typing pauses and shows the hits instead of the list', async () => {
    vi.mocked(platform.searchTickets).mockResolvedValue([QUOTA_HIT]);
    await start();

    await type('q');
    await type('qu');
    await type('quota');
    await vi.advanceTimersByTimeAsync(100);
    expect(platform.searchTickets).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(30);
    expect(platform.searchTickets).toHaveBeenCalledOnce();
    expect(platform.searchTickets).toHaveBeenCalledWith('quota');

    expect(hitIds()).toEqual(['2']);
    expect(screen.queryAllByTestId('ticket-row')).toHaveLength(0);
    const hit = screen.getByTestId('search-hit');
    expect(within(hit).getByTestId('search-hit-subject').textContent).toBe(
      'Mailbox does not receive external mail',
    );
    // Plain text: the marked word is highlighted, markup in the text stays text.
    const snippet = within(hit).getByTestId('search-hit-snippet');
    expect(snippet.textContent).toBe('…had reached its 10 GB quota. We raised it <b>to</b> 25 GB…');
    expect([...snippet.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['quota']);
    expect(snippet.querySelector('b')).toBeNull();
  });

  it('says when nothing matches, and Escape brings the list back', async () => {
    vi.mocked(platform.searchTickets).mockResolvedValue([]);
    await start();
    await type('zebra');
    await vi.advanceTimersByTimeAsync(150);

    expect(screen.getByTestId('search-empty').textContent?.trim()).toBe('No tickets match');
    expect(screen.queryAllByTestId('ticket-row')).toHaveLength(0);

    await fireEvent.keyDown(search(), { key: 'Escape' });
    await vi.advanceTimersByTimeAsync(0);
    expect(search().value).toBe('');
    expect(screen.queryByTestId('search-empty')).toBeNull();
    expect(screen.getAllByTestId('ticket-row')).toHaveLength(2);
  });

  it('never asks for blank input and ignores a slower, older answer', async () => {
    await start();
    await type('   ');
    await vi.advanceTimersByTimeAsync(200);
    expect(platform.searchTickets).not.toHaveBeenCalled();
    expect(screen.getAllByTestId('ticket-row')).toHaveLength(2);

    let answerOld: (hits: SearchHit[]) => void = () => {};
    vi.mocked(platform.searchTickets).mockImplementationOnce(
      () => new Promise((resolve) => (answerOld = resolve)),
    );
    vi.mocked(platform.searchTickets).mockResolvedValueOnce([QUOTA_HIT]);
    await type('inv');
    await vi.advanceTimersByTimeAsync(150);
    await type('quota');
    await vi.advanceTimersByTimeAsync(150);
    answerOld([{ ticket: OLD, snippet: 'Old' }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(hitIds()).toEqual(['2']);
  });

  it('opens the ticket of a clicked hit and keeps the search on return', async () => {
    vi.mocked(platform.searchTickets).mockResolvedValue([QUOTA_HIT]);
    vi.mocked(platform.ticketView).mockResolvedValue(view(MAIL));
    await start();
    await type('quota');
    await vi.advanceTimersByTimeAsync(150);

    await fireEvent.click(within(screen.getByTestId('search-hit')).getByTestId('search-hit-subject'));
    await vi.advanceTimersByTimeAsync(0);
    expect(screen.getByTestId('ticket-detail').dataset.ticketId).toBe('2');

    await fireEvent.click(document.getElementById('back-to-list') as HTMLElement);
    await vi.advanceTimersByTimeAsync(0);
    expect(search().value).toBe('quota');
    expect(hitIds()).toEqual(['2']);
  });
});
