import type { Department, NewTicket, TicketDetails } from '../../lib/platform';
import { zonedTimeToUtc } from '../../lib/time/zoned';

import { BODY_MAX_CHARS, LINE_MAX_CHARS, REFERENCE_MAX_CHARS, SUBJECT_MAX_CHARS } from '../../lib/bindings/constants';

/** The limits `NewTicket::validate` and `TicketDetails::validate` check in crates/deskmate-api (in characters). */
export { BODY_MAX_CHARS, REFERENCE_MAX_CHARS, SUBJECT_MAX_CHARS };
export const SERVICE_MAX_CHARS = LINE_MAX_CHARS;
export const DETAIL_TEXT_MAX_CHARS = BODY_MAX_CHARS;

export type FieldProblem =
  | { key: 'newTicket.subjectRequired' }
  | { key: 'newTicket.subjectTooLong'; max: number }
  | { key: 'newTicket.bodyRequired' }
  | { key: 'newTicket.bodyTooLong'; max: number }
  | { key: 'newTicket.fieldTooLong'; max: number }
  | { key: 'newTicket.incidentIncomplete' }
  | { key: 'newTicket.incidentInvalid' }
  | { key: 'newTicket.incidentInFuture' };

/** The form's fields that can have a problem, in the order they show. */
export const PROBLEM_FIELDS = [
  'affectedService',
  'reference',
  'subject',
  'body',
  'incident',
  'errorMessage',
  'steps',
  'tried',
] as const;

export type ProblemField = (typeof PROBLEM_FIELDS)[number];

export type Problems = Partial<Record<ProblemField, FieldProblem>>;

/** What the guided part of the form holds, as typed. */
export interface DetailAnswers {
  affectedService: string;
  reference: string;
  /** "YYYY-MM-DD" from the date input, or "". */
  incidentDate: string;
  /** "HH:MM" from the time input, or "". */
  incidentTime: string;
  /** IANA name the date and time are read in. */
  incidentTimeZone: string;
  errorMessage: string;
  steps: string;
  tried: string;
}

export type DetailField = 'affectedService' | 'reference' | 'incident' | 'errorMessage' | 'steps' | 'tried';

/** Which guided questions each department asks. */
export const DEPARTMENT_FIELDS: Record<Department, readonly DetailField[]> = {
  technical: ['affectedService', 'reference', 'incident', 'errorMessage', 'steps', 'tried'],
  billing: ['affectedService', 'reference'],
  commercial: ['affectedService', 'reference'],
};

export function asks(department: Department, field: DetailField): boolean {
  return DEPARTMENT_FIELDS[department].includes(field);
}

/** A one-line answer without surrounding space, null when blank. */
function line(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A text as typed (its layout may matter), null when blank. */
function text(value: string): string | null {
  return value.trim() === '' ? null : value;
}

/**
 * The `details` to send for `department`: the questions it does not ask and
 * blank answers are null; the incident start is read in the chosen zone. An
 * incident date without a time (or the other way round) or a time that cannot
 * be read comes back as `incident` problem.
 */
export function buildDetails(
  department: Department,
  answers: DetailAnswers,
): { details: TicketDetails; incident?: FieldProblem } {
  const details: TicketDetails = {
    affected_service: asks(department, 'affectedService') ? line(answers.affectedService) : null,
    reference: asks(department, 'reference') ? line(answers.reference) : null,
    incident_started_at: null,
    incident_time_zone: null,
    error_message: asks(department, 'errorMessage') ? text(answers.errorMessage) : null,
    steps: asks(department, 'steps') ? text(answers.steps) : null,
    tried: asks(department, 'tried') ? text(answers.tried) : null,
  };
  if (!asks(department, 'incident')) {
    return { details };
  }
  const date = answers.incidentDate.trim();
  const time = answers.incidentTime.trim();
  if (date === '' && time === '') {
    return { details };
  }
  if (date === '' || time === '') {
    return { details, incident: { key: 'newTicket.incidentIncomplete' } };
  }
  const zone = answers.incidentTimeZone;
  const at = zonedTimeToUtc(date, time, zone);
  if (at === null) {
    return { details, incident: { key: 'newTicket.incidentInvalid' } };
  }
  return { details: { ...details, incident_started_at: at, incident_time_zone: zone } };
}

/** Unicode scalar values, as Rust's `str::chars().count()`. */
function chars(text: string): number {
  return Array.from(text).length;
}

/** As the helpdesk checks a zone name: letters, digits and `/_+-`, at most 64 bytes. */
function plausibleZone(zone: string): boolean {
  return zone.length <= 64 && /^[A-Za-z0-9/_+-]+$/.test(zone);
}

function tooLong(value: string | null, max: number): FieldProblem | undefined {
  return value !== null && chars(value) > max ? { key: 'newTicket.fieldTooLong', max } : undefined;
}

export function validateTicket(ticket: NewTicket, now: Date = new Date()): Problems {
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
  const details = ticket.details;
  const checks: [ProblemField, FieldProblem | undefined][] = [
    ['affectedService', tooLong(details.affected_service, SERVICE_MAX_CHARS)],
    ['reference', tooLong(details.reference, REFERENCE_MAX_CHARS)],
    ['errorMessage', tooLong(details.error_message, DETAIL_TEXT_MAX_CHARS)],
    ['steps', tooLong(details.steps, DETAIL_TEXT_MAX_CHARS)],
    ['tried', tooLong(details.tried, DETAIL_TEXT_MAX_CHARS)],
  ];
  for (const [field, problem] of checks) {
    if (problem) {
      problems[field] = problem;
    }
  }
  if (details.incident_time_zone !== null && !plausibleZone(details.incident_time_zone)) {
    problems.incident = { key: 'newTicket.incidentInvalid' };
  } else if (details.incident_started_at !== null) {
    const at = Date.parse(details.incident_started_at);
    if (Number.isNaN(at)) {
      problems.incident = { key: 'newTicket.incidentInvalid' };
    } else if (at > now.getTime()) {
      problems.incident = { key: 'newTicket.incidentInFuture' };
    }
  }
  return problems;
}

/** The element to focus for a problem with each field. */
export const PROBLEM_TARGETS: Record<ProblemField, string> = {
  affectedService: 'affected-service',
  reference: 'reference',
  subject: 'subject',
  body: 'body',
  incident: 'incident-date',
  errorMessage: 'error-message',
  steps: 'steps',
  tried: 'tried',
};

/** Whether nothing has been typed in (such a form is not saved as a draft). */
export function blank(ticket: NewTicket): boolean {
  const d = ticket.details;
  return [ticket.subject, ticket.body, d.affected_service, d.reference, d.error_message, d.steps, d.tried]
    .every((value) => !value?.trim()) && d.incident_started_at === null;
}
