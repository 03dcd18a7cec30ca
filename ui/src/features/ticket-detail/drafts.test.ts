import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import Composer from './Composer.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

function props(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'reply' as const,
    ticketId: 5,
    pending: [],
    onSent: vi.fn(),
    onQueued: vi.fn(),
    onSessionLost: vi.fn(),
    ...overrides,
  };
}

function box(): HTMLTextAreaElement {
  return document.getElementById('reply-body') as HTMLTextAreaElement;
}

describe('reply drafts', () => {
  it('restores the ticket reply draft when the ticket is opened again', async () => {
    vi.mocked(platform.listDrafts).mockResolvedValue([
      {
        id: 'reply:5',
        kind: 'reply',
        ticket_id: 5,
        ticket: null,
        text: 'Half a reply',
        summary: 'Half a reply',
        updated_at: '2025-03-02T09:00:00Z',
      },
    ]);
    render(Composer, props());
    await vi.waitFor(() => expect(box().value).toBe('Half a reply'));
  });

  it('saves the reply as typed and sends it from its draft', async () => {
    vi.useFakeTimers();
    try {
      vi.mocked(platform.replyToTicket).mockResolvedValue({
        outcome: 'sent',
        message: {
          id: 1,
          ticket_id: 5,
          author_id: 1,
          author_name: 'Me',
          author_kind: 'customer',
          body: 'Thanks',
          internal: false,
          created_at: '2025-03-02T09:00:00Z',
        },
      });
      render(Composer, props());
      await fireEvent.input(box(), { target: { value: 'Thanks' } });
      await vi.advanceTimersByTimeAsync(300);
      expect(platform.saveDraft).toHaveBeenCalledWith({
        id: 'reply:5',
        kind: 'reply',
        ticket_id: 5,
        ticket: null,
        text: 'Thanks',
      });
      expect(screen.getByTestId('reply-draft-saved').textContent).toBe('Draft saved');
      await fireEvent.click(document.getElementById('reply-submit') as HTMLElement);
      await vi.waitFor(() => expect(platform.replyToTicket).toHaveBeenCalledWith(5, 'Thanks', 'reply:5'));
      // Cleared: an emptied box discards the draft.
      await fireEvent.input(box(), { target: { value: 'x' } });
      await vi.advanceTimersByTimeAsync(300);
      await fireEvent.input(box(), { target: { value: '' } });
      await vi.advanceTimersByTimeAsync(300);
      expect(platform.discardDraft).toHaveBeenCalledWith('reply:5');
    } finally {
      vi.useRealTimers();
    }
  });

  it('starts with the text handed over, replacing the saved draft', async () => {
    render(Composer, props({ prefill: 'From the new-ticket form' }));
    expect(box().value).toBe('From the new-ticket form');
    await vi.waitFor(() =>
      expect(platform.saveDraft).toHaveBeenCalledWith(
        expect.objectContaining({ id: 'reply:5', text: 'From the new-ticket form' }),
      ),
    );
    expect(platform.listDrafts).not.toHaveBeenCalled();
  });

  it('keeps no draft for a reopen', async () => {
    vi.useFakeTimers();
    try {
      render(Composer, props({ kind: 'reopen' }));
      const details = document.getElementById('reopen-details') as HTMLTextAreaElement;
      await fireEvent.input(details, { target: { value: 'Back again' } });
      await vi.advanceTimersByTimeAsync(1000);
      expect(platform.saveDraft).not.toHaveBeenCalled();
      expect(platform.listDrafts).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});
