import type { NewTicket } from '../../lib/platform';

/** The same limits as `NewTicket::validate` in crates/deskmate-api (counted in characters). */
export const SUBJECT_MAX_CHARS = 200;
export const BODY_MAX_CHARS = 20_000;

export type FieldProblem =
  | { key: 'newTicket.subjectRequired' }
  | { key: 'newTicket.subjectTooLong'; max: number }
  | { key: 'newTicket.bodyRequired' }
  | { key: 'newTicket.bodyTooLong'; max: number };

export interface Problems {
  subject?: FieldProblem;
  body?: FieldProblem;
}

/** Unicode scalar values, as Rust's `str::chars().count()`. */
function chars(text: string): number {
  return Array.from(text).length;
}

export function validateTicket(ticket: NewTicket): Problems {
  const problems: Problems = {};
  const subject = ticket.subject.trim();
  if (subject === '') {
    problems.subject = { key: 'newTicket.subjectRequired' };
  } else if (chars(subject) > SUBJECT_MAX_CHARS) {
    problems.subject = { key: 'newTicket.subjectTooLong', max: SUBJECT_MAX_CHARS };
  }
  if (ticket.body.trim() === '') {
    problems.body = { key: 'newTicket.bodyRequired' };
  } else if (chars(ticket.body) > BODY_MAX_CHARS) {
    problems.body = { key: 'newTicket.bodyTooLong', max: BODY_MAX_CHARS };
  }
  return problems;
}
