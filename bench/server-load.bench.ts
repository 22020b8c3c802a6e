/**
 * The signaling + relay server under load, for a minute.
 *
 *   node --import tsx bench/server-load.bench.ts            # 500 clients, 100 rooms, 60 s
 *   PN_LOAD_SECONDS=10 node --import tsx bench/server-load.bench.ts
 *
 * Starts `server/main.ts` as a child process on 127.0.0.1 (temp data dir, removed after) and
 * runs server/test/load-harness.ts against it: 500 honest signaling clients in 100 rooms
 * publishing y-webrtc-sized messages about once a second each, 50 relay clients appending and
 * fetching, plus a flood, an oversized frame, malformed JSON, too many topics and a slow
 * reader. Prints one JSON line, then a table. Figures, not assertions (server/test/load.test.ts
 * asserts a short run): latencies include this process's own event-loop delay, printed too.
 *
 * File descriptors: this process needs one per client socket (~560), the server as many. The
 * harness reads the soft limit from /proc and scales the client count down (saying so) when it
 * is too low; raise it first with `ulimit -n 4096` to run the full 500.
 *
 * Then the starvation attacks (server/test/starvation-harness.ts), one phase each after a
 * baseline: honest relay partners' append success rate and ack latency while an attacker
 * without any secret claims junk rooms, asks for unknown rooms, holds idle sockets, follows
 * without reading, or floods bytes. PN_STARVE_SECONDS (default 10) per phase; 0 skips them;
 * PN_LOAD_SECONDS=0 skips the load run.
 */
import { formatReport, runServerLoad } from '../server/test/load-harness.ts';
import { formatStarvation, runStarvation } from '../server/test/starvation-harness.ts';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

const loadSeconds = Number(process.env.PN_LOAD_SECONDS ?? 60);
const report =
  loadSeconds === 0
    ? null
    : await runServerLoad({
        clients: num('PN_LOAD_CLIENTS', 500),
        rooms: num('PN_LOAD_ROOMS', 100),
        durationMs: loadSeconds * 1000,
        publishIntervalMs: num('PN_LOAD_PUBLISH_MS', 1000),
        relayClients: num('PN_LOAD_RELAY_CLIENTS', 50),
        relayIntervalMs: num('PN_LOAD_RELAY_MS', 3000),
        abuse: process.env.PN_LOAD_ABUSE !== '0',
        log: (line) => process.stderr.write(`${line}\n`),
      });
if (report) process.stdout.write(`${JSON.stringify({ bench: 'server-load', ...report })}\n\n${formatReport(report)}\n`);

const starveSeconds = Number(process.env.PN_STARVE_SECONDS ?? 10);
if (starveSeconds > 0) {
  const phases = await runStarvation({
    honest: num('PN_STARVE_HONEST', 10),
    phaseMs: starveSeconds * 1000,
    intervalMs: num('PN_STARVE_INTERVAL_MS', 500),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`\n${JSON.stringify({ bench: 'server-starvation', phases })}\n\n${formatStarvation(phases)}\n`);
}
// Exit explicitly: nothing should remain, but a bench must never hang.
process.exit(!report || report.serverStayedUp ? 0 : 1);
