/** Serves fixture pages on 127.0.0.1 for clipping tests (no test may reach a public host). */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.ico': 'image/x-icon' };

/** Roots served: /shared/… = ../shared/fixtures/pages, /e2e/… = test/e2e/fixtures, /generated/… = test-results/generated. */
export async function startStaticServer(): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const roots: Record<string, string> = {
    shared: resolve(process.env.PN_SHARED ?? '../shared', 'fixtures/pages'),
    e2e: resolve('test/e2e/fixtures'),
    // Pages a test generates (e.g. very large articles) go here.
    generated: resolve('test-results/generated'),
  };
  const server = createServer((req, res) => {
    const [, root, ...rest] = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).split('/');
    const base = roots[root ?? ''];
    const file = base ? normalize(join(base, ...rest)) : '';
    if (!base || !file.startsWith(base) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server, close: () => new Promise((ok) => server.close(() => ok())) };
}
