/** Serves fixture pages on 127.0.0.1 for clipping tests (no test may reach a public host). */
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
};

/** The local web server of the test pages. */
export interface StaticServer {
  url: string;
  server: Server;
  close(): Promise<void>;
  requests: string[];
}

/** Roots served (on `port`, or any free port): /shared/… = ../shared/fixtures/pages, /e2e/… = test/e2e/fixtures, /generated/… = test-results/generated. */
export async function startStaticServer(port = 0): Promise<StaticServer> {
  const roots: Record<string, string> = {
    shared: resolve(process.env.PN_SHARED ?? '../shared', 'fixtures/pages'),
    e2e: resolve('test/e2e/fixtures'),
    // Pages a test generates (e.g. very large articles) go here.
    generated: resolve('test-results/generated'),
  };
  // Every path asked for, in order: tests count what the extension fetched.
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
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
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  const bound = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    server,
    requests,
    // Open keep-alive sockets would keep a stopped server answering: cut them too.
    close: () => new Promise((ok) => (server.close(() => ok()), server.closeAllConnections())),
  };
}

/**
 * Writes `count` long generated articles ("Annual report part 1…", about 2.5 MB each once
 * clipped: readable HTML plus text; about 1.6 MB stored compressed) under /generated/ and returns
 * their paths. `prefix` keeps concurrent
 * users (a test, a benchmark) from overwriting each other's files.
 */
export function writeLongArticles(prefix = 'long', count = 4): string[] {
  mkdirSync('test-results/generated', { recursive: true });
  const paths: string[] = [];
  for (let n = 1; n <= count; n++) {
    // Pseudo-random "words": clip bodies are stored compressed, and repetitive text would shrink
    // a 6 MB notebook to kilobytes. These compress only to about two thirds.
    let seed = n * 7919;
    const word = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed.toString(36).slice(0, 4 + (seed % 6));
    };
    const paras: string[] = [];
    for (let i = 0; i < 2300; i++) paras.push(`<p>${Array.from({ length: 80 }, word).join(' ')} ${n}-${i}.</p>`);
    const name = `${prefix}-${n}.html`;
    writeFileSync(
      `test-results/generated/${name}`,
      `<!doctype html><html lang="en"><head><title>Annual report part ${n}</title></head><body><article><h1>Annual report part ${n}</h1>${paras.join('')}<p>END-OF-REPORT-${n}</p></article></body></html>`,
    );
    paths.push(`/generated/${name}`);
  }
  return paths;
}
