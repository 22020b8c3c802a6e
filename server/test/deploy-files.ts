/**
 * Reads the deployment files (Dockerfile, the systemd unit) the way the tests need them, so the
 * tests run exactly what those files say instead of a copy that could drift.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { ClientOptions } from 'ws';
import { randomBytesOf, RelayClient, roomOf, tempDir, TestClient } from './helpers.ts';

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, '../..');

/** The parts of one Dockerfile stage the tests use. */
export interface DockerStage {
  from: string;
  name?: string;
  workdir: string;
  env: Record<string, string>;
  run: string[];
  /** `COPY --from=<stage> <src> <dest>` lines. */
  copyFrom: { stage: string; src: string; dest: string }[];
  user?: string;
  expose: string[];
  volumes: string[];
  /** Exec form only: a shell-form CMD would hide the server behind /bin/sh (no SIGTERM). */
  cmd?: string[];
  healthcheck?: { options: string; cmd: string[] };
}

/** Parses the instructions of every stage (continuation lines joined, comments dropped). */
export function parseDockerfile(text: string): DockerStage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: DockerStage[] = [];
  for (const line of lines) {
    const [, op = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const s = stages.at(-1);
    switch (op.toUpperCase()) {
      case 'FROM': {
        const [from, , name] = rest.split(/\s+/);
        stages.push({ from: from!, name, workdir: '/', env: {}, run: [], copyFrom: [], expose: [], volumes: [] });
        break;
      }
      case 'WORKDIR':
        s!.workdir = path.posix.resolve(s!.workdir, rest);
        break;
      case 'ENV':
        for (const m of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g)) s!.env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
        break;
      case 'RUN':
        s!.run.push(rest);
        break;
      case 'COPY': {
        const m = /^--from=(\S+)\s+(\S+)\s+(\S+)$/.exec(rest);
        if (m) s!.copyFrom.push({ stage: m[1]!, src: m[2]!, dest: m[3]! });
        break;
      }
      case 'USER':
        s!.user = rest;
        break;
      case 'EXPOSE':
        s!.expose.push(...rest.split(/\s+/));
        break;
      case 'VOLUME':
        s!.volumes.push(...(rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/)));
        break;
      case 'CMD':
        s!.cmd = JSON.parse(rest) as string[];
        break;
      case 'HEALTHCHECK': {
        const m = /^(.*?)\bCMD\s+(\[.*\])$/.exec(rest);
        if (m) s!.healthcheck = { options: m[1]!.trim(), cmd: JSON.parse(m[2]!) as string[] };
        break;
      }
    }
  }
  return stages;
}

/** Reads `Key=value` lines of a systemd unit (repeated keys keep every value). */
export function parseUnit(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('[')) continue;
    const at = line.indexOf('=');
    const key = line.slice(0, at);
    out.set(key, [...(out.get(key) ?? []), line.slice(at + 1)]);
  }
  return out;
}

/** `Environment=A=1 B=2` values as one record. */
export function unitEnvironment(unit: Map<string, string[]>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of unit.get('Environment') ?? []) for (const m of v.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  return env;
}

/**
 * The Docker build context: the repository's top-level entries minus those `.dockerignore` names
 * (names and `*.suffix` patterns, which is all it uses), copied to a fresh directory. The
 * repository's node_modules is linked in, standing for the build stage's `npm ci`.
 */
export function buildContext(): string {
  const ignore = readRepoFile('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const ignored = (name: string) => ignore.some((p) => (p.startsWith('*') ? name.endsWith(p.slice(1)) : p === name));
  const dir = tempDir('pn-context-');
  for (const name of readdirSync(ROOT)) {
    if (!ignored(name)) cpSync(path.join(ROOT, name), path.join(dir, name), { recursive: true });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/**
 * Runs the Dockerfile's build-stage `RUN node …` steps in a copy of the build context (so a
 * .dockerignore that leaves out something the server imports fails here), then lays out the final
 * stage's `COPY --from` files in a fresh directory that stands for the image's WORKDIR. Returns
 * that directory.
 */
export function buildImageTree(stages: DockerStage[]): string {
  const final = stages.at(-1)!;
  const app = tempDir('pn-image-');
  for (const copy of final.copyFrom) {
    const build = stages.find((s) => s.name === copy.stage);
    if (!build) throw new Error(`no stage named ${copy.stage}`);
    const context = buildContext();
    for (const run of build.run.filter((r) => r.startsWith('node '))) {
      const r = spawnSync(process.execPath, run.split(/\s+/).slice(1), { cwd: context, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`"${run}" failed: ${r.stderr}`);
    }
    const src = path.join(context, path.posix.relative(build.workdir, copy.src));
    const dest = path.join(app, path.posix.relative(final.workdir, path.posix.resolve(final.workdir, copy.dest)));
    mkdirSync(path.dirname(dest), { recursive: true });
    copyFileSync(src, copy.dest.endsWith('/') ? path.join(dest, path.basename(src)) : dest);
    rmSync(context, { recursive: true, force: true });
  }
  return app;
}

/** A server process started from a deployment file's command line. */
export interface EntryProcess {
  proc: ChildProcess;
  url: string;
  port: number;
  exited: Promise<number | string>;
}

/** Starts `argv` (its `node` is this Node) in `cwd` with exactly `env` (plus PATH), and waits for `listening ws://…`. */
export function startEntry(argv: string[], cwd: string, env: Record<string, string>): Promise<EntryProcess> {
  const [cmd, ...args] = argv;
  const proc = spawn(cmd === 'node' || cmd === '/usr/bin/node' ? process.execPath : cmd!, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | string>((ok) => proc.on('exit', (code, signal) => ok(code ?? signal ?? -1)));
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no "listening" line within 20 s; stdout: ${out}; stderr: ${err}`)), 20_000);
    proc.stderr!.on('data', (b: Buffer) => (err += String(b)));
    proc.stdout!.on('data', (b: Buffer) => {
      out += String(b);
      const m = /^listening (ws:\/\/\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        ok({ proc, url: m[1]!, port: Number(new URL(m[1]!).port), exited });
      }
    });
    void exited.then((code) => fail(new Error(`exited (${code}) before listening; stderr: ${err}`)));
  });
}

/** Runs a health-check command line; resolves with its exit code. */
export function runCheck(argv: string[], env: Record<string, string>): Promise<number> {
  const [cmd, ...args] = argv;
  const proc = spawn(cmd === 'node' ? process.execPath : cmd!, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
  return new Promise((ok) => proc.on('exit', (code) => ok(code ?? -1)));
}

/** Reads a file of the repository. */
export const readRepoFile = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

/**
 * Proves a server behind `url` (ws:// or wss://) does both jobs: a signaling publish reaches the
 * other subscriber, and a relay entry appended by one client is pushed to a follower and fetched
 * back byte for byte. `options` carries e.g. the CA a TLS proxy's certificate is signed by.
 */
export async function expectRoundTrips(url: string, options: ClientOptions = {}): Promise<void> {
  const a = await TestClient.connect(url, options);
  const b = await TestClient.connect(url, options);
  try {
    a.send({ type: 'subscribe', topics: ['deploy-check'] });
    b.send({ type: 'subscribe', topics: ['deploy-check'] });
    a.send({ type: 'ping' });
    b.send({ type: 'ping' });
    await a.next('pong');
    await b.next('pong');
    a.send({ type: 'publish', topic: 'deploy-check', data: { from: 'a' } });
    expect(await b.next('publish')).toEqual({ type: 'publish', topic: 'deploy-check', data: { from: 'a' }, clients: 2 });
  } finally {
    await Promise.all([a.close(), b.close()]);
  }

  const writer = await RelayClient.connect(url, options);
  const follower = await RelayClient.connect(url, options);
  try {
    // Protocol v2: a room exists only under the name derived from its write token.
    const token = `deploy-test-write-token-${Math.random().toString(16).slice(2)}`;
    const room = roomOf(token);
    expect(await follower.request({ type: 'hello', room })).toMatchObject({ type: 'welcome', head: 0 });
    expect(await writer.request({ type: 'hello', room, writeToken: token })).toMatchObject({ type: 'welcome', canWrite: true });
    const entry = randomBytesOf(50_000);
    expect(await writer.request({ type: 'append', room, entries: [entry], writeToken: token })).toMatchObject({ type: 'ack', seqs: [1] });
    const push = await follower.nextMessage((m) => m.type === 'push');
    expect(push).toMatchObject({ type: 'push', room, entries: [{ seq: 1, kind: 'update' }] });
    const fetched = await follower.fetchAll(room);
    expect(fetched.map((e) => e.seq)).toEqual([1]);
    expect(Buffer.from(fetched[0]!.data).equals(Buffer.from(entry))).toBe(true);
  } finally {
    await Promise.all([writer.close(), follower.close()]);
  }
}
