import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import { outboxItem, ticket } from '../../test/fixtures';
import NewTicketForm from './NewTicketForm.svelte';
import { validateTicket } from './validate';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

function field<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function props() {
  return { onCreated: vi.fn(), onQueued: vi.fn(), onCancel: vi.fn() };
}

async function fillAndSend(subject: string, body: string): Promise<void> {
  await fireEvent.input(field('subject'), { target: { value: subject } });
  await fireEvent.input(field('body'), { target: { value: body } });
  await fireEvent.click(field('new-ticket-submit'));
}

describe('new ticket form', () => {
  it('refuses a blank subject without calling createTicket', async () => {
    render(NewTicketForm, props());

    await fireEvent.input(field('subject'), { target: { value: '   ' } });
    await fireEvent.input(field('body'), { target: { value: 'The VPN drops every hour.' } });
    await fireEvent.click(field('new-ticket-submit'));

    expect(screen.getByTestId('subject-problem').textContent?.trim()).toBe('Enter a subject.');
    expect(field('subject').getAttribute('aria-invalid')).toBe('true');
    expect(platform.createTicket).not.toHaveBeenCalled();
  });

  it('sends a valid ticket and hands back the stored one', async () => {
    const stored = ticket(42, 'VPN drops', '2025-01-01T10:00:00Z');
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'sent', ticket: stored });
    const { onCreated, onQueued, onCancel } = props();
    render(NewTicketForm, { onCreated, onQueued, onCancel });

    await fireEvent.change(field('department'), { target: { value: 'billing' } });
    await fireEvent.change(field('priority'), { target: { value: 'high' } });
    await fireEvent.input(field('subject'), { target: { value: '  VPN drops ' } });
    await fireEvent.input(field('body'), { target: { value: 'Every hour.' } });
    await fireEvent.click(field('new-ticket-submit'));

    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(stored));
    expect(onQueued).not.toHaveBeenCalled();
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
    const { onCreated, onQueued, onCancel } = props();
    render(NewTicketForm, { onCreated, onQueued, onCancel });

    await fireEvent.input(field('subject'), { target: { value: 'Invoice' } });
    await fireEvent.input(field('body'), { target: { value: 'Wrong amount.' } });
    await fireEvent.click(field('new-ticket-submit'));

    const error = await screen.findByTestId('new-ticket-error');
    expect(error.textContent?.trim()).toBe('description must be at most 20000 characters');
    expect(onCreated).not.toHaveBeenCalled();
  });

  it('hands a ticket queued for later to the outbox without an error', async () => {
    const item = outboxItem(5, 'Printer offline', 'pending');
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'queued', item });
    const { onCreated, onQueued, onCancel } = props();
    render(NewTicketForm, { onCreated, onQueued, onCancel });

    await fillAndSend('Printer offline', 'It says offline.');

    await vi.waitFor(() => expect(onQueued).toHaveBeenCalledWith(item));
    expect(onCreated).not.toHaveBeenCalled();
    expect(screen.queryByTestId('new-ticket-error')).toBeNull();
  });

  it("keeps what was typed and shows the helpdesk's reason when it refuses the ticket", async () => {
    const item = outboxItem(6, 'Invoice', 'failed', {
      code: 'validation',
      message: 'department billing is closed for your organisation',
    });
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'queued', item });
    const { onCreated, onQueued, onCancel } = props();
    render(NewTicketForm, { onCreated, onQueued, onCancel });

    await fillAndSend('Invoice', 'Wrong amount.');

    const error = await screen.findByTestId('new-ticket-error');
    expect(error.textContent).toContain('Not accepted by the helpdesk');
    expect(error.textContent).toContain('department billing is closed for your organisation');
    expect(onQueued).toHaveBeenCalledWith(item);
    expect(onCreated).not.toHaveBeenCalled();
    expect(field<HTMLInputElement>('subject').value).toBe('Invoice');
    expect(field<HTMLTextAreaElement>('body').value).toBe('Wrong amount.');
  });

  it('sends the corrected ticket in place of the refused one, not as a second ticket', async () => {
    const refused = outboxItem(6, 'Invoice', 'failed', { code: 'validation', message: 'no' });
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'queued', item: refused });
    const { onCreated, onQueued, onCancel } = props();
    render(NewTicketForm, { onCreated, onQueued, onCancel });
    await fireEvent.change(field('department'), { target: { value: 'billing' } });
    await fillAndSend('Invoice', 'Wrong amount.');
    await screen.findByTestId('new-ticket-error');

    vi.mocked(platform.listOutbox).mockResolvedValueOnce([refused]).mockResolvedValueOnce([]);
    vi.mocked(platform.retryOutboxItem).mockResolvedValue({
      sent: 1,
      failed: 0,
      pending: 0,
      online: true,
    });
    await fireEvent.change(field('department'), { target: { value: 'technical' } });
    await fireEvent.click(field('new-ticket-submit'));

    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(null));
    expect(platform.retryOutboxItem).toHaveBeenCalledWith(6, {
      department: 'technical',
      priority: 'regular',
      subject: 'Invoice',
      body: 'Wrong amount.',
    });
    expect(platform.createTicket).toHaveBeenCalledOnce();
  });

  it('cancels', async () => {
    const onCancel = vi.fn();
    render(NewTicketForm, { ...props(), onCancel });
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
