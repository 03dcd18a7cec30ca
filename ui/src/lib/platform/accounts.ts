// Accounts beyond signing in: the address remembered per helpdesk, password
// reset and account requests (no session needed), the account requests a
// customer admin decides on, and the organisation's billing.
import { call } from './call';
import type { AccountRequest } from '../bindings/AccountRequest';
import type { CallRecordList } from '../bindings/CallRecordList';
import type { ExpediteChargeList } from '../bindings/ExpediteChargeList';
import type { InvoiceList } from '../bindings/InvoiceList';
import type { NewAccountRequest } from '../bindings/NewAccountRequest';
import type { UserAccount } from '../bindings/UserAccount';

export type { AccountRequest } from '../bindings/AccountRequest';
export type { CallRecord } from '../bindings/CallRecord';
export type { CallRecordList } from '../bindings/CallRecordList';
export type { ExpediteChargeList } from '../bindings/ExpediteChargeList';
export type { ExpediteRequest } from '../bindings/ExpediteRequest';
export type { Invoice } from '../bindings/Invoice';
export type { InvoiceList } from '../bindings/InvoiceList';
export type { InvoiceStatus } from '../bindings/InvoiceStatus';
export type { NewAccountRequest } from '../bindings/NewAccountRequest';
export type { UserAccount } from '../bindings/UserAccount';

/** The e-mail address last signed in with at this helpdesk (null: none yet). */
export function rememberedEmail(serverUrl: string): Promise<string | null> {
  return call('remembered_email', { serverUrl });
}

/**
 * Asks the helpdesk to mail a password reset code. It answers alike whether
 * or not the address has an account; rejects with `mail_not_configured` when
 * the helpdesk sends no mail, `rate_limited` after too many requests.
 */
export async function requestPasswordReset(serverUrl: string, email: string): Promise<void> {
  await call('request_password_reset', { serverUrl, email });
}

/**
 * Sets a new password with the code of the reset mail; resolves to the
 * account's address. An unknown, used or expired code is `validation`.
 */
export function confirmPasswordReset(
  serverUrl: string,
  token: string,
  password: string,
): Promise<string> {
  return call('confirm_password_reset', { serverUrl, token, password });
}

/** Asks for an account; a contract number no organisation has is `validation`. */
export async function requestAccount(serverUrl: string, request: NewAccountRequest): Promise<void> {
  await call('request_account', { serverUrl, request });
}

/** The pending account requests the signed-in customer admin decides on. */
export function accountRequests(): Promise<AccountRequest[]> {
  return call('account_requests');
}

/** Approves a request: the helpdesk creates the account and mails a set-password link. */
export function approveAccountRequest(id: number): Promise<UserAccount> {
  return call('approve_account_request', { id });
}

export async function rejectAccountRequest(id: number): Promise<void> {
  await call('reject_account_request', { id });
}

/** One page of the organisation's invoices, newest first (`cursor`: the previous page's). */
export function invoices(cursor: string | null): Promise<InvoiceList> {
  return call('invoices', { cursor });
}

/** One page of the calls on the organisation's voice services. */
export function callRecords(cursor: string | null): Promise<CallRecordList> {
  return call('call_records', { cursor });
}

/** One page of the organisation's expedited responses as charges. */
export function expediteCharges(cursor: string | null): Promise<ExpediteChargeList> {
  return call('expedite_charges', { cursor });
}
