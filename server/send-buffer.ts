/**
 * Caps what the server holds in memory for a client that does not read. Every frame queued for
 * a socket is counted until the kernel has taken it (ws calls back then). Beyond
 * {@link MAX_BUFFERED_BYTES} the socket is closed with 4503 — except that the largest frame in
 * the queue does not count: an honest reader on a slow line may be receiving one fetch reply
 * with a whole snapshot (up to ~11 MiB) and must not be cut off for a push or a pong meanwhile.
 * So one socket holds at most this cap plus one frame; before, 32 MiB plus one frame.
 */
import type { WebSocket } from 'ws';
import { CloseCode, MAX_BUFFERED_BYTES } from './close-codes.ts';

/** Frames smaller than this are never the "largest frame" exception (keeps the list short). */
const LARGE_FRAME = 64 * 1024;

interface Outbound {
  pending: number;
  large: number[];
}

const queues = new WeakMap<WebSocket, Outbound>();

/**
 * Whether a queue of `pending` bytes, whose large frames are `large`, may take a frame of
 * `bytes` more under `cap`. Pure, for tests.
 */
export function admits(pending: number, large: readonly number[], bytes: number, cap: number): boolean {
  const largest = Math.max(bytes, 0, ...large);
  return pending + bytes - largest <= cap;
}

/**
 * Sends `text` unless the client's queue would exceed the cap; then closes it with 4503 and
 * returns false. Does nothing on a socket that is not open.
 */
export function sendCapped(ws: WebSocket, text: string, cap = MAX_BUFFERED_BYTES): boolean {
  if (ws.readyState !== ws.OPEN) return false;
  let q = queues.get(ws);
  if (!q) queues.set(ws, (q = { pending: 0, large: [] }));
  const bytes = Buffer.byteLength(text);
  if (!admits(q.pending, q.large, bytes, cap)) {
    ws.close(CloseCode.SlowConsumer, 'not reading fast enough');
    return false;
  }
  const queue = q;
  queue.pending += bytes;
  if (bytes >= LARGE_FRAME) queue.large.push(bytes);
  ws.send(text, () => {
    queue.pending -= bytes;
    if (bytes >= LARGE_FRAME) queue.large.splice(queue.large.indexOf(bytes), 1);
  });
  return true;
}
