import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import { accessibilityProblems } from '../../test/a11y';
import ReadyNowCard from './ReadyNowCard.svelte';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

describe('ready for remote help now', () => {
  it('is said for 30 min, 1 h or 2 h and taken back', async () => {
    const until = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    vi.mocked(platform.setReadyNow).mockResolvedValueOnce({ ready_until: until });
    render(ReadyNowCard, { ticketId: 7, onSessionLost: vi.fn() });
    await vi.waitFor(() => expect(platform.readyNow).toHaveBeenCalledExactlyOnceWith(7));
    const choices = screen.getAllByTestId('ready-now-set').map((b) => b.dataset.minutes);
    expect(choices).toEqual(['30', '60', '120']);
    expect(screen.queryByTestId('ready-now-until')).toBeNull();
    expect(accessibilityProblems(document.body)).toEqual([]);

    await fireEvent.click(screen.getAllByTestId('ready-now-set')[1] as HTMLElement);
    expect(platform.setReadyNow).toHaveBeenCalledExactlyOnceWith(7, 60);
    await vi.waitFor(() => expect(screen.getByTestId('ready-now').dataset.ready).toBe('true'));

    vi.mocked(platform.setReadyNow).mockResolvedValueOnce({ ready_until: null });
    await fireEvent.click(screen.getByTestId('ready-now-clear'));
    expect(platform.setReadyNow).toHaveBeenLastCalledWith(7, null);
    await vi.waitFor(() => expect(screen.queryByTestId('ready-now-until')).toBeNull());
  });

  it('keeps the choice when the first reading answers after it', async () => {
    const until = new Date(Date.now() + 30 * 60 * 1000).toISOString();
    let answerFirstReading: (r: { ready_until: string | null }) => void = () => {};
    vi.mocked(platform.readyNow).mockReturnValueOnce(new Promise((resolve) => (answerFirstReading = resolve)));
    vi.mocked(platform.setReadyNow).mockResolvedValueOnce({ ready_until: until });
    render(ReadyNowCard, { ticketId: 7, onSessionLost: vi.fn() });
    await fireEvent.click(screen.getAllByTestId('ready-now-set')[0] as HTMLElement);
    await vi.waitFor(() => expect(screen.getByTestId('ready-now').dataset.ready).toBe('true'));
    answerFirstReading({ ready_until: null });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.getByTestId('ready-now').dataset.ready).toBe('true');
  });

  it('says why the helpdesk could not be told', async () => {
    vi.mocked(platform.setReadyNow).mockRejectedValueOnce(new AppError('network', 'the helpdesk cannot be reached'));
    render(ReadyNowCard, { ticketId: 7, onSessionLost: vi.fn() });
    await fireEvent.click(screen.getAllByTestId('ready-now-set')[0] as HTMLElement);
    expect(await screen.findByTestId('ready-now-error')).toBeTruthy();
  });
});
