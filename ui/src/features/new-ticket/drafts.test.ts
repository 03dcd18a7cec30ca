import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import type { Draft } from '../../lib/platform';
import { NO_DETAILS, ticket } from '../../test/fixtures';
import NewTicketForm from './NewTicketForm.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

function field<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function props(overrides: Record<string, unknown> = {}) {
  return {
    onCreated: vi.fn(),
    onQueued: vi.fn(),
    onCancel: vi.fn(),
    onDraftsChanged: vi.fn(),
    onAddToTicket: vi.fn(),
    ...overrides,
  };
}

const SAVED: Draft = {
  id: 'd-7',
  kind: 'new_ticket',
  ticket_id: null,
  ticket: {
    department: 'technical',
    priority: 'high',
    subject: 'Backups stopped',
    body: 'Since Sunday  ',
    details: {
      ...NO_DETAILS,
      affected_service: 'Managed VPS',
      reference: '203.0.113.24',
      incident_started_at: '2025-03-02T08:30:00Z',
      incident_time_zone: 'Europe/Rome',
      steps: 'Open the panel',
    },
  },
  text: null,
  summary: 'Backups stopped',
  updated_at: '2025-03-02T09:00:00Z',
};

describe('new ticket drafts', () => {
  it('saves the form as the user types, once typing pauses, into one draft', async () => {
    vi.useFakeTimers();
    try {
      const onDraftsChanged = vi.fn();
      render(NewTicketForm, props({ onDraftsChanged }));
      await fireEvent.input(field('subject'), { target: { value: 'VPN' } });
      await fireEvent.input(field('subject'), { target: { value: 'VPN drops' } });
      expect(platform.saveDraft).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(300);
      expect(platform.saveDraft).toHaveBeenCalledTimes(1);
      expect(vi.mocked(platform.saveDraft).mock.calls[0]?.[0]).toMatchObject({
        id: null,
        kind: 'new_ticket',
        ticket: { subject: 'VPN drops', body: '', department: 'technical' },
      });
      expect(screen.getByTestId('draft-saved').textContent).toBe('Draft saved');
      expect(onDraftsChanged).toHaveBeenCalled();

      // The next save replaces the same draft.
      await fireEvent.input(field('body'), { target: { value: 'Every hour.' } });
      expect(screen.getByTestId('draft-saved').textContent).toBe('');
      await vi.advanceTimersByTimeAsync(300);
      expect(vi.mocked(platform.saveDraft).mock.calls[1]?.[0]).toMatchObject({
        id: 'draft-1',
        ticket: { subject: 'VPN drops', body: 'Every hour.' },
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('saves nothing for a form left blank', async () => {
    vi.useFakeTimers();
    try {
      render(NewTicketForm, props());
      await fireEvent.change(field('priority'), { target: { value: 'high' } });
      await vi.advanceTimersByTimeAsync(1000);
      expect(platform.saveDraft).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('continues a draft exactly as left, guided answers included', () => {
    render(NewTicketForm, props({ draft: SAVED }));
    expect(field<HTMLSelectElement>('department').value).toBe('technical');
    expect(field<HTMLSelectElement>('priority').value).toBe('high');
    expect(field<HTMLInputElement>('subject').value).toBe('Backups stopped');
    expect(field<HTMLTextAreaElement>('body').value).toBe('Since Sunday  ');
    expect(field<HTMLInputElement>('affected-service').value).toBe('Managed VPS');
    expect(field<HTMLInputElement>('reference').value).toBe('203.0.113.24');
    expect(field<HTMLInputElement>('incident-date').value).toBe('2025-03-02');
    expect(field<HTMLInputElement>('incident-time').value).toBe('09:30');
    expect(field<HTMLSelectElement>('incident-time-zone').value).toBe('Europe/Rome');
    expect(field<HTMLTextAreaElement>('steps').value).toBe('Open the panel');
  });

  it('files from the draft so the draft goes with it, and saves no more', async () => {
    vi.mocked(platform.createTicket).mockResolvedValue({
      outcome: 'sent',
      ticket: ticket(9, 'Backups stopped', '2025-03-02T09:00:00Z'),
    });
    const onCreated = vi.fn();
    render(NewTicketForm, props({ draft: SAVED, onCreated }));
    await fireEvent.input(field('body'), { target: { value: 'Since Sunday night.' } });
    await fireEvent.click(field('new-ticket-submit'));
    await vi.waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(vi.mocked(platform.createTicket).mock.calls[0]?.[1]).toBe('d-7');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(platform.saveDraft).not.toHaveBeenCalled();
  });

  it('suggests similar open tickets as the subject is typed and adds to one instead', async () => {
    const similar = ticket(4, 'Website returns 502 Bad Gateway', '2025-03-01T09:00:00Z');
    vi.mocked(platform.similarTickets).mockResolvedValue([
      { ticket: similar, snippet: 'Website returns \u0002502\u0003 Bad Gateway' },
    ]);
    const onAddToTicket = vi.fn();
    render(NewTicketForm, props({ onAddToTicket }));
    await fireEvent.input(field('subject'), { target: { value: 'Website returns 502' } });
    await fireEvent.input(field('body'), { target: { value: 'The shop is down.' } });
    const region = await screen.findByTestId('similar-tickets');
    expect(platform.similarTickets).toHaveBeenCalledWith('Website returns 502', 'The shop is down.');
    const items = screen.getAllByTestId('similar-ticket');
    expect(items).toHaveLength(1);
    expect(items[0]?.textContent).toContain('Website returns 502 Bad Gateway');
    expect(region.querySelector('mark')?.textContent).toBe('502');

    await fireEvent.click(screen.getByTestId('add-to-ticket'));
    await vi.waitFor(() => expect(onAddToTicket).toHaveBeenCalledWith(similar, 'The shop is down.'));
    // The new-ticket draft is kept, saved as it was.
    expect(platform.saveDraft).toHaveBeenCalled();
    expect(platform.discardDraft).not.toHaveBeenCalled();
  });
});
