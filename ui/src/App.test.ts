import { render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import * as platform from './lib/platform';
import { AppError } from './lib/platform';
import { ME, pages, ticket } from './test/fixtures';

vi.mock('./lib/platform', () => import('./test/platform-mock'));

const INFO = { version: '0.1.0', server_url: 'http://127.0.0.1:8080', demo_accounts: [], language: null };

describe('startup', () => {
  it('opens the tickets when a session is saved', async () => {
    vi.mocked(platform.appInfo).mockResolvedValue(INFO);
    vi.mocked(platform.session).mockResolvedValue(ME);
    vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
    vi.mocked(platform.listOutbox).mockResolvedValue([]);
    render(App);

    expect((await screen.findByTestId('signed-in-as')).textContent).toContain('Acme');
    expect(document.querySelector('form#sign-in')).toBeNull();
  });

  it('reads the first page of the list while it finds the session', async () => {
    vi.mocked(platform.appInfo).mockResolvedValue(INFO);
    let found: (me: typeof ME) => void = () => {};
    vi.mocked(platform.session).mockReturnValue(new Promise((resolve) => (found = resolve)));
    vi.mocked(platform.ticketPage).mockImplementation(
      pages([ticket(1, 'Old invoice question', '2025-01-01T09:00:00Z')]),
    );
    vi.mocked(platform.refreshTickets).mockReturnValue(new Promise(() => {}));
    vi.mocked(platform.listOutbox).mockResolvedValue([]);
    render(App);

    // Asked for at once, before the session is known…
    await vi.waitFor(() => expect(platform.ticketPage).toHaveBeenCalledExactlyOnceWith({ limit: 100 }));
    found(ME);
    // …and drawn as the list's first reading, without asking again.
    await vi.waitFor(() => expect(screen.getAllByTestId('ticket-row')).toHaveLength(1));
    expect(platform.ticketPage).toHaveBeenCalledOnce();
  });

  it('asks to sign in when there is no session', async () => {
    vi.mocked(platform.appInfo).mockResolvedValue(INFO);
    vi.mocked(platform.session).mockResolvedValue(null);
    render(App);

    await vi.waitFor(() => expect(document.querySelector('form#sign-in')).not.toBeNull());
    expect((document.getElementById('server-url') as HTMLInputElement).value).toBe(
      'http://127.0.0.1:8080',
    );
    expect(screen.queryByTestId('startup-error')).toBeNull();
  });

  it('shows why the app could not start', async () => {
    vi.mocked(platform.appInfo).mockRejectedValue(
      new AppError('cache', 'the cache was written by a newer Deskmate'),
    );
    vi.mocked(platform.session).mockRejectedValue(new AppError('cache', 'cache unavailable'));
    render(App);

    const banner = await screen.findByTestId('startup-error');
    expect(banner.textContent).toContain('the cache was written by a newer Deskmate');
    expect(document.querySelector('form#sign-in')).not.toBeNull();
  });
});
