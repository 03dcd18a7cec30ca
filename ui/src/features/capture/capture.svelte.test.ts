import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as platform from '../../lib/platform';
import { AppError } from '../../lib/platform';
import type { Capture, PickedFile } from '../../lib/platform';
import CaptureTools from './CaptureTools.svelte';
import { drag, toEdits, toPicture, undo } from './edits';
import type { Drawing } from './edits';

vi.mock('../../lib/platform', () => import('../../test/platform-mock'));

const SHOT: Capture = { id: 7, width: 1920, height: 1080, preview: 'data:image/png;base64,iVBORw0KGgo=' };
const SAVED: PickedFile = {
  id: 'file-3',
  file_name: 'screenshot-2026-12-04-183005.png',
  size_bytes: 90_000,
  kind: 'png',
};
const EMPTY: Drawing = { marks: [], crop: null };

// jsdom has neither pointer events nor a 2D canvas: mouse events with a
// pointer id stand in, and the editor paints nothing.
class TestPointerEvent extends MouseEvent {
  readonly pointerId: number;
  constructor(type: string, init: PointerEventInit = {}) {
    super(type, init);
    this.pointerId = init.pointerId ?? 1;
  }
}
if (!('PointerEvent' in window)) {
  Object.assign(window, { PointerEvent: TestPointerEvent });
}

beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  vi.mocked(platform.saveCapture).mockReset();
  vi.mocked(platform.captureScreen).mockReset();
  vi.mocked(platform.discardCapture).mockClear();
  vi.mocked(platform.takeCapture).mockReset();
  vi.mocked(platform.takeCapture).mockResolvedValue(null);
});

describe('the editor’s arithmetic', () => {
  it('maps the pointer on the scaled canvas to the picture’s pixels, inside it', () => {
    const box = { left: 10, top: 20, width: 960, height: 540 };
    expect(toPicture(10, 20, box, 1920, 1080)).toEqual({ x: 0, y: 0 });
    expect(toPicture(490, 290, box, 1920, 1080)).toEqual({ x: 960, y: 540 });
    expect(toPicture(5000, -40, box, 1920, 1080)).toEqual({ x: 1920, y: 0 });
  });

  it('keeps drags in any direction as rectangles and drops slips', () => {
    const d = drag(EMPTY, 'redact', { x: 400, y: 300 }, { x: 100, y: 200 });
    expect(d.marks).toEqual([{ kind: 'redact', rect: { x: 100, y: 200, width: 300, height: 100 } }]);
    expect(drag(d, 'box', { x: 5, y: 5 }, { x: 6, y: 50 })).toBe(d);
    expect(drag(d, 'arrow', { x: 5, y: 5 }, { x: 6, y: 6 })).toBe(d);
    expect(undo(d)).toEqual(EMPTY);
  });

  it('moves the marks into the kept region, clipped, and leaves out those outside it', () => {
    let d = drag(EMPTY, 'crop', { x: 100, y: 100 }, { x: 600, y: 400 });
    d = drag(d, 'redact', { x: 50, y: 150 }, { x: 200, y: 180 });
    d = drag(d, 'box', { x: 700, y: 500 }, { x: 800, y: 600 });
    d = drag(d, 'arrow', { x: 0, y: 0 }, { x: 300, y: 300 });
    expect(toEdits(d)).toEqual({
      crop: { x: 100, y: 100, width: 500, height: 300 },
      redactions: [{ x: 0, y: 50, width: 100, height: 30 }],
      boxes: [],
      arrows: [{ from: { x: 0, y: 0 }, to: { x: 200, y: 200 } }],
    });
    // Undo takes the marks back one by one, then the region.
    expect(undo(undo(undo(undo(d))))).toEqual(EMPTY);
  });
});

/** Drags on the editor's canvas, shown at half size at the page's corner. */
async function dragOnCanvas(from: [number, number], to: [number, number]): Promise<void> {
  const canvas = screen.getByTestId('capture-canvas');
  canvas.getBoundingClientRect = () => ({ left: 0, top: 0, width: 960, height: 540 }) as DOMRect;
  await fireEvent.pointerDown(canvas, { clientX: from[0], clientY: from[1], button: 0 });
  await fireEvent.pointerMove(canvas, { clientX: to[0], clientY: to[1] });
  await fireEvent.pointerUp(canvas, { clientX: to[0], clientY: to[1] });
}

describe('CaptureTools', () => {
  it('captures the screen, sends what was hidden as data and attaches the result', async () => {
    vi.mocked(platform.captureScreen).mockResolvedValue(SHOT);
    vi.mocked(platform.saveCapture).mockResolvedValue(SAVED);
    const props = $state({ files: [] as PickedFile[], id: 'new-ticket' });
    render(CaptureTools, { props });
    await fireEvent.click(screen.getByRole('button', { name: 'Screenshot' }));
    await fireEvent.click(await screen.findByTestId('capture-screen'));
    expect(platform.captureScreen).toHaveBeenCalledWith({ kind: 'screen' });
    await screen.findByTestId('capture-editor');
    // Drawn at half size: the marks are in the picture's own pixels.
    await dragOnCanvas([50, 40], [200, 100]);
    await fireEvent.click(screen.getByTestId('capture-tool-arrow'));
    await dragOnCanvas([300, 300], [400, 350]);
    expect(screen.getByTestId('capture-summary').textContent).toContain('1 area hidden');
    await fireEvent.click(screen.getByTestId('capture-attach'));
    expect(platform.saveCapture).toHaveBeenCalledWith(7, {
      crop: null,
      redactions: [{ x: 100, y: 80, width: 300, height: 120 }],
      boxes: [],
      arrows: [{ from: { x: 600, y: 600 }, to: { x: 800, y: 700 } }],
    });
    await waitFor(() => expect(props.files).toEqual([SAVED]));
    expect(screen.queryByTestId('capture-editor')).toBeNull();
  });

  it('starts a region capture with the region tool and keeps only the region', async () => {
    vi.mocked(platform.captureScreen).mockResolvedValue(SHOT);
    vi.mocked(platform.saveCapture).mockResolvedValue(SAVED);
    render(CaptureTools, { props: { files: [], id: 'reply' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Screenshot' }));
    await fireEvent.click(await screen.findByTestId('capture-region'));
    await screen.findByTestId('capture-editor');
    expect((screen.getByTestId('capture-tool-crop') as HTMLInputElement).checked).toBe(true);
    await dragOnCanvas([100, 100], [300, 200]);
    // The region chosen, the next drag hides.
    expect((screen.getByTestId('capture-tool-redact') as HTMLInputElement).checked).toBe(true);
    await dragOnCanvas([150, 150], [160, 160]);
    await fireEvent.click(screen.getByTestId('capture-attach'));
    expect(platform.saveCapture).toHaveBeenCalledWith(7, {
      crop: { x: 200, y: 200, width: 400, height: 200 },
      redactions: [{ x: 100, y: 100, width: 20, height: 20 }],
      boxes: [],
      arrows: [],
    });
  });

  it('discarding forgets the capture and attaches nothing', async () => {
    vi.mocked(platform.captureScreen).mockResolvedValue(SHOT);
    const props = $state({ files: [] as PickedFile[], id: 'new-ticket' });
    render(CaptureTools, { props });
    await fireEvent.click(screen.getByRole('button', { name: 'Screenshot' }));
    await fireEvent.click(await screen.findByTestId('capture-screen'));
    await fireEvent.click(await screen.findByTestId('capture-cancel'));
    expect(platform.discardCapture).toHaveBeenCalledWith(7);
    expect(platform.saveCapture).not.toHaveBeenCalled();
    expect(props.files).toEqual([]);
  });

  it('offers the file picker where the screen cannot be captured', async () => {
    vi.mocked(platform.captureScreen).mockRejectedValue(
      new AppError('capture_unavailable', 'the screen cannot be captured here (portal)'),
    );
    vi.mocked(platform.pickFiles).mockResolvedValue([SAVED]);
    const props = $state({ files: [] as PickedFile[], id: 'new-ticket' });
    render(CaptureTools, { props });
    await fireEvent.click(screen.getByRole('button', { name: 'Screenshot' }));
    await fireEvent.click(await screen.findByTestId('capture-screen'));
    expect((await screen.findByTestId('capture-error')).textContent).toContain('cannot capture the screen');
    await fireEvent.click(screen.getByTestId('capture-pick-instead'));
    await waitFor(() => expect(props.files).toEqual([SAVED]));
  });

  it('opens what the shortcut captured, in the new-ticket form only', async () => {
    vi.mocked(platform.takeCapture).mockResolvedValue(SHOT);
    const { unmount } = render(CaptureTools, { props: { files: [], id: 'reply' } });
    expect(platform.takeCapture).not.toHaveBeenCalled();
    unmount();
    render(CaptureTools, { props: { files: [], id: 'new-ticket', takesShortcut: true } });
    await screen.findByTestId('capture-editor');
    expect(platform.takeCapture).toHaveBeenCalledTimes(1);
  });
});
