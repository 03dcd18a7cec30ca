// Answering a request from the window: one answer at a time, its error kept
// to show, a lost session handed on (the caller goes back to sign-in).
import * as platform from '../../lib/platform';
import type { AppError } from '../../lib/platform';

export class Answering {
  busy = $state(false);
  error = $state<AppError | null>(null);
  private readonly onSessionLost: () => void;

  constructor(onSessionLost: () => void) {
    this.onSessionLost = onSessionLost;
  }

  /** Runs `send` unless an answer is on its way already; false when it failed. */
  async run(send: () => Promise<void>): Promise<boolean> {
    if (this.busy) {
      return false;
    }
    this.busy = true;
    this.error = null;
    try {
      await send();
      return true;
    } catch (reason) {
      const err = platform.toAppError(reason);
      if (err.code === 'signed_out' || err.code === 'unauthorized') {
        this.onSessionLost();
      } else {
        this.error = err;
      }
      return false;
    } finally {
      this.busy = false;
    }
  }
}
