import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { locale } from 'svelte-i18n';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError, type Invoice, type Me } from '../../lib/platform';
import { accessibilityProblems } from '../../test/a11y';
import { ME } from '../../test/fixtures';
import BillingScreen, { billingSections } from './BillingScreen.svelte';
import { formatDuration } from './format';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

function withRights(rights: Partial<Me['rights']>): Me {
  return { ...ME, rights: { ...ME.rights, ...rights } };
}

function invoice(id: number, number: string, cents: number): Invoice {
  return {
    id,
    number,
    issued_on: '2026-11-01',
    due_on: '2026-11-30',
    amount_cents: cents,
    currency: 'EUR',
    status: 'overdue',
    period: '2026-10',
  };
}

function tabs(): string[] {
  return screen.getAllByRole('tab').map((t) => t.textContent?.trim() ?? '');
}

describe('billing', () => {
  it('offers each part only with its right', () => {
    expect(billingSections(ME)).toEqual([]);
    expect(billingSections(withRights({ invoices: true }))).toEqual(['invoices', 'charges']);
    expect(billingSections(withRights({ call_records: true }))).toEqual(['calls']);
    expect(billingSections(withRights({ invoices: true, call_records: true }))).toEqual([
      'invoices',
      'calls',
      'charges',
    ]);
    expect(billingSections({ ...withRights({ invoices: true }), organisation: null })).toEqual([]);
  });

  it('shows only the tabs of the rights held', async () => {
    render(BillingScreen, { me: withRights({ call_records: true }), onSignedOut: vi.fn() });
    expect(tabs()).toEqual(['Call records']);
    await vi.waitFor(() => expect(platform.callRecords).toHaveBeenCalledWith(null));
    expect(platform.invoices).not.toHaveBeenCalled();
    expect(await screen.findByTestId('call-records-empty')).toBeTruthy();
  });

  it('pages the invoices and writes amounts in the chosen language', async () => {
    locale.set('it');
    vi.mocked(platform.invoices)
      .mockResolvedValueOnce({ invoices: [invoice(2, '2026-1142', 4900)], next_cursor: 'c2' })
      .mockResolvedValueOnce({ invoices: [invoice(1, '2026-1001', 123456)], next_cursor: null });
    try {
      render(BillingScreen, { me: withRights({ invoices: true, call_records: true }), onSignedOut: vi.fn() });
      expect(tabs()).toEqual(['Fatture', 'Chiamate', 'Risposte prioritarie']);
      await vi.waitFor(() => expect(screen.getAllByTestId('invoice-row')).toHaveLength(1));
      const amount = screen.getByTestId('invoice-amount').textContent ?? '';
      expect(amount.replace(/\s/g, ' ')).toBe('49,00 €');
      expect(screen.getByTestId('invoice-row').textContent).toContain('Scaduta');
      expect(accessibilityProblems()).toEqual([]);

      await fireEvent.click(screen.getByTestId('invoices-more'));
      await vi.waitFor(() => expect(screen.getAllByTestId('invoice-row')).toHaveLength(2));
      expect(platform.invoices).toHaveBeenLastCalledWith('c2');
      expect(screen.queryByTestId('invoices-more')).toBeNull();
    } finally {
      locale.set('en');
    }
  });

  it('shows the charges, pending or with their invoice', async () => {
    vi.mocked(platform.expediteCharges).mockResolvedValue({
      charges: [
        {
          id: 7,
          ticket_id: 42,
          price: { amount_minor: 4900, currency: 'EUR' },
          requested_by_id: 1,
          requested_by_name: 'Ursula User',
          requested_at: '2026-11-05T10:00:00Z',
          terms: 'terms',
          invoice_id: null,
        },
      ],
      next_cursor: null,
    });
    render(BillingScreen, { me: withRights({ invoices: true }), onSignedOut: vi.fn() });
    await fireEvent.click(screen.getAllByRole('tab')[1] as HTMLElement);
    const row = await screen.findByTestId('charge-row');
    expect(row.textContent).toContain('#42');
    expect(row.textContent).toContain('€49.00');
    expect(row.textContent).toContain('Not billed yet');
  });

  it('hands an ended session to the window and shows other errors with a retry', async () => {
    const onSignedOut = vi.fn();
    vi.mocked(platform.invoices).mockRejectedValueOnce(new AppError('signed_out', 'expired'));
    render(BillingScreen, { me: withRights({ invoices: true }), onSignedOut });
    await vi.waitFor(() => expect(onSignedOut).toHaveBeenCalled());
    cleanup();

    vi.mocked(platform.callRecords).mockRejectedValueOnce(new AppError('network', 'offline'));
    render(BillingScreen, { me: withRights({ call_records: true }), onSignedOut: vi.fn() });
    expect((await screen.findByTestId('call-records-error')).textContent).toContain('Cannot reach the helpdesk');
    expect(accessibilityProblems()).toEqual([]);
    await fireEvent.click(screen.getByTestId('call-records-error-retry'));
    expect(await screen.findByTestId('call-records-empty')).toBeTruthy();
  });

  it('writes call lengths as minutes and seconds', () => {
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(0)).toBe('0:00');
  });
});
