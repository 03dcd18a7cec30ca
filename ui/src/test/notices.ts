// Announcements and requests as the shell hands them to the window, for component tests.
import type { Announcement, OrderDelayView, OutboxItem, RemoteSessionView } from '../lib/platform';

export const HOUR = 3_600_000;

export function at(offsetMs: number): string {
  return new Date(Date.now() + offsetMs).toISOString();
}

export function announcement(id: number, title: string, overrides: Partial<Announcement> = {}): Announcement {
  return {
    id,
    kind: 'announcement',
    title,
    body: `${title}: details`,
    affected_services: [],
    services: [],
    starts_at: null,
    ends_at: null,
    organisation_id: null,
    created_at: '2025-01-01T09:00:00Z',
    updated_at: '2025-01-01T09:00:00Z',
    ...overrides,
  };
}

export function answerItem(localId: number, kind: OutboxItem['kind'], state: OutboxItem['state']): OutboxItem {
  return {
    local_id: localId,
    kind,
    state,
    summary: 'answer',
    ticket: null,
    ticket_id: null,
    text: null,
    attempts: state === 'failed' ? 1 : 0,
    error: state === 'failed' ? { code: 'validation', message: 'already answered' } : null,
    files: [],
    created_at: '2025-05-01T10:00:00Z',
  };
}

export function remoteSession(id: number, overrides: Partial<RemoteSessionView['remote_session']> = {}): RemoteSessionView {
  return {
    remote_session: {
      id,
      ticket_id: 40 + id,
      reason: 'To look at the mail server settings',
      tool: 'rustdesk',
      status: 'requested',
      requested_by_name: 'Alice Agent',
      requested_at: '2025-05-01T09:00:00Z',
      answered_at: null,
      ended_at: null,
      summary: null,
      consented_at: null,
      connect_tool: null,
      tool_id: null,
      started_at: null,
      ended_by: null,
      ended_by_name: null,
      ...overrides,
    },
    answer: null,
  };
}

export function orderDelay(id: number, overrides: Partial<OrderDelayView['order_delay']> = {}): OrderDelayView {
  return {
    order_delay: {
      id,
      organisation_id: 1,
      order_number: `PO-${id}`,
      question: 'Which delivery address should we use?',
      kind: 'information',
      charge: null,
      due_at: '2025-06-01T12:00:00Z',
      status: 'open',
      answer: null,
      resolution_date: null,
      site_contact: null,
      charge_accepted: null,
      answered_by_name: null,
      created_at: '2025-05-01T09:00:00Z',
      answered_at: null,
      ...overrides,
    },
    answer: null,
  };
}
