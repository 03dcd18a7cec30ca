// One billing list read from the helpdesk a page at a time: the first page
// when shown, the next on "Show more", from the cursor the last page gave.
import * as platform from '../../lib/platform';
import type { AppError } from '../../lib/platform';

/** A page of a billing list: its rows and where the next page starts. */
export interface Page<T> {
  rows: T[];
  next: string | null;
}

export class Pager<T> {
  rows = $state<T[]>([]);
  /** Where the next page starts (null: the rows reach the end). */
  next = $state<string | null>(null);
  loaded = $state(false);
  busy = $state(false);
  error = $state<AppError | null>(null);

  private readonly read: (cursor: string | null) => Promise<Page<T>>;
  private readonly onSignedOut: () => void;

  constructor(read: (cursor: string | null) => Promise<Page<T>>, onSignedOut: () => void) {
    this.read = read;
    this.onSignedOut = onSignedOut;
  }

  /** The first page again. */
  load(): Promise<void> {
    return this.fetch(null);
  }

  /** The next page, added below. */
  more(): Promise<void> {
    return this.next === null ? Promise.resolve() : this.fetch(this.next);
  }

  private async fetch(cursor: string | null): Promise<void> {
    if (this.busy) {
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      const page = await this.read(cursor);
      this.rows = cursor === null ? page.rows : [...this.rows, ...page.rows];
      this.next = page.next;
      this.loaded = true;
    } catch (reason) {
      const error = platform.toAppError(reason);
      if (error.code === 'signed_out') {
        this.onSignedOut();
        return;
      }
      this.error = error;
    } finally {
      this.busy = false;
    }
  }
}
