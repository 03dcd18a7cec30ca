import type {
  AuthorKind,
  ErrorResponse,
  Me,
  Message,
  OutboxItem,
  OutboxKind,
  OutboxState,
  Ticket,
  TicketDetails,
  TicketListPage,
  TicketListQuery,
  TicketStatus,
  TicketView,
} from '../lib/platform';

/** A ticket filed without any of the guided form's answers. */
export const NO_DETAILS: TicketDetails = {
  affected_service: null,
  reference: null,
  incident_started_at: null,
  incident_time_zone: null,
  error_message: null,
  steps: null,
  tried: null,
};

export const ME: Me = {
  id: 1,
  email: 'user@acme.example',
  name: 'Ursula User',
  role: 'customer_user',
  organisation: { id: 1, name: 'Acme Hosting Ltd' },
  rights: { all_tickets: false, invoices: false, call_records: false, manage_users: false, expedite: false },
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
    details: NO_DETAILS,
    created_at: updatedAt,
    updated_at: updatedAt,
    expedited: false,
    expedited_at: null,
    availability: null,
  };
}

/** Newest activity first, ties by the higher id: the order of the list. */
function listOrder(a: { updated_at: string; id: number }, b: { updated_at: string; id: number }): number {
  return Date.parse(b.updated_at) - Date.parse(a.updated_at) || b.id - a.id;
}

/**
 * A stand-in for the shell's ticket_page over a cache holding `tickets`
 * (`unread`: the ids the user has not read): filters, keyset pages and
 * counts as the core answers them.
 */
export function pages(
  tickets: Ticket[],
  unread: number[] = [],
): (query: TicketListQuery) => Promise<TicketListPage> {
  return (query) => {
    const sorted = [...tickets].sort(listOrder);
    const inDepartment = sorted.filter((t) => !query.department || t.department === query.department);
    const matching = inDepartment.filter((t) => !query.status || t.status === query.status);
    const after = query.after;
    const rest = after ? matching.filter((t) => listOrder(after, t) < 0) : matching;
    const limit = Math.min(Math.max(query.limit, 1), 500);
    const page = rest.slice(0, limit);
    const last = page[page.length - 1];
    const statuses: TicketStatus[] = ['open', 'waiting_for_customer', 'resolved', 'closed'];
    return Promise.resolve({
      tickets: page.map((t) => ({
        id: t.id,
        subject: t.subject,
        status: t.status,
        department: t.department,
        priority: t.priority,
        requester_name: t.requester_name,
        updated_at: t.updated_at,
        unread: unread.includes(t.id),
      })),
      next: rest.length > limit && last ? { updated_at: last.updated_at, id: last.id } : null,
      matching: matching.length,
      cached: tickets.length,
      unread: tickets.filter((t) => unread.includes(t.id)).length,
      by_status: statuses
        .map((status) => ({ status, count: inDepartment.filter((t) => t.status === status).length }))
        .filter((s) => s.count > 0),
    });
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
    ticket: {
      department: 'technical',
      priority: 'regular',
      subject,
      body: `Body of ${subject}`,
      details: NO_DETAILS,
    },
    ticket_id: null,
    text: null,
    attempts: state === 'failed' ? 1 : 0,
    error,
    files: [],
    created_at: '2025-05-01T09:00:00Z',
  };
}

export function message(
  id: number,
  ticketId: number,
  kind: AuthorKind,
  body: string,
  createdAt = '2025-05-01T10:00:00Z',
): Message {
  return {
    id,
    ticket_id: ticketId,
    author_id: kind === 'agent' ? 50 : 1,
    author_name: kind === 'agent' ? 'Alice Agent' : 'Ursula User',
    author_kind: kind,
    body,
    internal: false,
    created_at: createdAt,
  };
}

/** An unsent reply (or reopen) of a ticket. */
export function writeItem(
  localId: number,
  ticketId: number,
  text: string,
  state: OutboxState,
  error: ErrorResponse | null = null,
  kind: OutboxKind = 'reply',
): OutboxItem {
  return {
    local_id: localId,
    kind,
    state,
    summary: text.slice(0, 60),
    ticket: null,
    ticket_id: ticketId,
    text,
    attempts: state === 'failed' ? 1 : 0,
    error,
    files: [],
    created_at: '2025-05-01T11:00:00Z',
  };
}

export function view(
  t: Ticket,
  messages: Message[] = [],
  extra: Partial<Omit<TicketView, 'ticket' | 'messages'>> = {},
): TicketView {
  return {
    ticket: t,
    messages,
    reopen_until: null,
    queue_position: null,
    first_response_due_at: null,
    queue_checked_at: null,
    pending: [],
    attachments: [],
    online: true,
    ...extra,
  };
}
