import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import { ticket } from '../../test/fixtures';
import NewTicketForm from './NewTicketForm.svelte';
import { validateTicket } from './validate';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

function field<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

describe('new ticket form', () => {
  it('refuses a blank subject without calling createTicket', async () => {
    render(NewTicketForm, { onCreated: vi.fn(), onCancel: vi.fn() });

    await fireEvent.input(field('subject'), { target: { value: '   ' } });
    await fireEvent.input(field('body'), { target: { value: 'The VPN drops every hour.' } });
    await fireEvent.click(field('new-ticket-submit'));

    expect(screen.getByTestId('subject-problem').textContent?.trim()).toBe('Enter a subject.');
    expect(field('subject').getAttribute('aria-invalid')).toBe('true');
    expect(platform.createTicket).not.toHaveBeenCalled();
  });

  it('sends a valid ticket and hands back the stored one', async () => {
    const stored = ticket(42, 'VPN drops', '2025-01-01T10:00:00Z');
    vi.mocked(platform.createTicket).mockResolvedValue(stored);
    const onCreated = vi.fn();
    render(NewTicketForm, { onCreated, onCancel: vi.fn() });

    await fireEvent.change(field('department'), { target: { value: 'billing' } });
    await fireEvent.change(field('priority'), { target: { value: 'high' } });
    await fireEvent.input(field('subject'), { target: { value: '  VPN drops ' } });
    await fireEvent.input(field('body'), { target: { value: 'Every hour.' } });
    await fireEvent.click(field('new-ticket-submit'));

    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(stored));
    expect(platform.createTicket).toHaveBeenCalledWith({
      department: 'billing',
      priority: 'high',
      subject: 'VPN drops',
      body: 'Every hour.',
    });
  });

  it("shows the server's validation message", async () => {
    vi.mocked(platform.createTicket).mockRejectedValue(
      new AppError('validation', 'description must be at most 20000 characters'),
    );
    const onCreated = vi.fn();
    render(NewTicketForm, { onCreated, onCancel: vi.fn() });

    await fireEvent.input(field('subject'), { target: { value: 'Invoice' } });
    await fireEvent.input(field('body'), { target: { value: 'Wrong amount.' } });
    await fireEvent.click(field('new-ticket-submit'));

    const error = await screen.findByTestId('new-ticket-error');
    expect(error.textContent?.trim()).toBe('description must be at most 20000 characters');
    expect(onCreated).not.toHaveBeenCalled();
  });

  it('cancels', async () => {
    const onCancel = vi.fn();
    render(NewTicketForm, { onCreated: vi.fn(), onCancel });
    await fireEvent.click(field('new-ticket-cancel'));
    expect(onCancel).toHaveBeenCalledOnce();
  });
});

describe('validateTicket', () => {
  const base = { department: 'technical', priority: 'regular', subject: 'S', body: 'B' } as const;

  it('accepts the limits and refuses one more character', () => {
    expect(validateTicket({ ...base, subject: 'x'.repeat(200), body: 'y'.repeat(20_000) })).toEqual({});
    expect(validateTicket({ ...base, subject: 'x'.repeat(201) }).subject?.key).toBe(
      'newTicket.subjectTooLong',
    );
    expect(validateTicket({ ...base, body: 'y'.repeat(20_001) }).body?.key).toBe(
      'newTicket.bodyTooLong',
    );
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validateTicket({ ...base, subject: '😀'.repeat(200) })).toEqual({});
  });

  it('refuses a blank body', () => {
    expect(validateTicket({ ...base, body: ' \n ' }).body?.key).toBe('newTicket.bodyRequired');
  });
});
