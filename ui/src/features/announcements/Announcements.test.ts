import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import { accessibilityProblems } from '../../test/a11y';
import { announcement, at, HOUR } from '../../test/notices';
import AnnouncementsScreen from './AnnouncementsScreen.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

function titles(group: string): string[] {
  const section = screen.queryByTestId(`announcements-${group}`);
  return section ? within(section).queryAllByTestId('announcement-title').map((t) => t.textContent ?? '') : [];
}

describe('announcements screen', () => {
  it('groups what is in effect now, what is coming and what is past', async () => {
    vi.mocked(platform.listAnnouncements).mockResolvedValue([
      announcement(1, 'Mail relay degraded', { starts_at: at(-HOUR), ends_at: at(HOUR), organisation_id: 1 }),
      announcement(2, 'New price list', { organisation_id: null }),
      announcement(3, 'Database upgrade', {
        kind: 'maintenance',
        starts_at: at(24 * HOUR),
        ends_at: at(26 * HOUR),
        affected_services: ['Managed VPS', 'SIP trunk'],
      }),
      announcement(4, 'Router swap', { kind: 'maintenance', starts_at: at(-3 * HOUR), ends_at: at(-2 * HOUR) }),
      announcement(5, 'SIP platform works', {
        kind: 'maintenance',
        starts_at: at(48 * HOUR),
        ends_at: at(50 * HOUR),
        services: [{ reference: 'GLX-SIP-01', name: 'SIP trunk Milan' }],
      }),
    ]);
    render(AnnouncementsScreen);

    await vi.waitFor(() => expect(titles('current')).toEqual(['Mail relay degraded', 'New price list']));
    expect(titles('upcoming')).toEqual(['Database upgrade', 'SIP platform works']);
    expect(titles('past')).toEqual(['Router swap']);
    const upgrade = screen.getAllByTestId('announcement').find((a) => a.dataset.announcementId === '3') as HTMLElement;
    expect(within(upgrade).getByTestId('announcement-kind').textContent).toBe('Planned maintenance');
    expect(within(upgrade).getByTestId('announcement-services').textContent).toContain('Managed VPS, SIP trunk');
    expect(within(upgrade).getByTestId('announcement-when').textContent).toContain('–');
    expect(within(upgrade).getByTestId('announcement-audience').textContent).toBe('For every customer');
    expect(within(upgrade).queryByTestId('announcement-your-services')).toBeNull();
    const sip = screen.getAllByTestId('announcement').find((a) => a.dataset.announcementId === '5') as HTMLElement;
    expect(within(sip).getByTestId('announcement-your-services').textContent).toContain('SIP trunk Milan');
    expect(within(sip).getByTestId('announcement-audience').textContent).toBe("For your organisation's services");
    const relay = screen.getAllByTestId('announcement')[0] as HTMLElement;
    expect(within(relay).getByTestId('announcement-audience').textContent).toBe('For your organisation');
    expect(accessibilityProblems(document.body)).toEqual([]);
  });

  it('says when there are none', async () => {
    vi.mocked(platform.listAnnouncements).mockResolvedValue([]);
    render(AnnouncementsScreen);
    expect((await screen.findByTestId('announcements-empty')).textContent).toBe(
      'No announcements or planned maintenance.',
    );

  });

  it('says why they could not be read', async () => {
    vi.mocked(platform.listAnnouncements).mockRejectedValue(new AppError('cache', 'cache unavailable'));
    render(AnnouncementsScreen);
    const alert = await screen.findByTestId('announcements-error');
    expect(alert.textContent).toContain('cache unavailable');
  });
});
