// The main screens, rendered as users meet them, through the accessibility
// check in a11y.ts; and the focus ring's contrast in both colour schemes.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App.svelte';
import css from '../app.css?raw';
import TicketDetail from '../features/ticket-detail/TicketDetail.svelte';
import TicketsScreen from '../features/tickets/TicketsScreen.svelte';
import * as platform from '../lib/platform';
import { AppError } from '../lib/platform';
import { accessibilityProblems } from './a11y';
import { ME, message, outboxItem, pages, ticket, view, writeItem } from './fixtures';

vi.mock('../lib/platform', () => import('./platform-mock'));

const OPEN = ticket(2, 'Mail server down', '2025-03-01T09:00:00Z');
const OLD = ticket(1, 'Old invoice question', '2025-01-01T09:00:00Z');
const INFO = { version: '0.1.0', server_url: 'http://127.0.0.1:8080', demo_accounts: ['user@acme.example'], language: null };

beforeEach(() => {
  vi.mocked(platform.ticketPage).mockImplementation(pages([OLD, OPEN], [2]));
  vi.mocked(platform.refreshTickets).mockResolvedValue({ online: false });
  vi.mocked(platform.listOutbox).mockResolvedValue([
    outboxItem(7, 'Printer offline', 'failed', { code: 'validation', message: 'subject too long' }),
    outboxItem(8, 'VPN drops', 'pending'),
  ]);
  vi.mocked(platform.listDrafts).mockResolvedValue([
    {
      id: 'd1',
      kind: 'new_ticket',
      ticket_id: null,
      ticket: null,
      text: null,
      summary: 'Half-written',
      updated_at: '2025-05-01T10:00:00Z',
    },
  ]);
});

describe('accessibility of the main screens', () => {
  it('the check finds what it looks for', () => {
    document.body.innerHTML = `
      <button type="button"></button>
      <input id="a"><input id="a" aria-describedby="nowhere">
      <div class="banner">Saved</div>
      <span tabindex="2">x</span>`;
    expect(accessibilityProblems()).toEqual([
      '<button> has no accessible name',
      '<input#a> has no accessible name',
      '<input#a> has no accessible name',
      '<span> has no accessible name',
      '<span> has tabindex 2: the tab order is the page\'s',
      '<input#a> aria-describedby names #nowhere, which is not there',
      'id a is used 2 times',
      '<div> is a banner but no live region',
    ]);
    document.body.innerHTML = '';
  });

  it('sign-in, with an error shown', async () => {
    vi.mocked(platform.appInfo).mockResolvedValue(INFO);
    vi.mocked(platform.session).mockResolvedValue(null);
    vi.mocked(platform.login).mockRejectedValue(new AppError('unauthorized', 'no'));
    render(App);
    await vi.waitFor(() => expect(document.querySelector('form#sign-in')).not.toBeNull());
    await fireEvent.input(document.getElementById('email') as HTMLElement, { target: { value: 'a@b.example' } });
    await fireEvent.input(document.getElementById('password') as HTMLElement, { target: { value: 'x' } });
    await fireEvent.click(document.getElementById('sign-in-submit') as HTMLElement);
    await screen.findByTestId('sign-in-error');
    expect(accessibilityProblems()).toEqual([]);
  });

  it('the list, offline, with unread tickets, the outbox, drafts and the new-ticket form', async () => {
    render(TicketsScreen, { me: ME, onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(screen.queryByTestId('unread-marker')).not.toBeNull());
    await screen.findByTestId('offline-banner');
    await screen.findByTestId('draft-item');
    await fireEvent.click(screen.getByTestId('outbox-discard'));
    expect(accessibilityProblems()).toEqual([]);
    await fireEvent.click(document.getElementById('new-ticket-button') as HTMLElement);
    await fireEvent.click(document.getElementById('new-ticket-submit') as HTMLElement);
    await screen.findByTestId('subject-problem');
    expect(accessibilityProblems()).toEqual([]);
  });

  it('a waiting ticket, offline, with a refused reply', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(
      view(OPEN, [message(1, 2, 'customer', 'Any news?')], {
        online: false,
        queue_position: 2,
        first_response_due_at: '2999-01-01T00:00:00Z',
        queue_checked_at: '2025-05-01T10:00:00Z',
        pending: [writeItem(9, 2, 'Still down', 'failed', { code: 'conflict', message: 'closed' })],
      }),
    );
    render(TicketDetail, { ticketId: 2, initial: OPEN, me: ME, onClose: vi.fn(), onNewTicket: vi.fn(), onSignedOut: vi.fn() });
    await screen.findByTestId('queue-as-of');
    await screen.findByTestId('pending-error');
    expect(accessibilityProblems()).toEqual([]);
  });

  it('a closed ticket that may be reopened', async () => {
    const closed = { ...OPEN, status: 'closed' as const };
    vi.mocked(platform.ticketView).mockResolvedValue(
      view(closed, [message(1, 2, 'agent', 'Done.')], { reopen_until: '2999-01-01T00:00:00Z' }),
    );
    render(TicketDetail, { ticketId: 2, initial: closed, me: ME, onClose: vi.fn(), onNewTicket: vi.fn(), onSignedOut: vi.fn() });
    await screen.findByTestId('reopen-until');
    expect(accessibilityProblems()).toEqual([]);
  });
});

/** WCAG relative luminance of "#rrggbb". */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('the focus ring', () => {
  const darkStart = css.indexOf('@media (prefers-color-scheme: dark)');
  const schemes = { light: css.slice(0, darkStart), dark: css.slice(darkStart, css.indexOf('\n}\n', darkStart)) };

  function variable(block: string, name: string): string {
    const found = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`).exec(block);
    if (!found?.[1]) {
      throw new Error(`--${name} is not a #rrggbb colour`);
    }
    return found[1];
  }

  it('is drawn on every keyboard focus', () => {
    expect(css).toMatch(/:focus-visible[^{]*\{\s*outline: 3px solid var\(--focus\)/);
    expect(css).not.toMatch(/:focus-visible\s*\{\s*outline:\s*none/);
  });

  it.each(Object.keys(schemes) as (keyof typeof schemes)[])(
    'stands out 3:1 against every background in the %s scheme',
    (scheme) => {
      const block = schemes[scheme];
      const focus = variable(block, 'focus');
      for (const background of ['bg', 'surface', 'row-hover']) {
        expect(contrast(focus, variable(block, background)), `${scheme} on --${background}`).toBeGreaterThanOrEqual(3);
      }
    },
  );
});
