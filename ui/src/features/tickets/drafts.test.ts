import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import type { Draft } from '../../lib/platform';
import { ME, pages, NO_DETAILS, ticket, view } from '../../test/fixtures';
import TicketsScreen from './TicketsScreen.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const OPEN = ticket(4, 'Website returns 502', '2025-03-01T09:00:00Z');

function draft(id: string, subject: string): Draft {
  return {
    id,
    kind: 'new_ticket',
    ticket_id: null,
    ticket: { department: 'billing', priority: 'regular', subject, body: 'Half a thought', details: NO_DETAILS },
    text: null,
    summary: subject,
    updated_at: '2025-03-02T09:00:00Z',
  };
}

beforeEach(() => {
  vi.mocked(platform.listOutbox).mockResolvedValue([]);
  vi.mocked(platform.ticketPage).mockImplementation(pages([OPEN]));
  vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
});

describe('drafts on the tickets screen', () => {
  it('lists the saved drafts at start and continues one in the form', async () => {
    vi.mocked(platform.listDrafts).mockResolvedValue([
      draft('a', 'Invoice twice'),
      draft('b', '   '),
    ]);
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    const rows = await screen.findAllByTestId('draft-item');
    expect(rows.map((r) => r.dataset.draftId)).toEqual(['a', 'b']);
    expect(screen.getAllByTestId('draft-summary').map((e) => e.textContent)).toEqual([
      'Invoice twice',
      '(no subject)',
    ]);

    await fireEvent.click(rows[0]?.querySelector('[data-testid=draft-resume]') as HTMLElement);
    expect((document.getElementById('subject') as HTMLInputElement).value).toBe('Invoice twice');
    expect((document.getElementById('department') as HTMLSelectElement).value).toBe('billing');
    expect((document.getElementById('body') as HTMLTextAreaElement).value).toBe('Half a thought');
  });

  it('discards a draft in two steps', async () => {
    vi.mocked(platform.listDrafts).mockResolvedValue([draft('a', 'Invoice twice')]);
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    const row = await screen.findByTestId('draft-item');
    const discard = row.querySelector('[data-testid=draft-discard]') as HTMLElement;
    await fireEvent.click(discard);
    expect(platform.discardDraft).not.toHaveBeenCalled();
    expect(discard.textContent?.trim()).toBe('Really discard?');
    await fireEvent.click(row.querySelector('[data-testid=draft-discard-cancel]') as HTMLElement);
    expect(discard.textContent?.trim()).toBe('Discard');

    await fireEvent.click(discard);
    vi.mocked(platform.listDrafts).mockResolvedValue([]);
    await fireEvent.click(discard);
    expect(platform.discardDraft).toHaveBeenCalledWith('a');
    await vi.waitFor(() => expect(screen.queryAllByTestId('draft-item')).toHaveLength(0));
  });

  it('"Add to that ticket instead" opens the ticket with the reply box filled', async () => {
    vi.mocked(platform.listDrafts).mockResolvedValue([]);
    vi.mocked(platform.similarTickets).mockResolvedValue([{ ticket: OPEN, snippet: 'Website' }]);
    vi.mocked(platform.ticketView).mockResolvedValue(view(OPEN, []));
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await screen.findAllByTestId('ticket-subject');
    await fireEvent.click(document.getElementById('new-ticket-button') as HTMLElement);
    await fireEvent.input(document.getElementById('subject') as HTMLElement, {
      target: { value: 'Website returns 502' },
    });
    await fireEvent.input(document.getElementById('body') as HTMLElement, {
      target: { value: 'Our shop is down.' },
    });
    await fireEvent.click(await screen.findByTestId('add-to-ticket'));
    const reply = await vi.waitFor(() => {
      const box = document.getElementById('reply-body') as HTMLTextAreaElement | null;
      expect(box?.value).toBe('Our shop is down.');
      return box;
    });
    expect(reply).not.toBeNull();
    expect(screen.getByTestId('ticket-detail').dataset.ticketId).toBe('4');
  });
});
