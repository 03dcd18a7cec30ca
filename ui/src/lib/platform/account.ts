// The account screen's calls: the password, the organisation's accounts and
// its notification addresses. Online only: each goes straight to the
// helpdesk; offline they reject with `network`.
import { call } from './call';
import type { NewNotificationAddress } from '../bindings/NewNotificationAddress';
import type { NewUser } from '../bindings/NewUser';
import type { NotificationAddress } from '../bindings/NotificationAddress';
import type { NotificationAddressList } from '../bindings/NotificationAddressList';
import type { UserAccount } from '../bindings/UserAccount';
import type { UserList } from '../bindings/UserList';
import type { UserUpdate } from '../bindings/UserUpdate';

export type { NewNotificationAddress } from '../bindings/NewNotificationAddress';
export type { NewUser } from '../bindings/NewUser';
export type { NotificationAddress } from '../bindings/NotificationAddress';
export type { NotificationAddressList } from '../bindings/NotificationAddressList';
export type { NotificationKind } from '../bindings/NotificationKind';
export type { Rights } from '../bindings/Rights';
export type { UserAccount } from '../bindings/UserAccount';
export type { UserList } from '../bindings/UserList';
export type { UserUpdate } from '../bindings/UserUpdate';

/** Sets a new password; a wrong current one rejects with `unauthorized` (still signed in). */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await call('change_password', { currentPassword, newPassword });
}

/** The organisation's accounts (needs the manage-users right). */
export function listUsers(): Promise<UserList> {
  return call('list_users');
}

/** Adds a customer user with their first password and rights. */
export function addUser(user: NewUser): Promise<UserAccount> {
  return call('add_user', { user });
}

/** Renames an account, sets its rights, promotes or demotes it. */
export function updateUser(id: number, update: UserUpdate): Promise<UserAccount> {
  return call('update_user', { id, update });
}

/** Removes an account (it can no longer sign in). */
export async function removeUser(id: number): Promise<void> {
  await call('remove_user', { id });
}

/** The organisation's notification addresses and the domains they must be in (customer admins). */
export function listNotificationAddresses(): Promise<NotificationAddressList> {
  return call('list_notification_addresses');
}

/** Adds an address; one outside the allowed domains rejects with `invalid_email_domain`. */
export function addNotificationAddress(address: NewNotificationAddress): Promise<NotificationAddress> {
  return call('add_notification_address', { address });
}

/** Turns the helpdesk's mail to an address on or off. */
export function setNotificationMail(id: number, mail: boolean): Promise<NotificationAddress> {
  return call('set_notification_mail', { id, mail });
}

export async function removeNotificationAddress(id: number): Promise<void> {
  await call('remove_notification_address', { id });
}
