import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import type { Me, NotificationAddressList, Rights, UserAccount } from '../../lib/platform';
import { accessibilityProblems } from '../../test/a11y';
import { ME } from '../../test/fixtures';
import AccountScreen from './AccountScreen.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const ALL: Rights = { all_tickets: true, invoices: true, call_records: true, manage_users: true, expedite: true };
const NONE: Rights = { all_tickets: false, invoices: false, call_records: false, manage_users: false, expedite: false };
const ADMIN: Me = { ...ME, id: 7, email: 'admin@acme.example', name: 'Ada Admin', role: 'customer_admin', rights: ALL };

function account(id: number, email: string, role: UserAccount['role'], rights: Rights): UserAccount {
  return { id, email, name: `Name of ${email}`, role, rights, created_at: '2025-01-01T10:00:00Z' };
}

const ADMIN_ACCOUNT = account(7, 'admin@acme.example', 'customer_admin', ALL);
const USER_ACCOUNT = account(8, 'user@acme.example', 'customer_user', NONE);
const ADDRESSES: NotificationAddressList = {
  addresses: [
    { id: 1, kind: 'support', email: 'help@acme.example', mail: true, created_at: '2025-01-01T10:00:00Z' },
  ],
  allowed_domains: ['acme.example'],
};

function show(me: Me, onSignedOut = vi.fn()) {
  return render(AccountScreen, { me, serverUrl: 'http://127.0.0.1:8080', onSignedOut });
}

function field(id: string): HTMLInputElement {
  return document.getElementById(id) as HTMLInputElement;
}

async function type(id: string, value: string): Promise<void> {
  await fireEvent.input(field(id), { target: { value } });
}

async function rowOf(email: string): Promise<HTMLElement> {
  return vi.waitFor(() => {
    const row = document.querySelector<HTMLElement>(`[data-testid=user-row][data-email='${email}']`);
    if (!row) {
      throw new Error(`no row for ${email}`);
    }
    return row;
  });
}

describe('account screen', () => {
  it('shows a customer user their rights and the password form, and no admin sections', () => {
    show({ ...ME, rights: { ...NONE, invoices: true } });
    expect(screen.getByTestId('account-name').textContent).toBe('Ursula User');
    expect(screen.getByTestId('account-rights').textContent?.trim()).toBe('Own tickets only, Invoices');
    expect(screen.getByTestId('password')).toBeTruthy();
    expect(screen.queryByTestId('users')).toBeNull();
    expect(screen.queryByTestId('addresses')).toBeNull();
    expect(platform.listUsers).not.toHaveBeenCalled();
    expect(accessibilityProblems()).toEqual([]);
  });

  it('says a wrong current password as such and keeps the user signed in', async () => {
    vi.mocked(platform.changePassword).mockRejectedValueOnce(
      new AppError('unauthorized', 'the current password is wrong'),
    );
    const onSignedOut = vi.fn();
    show(ME, onSignedOut);
    await fireEvent.click(document.getElementById('password-save') as HTMLButtonElement);
    expect(screen.getByTestId('password-current-problem').textContent).toBe('Enter your current password.');
    expect(platform.changePassword).not.toHaveBeenCalled();

    await type('password-current', 'old-password-1');
    await type('password-new', 'new-password-22');
    await type('password-repeat', 'new-password-22');
    await fireEvent.click(document.getElementById('password-save') as HTMLButtonElement);
    expect(platform.changePassword).toHaveBeenCalledExactlyOnceWith('old-password-1', 'new-password-22');
    expect((await screen.findByTestId('password-error')).textContent).toBe('The current password is wrong.');
    expect(onSignedOut).not.toHaveBeenCalled();

    vi.mocked(platform.changePassword).mockResolvedValueOnce(undefined);
    await fireEvent.click(document.getElementById('password-save') as HTMLButtonElement);
    expect(await screen.findByTestId('password-done')).toBeTruthy();
    expect(field('password-current').value).toBe('');
  });

  it('lets a customer admin add an account with exactly the rights chosen', async () => {
    vi.mocked(platform.listUsers).mockResolvedValue({ users: [ADMIN_ACCOUNT, USER_ACCOUNT] });
    vi.mocked(platform.listNotificationAddresses).mockResolvedValue(ADDRESSES);
    const chosen: Rights = { ...NONE, invoices: true, expedite: true };
    vi.mocked(platform.addUser).mockResolvedValue(account(9, 'nina@acme.example', 'customer_user', chosen));
    show(ADMIN);
    await rowOf('user@acme.example');
    await fireEvent.click(document.getElementById('user-add-start') as HTMLButtonElement);
    await type('user-add-name', 'Nina New');
    await type('user-add-email', 'nina@acme.example');
    await type('user-add-password', 'first-password-1');
    await fireEvent.click(field('user-add-r-invoices'));
    await fireEvent.click(field('user-add-r-expedite'));
    await fireEvent.click(document.getElementById('user-add-save') as HTMLButtonElement);
    expect(platform.addUser).toHaveBeenCalledExactlyOnceWith({
      name: 'Nina New',
      email: 'nina@acme.example',
      password: 'first-password-1',
      rights: chosen,
    });
    const row = await rowOf('nina@acme.example');
    expect(within(row).getByTestId('user-rights').textContent?.trim()).toBe(
      'Own tickets only, Invoices, Request expedited responses',
    );
    expect(screen.getByTestId('user-added').textContent).toContain('nina@acme.example');
    expect(accessibilityProblems()).toEqual([]);
  });

  it('disables the rights a manager lacks, saying why', async () => {
    const manager: Me = { ...ME, rights: { ...NONE, all_tickets: true, manage_users: true } };
    vi.mocked(platform.listUsers).mockResolvedValue({ users: [ADMIN_ACCOUNT, USER_ACCOUNT] });
    show(manager);
    await rowOf('user@acme.example');
    // Not an admin: no addresses, and admins' accounts are left to admins.
    expect(screen.queryByTestId('addresses')).toBeNull();
    const admin = await rowOf('admin@acme.example');
    expect(within(admin).queryByTestId('user-edit')).toBeNull();
    expect(within(admin).getByTestId('user-admin-only')).toBeTruthy();
    expect(within(await rowOf('user@acme.example')).queryByTestId('user-promote')).toBeNull();

    await fireEvent.click(document.getElementById('user-add-start') as HTMLButtonElement);
    expect(field('user-add-r-invoices').disabled).toBe(true);
    expect(field('user-add-r-call_records').disabled).toBe(true);
    expect(field('user-add-r-manage_users').disabled).toBe(false);
    expect(field('user-add-r-tickets-all').disabled).toBe(false);
    expect(screen.getByTestId('user-add-r-locked').textContent).toBe(
      'Rights you do not have yourself cannot be given.',
    );
    expect(field('user-add-r-invoices').getAttribute('aria-describedby')).toBe('user-add-r-locked');
  });

  it('shows the refusal to demote the last admin and changes nothing', async () => {
    vi.mocked(platform.listUsers).mockResolvedValue({ users: [ADMIN_ACCOUNT, USER_ACCOUNT] });
    vi.mocked(platform.listNotificationAddresses).mockResolvedValue(ADDRESSES);
    const message = "the organisation's last customer admin cannot be demoted: promote another account first";
    vi.mocked(platform.updateUser).mockRejectedValue(new AppError('validation', message));
    show(ADMIN);
    const row = await rowOf('admin@acme.example');
    expect(within(row).queryByTestId('user-remove')).toBeNull();
    await fireEvent.click(within(row).getByTestId('user-demote'));
    expect(platform.updateUser).toHaveBeenCalledExactlyOnceWith(7, { role: 'customer_user' });
    expect((await within(row).findByTestId('user-error')).textContent).toBe(message);
    expect(within(row).getByTestId('user-role').textContent).toBe('Customer admin');
  });

  it("shows the helpdesk's words for a right it refused to give", async () => {
    vi.mocked(platform.listUsers).mockResolvedValue({ users: [ADMIN_ACCOUNT, USER_ACCOUNT] });
    vi.mocked(platform.listNotificationAddresses).mockResolvedValue(ADDRESSES);
    vi.mocked(platform.updateUser).mockRejectedValue(
      new AppError('forbidden', 'you cannot give a right you do not have'),
    );
    show(ADMIN);
    const row = await rowOf('user@acme.example');
    await fireEvent.click(within(row).getByTestId('user-edit'));
    await fireEvent.click(field('user-edit-8-r-call_records'));
    await fireEvent.click(document.getElementById('user-edit-8-save') as HTMLButtonElement);
    expect(platform.updateUser).toHaveBeenCalledExactlyOnceWith(8, {
      name: null,
      rights: { ...NONE, call_records: true },
    });
    expect((await screen.findByTestId('user-edit-8-error')).textContent).toBe(
      'you cannot give a right you do not have',
    );
    await fireEvent.click(document.getElementById('user-edit-8-cancel') as HTMLButtonElement);
    expect(within(row).getByTestId('user-rights').textContent?.trim()).toBe('Own tickets only');
  });

  it('promotes, and removes only after the confirmation', async () => {
    vi.mocked(platform.listUsers).mockResolvedValue({ users: [ADMIN_ACCOUNT, USER_ACCOUNT] });
    vi.mocked(platform.listNotificationAddresses).mockResolvedValue(ADDRESSES);
    vi.mocked(platform.updateUser).mockResolvedValue({ ...USER_ACCOUNT, role: 'customer_admin', rights: ALL });
    vi.mocked(platform.removeUser).mockResolvedValue(undefined);
    show(ADMIN);
    let row = await rowOf('user@acme.example');
    await fireEvent.click(within(row).getByTestId('user-promote'));
    expect(platform.updateUser).toHaveBeenCalledExactlyOnceWith(8, { role: 'customer_admin' });
    await vi.waitFor(() => expect(within(row).getByTestId('user-role').textContent).toBe('Customer admin'));

    row = await rowOf('user@acme.example');
    await fireEvent.click(within(row).getByTestId('user-remove'));
    await fireEvent.click(screen.getByTestId('user-remove-8-cancel'));
    expect(platform.removeUser).not.toHaveBeenCalled();
    await fireEvent.click(within(row).getByTestId('user-remove'));
    await fireEvent.click(screen.getByTestId('user-remove-8-confirm'));
    expect(platform.removeUser).toHaveBeenCalledExactlyOnceWith(8);
    await vi.waitFor(() =>
      expect(document.querySelector("[data-testid=user-row][data-email='user@acme.example']")).toBeNull(),
    );
  });

  it('says offline that the accounts need a connection', async () => {
    vi.mocked(platform.listUsers).mockRejectedValue(new AppError('network', 'cannot reach the helpdesk'));
    vi.mocked(platform.listNotificationAddresses).mockRejectedValue(
      new AppError('network', 'cannot reach the helpdesk'),
    );
    show(ADMIN);
    expect((await screen.findByTestId('users-error')).textContent).toContain(
      'This needs a connection to the helpdesk',
    );
    expect((await screen.findByTestId('addresses-error')).textContent).toContain(
      'This needs a connection to the helpdesk',
    );
  });
});

describe('notification addresses', () => {
  it('lists addresses per kind, refuses a foreign domain with its message, toggles and removes', async () => {
    vi.mocked(platform.listUsers).mockResolvedValue({ users: [ADMIN_ACCOUNT] });
    vi.mocked(platform.listNotificationAddresses).mockResolvedValue(ADDRESSES);
    vi.mocked(platform.addNotificationAddress).mockRejectedValueOnce(
      new AppError(
        'invalid_email_domain',
        "invalid e-mail domain: elsewhere.example is not one of your organisation's (acme.example)",
      ),
    );
    show(ADMIN);
    const support = await screen.findByTestId('addresses-support');
    expect(within(support).getByText('help@acme.example')).toBeTruthy();
    expect(screen.getByTestId('addresses-abuse-none')).toBeTruthy();
    expect(screen.getByTestId('addresses-domains').textContent).toContain('acme.example');

    await type('address-new-abuse', 'abuse@elsewhere.example');
    await fireEvent.click(document.getElementById('address-add-abuse') as HTMLButtonElement);
    expect(platform.addNotificationAddress).toHaveBeenCalledExactlyOnceWith({
      kind: 'abuse',
      email: 'abuse@elsewhere.example',
      mail: true,
    });
    expect((await screen.findByTestId('addresses-abuse-error')).textContent).toContain('invalid e-mail domain');
    expect(screen.getByTestId('addresses-abuse-none')).toBeTruthy();
    expect(field('address-new-abuse').value).toBe('abuse@elsewhere.example');

    vi.mocked(platform.addNotificationAddress).mockResolvedValueOnce({
      id: 2,
      kind: 'abuse',
      email: 'abuse@acme.example',
      mail: false,
      created_at: '2025-01-02T10:00:00Z',
    });
    await fireEvent.click(field('address-new-abuse-mail'));
    await type('address-new-abuse', 'abuse@acme.example');
    await fireEvent.click(document.getElementById('address-add-abuse') as HTMLButtonElement);
    const abuse = screen.getByTestId('addresses-abuse');
    await vi.waitFor(() => expect(within(abuse).getByText('abuse@acme.example')).toBeTruthy());
    expect(screen.queryByTestId('addresses-abuse-error')).toBeNull();

    vi.mocked(platform.setNotificationMail).mockResolvedValueOnce({ ...ADDRESSES.addresses[0], mail: false });
    await fireEvent.click(within(support).getByTestId('address-mail'));
    expect(platform.setNotificationMail).toHaveBeenCalledExactlyOnceWith(1, false);
    await vi.waitFor(() =>
      expect((within(support).getByTestId('address-mail') as HTMLInputElement).checked).toBe(false),
    );

    vi.mocked(platform.removeNotificationAddress).mockResolvedValueOnce(undefined);
    await fireEvent.click(within(support).getByTestId('address-remove'));
    expect(platform.removeNotificationAddress).toHaveBeenCalledExactlyOnceWith(1);
    await vi.waitFor(() => expect(screen.getByTestId('addresses-support-none')).toBeTruthy());
    expect(accessibilityProblems()).toEqual([]);
  });
});
