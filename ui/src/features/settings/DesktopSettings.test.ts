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
    expect(platform.setDesktopSettings).toHaveBeenCalledWith({ closeToTray: true, startAtLogin: true });
    await waitFor(() => expect(startAtLogin.checked).toBe(true));
  });

  it('says why closing the window quits where the desktop has no tray', async () => {
    vi.mocked(platform.desktopSettings).mockResolvedValueOnce({
      settings: { closeToTray: true, startAtLogin: false },
      trayShown: false,
    });
    render(DesktopSettings);
    const closeToTray = (await screen.findByTestId('close-to-tray')) as HTMLInputElement;
    expect(closeToTray.disabled).toBe(true);
    expect(screen.getByTestId('close-to-tray-hint').textContent).toContain('no tray icons');
  });
});
