// Screens the shell asks the window to show: a click on a desktop
// notification, a deskmate:// link (at launch or from a second launch).
import { writable } from 'svelte/store';
import * as platform from '../platform';
import type { NotifyTarget } from '../platform';
import { navigate } from '../router';

/** A ticket the shell asked to show; the tickets screen opens it and clears this. */
export const ticketToOpen = writable<number | null>(null);

/** Set when the shell asked for the new-ticket form; the tickets screen opens it and clears this. */
export const newTicketToOpen = writable(false);

/** Shows the screen `target` names. */
export function showTarget(target: NotifyTarget): void {
  switch (target.screen) {
    case 'ticket':
      ticketToOpen.set(target.id);
      navigate('tickets');
      break;
    case 'new_ticket':
      newTicketToOpen.set(true);
      navigate('tickets');
      break;
    case 'tickets':
    case 'announcements':
    case 'requests':
      navigate(target.screen);
      break;
  }
}

/** While signed in: what the shell asks to show, starting with a link the app was launched with. */
export function followOpen(): () => void {
  platform
    .takeOpenRequest()
    .then((target) => {
      if (target) {
        showTarget(target);
      }
    })
    .catch(() => {
      // No launch link to open.
    });
  return platform.onOpen(showTarget);
}
