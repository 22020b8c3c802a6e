/**
 * A pipelined burst of appends cut short by SIGKILL, and the check that what was stored is an
 * in-order prefix of it holding every acknowledged entry: shared by the single-process
 * durability test and the two-process cluster test.
 */
import { expect } from 'vitest';
import { randomBytesOf, type ChildServer, type RelayClient } from './helpers.ts';

/** What a burst sent and which of its appends were acknowledged before the kill. */
export interface KilledBurst {
  /** Appends sent. */
  total: number;
  /** Payload of append request id i (one entry each). */
  payloads: Uint8Array[];
  /** Request id -> seq, for every append acknowledged before the kill. */
  acked: Map<number, number>;
}

/**
 * Pipelines `total` one-entry appends to `room` and SIGKILLs `server` once `killAfter` are
 * acknowledged, while the rest of the burst is still being written. Resolves at the kill.
 * @param opts.strict throw on any reply but an ack (for a lone server, which must ack every append)
 */
export async function appendBurstThenKill(
  writer: RelayClient,
  server: ChildServer,
  opts: { room: string; writeToken: string; total: number; killAfter?: number; strict: boolean },
): Promise<KilledBurst> {
  const { room, writeToken, total, killAfter = 150 } = opts;
  const payloads = Array.from({ length: total }, (_, i) => randomBytesOf(64 + (i % 200)));
  const acked = new Map<number, number>();
  let killed = false;
  const done = new Promise<void>((resolve) => {
    writer.raw.ws.on('message', (d) => {
      if (killed) return;
      const m = JSON.parse(d.toString()) as { type: string; id: number; seqs?: number[] };
      if (m.type !== 'ack') {
        if (opts.strict) throw new Error(`unexpected reply ${d.toString()}`);
        return;
      }
      acked.set(m.id, m.seqs![0]!);
      if (acked.size === killAfter) {
        // Kill while the rest of the burst is still being written.
        server.proc.kill('SIGKILL');
        killed = true;
        resolve();
      }
    });
  });
  for (let i = 0; i < total; i++) writer.post({ type: 'append', id: i, room, entries: [payloads[i]!], writeToken });
  await done;
  return { total, payloads, acked };
}

/**
 * Checks that `stored` (a fetch of the room after the kill) holds every acknowledged entry and
 * that the kill really was mid-burst. Seqs are contiguous from 1, and the i-th stored entry is the
 * i-th sent payload: a connection's appends are applied in order, so nothing was reordered or
 * half-written.
 */
export function expectBurstSurvived(stored: { seq: number; data: Uint8Array }[], burst: KilledBurst): void {
  expect(stored.length).toBeGreaterThanOrEqual(burst.acked.size);
  expect(stored.length).toBeLessThan(burst.total);
  stored.forEach((e, i) => {
    expect(e.seq).toBe(i + 1);
    expect(Buffer.compare(Buffer.from(e.data), Buffer.from(burst.payloads[i]!))).toBe(0);
  });
  for (const [id, seq] of burst.acked) {
    expect(Buffer.compare(Buffer.from(stored[seq - 1]!.data), Buffer.from(burst.payloads[id]!))).toBe(0);
  }
}
