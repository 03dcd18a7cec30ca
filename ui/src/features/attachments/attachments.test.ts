import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import type { Attachment, PickedFile, TicketAttachment } from '../../lib/platform';
import { ME, ticket, view, writeItem } from '../../test/fixtures';
import NewTicketForm from '../new-ticket/NewTicketForm.svelte';
import TicketDetail from '../ticket-detail/TicketDetail.svelte';
import { ATTACHMENT_MAX_BYTES } from './files';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const T = ticket(5, 'Mail server down', '2025-05-01T09:00:00Z');
const SHOT: PickedFile = { id: 'file-1', file_name: 'shot.png', size_bytes: 1536, kind: 'png' };
const HUGE: PickedFile = {
  id: 'file-2',
  file_name: 'dump.zip',
  size_bytes: ATTACHMENT_MAX_BYTES + 1,
  kind: 'zip',
};
const EXE: PickedFile = { id: 'file-3', file_name: 'setup.exe', size_bytes: 10, kind: null };
const PIXEL = 'data:image/png;base64,iVBORw0KGgo=';

function sent(id: number, name: string, contentType: string): TicketAttachment {
  const a: Attachment = {
    id,
    ticket_id: 5,
    message_id: null,
    file_name: name,
    content_type: contentType,
    size_bytes: 2048,
    sha256: 'ab',
    width: null,
    height: null,
    author_kind: 'agent',
    author_name: 'Alice Agent',
    created_at: '2025-05-01T10:00:00Z',
  };
  return { state: 'sent', ...a };
}

function detailProps() {
  return {
    ticketId: 5,
    initial: T,
    me: ME,
    onClose: vi.fn(),
    onNewTicket: vi.fn(),
    onSignedOut: vi.fn(),
    onOutboxChanged: vi.fn(),
  };
}

function el<E extends HTMLElement>(id: string): E {
  return document.getElementById(id) as E;
}

describe('attaching files', () => {
  it('lists the chosen files, refuses those that cannot be sent, and replies with the rest', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(view(T));
    vi.mocked(platform.pickFiles).mockResolvedValue([SHOT, HUGE, EXE]);
    vi.mocked(platform.replyToTicket).mockResolvedValue({
      outcome: 'queued',
      item: { ...writeItem(9, 5, 'See the screenshot', 'pending'), files: [] },
    });
    render(TicketDetail, detailProps());
    await vi.waitFor(() => expect(el('reply-attach')).not.toBeNull());

    await fireEvent.click(el('reply-attach'));
    await vi.waitFor(() => expect(screen.getAllByTestId('chosen-file')).toHaveLength(3));
    const rows = screen.getAllByTestId('chosen-file');
    expect(within(rows[0]!).getByTestId('chosen-facts').textContent).toBe('1.5 kB · PNG image');
    expect(within(rows[1]!).getByTestId('chosen-problem').textContent).toBe(
      'dump.zip is too big: at most 10 MB a file.',
    );
    expect(within(rows[2]!).getByTestId('chosen-problem').textContent).toContain('setup.exe cannot be attached');

    await fireEvent.input(el('reply-body'), { target: { value: 'See the screenshot' } });
    await fireEvent.click(el('reply-submit'));
    expect(screen.getByTestId('reply-files-problem').textContent).toBe(
      'Remove the files that cannot be sent first.',
    );
    expect(platform.replyToTicket).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByRole('button', { name: 'Remove dump.zip' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Remove setup.exe' }));
    expect(document.activeElement).toBe(el('reply-attach'));
    await fireEvent.click(el('reply-submit'));
    await vi.waitFor(() =>
      expect(platform.replyToTicket).toHaveBeenCalledWith(5, 'See the screenshot', null, ['file-1']),
    );
    await vi.waitFor(() => expect(screen.queryAllByTestId('chosen-file')).toHaveLength(0));
  });

  it('files a new ticket with its screenshot', async () => {
    const stored = ticket(42, 'VPN drops', '2025-01-01T10:00:00Z');
    vi.mocked(platform.createTicket).mockResolvedValue({ outcome: 'sent', ticket: stored });
    vi.mocked(platform.pickFiles).mockResolvedValue([SHOT]);
    const onCreated = vi.fn();
    render(NewTicketForm, { onCreated, onQueued: vi.fn(), onCancel: vi.fn() });
    await fireEvent.click(el('new-ticket-attach'));
    await vi.waitFor(() => expect(screen.getAllByTestId('chosen-name')[0]?.textContent).toBe('shot.png'));
    // Chosen twice: listed once.
    await fireEvent.click(el('new-ticket-attach'));
    await vi.waitFor(() => expect(platform.pickFiles).toHaveBeenCalledTimes(2));
    expect(screen.getAllByTestId('chosen-file')).toHaveLength(1);

    await fireEvent.input(el('subject'), { target: { value: 'VPN drops' } });
    await fireEvent.input(el('body'), { target: { value: 'Every hour.' } });
    await fireEvent.click(el('new-ticket-submit'));
    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(stored));
    const call = vi.mocked(platform.createTicket).mock.calls[0]!;
    expect(call[2]).toEqual(['file-1']);
  });

  it('shows a dialog that failed inline', async () => {
    vi.mocked(platform.pickFiles).mockRejectedValue(new AppError('validation', 'cannot read /x: denied'));
    render(NewTicketForm, { onCreated: vi.fn(), onQueued: vi.fn(), onCancel: vi.fn() });
    await fireEvent.click(el('new-ticket-attach'));
    await vi.waitFor(() => expect(screen.getByTestId('attach-error').textContent).toBe('cannot read /x: denied'));
  });
});

describe("a ticket's files", () => {
  it('shows thumbnails of pictures, icons of others, and marks those not sent yet', async () => {
    const pending: TicketAttachment = {
      state: 'pending',
      local_id: 7,
      index: 0,
      file_name: 'mine.png',
      kind: 'png',
      size_bytes: 100,
    };
    vi.mocked(platform.ticketView).mockResolvedValue(
      view(T, [], { attachments: [sent(1, 'error.png', 'image/png'), sent(2, 'log.pdf', 'application/pdf'), pending] }),
    );
    vi.mocked(platform.attachmentThumbnail).mockResolvedValue(PIXEL);
    vi.mocked(platform.pendingAttachmentThumbnail).mockResolvedValue(PIXEL);
    render(TicketDetail, detailProps());

    await vi.waitFor(() => expect(screen.getAllByTestId('attachment-thumbnail')).toHaveLength(2));
    expect(platform.attachmentThumbnail).toHaveBeenCalledWith(5, 1);
    expect(platform.attachmentThumbnail).not.toHaveBeenCalledWith(5, 2);
    expect(platform.pendingAttachmentThumbnail).toHaveBeenCalledWith(7, 0);
    const [png, pdf, mine] = screen.getAllByTestId('attachment');
    expect(within(png!).getByTestId('attachment-thumbnail').getAttribute('src')).toBe(PIXEL);
    expect(within(png!).getByTestId('attachment-facts').textContent).toContain('Alice Agent');
    expect(within(pdf!).getByTestId('file-icon').textContent).toBe('PDF');
    expect(within(mine!).getByTestId('attachment-pending').textContent).toBe('Waiting to be sent');
    expect(within(mine!).getByTestId('attachment-facts').textContent).toContain(ME.name);
    expect(within(mine!).queryByTestId('attachment-open')).toBeNull();
  });

  it('opens and saves a file, and says plainly when it is not here while offline', async () => {
    vi.mocked(platform.ticketView).mockResolvedValue(
      view(T, [], { attachments: [sent(2, 'log.pdf', 'application/pdf')] }),
    );
    vi.mocked(platform.openAttachment).mockRejectedValue(new AppError('network', 'unreachable'));
    vi.mocked(platform.saveAttachment).mockResolvedValueOnce(null).mockResolvedValueOnce('/home/u/log.pdf');
    render(TicketDetail, detailProps());
    const open = await screen.findByTestId('attachment-open');
    expect(open.textContent).toBe('Open');

    await fireEvent.click(open);
    await vi.waitFor(() =>
      expect(screen.getByTestId('attachment-error').textContent).toContain('not on this computer yet'),
    );
    expect(platform.openAttachment).toHaveBeenCalledWith(5, 2);

    // Cancelled: nothing saved, nothing said.
    await fireEvent.click(screen.getByTestId('attachment-save'));
    await vi.waitFor(() => expect(platform.saveAttachment).toHaveBeenCalledWith(5, 2));
    expect(screen.queryByTestId('attachment-saved')).toBeNull();

    await fireEvent.click(screen.getByTestId('attachment-save'));
    await vi.waitFor(() =>
      expect(screen.getByTestId('attachment-saved').textContent).toBe('Saved to /home/u/log.pdf'),
    );
    expect(platform.saveAttachment).toHaveBeenCalledTimes(2);
    expect(screen.queryByTestId('attachment-error')).toBeNull();
  });

  it('shows a reply whose files are still being sent as files, not an empty message', async () => {
    const item = {
      ...writeItem(8, 5, '', 'pending', null, 'attachments'),
      text: null,
      summary: '',
      files: [{ local_id: 8, index: 0, file_name: 'trace.log', kind: 'text' as const, size_bytes: 2048 }],
    };
    vi.mocked(platform.ticketView).mockResolvedValue(view(T, [], { pending: [item] }));
    render(TicketDetail, detailProps());
    const pending = await screen.findByTestId('pending-message');
    expect(within(pending).queryByTestId('pending-body')).toBeNull();
    expect(pending.textContent).toContain('Files being sent');
    expect(within(pending).getByTestId('pending-files').textContent).toBe('Files: trace.log (2 kB)');
  });
});
