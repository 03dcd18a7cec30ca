// The line to show for a failed call to the helpdesk.
import { AppError } from '../lib/platform/errors';

type Translate = (id: string, options?: { values?: Record<string, string | number> }) => string;

export function describe(error: unknown, t: Translate): string {
  if (!(error instanceof AppError)) return t('errors.generic', { values: { message: String(error) } });
  switch (error.code) {
    case 'network':
      return t('errors.network');
    case 'unauthorized':
      return t('errors.signedOut');
    case 'validation':
    case 'conflict':
      return error.message;
    case 'forbidden':
      return t('errors.forbidden');
    default:
      return t('errors.generic', { values: { message: error.message } });
  }
}

/**
 * Runs a write, then re-reads what it changed; `true` when both went
 * through, else the failure goes to `fail` (a panel's problem line).
 */
export async function attempt(
  write: () => Promise<unknown>,
  reread: () => Promise<void>,
  fail: (error: unknown) => void,
): Promise<boolean> {
  try {
    await write();
    await reread();
    return true;
  } catch (e) {
    fail(e);
    return false;
  }
}
