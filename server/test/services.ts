/**
 * Real Redis and PostgreSQL for tests and benches, from Debian's packages (redis-server,
 * postgresql; `scripts/ensure-chromium.mjs` installs them for `npm test`). Each runs in its own
 * temp directory on a free loopback port and is stopped (and its directory removed) by `stop()`.
 *
 * PostgreSQL refuses to run as root: when this process is root, initdb and postgres run as the
 * `postgres` user (created by the Debian package) through `setpriv` (which execs, so signals reach postgres itself), in a directory it owns.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REDIS = process.env.PN_REDIS_SERVER ?? '/usr/bin/redis-server';

/** Directory of PostgreSQL's server binaries (newest Debian version installed), or null. */
function pgBin(): string | null {
  if (process.env.PN_PG_BIN) return process.env.PN_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

/**
 * Why Redis + PostgreSQL tests cannot run here, or null when they can. Tests skip with this
 * reason printed; `npm test` installs the packages first, so in CI this is null.
 */
export function servicesUnavailable(): string | null {
  if (!existsSync(REDIS)) return `redis-server is not installed (${REDIS}); run: apt-get install -y redis-server postgresql`;
  const bin = pgBin();
  if (!bin) return 'PostgreSQL server binaries are not installed (/usr/lib/postgresql/*/bin/postgres); run: apt-get install -y postgresql';
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0)
    return 'running as root and there is no "postgres" user to run PostgreSQL as';
  return null;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running service. */
export interface Service {
  url: string;
  port: number;
  proc: ChildProcess;
  /** Stops it (SIGTERM, or SIGKILL to simulate a crash) and, unless `keep`, removes its directory. */
  stop(signal?: NodeJS.Signals, keep?: boolean): Promise<void>;
  /** PostgreSQL only: starts it again on the same data and port (after `stop(…, true)`). */
  restart?(): Promise<Service>;
}

function waitFor(proc: ChildProcess, ready: RegExp, what: string, timeoutMs = 30_000): Promise<void> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs / 1000} s:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready:\n${out}`));
    });
  });
}

function stopper(proc: ChildProcess, dir: string, defaultSignal: NodeJS.Signals = 'SIGTERM'): Service['stop'] {
  return (signal = defaultSignal, keep = false) =>
    new Promise((resolve) => {
      const done = () => {
        if (!keep) rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (proc.exitCode !== null || proc.signalCode !== null) return done();
      proc.once('exit', done);
      proc.kill(signal);
    });
}

/** Starts redis-server (no persistence: pub/sub only) on a free port, or on `port` (for a restart). */
export async function startRedis(port?: number): Promise<Service> {
  port ??= await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'pn-redis-'));
  const proc = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitFor(proc, /Ready to accept connections/, 'redis-server');
  return { url: `redis://127.0.0.1:${port}`, port, proc, stop: stopper(proc, dir) };
}

/** Starts a fresh PostgreSQL cluster (trust auth on loopback only) and returns its URL. */
export async function startPostgres(): Promise<Service> {
  const bin = pgBin();
  if (!bin) throw new Error('PostgreSQL is not installed');
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'pn-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot ? { cmd: 'setpriv', args: ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', cmd, ...args] } : { cmd, args };
  if (asRoot) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(ids.stdout.trim()), Number(gid.stdout.trim()));
    chmodSync(dir, 0o700);
  }
  const init = run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const r = spawnSync(init.cmd, init.args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr || r.stdout}`);
  const launch = async (): Promise<Service> => {
    // fsync stays on (the default): the crash tests rely on COMMIT meaning "on disk".
    const start = run(path.join(bin, 'postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dir}`,
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=32MB',
    ]);
    const proc = spawn(start.cmd, start.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitFor(proc, /database system is ready to accept connections/, 'postgres');
    // SIGQUIT is PostgreSQL's "immediate" shutdown: no final checkpoint (which, after a test's
    // CREATE DATABASEs, can take more than 10 s on a busy disk). The directory is deleted anyway.
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, proc, stop: stopper(proc, dir, 'SIGQUIT'), restart: launch };
  };
  return launch();
}
