/** What a load run measured (LoadReport) and how it reads as a table; the figures of server/test/load-harness.ts. */

/** Percentiles of a sample, in ms. */
export interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** How one abusive client ended. */
export interface AbuseResult {
  /** Close code the client saw (or the server logged, for the slow reader); null if never closed. */
  code: number | null;
  /** The code PROTOCOL.md documents for it. */
  expected: number;
  /** What the client did before it was closed. */
  detail: string;
}

/** Everything measured. */
export interface LoadReport {
  /** Server processes, and the relay store they used. */
  processes: number;
  store: 'embedded' | 'postgres';
  clients: number;
  rooms: number;
  relayClients: number;
  durationSeconds: number;
  /** Open-files soft limit seen, and whether the client count had to be reduced for it. */
  fdLimit: number | null;
  scaledDown: boolean;
  serverStayedUp: boolean;
  healthChecks: { ok: number; failed: number };
  rssMiB: { start: number; max: number; end: number; samples: number } | null;
  signaling: {
    published: number;
    expectedDeliveries: number;
    delivered: number;
    lost: number;
    duplicates: number;
    /** Honest messages published per second, and deliveries per second (one message reaches every member of its room). */
    publishedPerSecond: number;
    deliveredPerSecond: number;
    /** Every honest delivery. */
    latencyMs: Latency;
    /** Deliveries of messages sent after the abusive clients were done (the flood and slow reader load the server too). */
    quietLatencyMs: Latency;
  };
  /** Seconds from the start of the honest traffic during which the abusive clients ran. */
  abuseSeconds: number;
  relay: {
    appends: number;
    acked: number;
    failed: number;
    ackedPerSecond: number;
    ackLatencyMs: Latency;
    quietAckLatencyMs: Latency;
    pushLatencyMs: Latency;
    pushesExpected: number;
    pushesReceived: number;
    pushesLost: number;
    fetches: number;
  };
  abuse: Record<'flood' | 'oversized' | 'malformed' | 'tooManyTopics' | 'slowReader', AbuseResult> | null;
  /** Event-loop delay of this (client) process, which adds to the latencies measured. */
  clientLoopDelayMs: { p50: number; max: number };
}

/** Percentiles of a sample of latencies, in ms, rounded to 0.01. */
export function percentiles(xs: number[]): Latency {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : 0);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { count: s.length, p50: r(at(0.5)), p95: r(at(0.95)), p99: r(at(0.99)), max: r(s.at(-1) ?? 0) };
}

/** A readable table of a report. */
export function formatReport(r: LoadReport): string {
  const rows: [string, string][] = [
    ['server', r.processes > 1 ? `${r.processes} processes, relay store PostgreSQL, fan-out through Redis` : `1 process, embedded relay store`],
    ['clients / rooms', `${r.clients} signaling in ${r.rooms} rooms + ${r.relayClients} relay${r.scaledDown ? ' (scaled down for the fd limit)' : ''}`],
    ['duration', `${r.durationSeconds} s`],
    ['server stayed up', `${r.serverStayedUp ? 'yes' : 'NO'} (health checks ${r.healthChecks.ok} ok, ${r.healthChecks.failed} failed)`],
    [
      'server RSS',
      r.rssMiB ? `start ${r.rssMiB.start} MiB, max ${r.rssMiB.max} MiB, end ${r.rssMiB.end} MiB (${r.rssMiB.samples} samples)` : 'not measurable here',
    ],
    ['signaling published', `${r.signaling.published} messages → ${r.signaling.expectedDeliveries} deliveries expected`],
    ['signaling delivered', `${r.signaling.delivered} (lost ${r.signaling.lost}, duplicates ${r.signaling.duplicates})`],
    ['signaling throughput', `${r.signaling.publishedPerSecond} messages/s published, ${r.signaling.deliveredPerSecond} deliveries/s`],
    [
      'signaling latency',
      `p50 ${r.signaling.latencyMs.p50} ms, p95 ${r.signaling.latencyMs.p95} ms, p99 ${r.signaling.latencyMs.p99} ms, max ${r.signaling.latencyMs.max} ms (all)`,
    ],
    [
      '  after the abuse',
      `p50 ${r.signaling.quietLatencyMs.p50} ms, p95 ${r.signaling.quietLatencyMs.p95} ms, p99 ${r.signaling.quietLatencyMs.p99} ms, max ${r.signaling.quietLatencyMs.max} ms (${r.signaling.quietLatencyMs.count} deliveries; abuse ran the first ${r.abuseSeconds} s)`,
    ],
    ['relay appends', `${r.relay.appends} (acked ${r.relay.acked}, failed ${r.relay.failed}, ${r.relay.ackedPerSecond}/s); ${r.relay.fetches} fetches`],
    [
      'relay ack latency',
      `p50 ${r.relay.ackLatencyMs.p50} ms, p95 ${r.relay.ackLatencyMs.p95} ms, max ${r.relay.ackLatencyMs.max} ms (all; ${r.store === 'postgres' ? 'one COMMIT' : 'one fsync'} per append)`,
    ],
    [
      '  after the abuse',
      `p50 ${r.relay.quietAckLatencyMs.p50} ms, p95 ${r.relay.quietAckLatencyMs.p95} ms, max ${r.relay.quietAckLatencyMs.max} ms (${r.relay.quietAckLatencyMs.count} appends)`,
    ],
    ['relay pushes', `${r.relay.pushesReceived} of ${r.relay.pushesExpected} (lost ${r.relay.pushesLost})`],
    [
      'relay push latency',
      `p50 ${r.relay.pushLatencyMs.p50} ms, p95 ${r.relay.pushLatencyMs.p95} ms, max ${r.relay.pushLatencyMs.max} ms (append sent → partner pushed)`,
    ],
    ['client event-loop delay', `p50 ${r.clientLoopDelayMs.p50} ms, max ${r.clientLoopDelayMs.max} ms (part of the latencies)`],
  ];
  if (r.abuse) {
    for (const [name, a] of Object.entries(r.abuse)) {
      rows.push([`abuse: ${name}`, `${a.code === a.expected ? 'closed' : 'UNEXPECTED'} ${a.code ?? '(not closed)'} (expected ${a.expected}) — ${a.detail}`]);
    }
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}
