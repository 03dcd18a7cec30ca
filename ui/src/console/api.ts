// The console's one way to the helpdesk: the public API (/api/v1) of the
// server that serves it, with the bearer token of the agent's session.
//
// The token lives in this tab's sessionStorage: it survives a reload, dies
// with the tab, is never sent by the browser on its own (no cookie, so no
// cross-site request can act as the agent), and the strict CSP keeps
// foreign scripts from reading it. See docs/ARCHITECTURE.md.
import { AppError, isErrorCode } from '../lib/platform/errors';
import type { LoginResponse, Me } from './types';

const TOKEN_KEY = 'deskmate-console-token';

let token: string | null = readToken();

function readToken(): string | null {
  try {
    return globalThis.sessionStorage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

function keepToken(value: string | null): void {
  token = value;
  try {
    if (value === null) {
      sessionStorage.removeItem(TOKEN_KEY);
    } else {
      sessionStorage.setItem(TOKEN_KEY, value);
    }
  } catch {
    // Storage refused (private mode): the token stays in memory only.
  }
}

export function hasSession(): boolean {
  return token !== null;
}

/** Called when the server no longer accepts the token. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return token === null ? extra : { ...extra, authorization: `Bearer ${token}` };
}

/** The error of a failed response: its `{code, message}`, else the status. */
async function failure(response: Response): Promise<AppError> {
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object' && 'code' in body && 'message' in body) {
      const { code, message } = body as { code: unknown; message: unknown };
      if (isErrorCode(code) && typeof message === 'string') {
        return new AppError(code, message);
      }
    }
  } catch {
    // Not JSON: fall through.
  }
  return new AppError('internal', `the helpdesk answered ${response.status}`);
}

/** A fresh idempotency key, so a retried write is applied once. */
export function newKey(): string {
  return crypto.randomUUID();
}

export async function send(
  method: string,
  path: string,
  body?: unknown,
  key?: string,
): Promise<Response> {
  let response: Response;
  const extra: Record<string, string> = {};
  if (body !== undefined) extra['content-type'] = 'application/json';
  if (key !== undefined) extra['idempotency-key'] = key;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers: headers(extra),
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new AppError('network', e instanceof Error ? e.message : String(e));
  }
  if (response.status === 401 && token !== null) {
    keepToken(null);
    onSignedOut();
  }
  if (!response.ok) {
    throw await failure(response);
  }
  return response;
}

export async function get<T>(path: string): Promise<T> {
  return (await (await send('GET', path)).json()) as T;
}

/** A write with a fresh idempotency key; the answer's JSON, or null for 204. */
export async function write<T>(method: string, path: string, body?: unknown): Promise<T | null> {
  const response = await send(method, path, body, newKey());
  return response.status === 204 ? null : ((await response.json()) as T);
}

export async function bytes(path: string): Promise<Blob> {
  return (await send('GET', path)).blob();
}

/**
 * Signs in; a customer's account is refused here (and its session ended at
 * once), since the console is for the provider's agents.
 */
export async function signIn(email: string, password: string): Promise<Me> {
  const answer = await write<LoginResponse>('POST', '/auth/login', { email, password });
  if (answer === null) {
    throw new AppError('internal', 'the helpdesk answered without a session');
  }
  keepToken(answer.token);
  if (answer.user.role !== 'agent') {
    await signOut();
    throw new AppError('forbidden', 'customer');
  }
  return answer.user;
}

export async function signOut(): Promise<void> {
  if (token === null) return;
  try {
    await send('POST', '/auth/logout');
  } catch {
    // Gone already: forget it all the same.
  }
  keepToken(null);
}

/** The token for the event stream (same scheme, sent by live.ts). */
export function bearer(): string | null {
  return token;
}
