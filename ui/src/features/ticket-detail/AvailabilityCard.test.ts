import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import type { Availability, Ticket } from '../../lib/platform';
import { accessibilityProblems } from '../../test/a11y';
import { ticket, writeItem } from '../../test/fixtures';
import { localTimeZone } from '../../lib/time/zoned';
import AvailabilityCard from './AvailabilityCard.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const T = ticket(5, 'Mail server down', '2025-05-01T09:00:00Z');
const SAID: Availability = {
  time_zone: 'Asia/Tokyo',
  weekly: [{ days: ['mon', 'wed', 'fri'], from: '09:00', to: '17:30' }],
  dated: [{ starts_at: '2026-03-10T00:00:00Z', ends_at: '2026-03-10T03:00:00Z' }],
  note: 'Ring the bell twice',
};

function props(overrides: Record<string, unknown> = {}) {
  return { ticket: T, pending: [], onChanged: vi.fn(), onSessionLost: vi.fn(), ...overrides };
}

function input(id: string): HTMLInputElement {
  return document.getElementById(id) as HTMLInputElement;
}

describe('availability', () => {
  it("shows the customer's windows in their zone and says nothing was set otherwise", () => {
    const { unmount } = render(AvailabilityCard, props());
    expect(screen.getByTestId('availability-none')).toBeTruthy();
    unmount();

    render(AvailabilityCard, props({ ticket: { ...T, availability: SAID } }));
    expect(screen.getByTestId('availability-zone').textContent).toContain('Asia/Tokyo');
    expect(screen.getByTestId('availability-weekly').textContent?.trim()).toBe('Mon, Wed, Fri, 09:00–17:30');
    // 00:00 UTC is 09:00 in Tokyo, whatever this computer's zone.
    const dated = screen.getByTestId('availability-dated').textContent ?? '';
    expect(dated).toContain('9:00');
    expect(dated).toContain('12:00');
    expect(screen.getByTestId('availability-note').textContent).toBe('Ring the bell twice');
    expect(accessibilityProblems()).toEqual([]);
  });

  it('sets weekly and one-off windows in the chosen zone, defaulting to the system one', async () => {
    const sent: Ticket = { ...T, availability: SAID };
    vi.mocked(platform.setAvailability).mockResolvedValue({ outcome: 'sent', ticket: sent });
    const onChanged = vi.fn();
    render(AvailabilityCard, props({ onChanged }));
    await fireEvent.click(screen.getByText('Say when we can reach you'));

    const zone = document.getElementById('availability-zone-select') as HTMLSelectElement;
    expect(zone.value).toBe(localTimeZone());
    expect(document.activeElement).toBe(zone);
    await fireEvent.change(zone, { target: { value: 'Europe/Rome' } });
    // One weekly row to start with: Monday to Friday, 09:00-17:00.
    expect(input('availability-weekly-0-mon').checked).toBe(true);
    expect(input('availability-weekly-0-sat').checked).toBe(false);
    await fireEvent.click(input('availability-weekly-0-fri'));
    await fireEvent.click(input('availability-weekly-0-sat'));
    await fireEvent.input(input('availability-weekly-0-from'), { target: { value: '08:30' } });
    await fireEvent.click(screen.getByText('Add a one-off time'));
    await fireEvent.input(input('availability-dated-0-start-date'), { target: { value: '2026-07-01' } });
    await fireEvent.input(input('availability-dated-0-end-date'), { target: { value: '2026-07-01' } });
    await fireEvent.input(input('availability-note'), { target: { value: '  Desk phone only  ' } });
    expect(accessibilityProblems()).toEqual([]);
    await fireEvent.submit(document.getElementById('availability-form') as HTMLFormElement);

    expect(platform.setAvailability).toHaveBeenCalledExactlyOnceWith(5, {
      time_zone: 'Europe/Rome',
      weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'sat'], from: '08:30', to: '17:00' }],
      // 09:00 and 12:00 in Rome in summer (UTC+2).
      dated: [{ starts_at: '2026-07-01T07:00:00Z', ends_at: '2026-07-01T10:00:00Z' }],
      note: 'Desk phone only',
    });
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(document.getElementById('availability-form')).toBeNull();
    expect(screen.getByTestId('availability-status').textContent).toContain('Saved');
  });

  it("shows the core's validation message inline and keeps the form", async () => {
    vi.mocked(platform.setAvailability).mockRejectedValue(
      new AppError('validation', 'weekly window 1: "to" must differ from "from"'),
    );
    render(AvailabilityCard, props());
    await fireEvent.click(screen.getByText('Say when we can reach you'));
    await fireEvent.submit(document.getElementById('availability-form') as HTMLFormElement);
    const error = await screen.findByTestId('availability-error');
    expect(error.textContent).toBe('weekly window 1: "to" must differ from "from"');
    expect(error.getAttribute('role')).toBe('alert');
    expect(document.getElementById('availability-form')).not.toBeNull();
  });

  it('asks for a whole date and time before sending a one-off window', async () => {
    render(AvailabilityCard, props());
    await fireEvent.click(screen.getByText('Say when we can reach you'));
    await fireEvent.click(screen.getByText('Add a one-off time'));
    await fireEvent.submit(document.getElementById('availability-form') as HTMLFormElement);
    expect(screen.getByTestId('availability-error').textContent).toBe(
      'One-off time 1: enter a start and end date and time.',
    );
    expect(platform.setAvailability).not.toHaveBeenCalled();
  });

  it("shows the helpdesk's refusal when the write failed", async () => {
    vi.mocked(platform.setAvailability).mockResolvedValue({
      outcome: 'queued',
      item: writeItem(8, 5, '', 'failed', { code: 'validation', message: 'unknown time zone' }, 'set_availability'),
    });
    render(AvailabilityCard, props());
    await fireEvent.click(screen.getByText('Say when we can reach you'));
    await fireEvent.submit(document.getElementById('availability-form') as HTMLFormElement);
    expect((await screen.findByTestId('availability-error')).textContent).toBe('unknown time zone');
  });

  it('shows a pending badge while the write waits, and a failed one with the reason', () => {
    const waiting = writeItem(9, 5, 'Mon-Fri 09:00-17:00 (Europe/Rome)', 'pending', null, 'set_availability');
    const { unmount } = render(AvailabilityCard, props({ pending: [waiting] }));
    expect(screen.getByTestId('availability-pending').textContent).toBe('Waiting to be sent');
    expect(screen.getByTestId('availability-status').textContent).toContain('Mon-Fri 09:00-17:00');
    unmount();

    const failed = writeItem(9, 5, 'x', 'failed', { code: 'validation', message: 'too many windows' }, 'set_availability');
    render(AvailabilityCard, props({ pending: [failed] }));
    expect(screen.getByTestId('availability-refused').textContent).toContain('too many windows');
  });

  it('clears what was said, and Escape closes the editor without leaving', async () => {
    vi.mocked(platform.setAvailability).mockResolvedValue({ outcome: 'sent', ticket: T });
    render(AvailabilityCard, props({ ticket: { ...T, availability: SAID } }));
    await fireEvent.click(screen.getByText('Change'));
    const zone = document.getElementById('availability-zone-select') as HTMLSelectElement;
    expect(zone.value).toBe('Asia/Tokyo');
    expect(input('availability-dated-0-start-time').value).toBe('09:00');
    const escape = await fireEvent.keyDown(zone, { key: 'Escape' });
    expect(escape).toBe(false);
    expect(document.getElementById('availability-form')).toBeNull();
    await vi.waitFor(() => expect(document.activeElement?.id).toBe('availability-edit'));

    await fireEvent.click(screen.getByText('Clear'));
    expect(platform.setAvailability).toHaveBeenCalledExactlyOnceWith(5, null);
    await vi.waitFor(() => expect(screen.getByTestId('availability-status').textContent).toContain('Cleared'));
  });
});
