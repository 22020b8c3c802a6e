// Installs Debian's Chromium and Firefox ESR when missing (Playwright's own browser downloads cannot
// work here; the Firefox journeys drive Debian's firefox-esr with puppeteer-core over WebDriver BiDi).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const CHROMIUM = process.env.PN_CHROMIUM ?? '/usr/bin/chromium';
const FIREFOX = process.env.PN_FIREFOX ?? '/usr/bin/firefox-esr';

/** Whether some PostgreSQL server version is installed (Debian puts it in /usr/lib/postgresql/<version>/bin). */
function hasPostgres() {
  if (!existsSync('/usr/lib/postgresql')) return false;
  return readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/postgres`));
}

/** Makes sure Chromium, Firefox ESR, poppler-utils (PDF checks), iproute2 (network namespaces), caddy (the TLS test), redis-server and postgresql (the multi-process server tests) are installed; exits with a clear message if not possible. */
export function ensureChromium({ quiet = false } = {}) {
  const wanted = [];
  if (!existsSync(CHROMIUM)) wanted.push('chromium');
  if (!existsSync(FIREFOX)) wanted.push('firefox-esr');
  if (!existsSync('/usr/bin/pdftotext')) wanted.push('poppler-utils');
  // `ip` builds the private network namespace that peer-to-peer tests run in.
  if (!existsSync('/usr/sbin/ip') && !existsSync('/sbin/ip')) wanted.push('iproute2');
  // Caddy terminates TLS in front of the sync server in server/test/caddy-tls.test.ts.
  if (!existsSync('/usr/bin/caddy')) wanted.push('caddy');
  // Two server processes share Redis (fan-out) and PostgreSQL (relay storage) in server/test/cluster.test.ts.
  if (!existsSync('/usr/bin/redis-server')) wanted.push('redis-server');
  if (!hasPostgres()) wanted.push('postgresql');
  if (!wanted.length) return CHROMIUM;
  if (process.getuid?.() !== 0) {
    console.error(`Missing ${wanted.join(', ')}. Install with: sudo apt-get install -y ${wanted.join(' ')}`);
    process.exit(1);
  }
  if (!quiet) console.log(`Installing ${wanted.join(', ')} from Debian's packages…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...wanted], { stdio: 'inherit', env });
  return CHROMIUM;
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
