// The window's screens, one per entry of the sidebar, kept in the address's
// hash (#/announcements) so Back and Forward work as they do in a browser.
import { writable } from 'svelte/store';

export const ROUTES = [
  'tickets',
  'announcements',
  'requests',
  'billing',
  'account-requests',
  'account',
  'settings',
] as const;
export type Route = (typeof ROUTES)[number];

function isRoute(value: string): value is Route {
  return (ROUTES as readonly string[]).includes(value);
}

/** The screen the hash names; the tickets for anything else. */
export function routeOf(hash: string): Route {
  const name = hash.replace(/^#\/?/, '');
  return isRoute(name) ? name : 'tickets';
}

function current(): Route {
  return typeof window === 'undefined' ? 'tickets' : routeOf(window.location.hash);
}

/** The screen shown. */
export const route = writable<Route>(current());

/** Shows `to` (and keeps it in the hash). */
export function navigate(to: Route): void {
  const hash = `#/${to}`;
  if (window.location.hash !== hash) {
    window.location.hash = hash;
  }
  route.set(to);
}

/** Follows the hash (Back, Forward, a link) until the returned function is called. */
export function followHash(): () => void {
  const changed = (): void => route.set(current());
  window.addEventListener('hashchange', changed);
  changed();
  return () => window.removeEventListener('hashchange', changed);
}

/** Back to the first screen (signed out; between tests). */
export function resetRoute(): void {
  if (typeof window !== 'undefined' && window.location.hash !== '') {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  route.set('tickets');
}
