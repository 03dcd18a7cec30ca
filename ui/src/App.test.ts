import { render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import * as platform from './lib/platform';
import { AppError } from './lib/platform';
import { ME } from './test/fixtures';

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
