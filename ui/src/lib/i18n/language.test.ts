import { fireEvent, render, screen } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { locale } from 'svelte-i18n';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from '../../App.svelte';
import * as platform from '../platform';
import { applyLanguage, chosenLanguage } from './index';

vi.mock('../platform', () => import('../../test/platform-mock'));

const INFO = { version: '0.1.0', server_url: 'http://127.0.0.1:8080', demo_accounts: [] };

function picker(): HTMLSelectElement {
  return document.getElementById('language') as HTMLSelectElement;
}

afterEach(() => {
  // Back to the English every other test expects.
  applyLanguage('en');
  chosenLanguage.set(null);
});

describe('the language', () => {
  it('chosen in an earlier run is used at start, over the system one', async () => {
    vi.mocked(platform.appInfo).mockResolvedValue({ ...INFO, language: 'sk' });
    vi.mocked(platform.session).mockResolvedValue(null);
    render(App);
    await vi.waitFor(() => expect(get(locale)).toBe('sk'));
    expect(document.documentElement.lang).toBe('sk');
    expect(picker().value).toBe('sk');
  });

  it('follows the system until one is chosen, and the choice is kept for the next start', async () => {
    vi.mocked(platform.appInfo).mockResolvedValue({ ...INFO, language: null });
    vi.mocked(platform.session).mockResolvedValue(null);
    render(App);
    await vi.waitFor(() => expect(document.querySelector('form#sign-in')).not.toBeNull());
    // jsdom's navigator.language is en-US: the first option says so.
    expect(picker().value).toBe('');
    expect(picker().options[0]?.textContent?.trim()).toBe('System language (English)');

    await fireEvent.change(picker(), { target: { value: 'it' } });
    expect(platform.setLanguage).toHaveBeenLastCalledWith('it');
    expect(get(locale)).toBe('it');
    expect(screen.getByText('Lingua')).toBeTruthy();

    await fireEvent.change(picker(), { target: { value: '' } });
    expect(platform.setLanguage).toHaveBeenLastCalledWith(null);
    expect(get(locale)).toBe('en');
  });

  it('still changes when it cannot be kept', async () => {
    vi.mocked(platform.appInfo).mockResolvedValue({ ...INFO, language: null });
    vi.mocked(platform.session).mockResolvedValue(null);
    vi.mocked(platform.setLanguage).mockRejectedValue(new platform.AppError('cache', 'disk full'));
    render(App);
    await vi.waitFor(() => expect(picker()).not.toBeNull());
    await fireEvent.change(picker(), { target: { value: 'cs' } });
    await vi.waitFor(() => expect(get(locale)).toBe('cs'));
    expect(screen.queryByTestId('startup-error')).toBeNull();
  });
});
