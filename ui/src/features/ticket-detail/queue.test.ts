import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { formatDateTime } from '../../lib/time/format';
import { ME, ticket, view } from '../../test/fixtures';
import TicketDetail from './TicketDetail.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const T = ticket(5, 'Mail server down', '2025-05-01T09:00:00Z');
const NOW = Date.parse('2026-03-10T12:00:00Z');
const DUE = '2026-03-10T15:00:00Z';
const CHECKED = '2026-03-10T11:30:00Z';

function props() {
  return {
    ticketId: 5,
    initial: T,
    me: ME,
    onClose: vi.fn(),
    onNewTicket: vi.fn(),
    onSignedOut: vi.fn(),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a ticket waiting for the provider', () => {
  it('shows its place in the queue and when the first answer is due, in words and as a date', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    vi.mocked(platform.ticketView).mockResolvedValue(
      view(T, [], { queue_position: 3, first_response_due_at: DUE, queue_checked_at: CHECKED }),
    );
    render(TicketDetail, props());
    await vi.waitFor(() => expect(screen.getByTestId('queue')).toBeTruthy());
    expect(screen.getByTestId('queue-position').textContent?.trim()).toBe('Place in the queue: 3');
    const due = screen.getByTestId('queue-due');
    expect(due.textContent?.trim()).toBe(`First answer due by ${formatDateTime(DUE, 'en')} (in 3 hours)`);
    expect(due.querySelector('time')?.getAttribute('datetime')).toBe(DUE);
    // Fresh from the helpdesk: no "as of".
    expect(screen.queryByTestId('queue-as-of')).toBeNull();
  });

  it('says "as of" when the helpdesk cannot be reached, and when the answer is late', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    vi.mocked(platform.ticketView).mockResolvedValue(
      view(T, [], {
        queue_position: 1,
        first_response_due_at: '2026-03-10T10:00:00Z',
        queue_checked_at: CHECKED,
        online: false,
      }),
    );
    render(TicketDetail, props());
    await vi.waitFor(() => expect(screen.queryByTestId('queue-as-of')).not.toBeNull());
    expect(screen.getByTestId('queue-as-of').textContent?.trim()).toBe(
      `As of ${formatDateTime(CHECKED, 'en')}`,
    );
    expect(screen.getByTestId('queue-due').textContent).toContain('was due');
    expect(screen.getByTestId('queue-due').textContent).toContain('2 hours ago');
  });

  it('shows nothing of the queue once answered or closed', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(
      view({ ...T, status: 'closed' }, [], { queue_position: 2, first_response_due_at: DUE }),
    );
    render(TicketDetail, props());
    await vi.waitFor(() => expect(screen.getByTestId('closed-hint')).toBeTruthy());
    expect(screen.queryByTestId('queue')).toBeNull();
  });
});
