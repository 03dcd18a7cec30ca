// The list's rows: the first pages of the saved tickets the filters match,
// read a page at a time (the shell never sends the whole cache: 10,000
// tickets took seconds and hundreds of MiB to send and draw; make bench).
import { TICKET_PAGE_MAX } from '../../lib/bindings/constants';
import * as platform from '../../lib/platform';
import type {
  AppError,
  Department,
  StatusCount,
  TicketListCursor,
  TicketListPage,
  TicketListQuery,
  TicketStatus,
  TicketSummary,
} from '../../lib/platform';
import { latest } from '../../lib/state/latest';

/** What the list asks for first: no filter, from the top. */
export const FIRST_PAGE: TicketListQuery = { limit: 100 };

/** Rows asked for at first and added by each "Show more". */
const PAGE_ROWS = FIRST_PAGE.limit;
/** The most rows one page may hold. */
const PAGE_MAX = TICKET_PAGE_MAX;

export class TicketList {
  /** The rows drawn. */
  rows = $state<TicketSummary[]>([]);
  /** Where the page after the drawn rows starts (null: they reach the end). */
  next = $state<TicketListCursor | null>(null);
  /** Saved tickets the filters match, saved at all, and per status (see platform.ticketPage). */
  matching = $state(0);
  cached = $state(0);
  byStatus = $state<StatusCount[]>([]);
  /** How many saved tickets have news the user has not read (rows say which). */
  unread = $state(0);
  /** Bumped whenever the saved tickets are read again, so the search runs again. */
  revision = $state(0);
  loadingMore = $state(false);
  loaded = $state(false);
  status = $state<TicketStatus | ''>('');
  department = $state<Department | ''>('');

  // A slower, older answer cannot overwrite a newer one.
  private reads = latest();
  /** An early first page, used once by the first reading. */
  private early: Promise<TicketListPage> | null;

  constructor(early: Promise<TicketListPage> | null) {
    this.early = early;
  }

  private filters(): { status?: TicketStatus; department?: Department } {
    return {
      ...(this.status === '' ? {} : { status: this.status }),
      ...(this.department === '' ? {} : { department: this.department }),
    };
  }

  private take(page: TicketListPage): void {
    this.next = page.next;
    this.matching = page.matching;
    this.cached = page.cached;
    this.unread = page.unread;
    this.byStatus = page.by_status;
  }

  /**
   * Reads the drawn rows again from the top (the cache changed, or the
   * filters): as many as were drawn, at least a page. Resolves with the
   * shell's error, if any.
   */
  async load(): Promise<AppError | null> {
    const current = this.reads.begin();
    const wanted = Math.max(PAGE_ROWS, this.rows.length);
    try {
      const ready = this.early;
      this.early = null;
      let page = await (ready ?? platform.ticketPage({ ...this.filters(), limit: Math.min(wanted, PAGE_MAX) }));
      const list = page.tickets;
      while (page.next !== null && list.length < wanted && current()) {
        page = await platform.ticketPage({
          ...this.filters(),
          after: page.next,
          limit: Math.min(wanted - list.length, PAGE_MAX),
        });
        list.push(...page.tickets);
      }
      if (current()) {
        this.rows = list;
        this.take(page);
        this.revision += 1;
      }
      return null;
    } catch (reason) {
      return platform.toAppError(reason);
    } finally {
      this.loaded = true;
    }
  }

  /** "Show more": the page after the drawn rows. */
  async showMore(): Promise<AppError | null> {
    if (this.next === null || this.loadingMore) {
      return null;
    }
    const current = this.reads.peek();
    this.loadingMore = true;
    try {
      const page = await platform.ticketPage({ ...this.filters(), after: this.next, limit: PAGE_ROWS });
      if (current()) {
        this.rows = [...this.rows, ...page.tickets];
        this.take(page);
      }
      return null;
    } catch (reason) {
      return platform.toAppError(reason);
    } finally {
      this.loadingMore = false;
    }
  }

  /** Another filter: the first page of what it matches. */
  filtersChanged(): Promise<AppError | null> {
    this.rows = [];
    return this.load();
  }

  /** Opening a ticket reads it (the core marks it seen as the detail loads). */
  markRead(id: number): void {
    const row = this.rows.find((r) => r.id === id);
    if (row?.unread) {
      row.unread = false;
      this.unread = Math.max(0, this.unread - 1);
    }
  }

  /** Makes sure a just-filed ticket shows even if the cache lags. */
  ensure(row: TicketSummary): void {
    if (!this.rows.some((t) => t.id === row.id)) {
      this.rows = [row, ...this.rows];
    }
  }
}
