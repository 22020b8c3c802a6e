/** Starts the project's real server as a separate process on 127.0.0.1 for end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running server process. */
export interface SyncServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Stops it (SIGTERM, or SIGKILL to simulate a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `server/main.ts` on a free port (or `port`) with its own data directory (or `dataDir`) and extra command-line `args`. */
export async function startSyncServer(opts: { dataDir?: string; port?: number; args?: string[] } = {}): Promise<SyncServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'pn-relay-'));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/main.ts',
      '--host',
      '127.0.0.1',
      '--port',
      String(opts.port ?? 0),
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
      ...(opts.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('the sync server did not start within 20 s')), 20_000);
    child.stdout!.on('data', (b: Buffer) => {
      const m = /listening (ws:\/\/\S+)/.exec(String(b));
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    child.once('exit', (code) => fail(new Error(`the sync server exited (${code})`)));
  });
  return {
    url,
    dataDir,
    process: child,
    stop: (signal = 'SIGTERM') =>
      new Promise((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill(signal);
      }),
  };
}
