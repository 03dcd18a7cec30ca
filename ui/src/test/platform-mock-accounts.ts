// The accounts part of the platform stand-in (see platform-mock.ts):
// password reset, account requests, billing, the remembered address.
import { vi } from 'vitest';
import type * as Platform from '../lib/platform';

// Nothing remembered, no requests, empty billing unless a test programs them.
export const rememberedEmail = vi.fn<typeof Platform.rememberedEmail>(() => Promise.resolve(null));
export const requestPasswordReset = vi.fn<typeof Platform.requestPasswordReset>();
export const confirmPasswordReset = vi.fn<typeof Platform.confirmPasswordReset>();
export const requestAccount = vi.fn<typeof Platform.requestAccount>();
export const accountRequests = vi.fn<typeof Platform.accountRequests>(() => Promise.resolve([]));
export const approveAccountRequest = vi.fn<typeof Platform.approveAccountRequest>();
export const rejectAccountRequest = vi.fn<typeof Platform.rejectAccountRequest>();
export const invoices = vi.fn<typeof Platform.invoices>(() =>
  Promise.resolve({ invoices: [], next_cursor: null }),
);
export const callRecords = vi.fn<typeof Platform.callRecords>(() =>
  Promise.resolve({ call_records: [], next_cursor: null }),
);
export const expediteCharges = vi.fn<typeof Platform.expediteCharges>(() =>
  Promise.resolve({ charges: [], next_cursor: null }),
);
