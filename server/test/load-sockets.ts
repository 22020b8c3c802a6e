/** The load harness's clients and probes: sockets from distinct addresses, close codes, the server's RSS and health. */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The soft open-files limit of this process (Linux), or null when unknown. */
export function openFilesLimit(): number | null {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? (m[1] === 'unlimited' ? Infinity : Number(m[1])) : null;
  } catch {
    return null;
  }
}

/** Resident memory of process `pid` in MiB (Linux), or null when unknown. */
export function rssMiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Whether the server at `url` answers /healthz with 200 within 2 s. */
export function health(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url.replace(/^ws/, 'http') + '/healthz', { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

let nextAddress = 1;

/**
 * A distinct client address for each honest socket: the server runs with `--trust-proxy` and
 * sees `X-Forwarded-For`, as behind Caddy, so its per-address limits apply as they would to
 * people in different places (every socket here really comes from 127.0.0.1).
 */
export function freshAddress(): string {
  const n = nextAddress++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** A WebSocket to `url` that the server counts as coming from `address`. */
export function connect(url: string, address = freshAddress()): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, headers: { 'x-forwarded-for': address } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Opens sockets a few dozen at a time: a thundering herd would measure the kernel's backlog, not the server. */
export async function connectMany(url: (i: number) => string, n: number): Promise<WebSocket[]> {
  const out: WebSocket[] = [];
  for (let i = 0; i < n; i += 50) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, k) => connect(url(i + k))))));
  }
  return out;
}

/** The code `ws` is closed with, or null when it is not closed within `timeoutMs`. */
export const closed = (ws: WebSocket, timeoutMs: number) =>
  new Promise<number | null>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve(null);
    const t = setTimeout(() => resolve(null), timeoutMs);
    ws.once('close', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });
