// Screenshots: what can be captured, capturing it (Deskmate's window hidden
// meanwhile), a pasted picture, the editor's result, and files dropped on
// the window. The pixels of a capture stay in the shell's memory; only the
// edited picture is written, and only it is attached.
import { CAPTURE_EVENT, DROP_EVENT } from '../bindings/constants';
import { call, subscribe } from './ipc';
import type { Capture, CaptureSources, CaptureTarget, PickedFile, ScreenshotEdits } from './types';

/** The monitors and other apps' windows that can be captured now. */
export function captureSources(): Promise<CaptureSources> {
  return call('capture_sources');
}

/** Captures `target` for the editor; `capture_unavailable` where the desktop refuses. */
export function captureScreen(target: CaptureTarget): Promise<Capture> {
  return call('capture_screen', { target });
}

/** A pasted picture (the bytes of its file) as a capture for the editor, decoded under the core's limits. */
export async function captureFromBytes(bytes: ArrayBuffer): Promise<Capture> {
  return call('capture_from_bytes', { data: toBase64(new Uint8Array(bytes)) });
}

/** What the screenshot shortcut or the tray captured, once (null after). */
export function takeCapture(): Promise<Capture | null> {
  return call('take_capture');
}

/** Applies the edits to capture `id` and writes the picture ready to attach. */
export function saveCapture(id: number, edits: ScreenshotEdits): Promise<PickedFile> {
  return call('save_capture', { id, edits });
}

/** Forgets capture `id`. */
export async function discardCapture(id: number): Promise<void> {
  await call('discard_capture', { id });
}

/** Calls `handler` whenever the shortcut or the tray made a capture (take it with `takeCapture`). */
export function onCapture(handler: () => void): () => void {
  return subscribe<null>(CAPTURE_EVENT, () => handler());
}

/** Calls `handler` with the files dropped on the window, until the returned function is called. */
export function onFilesDropped(handler: (files: PickedFile[]) => void): () => void {
  return subscribe<PickedFile[]>(DROP_EVENT, handler);
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    text += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(text);
}
