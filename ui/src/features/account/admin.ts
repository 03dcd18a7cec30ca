// What the account screen's admin sections share: the rights in the order
// they are shown, and how a refusal of the helpdesk reads.
import * as platform from '../../lib/platform';
import type { AppError, Me, Rights } from '../../lib/platform';
import { describeError } from '../../lib/i18n';

type Translate = Parameters<typeof describeError>[1];

/** The rights, in the order the screen lists them. */
export const RIGHT_KEYS = ['all_tickets', 'invoices', 'call_records', 'manage_users', 'expedite'] as const;

export type RightKey = (typeof RIGHT_KEYS)[number];

export const NO_RIGHTS: Rights = {
  all_tickets: false,
  invoices: false,
  call_records: false,
  manage_users: false,
  expedite: false,
};

/** The rights in words: which tickets first, then each right held. */
export function rightsSummary(rights: Rights, t: Translate): string {
  const tickets = rights.all_tickets ? t('admin.rights.all_tickets') : t('admin.ownTicketsOnly');
  const others = RIGHT_KEYS.filter((key) => key !== 'all_tickets' && rights[key]).map((key) =>
    t(`admin.rights.${key}`),
  );
  return [tickets, ...others].join(', ');
}

/** Whether the signed-in user may see and change the organisation's accounts. */
export function managesUsers(me: Me): boolean {
  return me.organisation !== null && me.rights.manage_users;
}

/**
 * A refusal of an admin action: the helpdesk's own words for what it refused
 * (a right you lack, a duplicate address, the last customer admin), a
 * "needs a connection" line offline, the usual lines otherwise.
 */
export function describeAdminError(error: AppError, t: Translate): string {
  switch (error.code) {
    case 'network':
      return t('admin.needsConnection');
    case 'forbidden':
    case 'conflict':
    case 'not_found':
      return error.message;
    default:
      return describeError(error, t);
  }
}

/**
 * Runs an admin call: null when it went through, else its refusal. A lost
 * session is no refusal to show: `onSignedOut` is called instead.
 */
export async function attempt(action: () => Promise<void>, onSignedOut: () => void): Promise<AppError | null> {
  try {
    await action();
    return null;
  } catch (reason) {
    const err = platform.toAppError(reason);
    if (err.code === 'signed_out') {
      onSignedOut();
      return null;
    }
    return err;
  }
}
