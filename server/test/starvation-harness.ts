/**
 * Honest relay partners while an attacker without any notebook secret tries to starve the
 * server (issue 12, point 3), for `bench/server-load.bench.ts`. Not a test file itself; the
 * attacks are asserted one by one in `server/test/starvation.test.ts`.
 *
 * The real entry point runs as a child process on 127.0.0.1 with `--trust-proxy`, so every
 * socket can present its own `X-Forwarded-For` address: honest partners each have one, and the
 * attacker gets as many as each attack says (one, or a stream of fresh ones for the attacks that
 * need many). The total quota is scaled down to 16 MiB, and the per-address storage budget with
 * it to 512 KiB (the defaults' ratio: 8 GiB / 256 MiB = 32 addresses to fill the disk), so the
 * quota attacks reach their end within seconds.
 *
 * Phases run one after another, each `phaseMs` long: a baseline without attack, then each
 * attack. Throughout, `honest` partners (two per room) append 1–2 KB every ~`intervalMs`;
 * per phase the report gives their append success rate and ack latency, the server's peak RSS,
 * and what the attack achieved.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { encodeClientMessage, parseServerMessage, type RelayClientMessage, type RelayServerMessage } from '../../protocol/relay.ts';
import { roomOf, spawnServer, tempDir, type ChildServer } from './helpers.ts';

/** What to run. */
export interface StarvationOptions {
  /** Honest relay partners (two per room). */
  honest: number;
  /** Length of each phase, in ms. */
  phaseMs: number;
  /** Mean interval between one honest partner's appends, in ms. */
  intervalMs: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Figures of one phase. */
export interface PhaseResult {
  phase: string;
  /** What the attacker did and what it got. */
  attack: string;
  honestAppends: number;
  honestAcked: number;
  /** acked / appends, in percent. */
  successPercent: number;
  ackMs: { p50: number; p95: number; max: number };
  /** Error codes honest partners got, with counts. */
  honestErrors: Record<string, number>;
  /** A fresh honest partner connecting during the phase: connections tried and opened. */
  newcomers: { tried: number; opened: number };
  serverRssMaxMiB: number | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let nextAddr = 1;
const address = (prefix: string) => {
  const n = nextAddr++;
  return `${prefix}.${(n >> 8) & 255}.${n & 255}`;
};

function rssMiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** A socket with request/reply by id; never throws on the attacker's side of things. */
class Conn {
  private nextId = 1;
  private readonly waiters = new Map<number, (m: RelayServerMessage | null) => void>();
  closedWith: number | null = null;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const p = parseServerMessage(String(d));
      if (!p.ok || !('id' in p.message) || p.message.id === undefined) return;
      const w = this.waiters.get(p.message.id);
      this.waiters.delete(p.message.id);
      w?.(p.message);
    });
    ws.on('close', (code) => {
      this.closedWith = code;
      for (const w of this.waiters.values()) w(null);
      this.waiters.clear();
    });
    ws.on('error', () => {});
  }

  static open(url: string, addr: string): Promise<Conn | null> {
    return new Promise((resolve) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, headers: { 'x-forwarded-for': addr } });
      ws.once('open', () => resolve(new Conn(ws)));
      ws.once('unexpected-response', () => {
        ws.terminate();
        resolve(null);
      });
      ws.once('error', () => resolve(null));
    });
  }

  request(m: RelayClientMessage, timeoutMs = 10_000): Promise<RelayServerMessage | null> {
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiters.delete(id);
        resolve(null);
      }, timeoutMs);
      this.waiters.set(id, (r) => {
        clearTimeout(t);
        resolve(r);
      });
      this.ws.send(encodeClientMessage({ ...m, id } as RelayClientMessage));
    });
  }

  post(m: RelayClientMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeClientMessage({ ...m, id: this.nextId++ } as RelayClientMessage));
  }
}

type Attack = (url: string, until: number, track: (ws: WebSocket) => void) => Promise<string>;

/** Claims junk rooms with freshly minted tokens, 20 per fresh address, until the server stops it. */
const claims: Attack = async (url, until, track) => {
  const outcome: Record<string, number> = {};
  let addresses = 0;
  const worker = async () => {
    while (performance.now() < until) {
      const c = await Conn.open(`${url}/relay`, address('172.16'));
      if (!c) continue;
      track(c.ws);
      addresses++;
      for (let i = 0; i < 21 && performance.now() < until; i++) {
        const token = randomBytes(16).toString('hex');
        const r = await c.request({ type: 'claim', room: roomOf(token), writeToken: token });
        const code = !r ? 'no-reply' : r.type === 'error' ? r.code : r.type;
        outcome[code] = (outcome[code] ?? 0) + 1;
        if (code === 'server-full') return;
      }
      c.ws.close();
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return `claims from ${addresses} addresses: ${Object.entries(outcome)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')}`;
};

/** Fetches and hellos random room names as fast as the message rate allows, from 20 addresses. */
const unknownRooms: Attack = async (url, until, track) => {
  let sent = 0;
  const conns = (await Promise.all(Array.from({ length: 20 }, () => Conn.open(`${url}/relay`, address('172.17'))))).filter((c): c is Conn => !!c);
  for (const c of conns) track(c.ws);
  while (performance.now() < until) {
    for (const c of conns) {
      for (let k = 0; k < 9; k++) {
        const room = randomBytes(32).toString('hex');
        c.post(k === 0 ? { type: 'hello', room } : { type: 'fetch', room, since: 0 });
        sent++;
      }
      // hello follows the room: leave again so the 64-room limit is not what stops it.
    }
    await sleep(200); // 45 messages/s per connection: under the 50/s limit
  }
  const open = conns.filter((c) => c.closedWith === null).length;
  return `${sent} hello/fetch of random rooms from ${conns.length} addresses (${open} connections still open)`;
};

/** Opens as many silent sockets without Origin from one address as it can. */
const idleSockets: Attack = async (url, until, track) => {
  let opened = 0;
  let refused = 0;
  const addr = address('172.18');
  for (let i = 0; i < 2000 && performance.now() < until; i++) {
    const c = await Conn.open(url, addr);
    if (c) {
      opened++;
      track(c.ws);
    } else refused++;
  }
  await sleep(Math.max(0, until - performance.now()));
  return `silent sockets from one address: ${opened} opened, ${refused} refused`;
};

/** 20 followers (one address each) that never read, while the attacker appends 256 KiB entries to their room. */
const slowReaders: Attack = async (url, until, track) => {
  const token = randomBytes(16).toString('hex');
  const room = roomOf(token);
  const readers = (await Promise.all(Array.from({ length: 20 }, () => Conn.open(`${url}/relay`, address('172.19'))))).filter((c): c is Conn => !!c);
  for (const r of readers) {
    track(r.ws);
    await r.request({ type: 'hello', room });
    (r.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  }
  // Each address may store 512 KiB a day here: the writer moves to a fresh address whenever
  // it is refused, as an attacker with many addresses would. It stops at 8 MiB (half the
  // scaled-down disk): filling the disk from many addresses is a different attack, and this
  // phase measures what non-reading followers cost.
  const entry = randomBytes(256 * 1024);
  let acked = 0;
  let writers = 0;
  let refused: string | null = null;
  while (performance.now() < until && !refused && acked < 32) {
    const writer = await Conn.open(`${url}/relay`, address('172.19'));
    if (!writer) continue;
    track(writer.ws);
    writers++;
    for (;;) {
      const r = await writer.request({ type: 'append', room, entries: [entry], writeToken: token });
      if (r?.type === 'ack') {
        if (++acked >= 32) break;
      } else {
        if (r?.type !== 'error' || r.code !== 'over-limit') refused = r?.type === 'error' ? r.code : 'no reply';
        break;
      }
    }
    writer.ws.close();
  }
  await sleep(Math.max(0, until - performance.now()));
  for (const r of readers) (r.ws as unknown as { _socket: { resume(): void } })._socket.resume();
  // They read what the kernel had buffered, then see how the server ended them.
  for (let i = 0; i < 50 && readers.some((r) => r.closedWith === null); i++) await sleep(100);
  const closed = readers.filter((r) => r.closedWith === 4503).length;
  return `${readers.length} non-reading followers, ${acked} × 256 KiB pushed to each by ${writers} writer addresses${refused ? ` (then ${refused})` : ''}; ${closed} closed with 4503`;
};

/** One address pipelines 1 MiB appends over 4 connections as fast as it can. */
const byteFlood: Attack = async (url, until, track) => {
  const addr = address('172.20');
  const token = randomBytes(16).toString('hex');
  const room = roomOf(token);
  // Encoded once: the attacker's own encoding work must not slow this process's honest clients.
  const frame = encodeClientMessage({ type: 'append', room, entries: [randomBytes(1024 * 1024)], writeToken: token });
  const outcome: Record<string, number> = {};
  let sent = 0;
  let replies = 0;
  const worker = async () => {
    const c = await Conn.open(`${url}/relay`, addr);
    if (!c) return;
    track(c.ws);
    c.ws.on('message', (d) => {
      const p = parseServerMessage(String(d));
      if (!p.ok) return;
      replies++;
      const code = p.message.type === 'error' ? p.message.code : p.message.type;
      outcome[code] = (outcome[code] ?? 0) + 1;
    });
    // Eight frames in flight per connection, as fast as the server takes them.
    while (performance.now() < until && c.ws.readyState === WebSocket.OPEN) {
      while (sent - replies < 32 && c.ws.bufferedAmount < 8 * frame.length) {
        c.ws.send(frame);
        sent++;
      }
      await sleep(20);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return `${sent} MiB of appends sent from one address, ${replies} answered in the phase: ${Object.entries(outcome)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')}`;
};

const ATTACKS: [string, Attack | null][] = [
  ['baseline', null],
  ['junk-room claims', claims],
  ['unknown rooms', unknownRooms],
  ['idle sockets', idleSockets],
  ['slow readers', slowReaders],
  ['byte flood', byteFlood],
];

function pct(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 10) / 10 : 0;
}

/** Runs every phase, each on a fresh server, and returns one result per phase. */
export async function runStarvation(o: StarvationOptions): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  for (const [phase, attack] of ATTACKS) {
    o.log?.(`phase: ${phase}`);
    results.push(await runPhase(o, phase, attack));
  }
  return results;
}

/** One phase on its own server (so that one attack's leftovers do not blunt the next). Always stops the server. */
async function runPhase(o: StarvationOptions, phase: string, attack: Attack | null): Promise<PhaseResult> {
  const dataDir = tempDir('pn-starve-');
  let server: ChildServer | undefined;
  const attackSockets: WebSocket[] = [];
  const honest: Conn[] = [];
  try {
    server = await spawnServer(['--data-dir', dataDir, '--log-level', 'error', '--trust-proxy', '--total-quota', '16m', '--stored-per-address', '512k']);
    const url = server.url;
    const pid = server.proc.pid!;
    const tokens = Array.from({ length: Math.ceil(o.honest / 2) }, () => randomBytes(16).toString('hex'));
    for (let i = 0; i < o.honest; i++) {
      const c = await Conn.open(`${url}/relay`, address('10.9'));
      if (!c) throw new Error('an honest partner could not connect');
      honest.push(c);
      const token = tokens[i >> 1]!;
      await c.request({ type: 'hello', room: roomOf(token), writeToken: token });
      await c.request({ type: 'claim', room: roomOf(token), writeToken: token });
    }
    {
      const start = performance.now();
      const until = start + o.phaseMs;
      const latencies: number[] = [];
      const errors: Record<string, number> = {};
      let appends = 0;
      let acked = 0;
      let rssMax: number | null = null;
      const newcomers = { tried: 0, opened: 0 };
      const sampler = setInterval(() => {
        const r = rssMiB(pid);
        if (r !== null) rssMax = Math.max(rssMax ?? 0, r);
      }, 250);
      const honestRun = Promise.all(
        honest.map(async (c, i) => {
          const token = tokens[i >> 1]!;
          await sleep(Math.random() * o.intervalMs);
          const pending: Promise<void>[] = [];
          while (performance.now() < until) {
            appends++;
            const t0 = performance.now();
            pending.push(
              c
                .request({ type: 'append', room: roomOf(token), entries: [randomBytes(1024 + Math.floor(Math.random() * 1024))], writeToken: token })
                .then((r) => {
                  if (r?.type === 'ack') {
                    acked++;
                    latencies.push(performance.now() - t0);
                  } else {
                    const code = !r ? 'no reply' : r.type === 'error' ? r.code : r.type;
                    errors[code] = (errors[code] ?? 0) + 1;
                  }
                }),
            );
            await sleep(o.intervalMs * (0.5 + Math.random()));
          }
          await Promise.all(pending);
        }),
      );
      // A partner opening the panel for the first time, every second: can it still get in?
      const newcomerRun = (async () => {
        while (performance.now() < until - 500) {
          newcomers.tried++;
          const c = await Conn.open(`${url}/relay`, address('10.10'));
          if (c) {
            const r = await c.request({ type: 'ping' });
            if (r?.type === 'pong') newcomers.opened++;
            c.ws.close();
          }
          await sleep(1000);
        }
      })();
      const attackRun = attack ? attack(url, until, (ws) => attackSockets.push(ws)) : sleep(o.phaseMs).then(() => 'none');
      const [, , what] = await Promise.all([honestRun, newcomerRun, attackRun]);
      clearInterval(sampler);
      for (const ws of attackSockets.splice(0)) ws.terminate();
      return {
        phase,
        attack: what,
        honestAppends: appends,
        honestAcked: acked,
        successPercent: appends ? Math.round((acked / appends) * 1000) / 10 : 0,
        ackMs: { p50: pct(latencies, 0.5), p95: pct(latencies, 0.95), max: pct(latencies, 1) },
        honestErrors: errors,
        newcomers,
        serverRssMaxMiB: rssMax,
      };
    }
  } finally {
    for (const ws of attackSockets) ws.terminate();
    for (const c of honest) c.ws.terminate();
    if (server && server.proc.exitCode === null) {
      server.proc.kill('SIGTERM');
      const t = setTimeout(() => server!.proc.kill('SIGKILL'), 5000);
      await server.exited;
      clearTimeout(t);
    }
    await fsp.rm(dataDir, { recursive: true, force: true });
  }
}

/** A readable table of the phases. */
export function formatStarvation(rs: PhaseResult[]): string {
  const rows = rs.map((r) => [
    r.phase,
    `${r.successPercent}% of ${r.honestAppends}`,
    `${r.ackMs.p50} / ${r.ackMs.p95} / ${r.ackMs.max}`,
    `${r.newcomers.opened}/${r.newcomers.tried}`,
    r.serverRssMaxMiB === null ? '-' : `${r.serverRssMaxMiB}`,
    Object.keys(r.honestErrors).length
      ? Object.entries(r.honestErrors)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')
      : '-',
  ]);
  const head = ['phase', 'honest appends ok', 'ack ms p50/p95/max', 'newcomers in', 'server RSS MiB', 'honest errors'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(w[i]!)).join('  ');
  return [line(head), ...rows.map(line), '', ...rs.map((r) => `${r.phase}: ${r.attack}`)].join('\n');
}
