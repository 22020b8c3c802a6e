/**
 * Command-line entry: `tsx server/main.ts [options]` (see `--help`). Prints
 * `listening ws://HOST:PORT` once ready; the e2e harness parses that line.
 * `--print-settings-code …` prints the programme's settings code instead (settings-code-cli.ts).
 */
import { parseCli, USAGE } from './config.ts';
import { startServer } from './index.ts';
import { printSettingsCode } from './settings-code-cli.ts';

async function main(): Promise<void> {
  // A separate mode with its own flags: organisers print the code partners paste (no server starts).
  if (process.argv.includes('--print-settings-code')) process.exit(printSettingsCode(process.argv.slice(2)));
  let cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (cli.help) {
    process.stdout.write(USAGE);
    return;
  }
  const server = await startServer(cli.options);
  process.stdout.write(`listening ${server.url}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second signal means the operator is impatient: leave immediately.
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'shutting down', signal }) + '\n');
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`shutdown failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`server failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
