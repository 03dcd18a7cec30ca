import type { Me, Ticket } from '../lib/platform';

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
