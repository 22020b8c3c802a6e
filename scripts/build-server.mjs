// `npm run build:server`: bundles the sync server (server/main.ts and what it imports, ws included)
// into one dependency-free file, .output/server/server.mjs, run with plain `node server.mjs`.
// The container image and the systemd example run exactly this file: no node_modules, no tsx, no
// TypeScript at run time, so the image holds only Node and about 2 MB of JavaScript (1.5 MB of it
// the Redis client, @redis/client, used only with --redis-url; pg, for --store postgres, is 160 KB).
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const outfile = process.argv[2] ?? '.output/server/server.mjs';
mkdirSync(dirname(resolve(outfile)), { recursive: true });
await build({
  entryPoints: ['server/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // ws loads these optional native speed-ups inside try/catch; without them it uses plain JS.
  // pg loads pg-native only when asked for (pg.native), which the server never does.
  external: ['bufferutil', 'utf-8-validate', 'pg-native'],
  // ws is CommonJS: give the ESM bundle a real `require` for Node's built-in modules.
  banner: { js: "import { createRequire as __pnCreateRequire } from 'node:module'; const require = __pnCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
console.log(`built ${outfile}`);
