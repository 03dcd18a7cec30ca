import type { ErrorCode } from './types';

/** What every call rejects with when the page is opened outside the Deskmate app. */
export const NOT_IN_APP_MESSAGE = "Deskmate's window is not running inside the app";

/** Every code the shell and the server may send (mirrors bindings/ErrorCode.ts). */
const ERROR_CODES: readonly ErrorCode[] = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'validation',
  'rate_limited',
  'not_offered',
  'right_withheld',
  'invalid_email_domain',
  'mail_not_configured',
  'internal',
  'network',
  'signed_out',
  'cache',
  'keyring',
] satisfies readonly ErrorCode[];

// Fails to compile when bindings/ErrorCode.ts gains a code missing from the list above.
type Missing = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;
const _exhaustive: [Missing] extends [never] ? true : Missing = true;
void _exhaustive;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** A failed platform call: what went wrong (`code`) and the detail (`message`). */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

/**
 * Turns whatever a Tauri command rejected with into an AppError: the shell's
 * `ErrorResponse` object, a bare string (Tauri's own failures), or an Error.
 */
export function toAppError(reason: unknown): AppError {
  if (reason instanceof AppError) {
    return reason;
  }
  if (typeof reason === 'object' && reason !== null && 'code' in reason) {
    const { code, message } = reason as { code: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : '';
    return new AppError(isErrorCode(code) ? code : 'internal', text || String(code));
  }
  if (reason instanceof Error) {
    return new AppError('internal', reason.message || reason.name);
  }
  if (typeof reason === 'string') {
    return new AppError('internal', reason);
  }
  return new AppError('internal', String(reason));
}
