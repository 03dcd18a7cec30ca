import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import type { ExpediteQuote, Ticket } from '../../lib/platform';
import { accessibilityProblems } from '../../test/a11y';
import { ticket, writeItem } from '../../test/fixtures';
import { formatDateTime } from '../../lib/time/format';
import ExpediteCard from './ExpediteCard.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const T = ticket(5, 'Mail server down', '2025-05-01T09:00:00Z');
const QUOTE: ExpediteQuote = {
  ticket_id: 5,
  price: { amount_minor: 4900, currency: 'EUR' },
  terms: 'Charged on your next invoice.',
  can_expedite: true,
  refusal: null,
  expedited: null,
};

function props(overrides: Record<string, unknown> = {}) {
  return { ticket: T, pending: [], onChanged: vi.fn(), onSessionLost: vi.fn(), ...overrides };
}

function start(): Promise<boolean> {
  return fireEvent.click(document.getElementById('expedite-start') as HTMLButtonElement);
}

describe('expedited response', () => {
  it('shows the price and terms and asks for consent naming the price before queuing it', async () => {
    vi.mocked(platform.expediteQuote).mockResolvedValue(QUOTE);
    vi.mocked(platform.expedite).mockResolvedValue(null);
    const onChanged = vi.fn();
    render(ExpediteCard, props({ onChanged }));
    expect(document.getElementById('expedite-start')?.textContent?.trim()).toBe('Expedite (paid)…');
    await start();

    const price = await screen.findByTestId('expedite-price');
    expect(price.textContent?.trim()).toBe('Price now: €49.00');
    expect(document.activeElement).toBe(price);
    expect(screen.getByTestId('expedite-terms').textContent).toBe('Charged on your next invoice.');
    expect(platform.expedite).not.toHaveBeenCalled();
    expect(accessibilityProblems()).toEqual([]);
    const confirm = document.getElementById('expedite-confirm') as HTMLButtonElement;
    expect(confirm.textContent?.trim()).toBe('Confirm and pay €49.00');

    await fireEvent.click(confirm);
    expect(platform.expedite).toHaveBeenCalledExactlyOnceWith(5, { amount_minor: 4900, currency: 'EUR' });
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(screen.getByTestId('expedite-status').textContent).toContain('Expedited');
  });

  it('formats the price in the chosen language', async () => {
    const { locale } = await import('svelte-i18n');
    locale.set('it');
    try {
      vi.mocked(platform.expediteQuote).mockResolvedValue(QUOTE);
      render(ExpediteCard, props());
      await start();
      expect((await screen.findByTestId('expedite-price')).textContent).toContain('49,00\u00a0€');
    } finally {
      locale.set('en');
    }
  });

  it('cancels the confirm step with Escape, back on the button', async () => {
    vi.mocked(platform.expediteQuote).mockResolvedValue(QUOTE);
    render(ExpediteCard, props());
    await start();
    await screen.findByTestId('expedite-price');
    await fireEvent.keyDown(document.getElementById('expedite-confirm') as HTMLElement, { key: 'Escape' });
    expect(screen.queryByTestId('expedite-quote')).toBeNull();
    await vi.waitFor(() => expect(document.activeElement?.id).toBe('expedite-start'));
    expect(platform.expedite).not.toHaveBeenCalled();
  });

  it('needs a connection to show the current price', async () => {
    vi.mocked(platform.expediteQuote).mockRejectedValue(new AppError('network', 'offline'));
    render(ExpediteCard, props());
    await start();
    expect((await screen.findByTestId('expedite-problem')).textContent).toBe(
      'Needs a connection to show the current price.',
    );
    // The user can ask again once online.
    expect(document.getElementById('expedite-start')?.textContent?.trim()).toBe('Get the current price');
  });

  it('hides the action when not offered or refused by the quote', async () => {
    vi.mocked(platform.expediteQuote).mockRejectedValue(new AppError('not_offered', 'no'));
    const { unmount } = render(ExpediteCard, props());
    await start();
    expect((await screen.findByTestId('expedite-unavailable')).textContent).toBe(
      'Your provider does not offer an expedited response.',
    );
    expect(document.getElementById('expedite-start')).toBeNull();
    unmount();

    vi.mocked(platform.expediteQuote).mockResolvedValue({
      ...QUOTE,
      can_expedite: false,
      refusal: 'only the requester may expedite this ticket',
    });
    render(ExpediteCard, props());
    await start();
    expect((await screen.findByTestId('expedite-unavailable')).textContent).toBe(
      'only the requester may expedite this ticket',
    );
    expect(document.getElementById('expedite-start')).toBeNull();
  });

  it("shows the server's message for a stale price and re-quotes", async () => {
    vi.mocked(platform.expediteQuote).mockResolvedValue(QUOTE);
    vi.mocked(platform.expedite).mockResolvedValue(
      writeItem(7, 5, '', 'failed', { code: 'conflict', message: 'the price is now 59.00 EUR' }, 'expedite'),
    );
    render(ExpediteCard, props());
    await start();
    await screen.findByTestId('expedite-price');
    await fireEvent.click(document.getElementById('expedite-confirm') as HTMLButtonElement);
    expect((await screen.findByTestId('expedite-problem')).textContent).toBe('the price is now 59.00 EUR');

    vi.mocked(platform.expediteQuote).mockResolvedValue({ ...QUOTE, price: { amount_minor: 5900, currency: 'EUR' } });
    await start();
    expect((await screen.findByTestId('expedite-price')).textContent).toContain('€59.00');
  });

  it('shows the pending consent, and since when a ticket is expedited', () => {
    const waiting = writeItem(7, 5, '', 'pending', null, 'expedite');
    const { unmount } = render(ExpediteCard, props({ pending: [waiting] }));
    expect(screen.getByTestId('expedite-pending').textContent).toBe('Waiting to be sent');
    expect(document.getElementById('expedite-start')).toBeNull();
    unmount();

    const expedited: Ticket = { ...T, expedited: true, expedited_at: '2025-05-02T08:00:00Z' };
    render(ExpediteCard, props({ ticket: expedited }));
    expect(screen.getByTestId('expedited-since').textContent?.trim()).toBe(
      `Expedited since ${formatDateTime('2025-05-02T08:00:00Z', 'en')}`,
    );
    expect(document.getElementById('expedite-start')).toBeNull();
  });

  it('offers nothing on a closed ticket', () => {
    render(ExpediteCard, props({ ticket: { ...T, status: 'closed' } }));
    expect(screen.queryByTestId('expedite')).toBeNull();
  });
});
