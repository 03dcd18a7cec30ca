// What the screenshot editor keeps: the marks drawn on a capture (boxes,
// arrows, redactions), all in the capture's own pixels, and the region kept
// (the crop). `toEdits` turns them into the data the core applies to the
// pixels: marks move into the cropped picture's pixels, clipped to it.
import type { PixelPoint, PixelRect, ScreenshotEdits } from '../../lib/platform';

export type Tool = 'redact' | 'box' | 'arrow' | 'crop';

export const TOOLS: readonly Tool[] = ['redact', 'box', 'arrow', 'crop'];

export type Mark =
  | { kind: 'redact'; rect: PixelRect }
  | { kind: 'box'; rect: PixelRect }
  | { kind: 'arrow'; from: PixelPoint; to: PixelPoint };

export interface Drawing {
  marks: Mark[];
  crop: PixelRect | null;
}

/** Marks smaller than this (a click, a slip) are not kept. */
export const MIN_SIDE = 3;

function clamp(v: number, max: number): number {
  return Math.min(Math.max(Math.round(v), 0), max);
}

/**
 * The picture pixel under a pointer at (`clientX`, `clientY`) on an element
 * showing the `width`×`height` picture scaled into `box`.
 */
export function toPicture(
  clientX: number,
  clientY: number,
  box: { left: number; top: number; width: number; height: number },
  width: number,
  height: number,
): PixelPoint {
  const sx = box.width > 0 ? width / box.width : 1;
  const sy = box.height > 0 ? height / box.height : 1;
  return {
    x: clamp((clientX - box.left) * sx, width),
    y: clamp((clientY - box.top) * sy, height),
  };
}

/** The rectangle two corners span (in any order). */
export function span(a: PixelPoint, b: PixelPoint): PixelRect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}

/** `drawing` with the drag from `a` to `b` made with `tool` (unchanged for a slip). */
export function drag(drawing: Drawing, tool: Tool, a: PixelPoint, b: PixelPoint): Drawing {
  if (tool === 'arrow') {
    const long = Math.hypot(b.x - a.x, b.y - a.y) >= MIN_SIDE;
    return long ? { ...drawing, marks: [...drawing.marks, { kind: 'arrow', from: a, to: b }] } : drawing;
  }
  const rect = span(a, b);
  if (rect.width < MIN_SIDE || rect.height < MIN_SIDE) {
    return drawing;
  }
  if (tool === 'crop') {
    return { ...drawing, crop: rect };
  }
  return { ...drawing, marks: [...drawing.marks, { kind: tool, rect }] };
}

/** `drawing` without its last mark (or, with none left, without its crop). */
export function undo(drawing: Drawing): Drawing {
  if (drawing.marks.length > 0) {
    return { ...drawing, marks: drawing.marks.slice(0, -1) };
  }
  return { ...drawing, crop: null };
}

/** `r` moved into the region `crop` and clipped to it; null when it misses it. */
function within(r: PixelRect, crop: PixelRect): PixelRect | null {
  const x0 = Math.max(r.x, crop.x);
  const y0 = Math.max(r.y, crop.y);
  const x1 = Math.min(r.x + r.width, crop.x + crop.width);
  const y1 = Math.min(r.y + r.height, crop.y + crop.height);
  if (x1 <= x0 || y1 <= y0) {
    return null;
  }
  return { x: x0 - crop.x, y: y0 - crop.y, width: x1 - x0, height: y1 - y0 };
}

function inside(p: PixelPoint, crop: PixelRect): PixelPoint {
  return {
    x: Math.min(Math.max(p.x - crop.x, 0), crop.width),
    y: Math.min(Math.max(p.y - crop.y, 0), crop.height),
  };
}

/** The edits for the core: in the cropped picture's pixels when a region is kept. */
export function toEdits(drawing: Drawing): ScreenshotEdits {
  const crop = drawing.crop;
  const edits: ScreenshotEdits = { crop, redactions: [], boxes: [], arrows: [] };
  for (const mark of drawing.marks) {
    if (mark.kind === 'arrow') {
      edits.arrows.push(
        crop ? { from: inside(mark.from, crop), to: inside(mark.to, crop) } : { from: mark.from, to: mark.to },
      );
      continue;
    }
    const rect = crop ? within(mark.rect, crop) : mark.rect;
    if (rect) {
      (mark.kind === 'redact' ? edits.redactions : edits.boxes).push(rect);
    }
  }
  return edits;
}
