// What the forms and the detail show of a file: its size in the user's
// language, its kind, and the checks made before a chosen file is sent.
import { ATTACHMENT_MAX_BYTES } from '../../lib/bindings/constants';
import type { AttachmentKind, PickedFile } from '../../lib/platform';

/** The limit of one file (`limits::ATTACHMENT_MAX_BYTES` in crates/deskmate-api). */
export { ATTACHMENT_MAX_BYTES };

const KINDS: readonly AttachmentKind[] = ['png', 'jpeg', 'gif', 'webp', 'pdf', 'text', 'zip'];

/** Pictures get a thumbnail; other kinds an icon. */
export function isImage(kind: AttachmentKind | null): boolean {
  return kind === 'png' || kind === 'jpeg' || kind === 'gif' || kind === 'webp';
}

/** The kind a sent file's `content_type` names (the server sniffed it), or null. */
export function kindOfContentType(contentType: string): AttachmentKind | null {
  const mime = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const named: Record<string, AttachmentKind> = {
    'image/png': 'png',
    'image/jpeg': 'jpeg',
    'image/gif': 'gif',
    'image/webp': 'webp',
    'application/pdf': 'pdf',
    'text/plain': 'text',
    'application/zip': 'zip',
  };
  const kind = named[mime];
  return kind && KINDS.includes(kind) ? kind : null;
}

/** A few letters for the icon of a file that has no thumbnail. */
export function iconLabel(kind: AttachmentKind | null): string {
  switch (kind) {
    case 'text':
      return 'TXT';
    case 'jpeg':
      return 'JPG';
    case null:
      return '?';
    default:
      return kind.toUpperCase();
  }
}

const formats = new Map<string, Intl.NumberFormat>();

/** `bytes` as the user reads sizes: "512 B", "1.5 kB", "10 MB" with the locale's digits. */
export function formatSize(bytes: number, locale: string): string {
  const [unit, value] =
    bytes < 1024
      ? (['byte', bytes] as const)
      : bytes < 1024 * 1024
        ? (['kilobyte', bytes / 1024] as const)
        : (['megabyte', bytes / (1024 * 1024)] as const);
  const key = `${locale}|${unit}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'unit',
      unit,
      unitDisplay: 'short',
      maximumFractionDigits: unit === 'byte' ? 0 : 1,
    });
    formats.set(key, format);
  }
  return format.format(value);
}

/** Why a chosen file cannot be sent, as a translation key; null when it can. */
export type FileProblem = 'attachments.tooBig' | 'attachments.notAccepted';

export function fileProblem(file: PickedFile): FileProblem | null {
  if (file.kind === null) {
    return 'attachments.notAccepted';
  }
  if (file.size_bytes > ATTACHMENT_MAX_BYTES) {
    return 'attachments.tooBig';
  }
  return null;
}

/** Adds newly chosen files to a list, leaving out those already in it. */
export function addFiles(list: PickedFile[], chosen: PickedFile[]): PickedFile[] {
  const have = new Set(list.map((f) => f.id));
  return [...list, ...chosen.filter((f) => !have.has(f.id) && (have.add(f.id), true))];
}
