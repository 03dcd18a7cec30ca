import type { OutboxItem, Ticket } from '../../lib/platform';

/** What the detail gives a card that writes about its ticket through the outbox. */
export interface TicketWriteProps {
  ticket: Ticket;
  /** The ticket's writes still in the outbox. */
  pending: OutboxItem[];
  /** Something was queued or sent: read the ticket again. */
  onChanged: () => void | Promise<void>;
  onSessionLost: () => void;
}
