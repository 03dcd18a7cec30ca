import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { followHash, navigate, resetRoute, route, routeOf } from './index';

describe('router', () => {
  it('reads the screen from the hash, the tickets for anything else', () => {
    expect(routeOf('#/announcements')).toBe('announcements');
    expect(routeOf('#requests')).toBe('requests');
    expect(routeOf('')).toBe('tickets');
    expect(routeOf('#/nowhere')).toBe('tickets');
  });

  it('keeps the screen in the hash and follows Back and Forward', async () => {
    const stop = followHash();
    navigate('settings');
    expect(get(route)).toBe('settings');
    expect(window.location.hash).toBe('#/settings');
    window.location.hash = '#/account';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(get(route)).toBe('account');
    stop();
    resetRoute();
    expect(get(route)).toBe('tickets');
    expect(window.location.hash).toBe('');
  });
});
