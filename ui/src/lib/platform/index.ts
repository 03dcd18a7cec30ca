// The only module that talks to the Tauri shell. Components import this module
// (never @tauri-apps/api) so tests can replace it with vi.mock.
import { invoke } from '@tauri-apps/api/core';
import { AppError, NOT_IN_APP_MESSAGE, toAppError } from './errors';
import type { AppInfo, Me, NewTicket, RefreshOutcome, Ticket } from './types';

export { AppError, NOT_IN_APP_MESSAGE, toAppError } from './errors';
export type * from './types';

function insideTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!insideTauri()) {
    throw new AppError('internal', NOT_IN_APP_MESSAGE);
  }
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toAppError(reason);
  }
}

/** Version, the helpdesk address to offer and demo accounts (if any). */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}

/** The signed-in user when a session is saved, else null. */
export function session(): Promise<Me | null> {
  return call<Me | null>('session');
}

export function login(serverUrl: string, email: string, password: string): Promise<Me> {
  return call<Me>('login', { serverUrl, email, password });
}

export async function logout(): Promise<void> {
  await call<null>('logout');
}

/** The tickets saved on this computer (instant, no network). */
export function listTickets(): Promise<Ticket[]> {
  return call<Ticket[]>('list_tickets');
}

/** Pulls the tickets from the helpdesk; `online: false` means the cached list. */
export function refreshTickets(): Promise<RefreshOutcome> {
  return call<RefreshOutcome>('refresh_tickets');
}

export function createTicket(ticket: NewTicket): Promise<Ticket> {
  return call<Ticket>('create_ticket', { ticket });
}
