import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import type { PickedFile, ScrubOffer } from '../../lib/platform';
import { ticket } from '../../test/fixtures';
import NewTicketForm from '../new-ticket/NewTicketForm.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const REPORT = {
  id: '1',
  sections: [
    { id: 'system', title: 'System' },
    { id: 'display', title: 'Display' },
    { id: 'log', title: "Deskmate's recent log" },
  ],
};

const DIAGNOSTICS: PickedFile = {
  id: 'file-9',
  file_name: 'diagnostics.txt',
  size_bytes: 40,
  kind: 'text',
};

/** What the shell renders: each kept section under its title. */
function rendered(sections: string[]) {
  const text = sections.map((s) => `== ${s} ==\n${s} facts\n\n`).join('');
  return { text, sha256: 'ab', file: { ...DIAGNOSTICS, id: `${DIAGNOSTICS.id}?${sections.join(',')}` } };
}

function el<E extends HTMLElement>(id: string): E {
  return document.getElementById(id) as E;
}

function form() {
  const onCreated = vi.fn();
  render(NewTicketForm, { onCreated, onQueued: vi.fn(), onCancel: vi.fn() });
  return onCreated;
}

async function fillAndSend(): Promise<void> {
  await fireEvent.input(el('subject'), { target: { value: 'Mail sync fails' } });
  await fireEvent.input(el('body'), { target: { value: 'Since this morning.' } });
  await fireEvent.click(el('new-ticket-submit'));
}

describe('attach diagnostics', () => {
  it('shows the text of the ticked sections and sends exactly that file', async () => {
    vi.mocked(platform.collectDiagnostics).mockResolvedValue(REPORT);
    vi.mocked(platform.renderDiagnostics).mockImplementation((_id, sections) =>
      Promise.resolve(rendered(sections)),
    );
    const stored = ticket(42, 'Mail sync fails', '2025-01-01T10:00:00Z');
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'sent', ticket: stored });
    const onCreated = form();
    expect(screen.queryByTestId('diagnostics-text')).toBeNull();

    await fireEvent.click(screen.getByTestId('diagnostics-attach'));
    await vi.waitFor(() =>
      expect(screen.getByTestId('diagnostics-text').textContent).toBe(rendered(['system', 'display', 'log']).text),
    );
    expect(platform.collectDiagnostics).toHaveBeenCalledTimes(1);

    await fireEvent.click(screen.getByTestId('diagnostics-section-display'));
    await vi.waitFor(() =>
      expect(screen.getByTestId('diagnostics-text').textContent).toBe(rendered(['system', 'log']).text),
    );
    expect(vi.mocked(platform.renderDiagnostics).mock.lastCall).toEqual(['1', ['system', 'log']]);
    // Collected once: unticking renders the same collection again.
    expect(platform.collectDiagnostics).toHaveBeenCalledTimes(1);

    await fillAndSend();
    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(stored));
    const call = vi.mocked(platform.createTicket).mock.calls[0]!;
    expect(call[2]).toEqual([rendered(['system', 'log']).file.id]);
  });

  it('attaches nothing when every section is unticked or the box is cleared', async () => {
    vi.mocked(platform.collectDiagnostics).mockResolvedValue(REPORT);
    vi.mocked(platform.renderDiagnostics).mockImplementation((_id, sections) =>
      Promise.resolve(rendered(sections)),
    );
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'sent', ticket: ticket(43, 'x', '2025-01-01T10:00:00Z') });
    form();
    await fireEvent.click(screen.getByTestId('diagnostics-attach'));
    await vi.waitFor(() => expect(screen.getByTestId('diagnostics-text')).toBeTruthy());
    for (const id of ['system', 'display', 'log']) {
      await fireEvent.click(screen.getByTestId(`diagnostics-section-${id}`));
    }
    await vi.waitFor(() => expect(screen.getByTestId('diagnostics-none')).toBeTruthy());
    expect(screen.queryByTestId('diagnostics-text')).toBeNull();

    await fillAndSend();
    await vi.waitFor(() => expect(platform.createTicket).toHaveBeenCalled());
    expect(vi.mocked(platform.createTicket).mock.calls[0]!.length).toBe(1);
  });
});

describe('scrub offer', () => {
  const LOG: PickedFile = { id: 'file-1', file_name: 'sync.log', size_bytes: 200, kind: 'text' };
  const SCRUBBED: PickedFile = { ...LOG, id: 'file-2', size_bytes: 180 };
  const OFFER: ScrubOffer = {
    original: LOG,
    removed: [
      { kind: 'authorization_header', count: 1 },
      { kind: 'key_value', count: 2 },
    ],
    scrubbed: SCRUBBED,
  };

  it('holds a text file with secrets back and sends the scrubbed copy when accepted', async () => {
    vi.mocked(platform.pickFiles).mockResolvedValue([LOG]);
    vi.mocked(platform.scrubOffer).mockResolvedValue(OFFER);
    const stored = ticket(44, 'Mail sync fails', '2025-01-01T10:00:00Z');
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'sent', ticket: stored });
    const onCreated = form();

    await fireEvent.click(el('new-ticket-attach'));
    const offer = await vi.waitFor(() => screen.getByTestId('scrub-offer'));
    expect(offer.textContent).toContain('sync.log seems to contain 3 secrets');
    const removed = within(offer).getAllByRole('listitem').map((li) => li.textContent?.trim());
    expect(removed).toEqual(['Authorization headers: 1', 'Passwords and keys in settings: 2']);
    expect(screen.queryAllByTestId('chosen-file')).toHaveLength(0);

    await fireEvent.click(screen.getByTestId('scrub-accept'));
    expect(screen.queryByTestId('scrub-offer')).toBeNull();
    expect(screen.getAllByTestId('chosen-name').map((n) => n.textContent)).toEqual(['sync.log']);

    await fillAndSend();
    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(stored));
    expect(vi.mocked(platform.createTicket).mock.calls[0]![2]).toEqual([SCRUBBED.id]);
  });

  it('sends the file as it is when the user says so, and asks nothing of clean files', async () => {
    const PNG: PickedFile = { id: 'file-3', file_name: 'shot.png', size_bytes: 10, kind: 'png' };
    vi.mocked(platform.pickFiles).mockResolvedValue([LOG, PNG]);
    vi.mocked(platform.scrubOffer).mockResolvedValue(OFFER);
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'sent', ticket: ticket(45, 'x', '2025-01-01T10:00:00Z') });
    form();
    await fireEvent.click(el('new-ticket-attach'));
    await vi.waitFor(() => screen.getByTestId('scrub-offer'));
    // Only the text file is asked about.
    expect(platform.scrubOffer).toHaveBeenCalledTimes(1);
    expect(screen.getAllByTestId('chosen-name').map((n) => n.textContent)).toEqual(['shot.png']);
    await fireEvent.click(screen.getByTestId('scrub-decline'));
    expect(screen.getAllByTestId('chosen-name').map((n) => n.textContent)).toEqual(['shot.png', 'sync.log']);
    await fillAndSend();
    await vi.waitFor(() => expect(platform.createTicket).toHaveBeenCalled());
    expect(vi.mocked(platform.createTicket).mock.calls[0]![2]).toEqual([PNG.id, LOG.id]);
  });

  it('offers a dropped text file for scrubbing like a chosen one, and adds a dropped picture once', async () => {
    const PNG: PickedFile = { id: 'file-3', file_name: 'shot.png', size_bytes: 10, kind: 'png' };
    const dropped: { handler?: (files: PickedFile[]) => void } = {};
    vi.mocked(platform.onFilesDropped).mockImplementation((handler) => {
      dropped.handler = handler;
      return () => {};
    });
    vi.mocked(platform.scrubOffer).mockResolvedValue(OFFER);
    form();
    await vi.waitFor(() => expect(dropped.handler).toBeDefined());
    dropped.handler?.([LOG, PNG, PNG]);
    const offer = await vi.waitFor(() => screen.getByTestId('scrub-offer'));
    expect(offer.textContent).toContain('sync.log seems to contain 3 secrets');
    expect(screen.getAllByTestId('chosen-name').map((n) => n.textContent)).toEqual(['shot.png']);
    await fireEvent.click(screen.getByTestId('scrub-accept'));
    expect(screen.getAllByTestId('chosen-name').map((n) => n.textContent)).toEqual(['shot.png', 'sync.log']);
  });
});

describe("the helpdesk's attachment limits", () => {
  it('refuses at once what the helpdesk would refuse, with its own limits', async () => {
    vi.mocked(platform.attachmentLimits).mockResolvedValue({
      max_file_bytes: 1000,
      max_ticket_bytes: 1500,
      max_ticket_files: 50,
      kinds: ['png', 'text'],
      image_max_side: 16_384,
      image_max_pixels: 40_000_000,
    });
    const files: PickedFile[] = [
      { id: 'file-a', file_name: 'a.txt', size_bytes: 1001, kind: 'text' },
      { id: 'file-b', file_name: 'b.pdf', size_bytes: 600, kind: 'pdf' },
    ];
    vi.mocked(platform.pickFiles).mockResolvedValue(files);
    form();
    await vi.waitFor(() => expect(platform.attachmentLimits).toHaveBeenCalled());
    await vi.waitFor(() => expect(el('new-ticket-attach-hint').textContent).toContain('1,000 byte'));
    await fireEvent.click(el('new-ticket-attach'));
    await vi.waitFor(() => expect(screen.getAllByTestId('chosen-problem')).toHaveLength(2));
    const problems = screen.getAllByTestId('chosen-problem').map((p) => p.textContent);
    expect(problems[0]).toBe('a.txt is too big: at most 1,000 byte a file.');
    expect(problems[1]).toContain('b.pdf cannot be attached');
    expect(screen.getByTestId('chosen-together').textContent?.trim()).toBe(
      'Together the files are too big: a ticket holds at most 1.5 kB.',
    );

    await fillAndSend();
    expect(screen.getByTestId('new-ticket-files-problem')).toBeTruthy();
    expect(platform.createTicket).not.toHaveBeenCalled();
  });
});
