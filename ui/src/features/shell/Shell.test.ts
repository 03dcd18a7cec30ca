import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../App.svelte';
import * as platform from '../../lib/platform';
import { accessibilityProblems } from '../../test/a11y';
import { ME, pages, ticket, view } from '../../test/fixtures';
import { announcement, at, HOUR, orderDelay, remoteSession } from '../../test/notices';
import { ALL_CAPABILITIES } from '../../lib/state/offers';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const INFO = { version: '0.1.0', server_url: 'http://127.0.0.1:8080', demo_accounts: [], language: null };
const OLD = ticket(1, 'Old invoice question', '2025-01-01T09:00:00Z');
const NEW = ticket(2, 'Mail server down', '2025-05-01T09:00:00Z');

let live: ((update: platform.LiveUpdate) => void) | undefined;

beforeEach(() => {
  live = undefined;
  vi.mocked(platform.onLive).mockImplementation((handler) => {
    live = handler;
    return () => {};
  });
  vi.mocked(platform.appInfo).mockResolvedValue(INFO);
  vi.mocked(platform.session).mockResolvedValue(ME);
  vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
  vi.mocked(platform.listOutbox).mockResolvedValue([]);
  vi.mocked(platform.ticketPage).mockImplementation(pages([OLD, NEW], [2]));
});

function entries(): HTMLAnchorElement[] {
  return screen.getAllByTestId('nav-entry') as HTMLAnchorElement[];
}

function entry(route: string): HTMLAnchorElement {
  return document.getElementById(`nav-${route}`) as HTMLAnchorElement;
}

function current(): string | undefined {
  return entries().find((e) => e.getAttribute('aria-current') === 'page')?.dataset.route;
}

async function started(): Promise<void> {
  render(App);
  await vi.waitFor(() => expect(screen.getAllByTestId('ticket-row')).toHaveLength(2));
}

describe('the shell', () => {
  it('shows who is signed in and the screens, the tickets first, and keeps them in view', async () => {
    await started();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav.contains(screen.getByTestId('signed-in-as'))).toBe(true);
    expect(screen.getByTestId('signed-in-as').textContent).toBe('Ursula User · Acme Hosting Ltd');
    expect(entries().map((e) => e.textContent?.trim().split(/\s/)[0])).toContain('Tickets');
    expect(current()).toBe('tickets');
    // The unread count shows beside Tickets, wherever the user is.
    await vi.waitFor(() => expect(screen.getByTestId('nav-unread').textContent).toContain('1 unread'));

    // Opening a ticket keeps the session and the sidebar in view.
    vi.mocked(platform.ticketView).mockResolvedValue(view(NEW));
    await fireEvent.click(screen.getAllByTestId('ticket-subject')[0] as HTMLElement);
    await vi.waitFor(() => expect(screen.getByTestId('ticket-detail')).toBeTruthy());
    expect(screen.getByTestId('signed-in-as')).toBeTruthy();
    expect(current()).toBe('tickets');
  });

  it('is one tab stop: the arrows move between the entries, Enter opens one', async () => {
    await started();
    const tabbable = entries().filter((e) => e.tabIndex === 0);
    expect(tabbable.map((e) => e.dataset.route)).toEqual(['tickets']);

    entry('tickets').focus();
    await fireEvent.keyDown(entry('tickets'), { key: 'ArrowDown' });
    const second = entries()[1] as HTMLAnchorElement;
    expect(document.activeElement).toBe(second);
    expect(second.tabIndex).toBe(0);
    expect(entry('tickets').tabIndex).toBe(-1);
    await fireEvent.keyDown(second, { key: 'End' });
    expect(document.activeElement).toBe(entries().at(-1));
    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(entry('tickets'));
    await fireEvent.keyDown(entry('tickets'), { key: 'ArrowUp' });
    expect(document.activeElement).toBe(entries().at(-1));

    // A link opens on Enter (a click, as browsers do); Space as well.
    await fireEvent.click(entry('account'));
    expect(current()).toBe('account');
    expect(window.location.hash).toBe('#/account');
    expect(screen.queryAllByTestId('ticket-row')).toHaveLength(0);
    await fireEvent.keyDown(entry('settings'), { key: ' ' });
    expect(current()).toBe('settings');
    expect(document.getElementById('language')).not.toBeNull();
  });

  it('opens the n-th screen with Alt+n from anywhere', async () => {
    await started();
    const n = entries().findIndex((e) => e.dataset.route === 'settings') + 1;
    await fireEvent.keyDown(window, { key: String(n), altKey: true });
    expect(current()).toBe('settings');
    await vi.waitFor(() => expect(document.activeElement).toBe(entry('settings')));
    await fireEvent.keyDown(window, { key: '1', altKey: true });
    expect(current()).toBe('tickets');
    await vi.waitFor(() => expect(screen.getAllByTestId('ticket-row')).toHaveLength(2));
  });

  it('shows the account, and signs out from it', async () => {
    vi.mocked(platform.logout).mockResolvedValue();
    await started();
    await fireEvent.click(entry('account'));
    expect(screen.getByTestId('account-name').textContent).toBe('Ursula User');
    expect(screen.getByTestId('account-organisation').textContent).toBe('Acme Hosting Ltd');
    expect(screen.getByTestId('account-email').textContent).toBe(ME.email);
    expect(screen.getByTestId('account-helpdesk').textContent).toBe('http://127.0.0.1:8080');
    expect(accessibilityProblems(document.body)).toEqual([]);

    await fireEvent.click(document.getElementById('sign-out') as HTMLElement);
    expect(platform.logout).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(document.querySelector('form#sign-in')).not.toBeNull());
    expect(screen.queryByTestId('sidebar')).toBeNull();
  });

  it('holds the language in the settings, with the version', async () => {
    await started();
    await fireEvent.click(entry('settings'));
    expect(screen.getByTestId('app-version').textContent).toContain('0.1.0');
    expect(document.getElementById('language')).not.toBeNull();
    expect(accessibilityProblems(document.body)).toEqual([]);
  });

  it('goes to sign-in when the live updates say the session ended', async () => {
    await started();
    live?.({ kind: 'signed_out' });
    await vi.waitFor(() => expect(document.querySelector('form#sign-in')).not.toBeNull());
    expect(screen.queryByTestId('sidebar')).toBeNull();
  });

  it('holds one live subscription for the whole window', async () => {
    await started();
    vi.mocked(platform.ticketView).mockResolvedValue(view(NEW));
    await fireEvent.click(screen.getAllByTestId('ticket-subject')[0] as HTMLElement);
    await vi.waitFor(() => expect(screen.getByTestId('ticket-detail')).toBeTruthy());
    expect(platform.onLive).toHaveBeenCalledOnce();
  });

  it('shows an incident in effect and the waiting requests, re-reading only the notices', async () => {
    await started();
    expect(screen.queryByTestId('nav-incident')).toBeNull();
    expect(screen.getByTestId('incident-state').textContent?.trim()).toBe('');
    vi.mocked(platform.ticketPage).mockClear();
    vi.mocked(platform.listOutbox).mockClear();

    vi.mocked(platform.listAnnouncements).mockResolvedValue([
      announcement(1, 'Mail relay degraded', { starts_at: at(-HOUR), ends_at: at(HOUR) }),
    ]);
    vi.mocked(platform.remoteSessionRequests).mockResolvedValue([remoteSession(1)]);
    vi.mocked(platform.listOrderDelays).mockResolvedValue([orderDelay(2)]);
    live?.({ kind: 'notices' });
    await vi.waitFor(() =>
      expect(screen.getByTestId('nav-incident').textContent).toContain('In effect now: Mail relay degraded'),
    );
    expect(screen.getByTestId('incident-state').textContent).toContain('Mail relay degraded');
    await vi.waitFor(() => expect(screen.getByTestId('nav-requests-waiting').textContent).toContain('2 waiting'));
    expect(platform.ticketPage).not.toHaveBeenCalled();
    expect(platform.listOutbox).not.toHaveBeenCalled();

    // The outbox moved (an answer sent): the requests are read again, not the announcements.
    vi.mocked(platform.listAnnouncements).mockClear();
    vi.mocked(platform.listOrderDelays).mockResolvedValue([]);
    live?.({ kind: 'outbox' });
    await vi.waitFor(() => expect(screen.getByTestId('nav-requests-waiting').textContent).toContain('1 waiting'));
    expect(platform.listAnnouncements).not.toHaveBeenCalled();

    // From the sidebar to the screens behind it.
    await fireEvent.click(entry('announcements'));
    await vi.waitFor(() => expect(screen.getAllByTestId('announcement')).toHaveLength(1));
    await fireEvent.click(entry('requests'));
    await vi.waitFor(() => expect(screen.getAllByTestId('remote-session')).toHaveLength(1));
    expect(accessibilityProblems(document.body)).toEqual([]);
  });

  it('offers no Requests and no expedite card when the helpdesk has none of them', async () => {
    vi.mocked(platform.capabilities).mockResolvedValue({
      ...ALL_CAPABILITIES,
      remote_sessions: false,
      order_delays: false,
      expedite: false,
    });
    window.location.hash = '#/requests';
    await started();
    await vi.waitFor(() => expect(entries().map((e) => e.dataset.route)).not.toContain('requests'));
    expect(entries().map((e) => e.dataset.route)).toEqual(['tickets', 'announcements', 'account', 'settings']);
    // A link to a screen not offered shows the tickets.
    expect(screen.getAllByTestId('ticket-row')).toHaveLength(2);
    expect(platform.remoteSessionRequests).not.toHaveBeenCalled();
    expect(platform.listOrderDelays).not.toHaveBeenCalled();

    vi.mocked(platform.ticketView).mockResolvedValue(view(NEW));
    await fireEvent.click(screen.getAllByTestId('ticket-subject')[0] as HTMLElement);
    await vi.waitFor(() => expect(screen.getByTestId('ticket-detail')).toBeTruthy());
    expect(platform.expediteQuote).not.toHaveBeenCalled();
    expect(document.querySelector('[data-testid=expedite]')).toBeNull();
  });
});
