import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import { accessibilityProblems } from '../../test/a11y';
import SignIn from './SignIn.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const URL = 'http://127.0.0.1:8080';
const INFO = { version: '0.1.0', server_url: URL, demo_accounts: [], language: null };

function input(id: string): HTMLInputElement {
  return document.getElementById(id) as HTMLInputElement;
}

async function type(id: string, value: string): Promise<void> {
  await fireEvent.input(input(id), { target: { value } });
}

async function click(id: string): Promise<void> {
  await fireEvent.click(document.getElementById(id) as HTMLButtonElement);
}

describe('forgot password', () => {
  it('asks for the mail, says "if", sets the password with the code, and returns to sign-in', async () => {
    vi.mocked(platform.requestPasswordReset).mockResolvedValue();
    vi.mocked(platform.confirmPasswordReset).mockResolvedValue('user@acme.example');
    render(SignIn, { info: INFO, onSignedIn: vi.fn() });
    await type('email', 'User@Acme.example');
    await fireEvent.click(screen.getByTestId('forgot-password'));

    // The address typed on the sign-in form comes along.
    expect(input('reset-email').value).toBe('User@Acme.example');
    await click('reset-send');
    expect(platform.requestPasswordReset).toHaveBeenCalledWith(URL, 'User@Acme.example');
    const sent = await screen.findByTestId('reset-sent');
    expect(sent.textContent).toContain('If User@Acme.example has an account, a mail with the code is on its way');
    expect(accessibilityProblems()).toEqual([]);

    await type('reset-code', ' the-code ');
    await type('reset-password', 'a-brand-new-password');
    await type('reset-repeat', 'a-brand-new-password');
    await click('reset-submit');

    expect(platform.confirmPasswordReset).toHaveBeenCalledWith(URL, 'the-code', 'a-brand-new-password');
    const notice = await screen.findByTestId('sign-in-notice');
    expect(notice.textContent).toContain('Your new password is set');
    // Back on the sign-in form with the account's address, the password empty.
    expect(input('email').value).toBe('user@acme.example');
    expect(input('password').value).toBe('');
  });

  it('refuses two different passwords before asking the helpdesk', async () => {
    render(SignIn, { info: INFO, onSignedIn: vi.fn() });
    await fireEvent.click(screen.getByTestId('forgot-password'));
    await fireEvent.click(screen.getByTestId('reset-have-code'));
    await type('reset-code', 'code');
    await type('reset-password', 'a-brand-new-password');
    await type('reset-repeat', 'another-new-password');
    await click('reset-submit');
    expect((await screen.findByTestId('reset-repeat-problem')).textContent).toBe('The two passwords differ.');
    expect(platform.confirmPasswordReset).not.toHaveBeenCalled();
  });

  it("shows the helpdesk's refusal of a used or expired code, and stays on the form", async () => {
    vi.mocked(platform.confirmPasswordReset).mockRejectedValue(
      new AppError('validation', 'this password reset code is unknown, was used already or has expired: ask for a new mail'),
    );
    render(SignIn, { info: INFO, onSignedIn: vi.fn() });
    await fireEvent.click(screen.getByTestId('forgot-password'));
    await fireEvent.click(screen.getByTestId('reset-have-code'));
    await type('reset-code', 'spent');
    await type('reset-password', 'a-brand-new-password');
    await type('reset-repeat', 'a-brand-new-password');
    await click('reset-submit');
    const error = await screen.findByTestId('reset-error');
    expect(error.textContent).toContain('was used already or has expired');
    expect(accessibilityProblems()).toEqual([]);
    expect(document.getElementById('reset-confirm')).not.toBeNull();
  });

  it.each([
    ['mail_not_configured', 'Your helpdesk does not send e-mail'],
    ['rate_limited', 'Too many attempts'],
  ] as const)('says clearly when the helpdesk answers %s', async (code, words) => {
    vi.mocked(platform.requestPasswordReset).mockRejectedValue(new AppError(code, 'no'));
    render(SignIn, { info: INFO, onSignedIn: vi.fn() });
    await fireEvent.click(screen.getByTestId('forgot-password'));
    await type('reset-email', 'user@acme.example');
    await click('reset-send');
    expect((await screen.findByTestId('reset-error')).textContent).toContain(words);
    expect(screen.queryByTestId('reset-sent')).toBeNull();
  });
});

describe('request an account', () => {
  async function fill(contract: string): Promise<void> {
    await fireEvent.click(screen.getByTestId('request-account'));
    await type('request-name', 'Nadia Novak');
    await type('request-email', 'nadia@acme.example');
    await type('request-contract', contract);
    await click('request-submit');
  }

  it('sends name, e-mail and contract number, then says what happens next', async () => {
    vi.mocked(platform.requestAccount).mockResolvedValue();
    render(SignIn, { info: INFO, onSignedIn: vi.fn() });
    await fill('ACME-2024-0001');
    expect(platform.requestAccount).toHaveBeenCalledWith(URL, {
      name: 'Nadia Novak',
      email: 'nadia@acme.example',
      contract_number: 'ACME-2024-0001',
    });
    expect((await screen.findByTestId('sign-in-notice')).textContent).toContain(
      "Your organisation's administrator decides on it",
    );
  });

  it("shows the helpdesk's refusal of a wrong contract number", async () => {
    vi.mocked(platform.requestAccount).mockRejectedValue(
      new AppError('validation', 'no organisation has this contract number: check it on your contract'),
    );
    render(SignIn, { info: INFO, onSignedIn: vi.fn() });
    await fill('ACME-9999');
    expect((await screen.findByTestId('request-error')).textContent).toContain(
      'no organisation has this contract number',
    );
    expect(accessibilityProblems()).toEqual([]);
    expect(document.getElementById('request-account')).not.toBeNull();
  });
});

describe('signing in again', () => {
  it('prefills the address last signed in with at this helpdesk', async () => {
    vi.mocked(platform.rememberedEmail).mockResolvedValue('admin@acme.example');
    render(SignIn, { info: INFO, onSignedIn: vi.fn() });
    await vi.waitFor(() => expect(input('email').value).toBe('admin@acme.example'));
    expect(platform.rememberedEmail).toHaveBeenCalledWith(URL);
  });

  it('says the session ended and that nothing unsent is lost', () => {
    render(SignIn, { info: INFO, onSignedIn: vi.fn(), expired: true });
    expect(screen.getByTestId('sign-in-expired').textContent).toContain(
      'your unsent items, drafts and saved tickets are kept',
    );
  });
});
