// What leaves the machine, shown first: the diagnostics (collected once,
// rendered from the sections kept: the text shown is the file attached), the
// scrubber's offer for a text file the user attaches, and the helpdesk's
// attachment limits.
import { call } from './ipc';
import type { AttachmentLimits, DiagnosticsReport, RenderedDiagnostics, ScrubOffer } from './types';

/** What the helpdesk accepts as attachments (the last heard, or the defaults, when it cannot be asked). */
export function attachmentLimits(): Promise<AttachmentLimits> {
  return call('attachment_limits');
}

/** Collects the diagnostics for a form, every section scrubbed. */
export function collectDiagnostics(): Promise<DiagnosticsReport> {
  return call('collect_diagnostics');
}

/** The text of the kept sections of collection `id`, and the file holding exactly it. */
export function renderDiagnostics(id: string, sections: string[]): Promise<RenderedDiagnostics> {
  return call('render_diagnostics', { id, sections });
}

/** What scrubbing a chosen file would remove, and the scrubbed copy (null: not a text file). */
export function scrubOffer(fileId: string): Promise<ScrubOffer | null> {
  return call('scrub_offer', { fileId });
}
