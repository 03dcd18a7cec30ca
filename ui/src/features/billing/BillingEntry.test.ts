// The window's sidebar offers Billing and Account requests only to those
// with the right, and an ended session comes back to the sign-in screen
// saying so.
import { render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../App.svelte';
import * as platform from '../../lib/platform';
import type { Me } from '../../lib/platform';
import { ME } from '../../test/fixtures';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const INFO = { version: '0.1.0', server_url: 'http://127.0.0.1:8080', demo_accounts: [], language: null };

let live: ((update: platform.LiveUpdate) => void) | undefined;

beforeEach(() => {
  live = undefined;
  vi.mocked(platform.onLive).mockImplementation((handler) => {
    live = handler;
    return () => {};
  });
  vi.mocked(platform.appInfo).mockResolvedValue(INFO);
  vi.mocked(platform.refreshTickets).mockResolvedValue({ online: true });
  vi.mocked(platform.listOutbox).mockResolvedValue([]);
});

async function routesOf(me: Me): Promise<string[]> {
  vi.mocked(platform.session).mockResolvedValue(me);
  render(App);
  await screen.findByTestId('sidebar');
  return screen.getAllByTestId('nav-entry').map((e) => (e as HTMLElement).dataset.route ?? '');
}

describe('the sidebar', () => {
  it('has no Billing and no Account requests for a user without rights', async () => {
    const routes = await routesOf(ME);
    expect(routes).not.toContain('billing');
    expect(routes).not.toContain('account-requests');
  });

  it('has Billing with the call records right alone', async () => {
    const routes = await routesOf({ ...ME, rights: { ...ME.rights, call_records: true } });
    expect(routes).toContain('billing');
    expect(routes).not.toContain('account-requests');
  });

  it('has both for a customer admin', async () => {
    const all = { all_tickets: true, invoices: true, call_records: true, manage_users: true, expedite: true };
    const routes = await routesOf({ ...ME, role: 'customer_admin', rights: all });
    expect(routes.indexOf('billing')).toBeGreaterThan(-1);
    expect(routes.indexOf('account-requests')).toBeGreaterThan(-1);
  });

  it('goes back to sign-in saying the session ended, the address prefilled', async () => {
    vi.mocked(platform.rememberedEmail).mockResolvedValue(ME.email);
    await routesOf(ME);
    live?.({ kind: 'signed_out' });
    expect(await screen.findByTestId('sign-in-expired')).toBeTruthy();
    await vi.waitFor(() =>
      expect((document.getElementById('email') as HTMLInputElement).value).toBe(ME.email),
    );
  });
});
