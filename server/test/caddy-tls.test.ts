/**
 * TLS in front of the server, with the Caddy example (server/deploy/Caddyfile) and Debian's caddy
 * package: wss:// through Caddy reaches signaling and the relay, https:// reaches /healthz.
 * Production Caddy gets a public certificate for the real domain; here the same site block is
 * served for `localhost` with Caddy's own local CA (`tls internal`), which the client trusts.
 * `npm test` installs caddy when missing (scripts/ensure-chromium.mjs); elsewhere the test is
 * skipped with a note when caddy is not installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RunningServer } from '../index.ts';
import { startTestServer, tempDir } from './helpers.ts';
import { expectRoundTrips, readRepoFile } from './deploy-files.ts';
import { freePort } from './services.ts';

const CADDY = process.env.PN_CADDY ?? '/usr/bin/caddy';
const required = process.env.PN_NETNS === '1';
const haveCaddy = existsSync(CADDY);
if (!haveCaddy && !required) console.warn(`caddy-tls.test: skipped — ${CADDY} is missing (apt-get install caddy); npm test installs it.`);

/**
 * The example's site block for a test: the same directives, served for localhost on `httpsPort`
 * with a local CA, proxying to the test server. Global options keep Caddy to itself: no admin
 * endpoint, no attempt to add its CA to the system's trust store, no port 80.
 */
function testCaddyfile(example: string, opts: { httpsPort: number; httpPort: number; upstreamPort: number }): string {
  const site = /^([a-z0-9.-]+\.[a-z]{2,})\s*\{/m.exec(example);
  if (!site) throw new Error('the example Caddyfile has no site block with a domain');
  if (!example.includes('reverse_proxy 127.0.0.1:4444')) throw new Error('the example no longer proxies to 127.0.0.1:4444');
  const body = example
    .slice(site.index)
    .replace(site[0], `https://localhost:${opts.httpsPort} {\n\ttls internal`)
    .replace('reverse_proxy 127.0.0.1:4444', `reverse_proxy 127.0.0.1:${opts.upstreamPort}`);
  return `{\n\tadmin off\n\tskip_install_trust\n\thttp_port ${opts.httpPort}\n\thttps_port ${opts.httpsPort}\n}\n\n${body}`;
}

/** Caddy running the example's site block in front of a test server. */
interface RunningCaddy {
  proc: ChildProcess;
  /** `localhost:<https port>`. */
  base: string;
  /** Caddy's local CA certificate (PEM), the only one the clients trust. */
  ca: string;
}

/** GET /healthz over https, trusting only `ca`. */
function health(base: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(`https://${base}/healthz`, { ca: ca || undefined }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** Validates and starts Caddy with {@link testCaddyfile} proxying to `upstreamPort`, and waits until it serves TLS. */
async function startCaddy(upstreamPort: number): Promise<RunningCaddy> {
  const home = tempDir('pn-caddy-');
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const config = path.join(home, 'Caddyfile');
  writeFileSync(config, testCaddyfile(readRepoFile('server/deploy/Caddyfile'), { httpsPort, httpPort, upstreamPort }));
  const env = { ...process.env, HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home };
  const check = spawnSync(CADDY, ['validate', '--config', config, '--adapter', 'caddyfile'], { encoding: 'utf8', env });
  expect(check.status, check.stderr).toBe(0);
  const proc = spawn(CADDY, ['run', '--config', config, '--adapter', 'caddyfile'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout!.on('data', (b: Buffer) => (log += String(b)));
  proc.stderr!.on('data', (b: Buffer) => (log += String(b)));
  const base = `localhost:${httpsPort}`;
  const root = path.join(home, 'caddy/pki/authorities/local/root.crt');
  // Caddy makes its CA and the localhost certificate on start; wait until it serves TLS.
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (existsSync(root)) {
      const ca = readFileSync(root, 'utf8');
      const ok = await health(base, ca).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return { proc, base, ca };
    }
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGTERM');
      throw new Error(`caddy did not serve https://${base} in time:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!haveCaddy && !required)('TLS with Caddy (server/deploy/Caddyfile)', () => {
  let server: RunningServer;
  let caddy: RunningCaddy;

  beforeAll(async () => {
    expect(existsSync(CADDY), `${CADDY} is missing: apt-get install caddy`).toBe(true);
    server = await startTestServer();
    caddy = await startCaddy(server.port);
  }, 30_000);
  afterAll(async () => {
    caddy?.proc.kill('SIGTERM');
    await server?.close();
  });

  it('https:// reaches /healthz through Caddy', async () => {
    const r = await health(caddy.base, caddy.ca);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true });
  });

  it('wss:// through Caddy reaches signaling and the relay', async () => {
    await expectRoundTrips(`wss://${caddy.base}`, { ca: caddy.ca });
  });

  it('the certificate is real TLS: a client that does not trust its CA is refused, and plain ws:// is not served', async () => {
    const untrusted = new WebSocket(`wss://${caddy.base}`);
    const err = await new Promise<Error>((ok) => untrusted.once('error', ok));
    expect(err.message).toMatch(/certificate/i);
    const plain = new WebSocket(`ws://${caddy.base}`);
    const failed = await new Promise<boolean>(
      (ok) => (plain.once('open', () => ok(false)), plain.once('error', () => ok(true)), plain.once('unexpected-response', () => ok(true))),
    );
    plain.terminate();
    expect(failed).toBe(true);
  });
});
