/**
 * Beyond one machine: the same honest load against one server process with the embedded store,
 * then against two processes sharing PostgreSQL (relay storage) and Redis (fan-out).
 *
 *   node --import tsx bench/server-scale.bench.ts        # 500 clients × 100 rooms, 30 s each
 *   PN_SCALE_SECONDS=10 PN_SCALE_CLIENTS=200 node --import tsx bench/server-scale.bench.ts
 *
 * Runs server/test/load-harness.ts (no abusive clients): signaling clients publish a
 * y-webrtc-sized message about once a second each in their room, relay clients append 1–8 KB
 * every ~3 s and receive their partner's pushes. In the two-process run every signaling room
 * has members on both processes and both partners of a relay room are on different processes,
 * so every delivery to "the other side" crosses Redis. Redis and PostgreSQL are Debian's
 * (server/test/services.ts), fresh, on this machine, with fsync on.
 *
 * Prints one JSON line, then a table. Latencies include this (client) process's own event-loop
 * delay, and everything shares this machine's CPUs: two processes on two cores cannot show the
 * gain of two machines, they show what the fan-out and the shared store cost.
 */
import { formatReport, runServerLoad, type LoadReport } from '../server/test/load-harness.ts';
import { servicesUnavailable, startPostgres, startRedis } from '../server/test/services.ts';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const base = {
  clients: num('PN_SCALE_CLIENTS', 500),
  rooms: num('PN_SCALE_ROOMS', 100),
  durationMs: num('PN_SCALE_SECONDS', 30) * 1000,
  publishIntervalMs: num('PN_SCALE_PUBLISH_MS', 1000),
  relayClients: num('PN_SCALE_RELAY_CLIENTS', 100),
  relayIntervalMs: num('PN_SCALE_RELAY_MS', 1000),
  abuse: false,
  log: (line: string) => process.stderr.write(`${line}\n`),
};

const unavailable = servicesUnavailable();
if (unavailable) {
  process.stdout.write(`${JSON.stringify({ bench: 'server-scale', skipped: unavailable })}\n`);
  process.exit(0);
}

process.stderr.write('one process, embedded store\n');
const single = await runServerLoad(base);
process.stderr.write('two processes, PostgreSQL + Redis\n');
const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
let double: LoadReport;
try {
  double = await runServerLoad({ ...base, cluster: { processes: 2, databaseUrl: postgres.url, redisUrl: redis.url } });
} finally {
  await Promise.all([redis.stop(), postgres.stop()]);
}

const summary = (r: LoadReport) => ({
  processes: r.processes,
  store: r.store,
  clients: r.clients,
  rooms: r.rooms,
  relayClients: r.relayClients,
  seconds: r.durationSeconds,
  serverStayedUp: r.serverStayedUp,
  signalingPublishedPerSecond: r.signaling.publishedPerSecond,
  signalingDeliveredPerSecond: r.signaling.deliveredPerSecond,
  signalingLost: r.signaling.lost,
  signalingDuplicates: r.signaling.duplicates,
  signalingP50Ms: r.signaling.latencyMs.p50,
  signalingP95Ms: r.signaling.latencyMs.p95,
  relayAckedPerSecond: r.relay.ackedPerSecond,
  relayFailed: r.relay.failed,
  relayAckP50Ms: r.relay.ackLatencyMs.p50,
  relayAckP95Ms: r.relay.ackLatencyMs.p95,
  relayPushP50Ms: r.relay.pushLatencyMs.p50,
  relayPushP95Ms: r.relay.pushLatencyMs.p95,
  relayPushesLost: r.relay.pushesLost,
  serverRssMaxMiB: r.rssMiB?.max ?? null,
  clientLoopDelayMaxMs: r.clientLoopDelayMs.max,
});
const result = { bench: 'server-scale', single: summary(single), cluster: summary(double) };
process.stdout.write(`${JSON.stringify(result)}\n\n`);

/** One row per measure: its label and how it reads for one side (one process, or two). */
const measures: [string, (r: typeof result.single) => string][] = [
  ['signaling messages/s published', (r) => String(r.signalingPublishedPerSecond)],
  ['signaling deliveries/s', (r) => String(r.signalingDeliveredPerSecond)],
  ['signaling p50 / p95 latency', (r) => `${r.signalingP50Ms} / ${r.signalingP95Ms} ms`],
  ['signaling lost / duplicates', (r) => `${r.signalingLost} / ${r.signalingDuplicates}`],
  ['relay appends acked/s', (r) => String(r.relayAckedPerSecond)],
  ['relay ack p50 / p95 latency', (r) => `${r.relayAckP50Ms} / ${r.relayAckP95Ms} ms`],
  ['relay push p50 / p95 latency', (r) => `${r.relayPushP50Ms} / ${r.relayPushP95Ms} ms`],
  ['relay failed / pushes lost', (r) => `${r.relayFailed} / ${r.relayPushesLost}`],
  ['server RSS max (all processes)', (r) => `${r.serverRssMaxMiB} MiB`],
];
const rows: [string, string, string][] = [
  ['', 'one process, embedded', 'two processes, PG + Redis'],
  ...measures.map(([label, read]): [string, string, string] => [label, read(result.single), read(result.cluster)]),
];
const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
process.stdout.write(`${rows.map((r) => r.map((c, i) => c.padEnd(w[i]!)).join('  ')).join('\n')}\n\n`);
process.stdout.write(`--- one process\n${formatReport(single)}\n\n--- two processes\n${formatReport(double)}\n`);
process.exit(single.serverStayedUp && double.serverStayedUp ? 0 : 1);
