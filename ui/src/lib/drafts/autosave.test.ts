import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { autosave } from './autosave';

describe('autosave', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('saves once typing pauses, not on every keystroke', async () => {
    const save = vi.fn(() => Promise.resolve());
    const saver = autosave(save, 300);
    saver.schedule();
    await vi.advanceTimersByTimeAsync(200);
    saver.schedule();
    await vi.advanceTimersByTimeAsync(200);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('never runs two saves at once and keeps going after a failure', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    const save = vi.fn(async () => {
      calls += 1;
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 500));
      running -= 1;
      if (calls === 1) {
        throw new Error('disk full');
      }
    });
    const saver = autosave(save, 300);
    saver.schedule();
    await vi.advanceTimersByTimeAsync(300);
    saver.schedule();
    await vi.advanceTimersByTimeAsync(300);
    await vi.advanceTimersByTimeAsync(2000);
    expect(save).toHaveBeenCalledTimes(2);
    expect(most).toBe(1);
  });

  it('flush saves what waits at once; settle drops it', async () => {
    const save = vi.fn(() => Promise.resolve());
    const saver = autosave(save, 300);
    saver.schedule();
    await saver.flush();
    expect(save).toHaveBeenCalledTimes(1);
    saver.schedule();
    await saver.settle();
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenCalledTimes(1);
  });
});
