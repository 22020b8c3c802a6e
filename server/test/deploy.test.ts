/**
 * The deployable server: the container image's entry and the systemd unit's, run exactly as those
 * files say (read from them, so they cannot drift), against the same bundle they ship. No Docker
 * engine runs on the machines these tests run on, so the image's build step, files, user,
 * environment, command and health check are reproduced from the Dockerfile instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import {
  buildImageTree,
  expectRoundTrips,
  parseDockerfile,
  parseUnit,
  readRepoFile,
  ROOT,
  runCheck,
  startEntry,
  unitEnvironment,
  type EntryProcess,
} from './deploy-files.ts';

const stages = parseDockerfile(readRepoFile('Dockerfile'));
const image = stages.at(-1)!;
const running: EntryProcess[] = [];
afterAll(() => running.forEach((p) => p.proc.kill('SIGKILL')));

describe('the container image (Dockerfile)', () => {
  it('runs as a non-root user, exposes its port, keeps data in a volume, checks its health, uses the exec form', () => {
    expect(image.from).toMatch(/^node:20/);
    expect(image.user).toBeDefined();
    expect(image.user).not.toMatch(/^(root|0)(:|$)/);
    expect(image.expose).toEqual([image.env.PORT]);
    expect(image.volumes).toContain(image.env.PN_DATA_DIR);
    expect(image.env.HOST).toBe('0.0.0.0');
    expect(image.cmd?.length).toBeGreaterThan(0);
    expect(image.healthcheck?.cmd.length).toBeGreaterThan(0);
    // Only the bundle is copied into the image: no node_modules, no sources.
    expect(image.copyFrom.map((c) => c.dest)).toEqual(['./server.mjs']);
    for (const dir of ['node_modules', '.output', '.git']) expect(readRepoFile('.dockerignore').split('\n')).toContain(dir);
  });

  it('its CMD, with its ENV, serves /healthz, signaling and the relay; its HEALTHCHECK passes, then fails once stopped', async () => {
    const app = buildImageTree(stages);
    // The whole image content: one file of about 2 MB (1.5 MB of it the Redis client, for
    // --redis-url), runnable outside the repository.
    expect(statSync(path.join(app, 'server.mjs')).size).toBeLessThan(3 * 1024 * 1024);
    expect(existsSync(path.join(app, 'node_modules'))).toBe(false);
    const dataDir = tempDir();
    // The image's environment, but on loopback, a free port and a temporary volume.
    const env = { ...image.env, HOST: '127.0.0.1', PORT: '0', PN_DATA_DIR: dataDir };
    const server = await startEntry(image.cmd!, app, env);
    running.push(server);
    const http = server.url.replace(/^ws/, 'http');
    const health = await fetch(`${http}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    expect(await runCheck(image.healthcheck!.cmd, { PORT: String(server.port) })).toBe(0);

    await expectRoundTrips(server.url);
    // The relay wrote to the volume.
    expect(existsSync(path.join(dataDir, 'rooms'))).toBe(true);

    server.proc.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(await runCheck(image.healthcheck!.cmd, { PORT: String(server.port) })).not.toBe(0);

    // `docker run --rm IMAGE node server.mjs --print-settings-code …` works from the image alone.
    const [node, ...args] = image.cmd!;
    const printed = spawnSync(node === 'node' ? process.execPath : node!, [...args, '--print-settings-code', '--public-url', 'wss://sync.example.org'], {
      cwd: app,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout).toMatch(/^PNS1-\S+$/m);
  });
});

describe('the systemd unit (server/deploy/partner-notebook-server.service)', () => {
  const unit = parseUnit(readRepoFile('server/deploy/partner-notebook-server.service'));

  it('is hardened: its own user, a state directory, a read-only system', () => {
    expect(unit.get('DynamicUser')).toEqual(['yes']);
    expect(unit.get('StateDirectory')).toEqual(['partner-notebook']);
    expect(unitEnvironment(unit).PN_DATA_DIR).toBe('/var/lib/partner-notebook');
    expect(unit.get('ProtectSystem')).toEqual(['strict']);
    expect(unit.get('NoNewPrivileges')).toEqual(['yes']);
    // Node's JIT needs writable code pages, and libuv reads /proc/meminfo: these would break it.
    expect(unit.has('MemoryDenyWriteExecute')).toBe(false);
    expect(unit.has('ProcSubset')).toBe(false);
    const verify = spawnSync('systemd-analyze', ['verify', path.join(ROOT, 'server/deploy/partner-notebook-server.service')], { encoding: 'utf8' });
    if (verify.error) return; // systemd-analyze is not installed: the checks above remain.
    expect(verify.stderr.trim()).toBe('');
    expect(verify.status).toBe(0);
  });

  it('its ExecStart, with its Environment, runs the same bundle and serves /healthz', async () => {
    const app = buildImageTree(stages);
    const [node, script] = unit.get('ExecStart')![0]!.split(/\s+/);
    expect(node).toBe('/usr/bin/node');
    expect(path.basename(script!)).toBe('server.mjs');
    const env: Record<string, string> = { ...unitEnvironment(unit), PORT: '0', PN_DATA_DIR: tempDir() };
    expect(env.HOST).toBe('127.0.0.1');
    const server = await startEntry([node!, path.join(app, path.basename(script!))], app, env);
    running.push(server);
    const health = await fetch(`${server.url.replace(/^ws/, 'http')}/healthz`);
    expect(await health.json()).toMatchObject({ ok: true });
    server.proc.kill(unit.get('KillSignal')![0]! as NodeJS.Signals);
    expect(await server.exited).toBe(0);
  });
});
