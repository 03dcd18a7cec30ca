import { get } from 'svelte/store';
import { afterEach, describe, expect, it } from 'vitest';
import { resetRoute, route } from '../router';
import { newTicketToOpen, showTarget, ticketToOpen } from './open';

describe('screens the shell asks for', () => {
  afterEach(() => {
    resetRoute();
    ticketToOpen.set(null);
    newTicketToOpen.set(false);
  });

  it('a ticket opens the tickets screen on that ticket', () => {
    showTarget({ screen: 'announcements' });
    expect(get(route)).toBe('announcements');
    showTarget({ screen: 'ticket', id: 7 });
    expect(get(route)).toBe('tickets');
    expect(get(ticketToOpen)).toBe(7);
  });

  it('the new-ticket form and the other screens', () => {
    showTarget({ screen: 'new_ticket' });
    expect(get(route)).toBe('tickets');
    expect(get(newTicketToOpen)).toBe(true);
    showTarget({ screen: 'requests' });
    expect(get(route)).toBe('requests');
  });
});
