// The consent flow of one remote-session request as the window shows it:
// detect → start the tool → read its ID → send, each step's state, and the
// vendors' pages when no supported tool is installed. The work is the
// core's (the same flow as the CLI's); this only follows its steps.
import * as platform from '../../lib/platform';
import type { ConsentStep, RemoteSessionView, ToolDownload } from '../../lib/platform';

export const STEPS: readonly ConsentStep[] = ['detect', 'start_tool', 'read_id', 'send'];

export type StepState = 'waiting' | 'current' | 'done' | 'failed';

export class ConsentFlow {
  /** The step under way, if any. */
  current = $state<ConsentStep | null>(null);
  /** The step that failed, if the last run failed. */
  failedAt = $state<ConsentStep | null>(null);
  /** Whether the ID was sent. */
  sent = $state(false);
  /** No supported tool is installed: where to get one. */
  noTool = $state<ToolDownload[] | null>(null);
  private readonly id: number;

  constructor(id: number) {
    this.id = id;
  }

  /** Whether the step list has anything to show. */
  get started(): boolean {
    return this.current !== null || this.failedAt !== null || this.sent;
  }

  state(step: ConsentStep): StepState {
    if (this.sent) {
      return 'done';
    }
    const at = this.current ?? this.failedAt;
    if (at === null) {
      return 'waiting';
    }
    const [i, here] = [STEPS.indexOf(step), STEPS.indexOf(at)];
    if (i < here) {
      return 'done';
    }
    if (i > here) {
      return 'waiting';
    }
    return this.current === null ? 'failed' : 'current';
  }

  /**
   * Runs the flow after the user's consent (the core detects, starts, reads
   * and sends) and answers the accepted session. Rejects with the core's
   * error at once (a hung tool is said within its 5 s); the failed step is
   * kept, and when it failed finding a tool and none is installed, `noTool`
   * then says where to get one.
   */
  async run(): Promise<RemoteSessionView> {
    this.sent = false;
    this.failedAt = null;
    this.noTool = null;
    this.current = 'detect';
    const stop = platform.onConsentProgress((p) => {
      if (p.remote_session_id === this.id && this.current !== null) {
        this.current = p.step;
      }
    });
    try {
      const view = await platform.consentRemoteSession(this.id, null);
      this.sent = true;
      this.current = null;
      return view;
    } catch (reason) {
      this.failedAt = this.current;
      this.current = null;
      if (this.failedAt === 'detect') {
        void this.offerDownloads();
      }
      throw reason;
    } finally {
      stop();
    }
  }

  /** No supported tool installed: the vendors' pages (never rejects). */
  private async offerDownloads(): Promise<void> {
    try {
      const tools = await platform.detectRemoteTools();
      if (tools.found.length === 0) {
        this.noTool = tools.downloads;
      }
    } catch {
      // The error already shown says why nothing was sent.
    }
  }
}
