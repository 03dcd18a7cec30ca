// The account calls of the platform mock (see platform-mock.ts): each a
// vi.fn() the test programs.
import { vi } from 'vitest';
import type * as Platform from '../lib/platform';

export const changePassword = vi.fn<typeof Platform.changePassword>();
export const listUsers = vi.fn<typeof Platform.listUsers>();
export const addUser = vi.fn<typeof Platform.addUser>();
export const updateUser = vi.fn<typeof Platform.updateUser>();
export const removeUser = vi.fn<typeof Platform.removeUser>();
export const listNotificationAddresses = vi.fn<typeof Platform.listNotificationAddresses>();
export const addNotificationAddress = vi.fn<typeof Platform.addNotificationAddress>();
export const setNotificationMail = vi.fn<typeof Platform.setNotificationMail>();
export const removeNotificationAddress = vi.fn<typeof Platform.removeNotificationAddress>();
