import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import { ME } from '../../test/fixtures';
import SignIn from './SignIn.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const INFO = { version: '0.1.0', server_url: 'http://127.0.0.1:8080', demo_accounts: [], language: null };

async function fillAndSubmit(email: string, password: string): Promise<void> {
  await fireEvent.input(document.getElementById('email') as HTMLInputElement, {
    target: { value: email },
  });
  await fireEvent.input(document.getElementById('password') as HTMLInputElement, {
    target: { value: password },
  });
  await fireEvent.click(document.getElementById('sign-in-submit') as HTMLButtonElement);
}

describe('sign-in', () => {
  it('prefills the helpdesk address', () => {
    render(SignIn, { info: INFO, onSignedIn: vi.fn() });
    expect((document.getElementById('server-url') as HTMLInputElement).value).toBe(
      'http://127.0.0.1:8080',
    );
    expect(document.querySelector('form#sign-in')).not.toBeNull();
    expect(screen.queryAllByTestId('demo-account')).toHaveLength(0);
  });

  it('says "Wrong e-mail or password." when the helpdesk refuses', async () => {
    vi.mocked(platform.login).mockRejectedValue(
      new AppError('unauthorized', 'invalid e-mail or password'),
    );
    const onSignedIn = vi.fn();
    render(SignIn, { info: INFO, onSignedIn });

    await fillAndSubmit('user@acme.example', 'not-the-password');

    const error = await screen.findByTestId('sign-in-error');
    expect(error.textContent?.trim()).toBe('Wrong e-mail or password.');
    expect(error.getAttribute('role')).toBe('alert');
    expect(platform.login).toHaveBeenCalledWith(
      'http://127.0.0.1:8080',
      'user@acme.example',
      'not-the-password',
    );
    expect(onSignedIn).not.toHaveBeenCalled();
    expect((document.getElementById('sign-in-submit') as HTMLButtonElement).disabled).toBe(false);
  });

  it('hands the user over after a successful sign-in', async () => {
    vi.mocked(platform.login).mockResolvedValue(ME);
    const onSignedIn = vi.fn();
    render(SignIn, { info: INFO, onSignedIn });

    await fillAndSubmit('user@acme.example', 'demo-password');

    await vi.waitFor(() =>
      expect(onSignedIn).toHaveBeenCalledWith(ME, 'http://127.0.0.1:8080'),
    );
    expect(screen.queryByTestId('sign-in-error')).toBeNull();
  });

  it('lists demo accounts that fill the e-mail field', async () => {
    render(SignIn, {
      info: { ...INFO, demo_accounts: ['user@acme.example', 'admin@globex.example'] },
      onSignedIn: vi.fn(),
    });
    const accounts = screen.getAllByTestId('demo-account');
    expect(accounts.map((b) => b.textContent?.trim())).toEqual([
      'user@acme.example',
      'admin@globex.example',
    ]);
    expect(screen.getByText('demo password: demo-password')).toBeTruthy();

    await fireEvent.click(accounts[1] as HTMLElement);
    expect((document.getElementById('email') as HTMLInputElement).value).toBe(
      'admin@globex.example',
    );
  });
});
