import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import { NO_DETAILS, outboxItem, ticket } from '../../test/fixtures';
import NewTicketForm from './NewTicketForm.svelte';
import { buildDetails, validateTicket } from './validate';

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
      details: NO_DETAILS,
    });
  });

  it('files the ticket with when the customer can be reached, if said', async () => {
    const stored = ticket(43, 'VPN drops', '2025-01-01T10:00:00Z');
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'sent', ticket: stored });
    render(NewTicketForm, props());
    const toggle = field('new-ticket-availability-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await fireEvent.change(field('new-ticket-availability-zone-select'), { target: { value: 'Europe/Prague' } });
    await fireEvent.input(field('new-ticket-availability-weekly-0-to'), { target: { value: '12:00' } });
    await fireEvent.click(screen.getByText('Add a one-off time'));
    await fillAndSend('VPN drops', 'Every hour.');
    // A one-off window needs its dates: nothing is sent until it has them.
    expect(screen.getByTestId('new-ticket-availability-problem').textContent).toBe(
      'One-off time 1: enter a start and end date and time.',
    );
    expect(platform.createTicket).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByText('Remove', { selector: '[data-testid=new-ticket-availability-dated-row] button' }));
    await fireEvent.click(field('new-ticket-submit'));
    await vi.waitFor(() => expect(platform.createTicket).toHaveBeenCalled());
    expect(vi.mocked(platform.createTicket).mock.calls[0]?.[0].availability).toEqual({
      time_zone: 'Europe/Prague',
      weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '12:00' }],
      dated: [],
      note: null,
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
      details: NO_DETAILS,
    });
    expect(platform.createTicket).toHaveBeenCalledOnce();
  });

  it('asks the technical questions and sends them, the start read in the chosen zone', async () => {
    const stored = ticket(43, 'Mail down', '2026-01-14T09:00:00Z');
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'sent', ticket: stored });
    const { onCreated, onQueued, onCancel } = props();
    render(NewTicketForm, { onCreated, onQueued, onCancel });

    expect(field<HTMLSelectElement>('department').value).toBe('technical');
    expect(document.querySelector('label[for=reference]')?.textContent).toContain(
      'Order number or server IP',
    );
    expect(document.querySelector('label[for=body]')?.textContent).toBe('What happened');
    expect(field<HTMLInputElement>('incident-date').type).toBe('date');
    expect(field<HTMLInputElement>('incident-time').type).toBe('time');
    const zone = field<HTMLSelectElement>('incident-time-zone');
    expect(zone.value).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect([...zone.options].map((o) => o.value)).toContain('Europe/Rome');

    await fireEvent.input(field('affected-service'), { target: { value: ' Managed VPS ' } });
    await fireEvent.input(field('reference'), { target: { value: '203.0.113.10' } });
    await fireEvent.input(field('subject'), { target: { value: 'Mail down' } });
    await fireEvent.input(field('body'), { target: { value: 'No mail since the night.' } });
    await fireEvent.input(field('incident-date'), { target: { value: '2026-01-14' } });
    await fireEvent.input(field('incident-time'), { target: { value: '02:10' } });
    await fireEvent.change(zone, { target: { value: 'Europe/Rome' } });
    await fireEvent.input(field('error-message'), { target: { value: '421 4.3.2 Service not available' } });
    await fireEvent.input(field('steps'), { target: { value: '1. Open Outlook\n2. Send' } });
    await fireEvent.input(field('tried'), { target: { value: '   ' } });
    await fireEvent.click(field('new-ticket-submit'));

    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(stored));
    expect(platform.createTicket).toHaveBeenCalledWith({
      department: 'technical',
      priority: 'regular',
      subject: 'Mail down',
      body: 'No mail since the night.',
      details: {
        affected_service: 'Managed VPS',
        reference: '203.0.113.10',
        incident_started_at: '2026-01-14T01:10:00Z',
        incident_time_zone: 'Europe/Rome',
        error_message: '421 4.3.2 Service not available',
        steps: '1. Open Outlook\n2. Send',
        tried: null,
      },
    });
  });

  it('sends null for every question left empty', async () => {
    vi.mocked(platform.createTicket).mockResolvedValue({
      outcome: 'sent',
      ticket: ticket(44, 'Slow', '2026-01-14T09:00:00Z'),
    });
    render(NewTicketForm, props());

    await fillAndSend('Slow', 'The site is slow.');

    await vi.waitFor(() => expect(platform.createTicket).toHaveBeenCalledOnce());
    expect(vi.mocked(platform.createTicket).mock.calls[0]?.[0].details).toEqual(NO_DETAILS);
  });

  it('asks billing only for the invoice and the service, and sends the rest as null', async () => {
    vi.mocked(platform.createTicket).mockResolvedValue({
      outcome: 'sent',
      ticket: ticket(45, 'Invoice', '2026-01-14T09:00:00Z'),
    });
    render(NewTicketForm, props());

    // Answers typed for technical support first, then the department changes.
    await fireEvent.input(field('reference'), { target: { value: '#123456' } });
    await fireEvent.input(field('incident-date'), { target: { value: '2026-01-14' } });
    await fireEvent.input(field('incident-time'), { target: { value: '02:10' } });
    await fireEvent.input(field('error-message'), { target: { value: 'Error 500' } });
    await fireEvent.input(field('steps'), { target: { value: 'Logged in' } });
    await fireEvent.input(field('tried'), { target: { value: 'Restarted' } });
    await fireEvent.change(field('department'), { target: { value: 'billing' } });

    for (const id of ['incident-date', 'incident-time', 'incident-time-zone', 'error-message', 'steps', 'tried']) {
      expect(field(id), id).toBeNull();
    }
    expect(document.querySelector('label[for=reference]')?.textContent).toContain('Invoice number');
    expect(document.querySelector('label[for=affected-service]')?.textContent).toContain(
      'Service or contract',
    );
    await fireEvent.input(field('reference'), { target: { value: 'INV-2026-0042' } });
    await fillAndSend('Invoice', 'Charged twice.');

    await vi.waitFor(() => expect(platform.createTicket).toHaveBeenCalledOnce());
    expect(platform.createTicket).toHaveBeenCalledWith({
      department: 'billing',
      priority: 'regular',
      subject: 'Invoice',
      body: 'Charged twice.',
      details: { ...NO_DETAILS, reference: 'INV-2026-0042' },
    });
  });

  it('labels the commercial questions', async () => {
    render(NewTicketForm, props());
    await fireEvent.change(field('department'), { target: { value: 'commercial' } });
    expect(document.querySelector('label[for=affected-service]')?.textContent).toContain(
      'Service you are interested in',
    );
    expect(document.querySelector('label[for=reference]')?.textContent).toContain(
      'Order or contract number',
    );
    expect(field('incident-date')).toBeNull();
  });

  it('explains what high priority means', () => {
    render(NewTicketForm, props());
    expect(document.getElementById('priority-hint')?.textContent).toBe(
      'High means a service is down or badly degraded: high tickets are answered first.',
    );
  });

  it('refuses an incident in the future, or a date without a time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-14T12:00:00Z'));
    try {
      render(NewTicketForm, props());
      await fireEvent.input(field('incident-date'), { target: { value: '2026-01-14' } });
      await fillAndSend('Mail down', 'No mail.');
      expect(screen.getByTestId('incident-problem').textContent?.trim()).toBe(
        'Enter both the date and the time, or neither.',
      );
      expect(document.activeElement?.id).toBe('incident-date');

      await fireEvent.input(field('incident-time'), { target: { value: '14:00' } });
      await fireEvent.change(field('incident-time-zone'), { target: { value: 'Asia/Tokyo' } });
      await fireEvent.click(field('new-ticket-submit'));
      // 14:00 in Tokyo is 05:00 UTC: in the past.
      await vi.waitFor(() => expect(platform.createTicket).toHaveBeenCalledOnce());
      expect(vi.mocked(platform.createTicket).mock.calls[0]?.[0].details.incident_started_at).toBe(
        '2026-01-14T05:00:00Z',
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses an incident start later than now in the chosen zone', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-14T12:00:00Z'));
    try {
      render(NewTicketForm, props());
      await fireEvent.input(field('incident-date'), { target: { value: '2026-01-14' } });
      await fireEvent.input(field('incident-time'), { target: { value: '08:00' } });
      await fireEvent.change(field('incident-time-zone'), { target: { value: 'America/New_York' } });
      await fillAndSend('Mail down', 'No mail.');

      expect(screen.getByTestId('incident-problem').textContent?.trim()).toBe(
        'The problem cannot start in the future.',
      );
      expect(field('incident-date').getAttribute('aria-invalid')).toBe('true');
      expect(platform.createTicket).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a reference that is too long, in the user\'s language', async () => {
    render(NewTicketForm, props());
    await fireEvent.input(field('reference'), { target: { value: 'x'.repeat(101) } });
    await fillAndSend('Mail down', 'No mail.');

    expect(screen.getByTestId('reference-problem').textContent?.trim()).toBe(
      'This field can be at most 100 characters long.',
    );
    expect(document.activeElement?.id).toBe('reference');
    expect(platform.createTicket).not.toHaveBeenCalled();
  });

  it('cancels', async () => {
    const onCancel = vi.fn();
    render(NewTicketForm, { ...props(), onCancel });
    await fireEvent.click(field('new-ticket-cancel'));
    expect(onCancel).toHaveBeenCalledOnce();
  });
});

describe('validateTicket', () => {
  const base = {
    department: 'technical',
    priority: 'regular',
    subject: 'S',
    body: 'B',
    details: NO_DETAILS,
  } as const;

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

  it('checks the limits of the details', () => {
    const at = (details: Partial<typeof NO_DETAILS>) =>
      validateTicket({ ...base, details: { ...NO_DETAILS, ...details } }, new Date('2026-01-14T12:00:00Z'));
    expect(
      at({
        affected_service: 's'.repeat(200),
        reference: 'r'.repeat(100),
        error_message: 'e'.repeat(20_000),
        steps: 's'.repeat(20_000),
        tried: 't'.repeat(20_000),
        incident_started_at: '2026-01-14T12:00:00Z',
        incident_time_zone: 'America/Argentina/Buenos_Aires',
      }),
    ).toEqual({});
    expect(at({ affected_service: 's'.repeat(201) }).affectedService).toEqual({
      key: 'newTicket.fieldTooLong',
      max: 200,
    });
    expect(at({ reference: 'r'.repeat(101) }).reference?.key).toBe('newTicket.fieldTooLong');
    expect(at({ error_message: 'e'.repeat(20_001) }).errorMessage?.key).toBe('newTicket.fieldTooLong');
    expect(at({ steps: 's'.repeat(20_001) }).steps?.key).toBe('newTicket.fieldTooLong');
    expect(at({ tried: 't'.repeat(20_001) }).tried?.key).toBe('newTicket.fieldTooLong');
    expect(at({ incident_started_at: '2026-01-14T12:01:00Z' }).incident?.key).toBe(
      'newTicket.incidentInFuture',
    );
    expect(at({ incident_time_zone: 'Europe/Rome; drop' }).incident?.key).toBe(
      'newTicket.incidentInvalid',
    );
  });
});

describe('buildDetails', () => {
  const answers = {
    affectedService: ' SIP trunk ',
    reference: ' 12345 ',
    incidentDate: '2026-07-01',
    incidentTime: '09:30',
    incidentTimeZone: 'Europe/Ljubljana',
    errorMessage: '  Trace:\n  at line 3',
    steps: 'Call',
    tried: '',
  };

  it('keeps what the department asks, trims lines and reads the start in its zone', () => {
    expect(buildDetails('technical', answers)).toEqual({
      details: {
        affected_service: 'SIP trunk',
        reference: '12345',
        incident_started_at: '2026-07-01T07:30:00Z',
        incident_time_zone: 'Europe/Ljubljana',
        error_message: '  Trace:\n  at line 3',
        steps: 'Call',
        tried: null,
      },
    });
    expect(buildDetails('commercial', answers)).toEqual({
      details: { ...NO_DETAILS, affected_service: 'SIP trunk', reference: '12345' },
    });
  });

  it('wants both the date and the time of the start', () => {
    expect(buildDetails('technical', { ...answers, incidentTime: '' }).incident?.key).toBe(
      'newTicket.incidentIncomplete',
    );
    expect(buildDetails('technical', { ...answers, incidentDate: '', incidentTime: '' }).incident).toBe(
      undefined,
    );
    expect(buildDetails('billing', { ...answers, incidentTime: '' }).incident).toBe(undefined);
  });
});
