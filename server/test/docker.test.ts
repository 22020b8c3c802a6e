/**
 * The real container: built and started with a Docker (or Podman) engine, only when asked for
 * with PN_DOCKER_TEST=1. The machines `npm test` runs on have no engine (and no Docker Hub), so
 * there deploy.test.ts runs the image's CMD, ENV and HEALTHCHECK from the Dockerfile instead.
 * Never run on those machines: treat a first run elsewhere as its first real check.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { expectRoundTrips, ROOT } from './deploy-files.ts';

const engine = process.env.PN_DOCKER_TEST === '1' ? (['docker', 'podman'].find((e) => spawnSync(e, ['info'], { stdio: 'ignore' }).status === 0) ?? null) : null;
if (process.env.PN_DOCKER_TEST === '1' && !engine) throw new Error('PN_DOCKER_TEST=1 but neither `docker info` nor `podman info` works');

function run(...args: string[]): string {
  const r = spawnSync(engine!, args, { cwd: ROOT, encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) throw new Error(`${engine} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

describe.skipIf(!engine)('the container image, built and run by a container engine', () => {
  it('builds; the container becomes healthy, serves signaling and the relay, and stops with exit code 0', async () => {
    const tag = 'partner-notebook-server:test';
    run('build', '-t', tag, '.');
    const id = run('run', '-d', '-p', '127.0.0.1::4444', tag);
    try {
      const port = Number(/:(\d+)\s*$/m.exec(run('port', id, '4444'))![1]);
      // The first health check runs one interval (30 s) after the start.
      const deadline = Date.now() + 120_000;
      while (run('inspect', '-f', '{{.State.Health.Status}}', id) !== 'healthy') {
        if (Date.now() > deadline) throw new Error(`not healthy in 120 s: ${run('logs', id)}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
      expect(run('inspect', '-f', '{{.Config.User}}', id)).toBe('node');
      await expectRoundTrips(`ws://127.0.0.1:${port}`);
      run('stop', id);
      expect(run('inspect', '-f', '{{.State.ExitCode}}', id)).toBe('0');
    } finally {
      spawnSync(engine!, ['rm', '-f', id], { stdio: 'ignore' });
    }
  }, 900_000);
});
