/** The abusive clients of a load run, each expecting the server to close it with a given code. */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type { LoadReport } from './load-report.ts';
import { closed, connect, sleep } from './load-sockets.ts';

/** The abusive clients; resolves once each has been closed (or has timed out). */
export async function runAbuse(url: string, sockets: WebSocket[], log: (s: string) => void): Promise<NonNullable<LoadReport['abuse']>> {
  const open = async () => {
    const ws = await connect(url);
    ws.on('error', () => {});
    sockets.push(ws);
    return ws;
  };

  // Flood: 1,000 publishes at once, five times the burst.
  const flooder = await open();
  flooder.send(JSON.stringify({ type: 'subscribe', topics: ['abuse-flood'] }));
  for (let i = 0; i < 1000 && flooder.readyState === WebSocket.OPEN; i++) flooder.send(JSON.stringify({ type: 'publish', topic: 'abuse-flood', n: i }));
  const flood = closed(flooder, 10_000);

  // One frame of 64 KiB + 1.
  const big = await open();
  big.send(JSON.stringify({ type: 'publish', topic: 'abuse-big', pad: 'x'.repeat(64 * 1024) }));
  const oversized = closed(big, 10_000);

  // Malformed JSON, one more than tolerated.
  const bad = await open();
  for (let i = 0; i < 6; i++) bad.send(i % 2 ? '{"type":' : 'not json at all');
  const malformed = closed(bad, 10_000);

  // 65 topics on one connection.
  const greedy = await open();
  greedy.send(JSON.stringify({ type: 'subscribe', topics: Array.from({ length: 65 }, (_, i) => `abuse-topic-${i}`) }));
  const tooManyTopics = closed(greedy, 10_000);

  // Slow reader: subscribed, but its socket is never read; three publishers fill the topic at
  // just under the rate limit (burst 200, then 45/s) with ~60 KB messages.
  const slow = await open();
  slow.send(JSON.stringify({ type: 'subscribe', topics: ['abuse-slow'] }));
  await sleep(100);
  (slow as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
  const publishers = await Promise.all([open(), open(), open()]);
  const fat = JSON.stringify({ type: 'publish', topic: 'abuse-slow', pad: 'y'.repeat(60_000) });
  for (const p of publishers) p.send(JSON.stringify({ type: 'subscribe', topics: ['abuse-slow'] }));
  await sleep(50);
  // The server closes a consumer with more than 4 MiB queued (besides its largest frame) (and does not log it, unlike the
  // other closes), so the verdict is what the reader sees once it reads again: 4503 after the
  // data that was queued before the close. 4 s is the burst (~34 MB) plus ~30 MB more, beyond
  // 32 MiB plus what the loopback socket buffers absorb.
  const pumpUntil = performance.now() + 4000;
  let sent = 0;
  for (let round = 0; performance.now() < pumpUntil; round++) {
    const n = round === 0 ? 190 : 9; // the burst, then 45/s per publisher in 200 ms steps
    for (const p of publishers) for (let k = 0; k < n && p.readyState === WebSocket.OPEN; k++, sent++) p.send(fat);
    await sleep(200);
  }
  (slow as unknown as { _socket: { resume(): void } })._socket.resume();
  const slowCode = await closed(slow, 15_000);
  log(`slow reader: closed with ${slowCode} after ${sent} messages of 60 KB to its topic`);
  for (const p of publishers) p.close();

  return {
    flood: { code: await flood, expected: 4429, detail: '1,000 publishes at once (burst 200, 50/s)' },
    oversized: { code: await oversized, expected: 1009, detail: 'one 64 KiB + ~50 B text frame (limit 64 KiB)' },
    malformed: { code: await malformed, expected: 4400, detail: '6 frames that are not JSON objects (5 tolerated)' },
    tooManyTopics: { code: await tooManyTopics, expected: 4413, detail: 'subscribe to 65 topics (limit 64)' },
    slowReader: {
      code: slowCode,
      expected: 4503,
      detail: `never reads while 3 publishers send ${sent} × 60 KB to its topic (limit 4 MiB queued besides one frame)`,
    },
  };
}
