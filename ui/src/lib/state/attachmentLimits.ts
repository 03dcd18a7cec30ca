// What the helpdesk accepts as attachments, as last heard: the forms check
// every chosen file against it at once, before anything is queued.
import { writable } from 'svelte/store';
import * as platform from '../platform';
import type { AttachmentLimits } from '../platform';
import {
  ATTACHMENT_MAX_BYTES,
  TICKET_ATTACHMENTS_MAX_BYTES,
  TICKET_ATTACHMENTS_MAX_COUNT,
} from '../bindings/constants';

/** deskmate-server's defaults, until the helpdesk has said. */
export const DEFAULT_LIMITS: AttachmentLimits = {
  max_file_bytes: ATTACHMENT_MAX_BYTES,
  max_ticket_bytes: TICKET_ATTACHMENTS_MAX_BYTES,
  max_ticket_files: TICKET_ATTACHMENTS_MAX_COUNT,
  kinds: ['png', 'jpeg', 'gif', 'webp', 'pdf', 'text', 'zip'],
  image_max_side: 16_384,
  image_max_pixels: 40_000_000,
};

export const attachmentLimits = writable<AttachmentLimits>(DEFAULT_LIMITS);

/** Asks the shell for the helpdesk's limits; keeps the last answer if it cannot say. */
export async function loadAttachmentLimits(): Promise<void> {
  try {
    attachmentLimits.set(await platform.attachmentLimits());
  } catch {
    // Not signed in, or an older shell: the server checks again anyway.
  }
}
