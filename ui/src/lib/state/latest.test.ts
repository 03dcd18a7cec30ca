import { describe, expect, it } from 'vitest';
import { latest } from './latest';

describe('latest request wins', () => {
  it('makes the earlier requests stale', () => {
    const requests = latest();
    const first = requests.begin();
    const second = requests.begin();
    expect(first()).toBe(false);
    expect(second()).toBe(true);
  });

  it('joins the current request without making it stale, and cancels all', () => {
    const requests = latest();
    const started = requests.begin();
    const joined = requests.peek();
    expect(started()).toBe(true);
    expect(joined()).toBe(true);
    requests.cancel();
    expect(started()).toBe(false);
    expect(joined()).toBe(false);
  });
});
