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
 */
import { formatReport, runServerLoad } from '../server/test/load-harness.ts';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

const report = await runServerLoad({
  clients: num('PN_LOAD_CLIENTS', 500),
  rooms: num('PN_LOAD_ROOMS', 100),
  durationMs: num('PN_LOAD_SECONDS', 60) * 1000,
  publishIntervalMs: num('PN_LOAD_PUBLISH_MS', 1000),
  relayClients: num('PN_LOAD_RELAY_CLIENTS', 50),
  relayIntervalMs: num('PN_LOAD_RELAY_MS', 3000),
  abuse: process.env.PN_LOAD_ABUSE !== '0',
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify({ bench: 'server-load', ...report })}\n\n${formatReport(report)}\n`);
// Exit explicitly: nothing should remain, but a bench must never hang.
process.exit(report.serverStayedUp ? 0 : 1);
