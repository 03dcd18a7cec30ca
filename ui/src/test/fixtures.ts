import type { ErrorResponse, Me, OutboxItem, OutboxState, Ticket } from '../lib/platform';

export const ME: Me = {
  id: 1,
  email: 'user@acme.example',
  name: 'Ursula User',
  role: 'customer_user',
  organisation: { id: 1, name: 'Acme Hosting Ltd' },
};

export function ticket(id: number, subject: string, updatedAt: string): Ticket {
  return {
    id,
    organisation_id: 1,
    requester_id: 1,
    requester_name: 'Ursula User',
    department: 'technical',
    priority: 'regular',
    status: 'open',
    subject,
    body: `Body of ${subject}`,
    created_at: updatedAt,
    updated_at: updatedAt,
  };
}

export function outboxItem(
  localId: number,
  subject: string,
  state: OutboxState,
  error: ErrorResponse | null = null,
): OutboxItem {
  return {
    local_id: localId,
    kind: 'new_ticket',
    state,
    summary: subject,
    ticket: { department: 'technical', priority: 'regular', subject, body: `Body of ${subject}` },
    ticket_id: null,
    text: null,
    attempts: state === 'failed' ? 1 : 0,
    error,
    created_at: '2025-05-01T09:00:00Z',
  };
}
