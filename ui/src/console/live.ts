// Live updates for the console: the helpdesk's Server-Sent Events stream
// (/api/v1/events) read over fetch, since EventSource cannot send the
// bearer token. Every `change`, `resync` or `queue` (an agent claimed or let
// go of a ticket) calls `onChange`; a dropped
// stream is opened again after a pause that grows to 30 s, with
// Last-Event-ID so nothing between the two is missed.
import { bearer } from './api';

export type Change =
  | { kind: string; id: number; ticket_id?: number }
  | { kind: 'queue'; ticket_id: number }
  | { kind: 'resync' };

/** Parses SSE text: complete events out, the unfinished rest back. */
export function parseEvents(buffer: string): { events: { event: string; id?: string; data: string }[]; rest: string } {
  const events: { event: string; id?: string; data: string }[] = [];
  const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0 || event !== 'message') events.push({ event, id, data: data.join('\n') });
  }
  return { events, rest };
}

/** Follows the stream until the returned function is called. */
export function follow(onChange: (change: Change) => void, onOnline: (online: boolean) => void): () => void {
  let stopped = false;
  let lastId: string | undefined;
  let pause = 1000;
  let controller = new AbortController();

  async function once(): Promise<void> {
    const token = bearer();
    if (token === null) return;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (lastId !== undefined) headers['last-event-id'] = lastId;
    const response = await fetch('/api/v1/events', { headers, signal: controller.signal, cache: 'no-store' });
    if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
    onOnline(true);
    pause = 1000;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const parsed = parseEvents(buffer);
      buffer = parsed.rest;
      for (const event of parsed.events) {
        if (event.id !== undefined) lastId = event.id;
        if (event.event === 'resync') onChange({ kind: 'resync' });
        if (event.event === 'change' || event.event === 'queue') {
          try {
            const data = JSON.parse(event.data) as { ticket_id: number };
            onChange(event.event === 'queue' ? { kind: 'queue', ticket_id: data.ticket_id } : (data as Change));
          } catch {
            onChange({ kind: 'resync' });
          }
        }
      }
    }
  }

  async function run(): Promise<void> {
    while (!stopped && bearer() !== null) {
      try {
        await once();
      } catch {
        if (stopped) return;
        onOnline(false);
      }
      if (stopped) return;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 30_000);
      controller = new AbortController();
    }
  }

  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}
