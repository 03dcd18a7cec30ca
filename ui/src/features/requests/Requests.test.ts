import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import { capabilities } from '../../lib/state/session';
import { ALL_CAPABILITIES } from '../../lib/state/offers';
import { accessibilityProblems } from '../../test/a11y';
import { answerItem, orderDelay, remoteSession } from '../../test/notices';
import RequestsScreen from './RequestsScreen.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

function item(testid: string, id: number): HTMLElement {
  const all = screen.getAllByTestId(testid);
  const found = all.find((el) => el.dataset.remoteSessionId === String(id) || el.dataset.orderDelayId === String(id));
  if (!found) {
    throw new Error(`no ${testid} ${id}`);
  }
  return found;
}

describe('remote-session requests', () => {
  const rustdesk = { tool: 'rustdesk' as const, path: '/usr/bin/rustdesk', version: '1.3.2', running: true, id: '123456789', error: null };

  it('are allowed after a confirmation saying who and with what, through the consent flow', async () => {
    const waiting = remoteSession(1);
    vi.mocked(platform.remoteSessionRequests).mockResolvedValue([waiting]);
    const accepted = {
      remote_session: { ...waiting.remote_session, status: 'accepted' as const, connect_tool: 'rustdesk' as const, tool_id: '123456789' },
      answer: null,
    };
    vi.mocked(platform.consentRemoteSession).mockResolvedValue(accepted);
    vi.mocked(platform.endRemoteSession).mockResolvedValue({
      remote_session: { ...accepted.remote_session, status: 'ended' as const },
      answer: null,
    });
    const onSignedOut = vi.fn();
    render(RequestsScreen, { onSignedOut });

    const request = await vi.waitFor(() => item('remote-session', 1));
    expect(within(request).getByTestId('remote-session-reason').textContent).toBe('To look at the mail server settings');
    expect(request.textContent).toContain('Ticket #41');
    expect(within(request).getByTestId('remote-session-prompt').textContent).toContain(
      'the consultant sees your screen and can use your mouse and keyboard',
    );
    expect(accessibilityProblems(document.body)).toEqual([]);

    await fireEvent.click(within(request).getByTestId('remote-session-accept'));
    const dialog = screen.getByTestId('remote-session-1-confirm');
    expect(dialog.hasAttribute('open')).toBe(true);
    expect(dialog.textContent).toContain('Alice Agent will be able to see and control this computer with RustDesk');
    expect(platform.consentRemoteSession).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId('remote-session-1-confirm-confirm'));
    expect(platform.consentRemoteSession).toHaveBeenCalledExactlyOnceWith(1, null);
    await vi.waitFor(() => expect(screen.getByTestId('remote-session-active').textContent).toContain('123456789'));
    const steps = within(screen.getByTestId('consent-steps')).getAllByRole('listitem');
    expect(steps.map((s) => [s.dataset.step, s.dataset.state])).toEqual([
      ['detect', 'done'],
      ['start_tool', 'done'],
      ['read_id', 'done'],
      ['send', 'done'],
      ['sent', 'done'],
    ]);
    expect(screen.queryByTestId('remote-session-accept')).toBeNull();

    vi.mocked(platform.remoteSessionRequests).mockResolvedValue([]);
    await fireEvent.click(screen.getByTestId('remote-session-end'));
    expect(platform.endRemoteSession).toHaveBeenCalledExactlyOnceWith(1);
    await vi.waitFor(() => expect(screen.getByTestId('remote-sessions-empty')).toBeTruthy());
    expect(onSignedOut).not.toHaveBeenCalled();
  });

  it('without a supported tool offer the vendors\' pages and look again; nothing is sent', async () => {
    vi.mocked(platform.remoteSessionRequests).mockResolvedValue([remoteSession(6)]);
    vi.mocked(platform.consentRemoteSession).mockRejectedValue(
      new AppError('validation', 'no remote-assistance tool is installed (RustDesk, AnyDesk or TeamViewer)'),
    );
    vi.mocked(platform.detectRemoteTools).mockResolvedValue({
      found: [],
      downloads: [{ tool: 'rustdesk', url: 'https://rustdesk.com/download' }],
    });
    render(RequestsScreen, { onSignedOut: vi.fn() });
    const request = await vi.waitFor(() => item('remote-session', 6));
    await fireEvent.click(within(request).getByTestId('remote-session-accept'));
    await fireEvent.click(screen.getByTestId('remote-session-6-confirm-confirm'));
    const none = await screen.findByTestId('remote-no-tool');
    expect(none.textContent).toContain('https://rustdesk.com/download');
    expect((await screen.findByTestId('remote-session-error')).textContent).toContain(
      'no remote-assistance tool is installed',
    );
    await fireEvent.click(within(none).getByTestId('tool-download'));
    expect(platform.openToolDownload).toHaveBeenCalledExactlyOnceWith('rustdesk');
    await fireEvent.click(within(none).getByTestId('remote-look-again'));
    await vi.waitFor(() => expect(platform.consentRemoteSession).toHaveBeenCalledTimes(2));
    expect(platform.declineRemoteSession).not.toHaveBeenCalled();
    expect(item('remote-session', 6).dataset.status).toBe('requested');
  });

  it('show where the consent flow stopped and why', async () => {
    vi.mocked(platform.remoteSessionRequests).mockResolvedValue([remoteSession(8)]);
    vi.mocked(platform.detectRemoteTools).mockResolvedValue({ found: [rustdesk], downloads: [] });
    vi.mocked(platform.consentRemoteSession).mockRejectedValue(
      new AppError('validation', 'cannot read the ID of rustdesk: rustdesk did not answer within 5 s'),
    );
    render(RequestsScreen, { onSignedOut: vi.fn() });
    const request = await vi.waitFor(() => item('remote-session', 8));
    await fireEvent.click(within(request).getByTestId('remote-session-accept'));
    await fireEvent.click(screen.getByTestId('remote-session-8-confirm-confirm'));
    expect((await screen.findByTestId('remote-session-error')).textContent).toContain('did not answer within 5 s');
    const failed = within(screen.getByTestId('consent-steps'))
      .getAllByRole('listitem')
      .filter((s) => s.dataset.state === 'failed');
    expect(failed.length).toBe(1);
    expect(within(request).getByTestId('remote-session-accept')).toBeTruthy();
  });

  it('are declined at once; a cancelled confirmation answers nothing', async () => {
    vi.mocked(platform.remoteSessionRequests).mockResolvedValue([remoteSession(2)]);
    vi.mocked(platform.declineRemoteSession).mockResolvedValue(remoteSession(2, { status: 'declined' }));
    render(RequestsScreen, { onSignedOut: vi.fn() });
    const request = await vi.waitFor(() => item('remote-session', 2));

    await fireEvent.click(within(request).getByTestId('remote-session-accept'));
    await fireEvent.click(screen.getByTestId('remote-session-2-confirm-cancel'));
    expect(screen.getByTestId('remote-session-2-confirm').hasAttribute('open')).toBe(false);
    expect(platform.consentRemoteSession).not.toHaveBeenCalled();

    vi.mocked(platform.remoteSessionRequests).mockResolvedValue([]);
    await fireEvent.click(within(request).getByTestId('remote-session-decline'));
    expect(platform.declineRemoteSession).toHaveBeenCalledExactlyOnceWith(2);
    await vi.waitFor(() => expect(screen.getByTestId('remote-sessions-empty')).toBeTruthy());
    expect(platform.consentRemoteSession).not.toHaveBeenCalled();
  });

  it('show a refused answer with the reason and take another', async () => {
    const refused = { ...remoteSession(3), answer: answerItem(4, 'remote_session_answer', 'failed') };
    vi.mocked(platform.remoteSessionRequests).mockResolvedValue([refused]);
    vi.mocked(platform.declineRemoteSession).mockRejectedValue(new AppError('validation', 'it takes no answer'));
    render(RequestsScreen, { onSignedOut: vi.fn() });
    const request = await vi.waitFor(() => item('remote-session', 3));
    expect(within(request).getByTestId('remote-session-refused').textContent).toContain('already answered');
    await fireEvent.click(within(request).getByTestId('remote-session-decline'));
    expect((await screen.findByTestId('remote-session-error')).textContent).toContain('it takes no answer');
  });
});

describe('order-delay requests', () => {
  it('are answered in the window, once, through the outbox', async () => {
    const open = orderDelay(7);
    vi.mocked(platform.listOrderDelays).mockResolvedValue([open]);
    const queued = {
      order_delay: { ...open.order_delay, status: 'answered' as const, answer: 'Ship to the Ljubljana office' },
      answer: answerItem(11, 'order_delay_answer', 'pending'),
    };
    vi.mocked(platform.answerOrderDelay).mockResolvedValue(queued);
    render(RequestsScreen, { onSignedOut: vi.fn() });
    const request = await vi.waitFor(() => item('order-delay', 7));
    expect(request.textContent).toContain('Order PO-7');
    expect(within(request).getByTestId('order-delay-question').textContent).toBe('Which delivery address should we use?');
    expect(within(request).getByTestId('order-delay-due')).toBeTruthy();

    // Nothing typed: said, nothing sent.
    await fireEvent.click(within(request).getByTestId('order-delay-submit'));
    expect(screen.getByTestId('order-delay-7-answer-problem').textContent).toBe('Write your answer first.');
    expect(document.activeElement?.id).toBe('order-delay-7-answer');
    expect(platform.answerOrderDelay).not.toHaveBeenCalled();

    await fireEvent.input(document.getElementById('order-delay-7-answer') as HTMLElement, {
      target: { value: '  Ship to the Ljubljana office ' },
    });
    vi.mocked(platform.listOrderDelays).mockResolvedValue([queued]);
    await fireEvent.click(within(request).getByTestId('order-delay-submit'));
    await vi.waitFor(() => expect(screen.getByTestId('order-delay-sending')).toBeTruthy());
    expect(platform.answerOrderDelay).toHaveBeenCalledExactlyOnceWith(7, {
      answer: 'Ship to the Ljubljana office',
      resolution_date: null,
      site_contact: null,
      charge_accepted: null,
    });
    expect(screen.getByTestId('order-delay-answer').textContent).toContain('Ship to the Ljubljana office');
    expect(screen.queryByTestId('order-delay-submit')).toBeNull();
  });

  it('ask for a site-access contact in its fields, the name and phone first', async () => {
    const open = orderDelay(9, { kind: 'site_access' });
    vi.mocked(platform.listOrderDelays).mockResolvedValue([open]);
    const contact = { name: 'Ada Rossi', phone: '+39 02 1234', email: null };
    const sent = { order_delay: { ...open.order_delay, status: 'answered' as const, site_contact: contact }, answer: null };
    vi.mocked(platform.answerOrderDelay).mockResolvedValue(sent);
    render(RequestsScreen, { onSignedOut: vi.fn() });
    const request = await vi.waitFor(() => item('order-delay', 9));
    expect(accessibilityProblems(document.body)).toEqual([]);
    await fireEvent.click(within(request).getByTestId('order-delay-submit'));
    expect(screen.getByTestId('order-delay-9-contact-name-problem').textContent).toBe("Write the contact's name first.");
    await fireEvent.input(document.getElementById('order-delay-9-contact-name') as HTMLElement, {
      target: { value: ' Ada Rossi ' },
    });
    await fireEvent.click(within(request).getByTestId('order-delay-submit'));
    expect(screen.getByTestId('order-delay-9-contact-phone-problem')).toBeTruthy();
    expect(platform.answerOrderDelay).not.toHaveBeenCalled();
    await fireEvent.input(document.getElementById('order-delay-9-contact-phone') as HTMLElement, {
      target: { value: '+39 02 1234' },
    });
    vi.mocked(platform.listOrderDelays).mockResolvedValue([sent]);
    await fireEvent.click(within(request).getByTestId('order-delay-submit'));
    expect(platform.answerOrderDelay).toHaveBeenCalledExactlyOnceWith(9, {
      answer: '',
      resolution_date: null,
      site_contact: contact,
      charge_accepted: null,
    });
    await vi.waitFor(() => expect(screen.getByTestId('order-delay-contact-answer').textContent).toContain('Ada Rossi'));
  });

  it('accept an extra charge only once the box is ticked, and reject it at once', async () => {
    const open = orderDelay(10, { kind: 'extra_charge', charge: { amount_minor: 18000, currency: 'EUR' } });
    vi.mocked(platform.listOrderDelays).mockResolvedValue([open]);
    const sent = { order_delay: { ...open.order_delay, status: 'answered' as const, charge_accepted: false }, answer: null };
    vi.mocked(platform.answerOrderDelay).mockResolvedValue(sent);
    render(RequestsScreen, { onSignedOut: vi.fn() });
    const request = await vi.waitFor(() => item('order-delay', 10));
    expect(within(request).getByTestId('order-delay-charge').textContent).toContain('180');
    await fireEvent.click(within(request).getByTestId('order-delay-accept'));
    expect(screen.getByTestId('order-delay-10-agree-problem').textContent).toBe('Tick the box to accept the charge.');
    expect(platform.answerOrderDelay).not.toHaveBeenCalled();
    vi.mocked(platform.listOrderDelays).mockResolvedValue([sent]);
    await fireEvent.click(within(request).getByTestId('order-delay-reject'));
    expect(platform.answerOrderDelay).toHaveBeenCalledExactlyOnceWith(10, {
      answer: '',
      resolution_date: null,
      site_contact: null,
      charge_accepted: false,
    });
    await vi.waitFor(() => expect(screen.getByTestId('order-delay-charge-answer').textContent).toContain('rejected'));
  });

  it('show who answered an answered one', async () => {
    vi.mocked(platform.listOrderDelays).mockResolvedValue([
      orderDelay(8, {
        status: 'answered',
        answer: 'Use the Bratislava warehouse',
        answered_by_name: 'Ursula User',
        answered_at: '2025-05-02T09:00:00Z',
      }),
    ]);
    render(RequestsScreen, { onSignedOut: vi.fn() });
    const request = await vi.waitFor(() => item('order-delay', 8));
    expect(request.textContent).toContain('Answered by Ursula User');
    expect(within(request).queryByTestId('order-delay-submit')).toBeNull();
  });
});

describe('both kinds at once', () => {
  it('answering one keeps the other, and what is typed in it', async () => {
    vi.mocked(platform.remoteSessionRequests).mockResolvedValue([remoteSession(1)]);
    vi.mocked(platform.listOrderDelays).mockResolvedValue([orderDelay(7)]);
    vi.mocked(platform.declineRemoteSession).mockResolvedValue(remoteSession(1, { status: 'declined' }));
    render(RequestsScreen, { onSignedOut: vi.fn() });
    await vi.waitFor(() => item('order-delay', 7));
    const box = document.getElementById('order-delay-7-answer') as HTMLTextAreaElement;
    await fireEvent.input(box, { target: { value: 'Half typed' } });

    vi.mocked(platform.remoteSessionRequests).mockResolvedValue([]);
    await fireEvent.click(within(item('remote-session', 1)).getByTestId('remote-session-decline'));
    await vi.waitFor(() => expect(screen.getByTestId('remote-sessions-empty')).toBeTruthy());
    expect(platform.listOrderDelays).toHaveBeenCalledTimes(2);
    expect(document.getElementById('order-delay-7-answer')).toBe(box);
    expect(box.value).toBe('Half typed');
  });
});

describe('what the helpdesk offers', () => {
  it('asks only for the requests it sends, and says so for the others', async () => {
    capabilities.set({ ...ALL_CAPABILITIES, remote_sessions: false });
    vi.mocked(platform.listOrderDelays).mockResolvedValue([]);
    render(RequestsScreen, { onSignedOut: vi.fn() });
    expect((await screen.findByTestId('remote-sessions-not-offered')).textContent).toContain('does not ask');
    expect(screen.getByTestId('order-delays-empty')).toBeTruthy();
    expect(platform.remoteSessionRequests).not.toHaveBeenCalled();
  });

  it('goes back to sign-in when the session is gone', async () => {
    vi.mocked(platform.remoteSessionRequests).mockResolvedValue([remoteSession(5)]);
    vi.mocked(platform.declineRemoteSession).mockRejectedValue(new AppError('signed_out', 'no session'));
    const onSignedOut = vi.fn();
    render(RequestsScreen, { onSignedOut });
    const request = await vi.waitFor(() => item('remote-session', 5));
    await fireEvent.click(within(request).getByTestId('remote-session-decline'));
    await vi.waitFor(() => expect(onSignedOut).toHaveBeenCalledOnce());
  });
});
