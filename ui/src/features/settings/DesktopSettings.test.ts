import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import DesktopSettings from './DesktopSettings.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

beforeEach(() => {
  vi.mocked(platform.setDesktopSettings).mockClear();
});

describe('DesktopSettings', () => {
  it('turns start at login on with close-to-tray kept as it was', async () => {
    render(DesktopSettings);
    const startAtLogin = (await screen.findByTestId('start-at-login')) as HTMLInputElement;
    expect(startAtLogin.checked).toBe(false);
    await fireEvent.click(startAtLogin);
    expect(platform.setDesktopSettings).toHaveBeenCalledWith({
      closeToTray: true,
      startAtLogin: true,
      screenshotShortcut: 'Ctrl+Alt+S',
    });
    await waitFor(() => expect(startAtLogin.checked).toBe(true));
  });

  it('says why closing the window quits where the desktop has no tray', async () => {
    vi.mocked(platform.desktopSettings).mockResolvedValueOnce({
      settings: { closeToTray: true, startAtLogin: false, screenshotShortcut: 'Ctrl+Alt+S' },
      trayShown: false,
      shortcutActive: false,
    });
    render(DesktopSettings);
    const closeToTray = (await screen.findByTestId('close-to-tray')) as HTMLInputElement;
    expect(closeToTray.disabled).toBe(true);
    expect(screen.getByTestId('close-to-tray-hint').textContent).toContain('no tray icons');
    // The shortcut is held by another app: said, not hidden.
    expect(screen.getByTestId('screenshot-shortcut-taken').textContent).toContain('Another app holds Ctrl+Alt+S');
  });

  it('keeps the screenshot shortcut pressed in its field, and shows why one is refused', async () => {
    render(DesktopSettings);
    const field = (await screen.findByTestId('screenshot-shortcut')) as HTMLInputElement;
    expect(field.value).toBe('Ctrl+Alt+S');
    await fireEvent.keyDown(field, { key: 'p', ctrlKey: true, shiftKey: true });
    expect(field.value).toBe('Ctrl+Shift+P');
    await fireEvent.click(screen.getByTestId('screenshot-shortcut-save'));
    expect(platform.setDesktopSettings).toHaveBeenLastCalledWith({
      closeToTray: true,
      startAtLogin: false,
      screenshotShortcut: 'Ctrl+Shift+P',
    });

    vi.mocked(platform.setDesktopSettings).mockRejectedValueOnce(
      new platform.AppError('validation', '"Ctrl+Nope" is not a keyboard shortcut'),
    );
    await fireEvent.input(field, { target: { value: 'Ctrl+Nope' } });
    await fireEvent.click(screen.getByTestId('screenshot-shortcut-save'));
    expect((await screen.findByTestId('desktop-error')).textContent).toContain('not a keyboard shortcut');
  });
});
