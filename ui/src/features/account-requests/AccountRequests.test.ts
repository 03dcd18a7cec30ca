import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError, type AccountRequest } from '../../lib/platform';
import { accessibilityProblems } from '../../test/a11y';
import { ME } from '../../test/fixtures';
import AccountRequestsScreen, { decidesAccountRequests } from './AccountRequestsScreen.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

function request(id: number, name: string, email: string): AccountRequest {
  return {
    id,
    name,
    email,
    organisation: { id: 1, name: 'Acme Hosting Ltd' },
    created_at: '2026-11-05T10:00:00Z',
  };
}

const NADIA = request(1, 'Nadia Novak', 'nadia@acme.example');
const PETER = request(2, 'Peter Pan', 'peter@acme.example');

describe('account requests', () => {
  it('are decided by customer admins (and agents), not by users', () => {
    expect(decidesAccountRequests(ME)).toBe(false);
    expect(decidesAccountRequests({ ...ME, role: 'customer_admin' })).toBe(true);
    expect(decidesAccountRequests({ ...ME, role: 'agent', organisation: null })).toBe(true);
  });

  it('lists the pending ones; approving says the link was mailed and removes it', async () => {
    vi.mocked(platform.accountRequests).mockResolvedValue([NADIA, PETER]);
    vi.mocked(platform.approveAccountRequest).mockResolvedValue({
      id: 9,
      email: NADIA.email,
      name: NADIA.name,
      role: 'customer_user',
      rights: ME.rights,
      created_at: '2026-11-05T11:00:00Z',
    });
    render(AccountRequestsScreen, { onSignedOut: vi.fn() });
    await vi.waitFor(() => expect(screen.getAllByTestId('account-request')).toHaveLength(2));

    await fireEvent.click(screen.getAllByTestId('approve-account-request')[0] as HTMLElement);
    expect(platform.approveAccountRequest).toHaveBeenCalledWith(1);
    const decided = await screen.findByTestId('account-request-decided');
    expect(decided.textContent).toContain('Account created for Nadia Novak');
    expect(decided.textContent).toContain('nadia@acme.example');
    expect(screen.getAllByTestId('account-request-email').map((e) => e.textContent)).toEqual([
      'peter@acme.example',
    ]);
  });

  it('rejects one', async () => {
    vi.mocked(platform.accountRequests).mockResolvedValue([PETER]);
    vi.mocked(platform.rejectAccountRequest).mockResolvedValue();
    render(AccountRequestsScreen, { onSignedOut: vi.fn() });
    await fireEvent.click(await screen.findByTestId('reject-account-request'));
    expect(platform.rejectAccountRequest).toHaveBeenCalledWith(2);
    expect((await screen.findByTestId('account-request-decided')).textContent).toContain(
      "Peter Pan's request was rejected.",
    );
    expect(await screen.findByTestId('account-requests-empty')).toBeTruthy();
  });

  it('keeps the request and says why when the helpdesk sends no mail', async () => {
    vi.mocked(platform.accountRequests).mockResolvedValue([NADIA]);
    vi.mocked(platform.approveAccountRequest).mockRejectedValue(
      new AppError('mail_not_configured', 'no SMTP'),
    );
    render(AccountRequestsScreen, { onSignedOut: vi.fn() });
    await fireEvent.click(await screen.findByTestId('approve-account-request'));
    expect((await screen.findByTestId('account-request-refusal')).textContent).toContain(
      'Your helpdesk does not send e-mail',
    );
    expect(accessibilityProblems()).toEqual([]);
    expect(screen.getAllByTestId('account-request')).toHaveLength(1);
  });

  it('hands an ended session to the window', async () => {
    const onSignedOut = vi.fn();
    vi.mocked(platform.accountRequests).mockRejectedValue(new AppError('signed_out', 'expired'));
    render(AccountRequestsScreen, { onSignedOut });
    await vi.waitFor(() => expect(onSignedOut).toHaveBeenCalled());
  });
});
