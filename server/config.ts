import { parseArgs } from 'node:util';
import { parseLogLevel, type LogLevel, type Logger } from './log.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** Every server setting, fully resolved. Pass a `Partial` of it to `startServer`. */
export interface ServerOptions {
  /** Interface to bind. Default `127.0.0.1`: exposing the server is a deliberate act (put TLS in front). */
  host: string;
  /** TCP port; 0 picks a free one (the chosen port is in the returned URL). Default 4444, like y-webrtc. */
  port: number;
  /** Extra allowed `Origin` patterns (`*` matches any run of characters; `*` alone allows every origin). */
  allowOrigins: string[];
  /** Allow `chrome-extension://*` and `moz-extension://*` origins. Default true. */
  allowExtensionOrigins: boolean;
  /** Most simultaneous WebSocket connections (signaling + relay); more get HTTP 503. Default 10000. */
  maxConnections: number;
  /** Most simultaneous connections from one address (IPv6: one /64); more get HTTP 429. Default 32. */
  maxConnectionsPerAddress: number;
  /** Take the client address from the last `X-Forwarded-For` entry (only behind a reverse proxy you run). Default false. */
  trustProxy: boolean;
  /** A connection that sends nothing for this long after opening is closed with 4408, in ms. Default 10000. */
  idleTimeoutMs: number;
  /** Sustained bytes per second one address may send; beyond, its sockets are read more slowly. Default 1 MiB. */
  rateBytesPerSec: number;
  /** Bytes one address may send at once before the byte rate applies. Default 16 MiB. */
  rateBurstBytes: number;
  /** Relay rooms one address may create per day. Default 20. */
  roomsPerAddress: number;
  /** Bytes one address may add to relay storage per day. Default 256 MiB. */
  storedBytesPerAddress: number;
  /** Largest signaling message in bytes; larger closes the socket with 1009. Default 64 KiB. */
  maxSignalBytes: number;
  /** Most topics one signaling connection may subscribe, and rooms one relay connection may follow. Default 64. */
  maxTopics: number;
  /** Sustained messages per second per connection. Default 50. */
  ratePerSec: number;
  /** Token-bucket size per connection. Default 200. */
  rateBurst: number;
  /** Malformed messages tolerated per connection before it is closed with 4400. Default 5. */
  maxMalformed: number;
  /** Interval of WebSocket keep-alive pings in ms; a peer that missed the previous pong is dropped. Default 30000. */
  pingIntervalMs: number;
  /** Relay storage directory. Default `./.data/relay`. */
  dataDir: string;
  /** Largest single relay entry in bytes. Default 1 MiB. */
  maxEntryBytes: number;
  /** Largest compaction snapshot in bytes. Default 8 MiB. */
  maxSnapshotBytes: number;
  /** Bytes one relay room may occupy on disk (log + meta). Default 64 MiB. */
  roomQuotaBytes: number;
  /** Bytes all relay rooms together may occupy. Default 8 GiB. */
  totalQuotaBytes: number;
  /** Payload bytes per `fetch` page (at least one entry is always sent). Default 1 MiB. */
  fetchPageBytes: number;
  /** Rooms idle for longer are deleted at start and daily; 0 keeps rooms forever. Default 180. */
  retentionDays: number;
  /** Relay storage: `embedded` (one log per room under `dataDir`) or `postgres` (shared by several processes). Default `embedded`. */
  store: 'embedded' | 'postgres';
  /** PostgreSQL connection URL; required with `store: 'postgres'`. Never logged. */
  databaseUrl?: string;
  /** Redis URL: signaling and relay pushes then fan out to every process using the same Redis. Default none (one process). */
  redisUrl?: string;
  /** Log threshold. Default `info`. */
  logLevel: LogLevel;
  /** Where log lines go; default stdout at `logLevel`. */
  logger?: Logger;
}

/** Defaults for every option. */
export const DEFAULT_OPTIONS: Readonly<ServerOptions> = Object.freeze({
  host: '127.0.0.1',
  port: 4444,
  allowOrigins: [],
  allowExtensionOrigins: true,
  maxConnections: 10_000,
  // A person has one signaling socket and one relay socket per open notebook; a library's
  // NAT may put a few colleagues behind one address. 32 is ample for that, and keeps one
  // address from holding more than 32 of the 10,000 slots.
  maxConnectionsPerAddress: 32,
  trustProxy: false,
  // Honest clients speak at once (subscribe, hello); an open socket that says nothing is
  // only holding a slot.
  idleTimeoutMs: 10_000,
  // A first upload of a big notebook is tens of MiB; at 1 MiB/s it still takes under a minute,
  // and the 16 MiB burst lets the largest frame (an 8 MiB snapshot, ~11 MiB as base64) through
  // without waiting.
  rateBytesPerSec: 1 * MiB,
  rateBurstBytes: 16 * MiB,
  // A partnership makes one room per notebook (plus one per new invite); 20 a day covers a
  // library of colleagues behind one address and makes junk rooms cost an attacker addresses.
  roomsPerAddress: 20,
  // Four full rooms a day: far above three months of honest notebook work, far below the
  // total quota (8 GiB would take 32 address-days).
  storedBytesPerAddress: 256 * MiB, // An SDP offer with a dozen ICE candidates is 2–6 KB; y-webrtc's room encryption plus
  // base64 adds ~40 %. 64 KiB is 10× headroom while a 512 KiB message fanned out to a busy
  // topic would let one client make the server send megabytes per message.
  maxSignalBytes: 64 * KiB,
  maxTopics: 64,
  ratePerSec: 50,
  rateBurst: 200,
  maxMalformed: 5,
  pingIntervalMs: 30_000,
  dataDir: './.data/relay',
  maxEntryBytes: 1 * MiB,
  maxSnapshotBytes: 8 * MiB,
  roomQuotaBytes: 64 * MiB,
  totalQuotaBytes: 8 * GiB,
  fetchPageBytes: 1 * MiB,
  retentionDays: 180,
  store: 'embedded',
  logLevel: 'info',
});

/** Fills in defaults; throws on values that cannot work (so a typo fails at start, not at 3 a.m.). */
export function resolveOptions(partial: Partial<ServerOptions> = {}): ServerOptions {
  const o: ServerOptions = { ...DEFAULT_OPTIONS, ...stripUndefined(partial) };
  const positive: (keyof ServerOptions)[] = [
    'maxConnections',
    'maxSignalBytes',
    'maxTopics',
    'ratePerSec',
    'rateBurst',
    'pingIntervalMs',
    'maxEntryBytes',
    'maxSnapshotBytes',
    'roomQuotaBytes',
    'totalQuotaBytes',
    'fetchPageBytes',
    'maxConnectionsPerAddress',
    'idleTimeoutMs',
    'rateBytesPerSec',
    'rateBurstBytes',
    'roomsPerAddress',
    'storedBytesPerAddress',
  ];
  for (const k of positive) {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`${k} must be a positive number (got ${String(v)})`);
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error(`port must be 0–65535 (got ${o.port})`);
  if (!(o.retentionDays >= 0)) throw new Error(`retentionDays must be >= 0 (got ${o.retentionDays})`);
  if (!(o.maxMalformed >= 0)) throw new Error(`maxMalformed must be >= 0 (got ${o.maxMalformed})`);
  if (o.maxEntryBytes > o.roomQuotaBytes) throw new Error('maxEntryBytes must not exceed roomQuotaBytes');
  if (o.store !== 'embedded' && o.store !== 'postgres') throw new Error(`store must be embedded or postgres (got ${String(o.store)})`);
  if (o.store === 'postgres' && !o.databaseUrl) throw new Error('store postgres needs a database URL (--database-url or PN_DATABASE_URL)');
  if (o.databaseUrl && !/^postgres(ql)?:\/\//.test(o.databaseUrl)) throw new Error('the database URL must start with postgres:// or postgresql://');
  if (o.redisUrl && !/^rediss?:\/\//.test(o.redisUrl)) throw new Error('the Redis URL must start with redis:// or rediss://');
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Parses a byte size: a plain integer or one with a binary suffix (`k`, `m`, `g`, optionally
 * followed by `b`/`ib`), e.g. `64k`, `1MiB`, `8g`.
 */
export function parseBytes(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new Error(`not a byte size: "${text}" (use e.g. 65536, 64k, 1m, 8g)`);
  const mult = { '': 1, k: KiB, m: MiB, g: GiB }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * mult);
}

function parseNumber(name: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name} must be a number (got "${text}")`);
  return n;
}

/** Help text listing every flag, its environment variable and its default. */
export const USAGE = `Partner Notebook server: y-webrtc signaling on "/" and the encrypted relay on "/relay".

Usage: tsx server/main.ts [options]

  --host <addr>              HOST                  interface to bind (127.0.0.1)
  --port <n>                 PORT                  port, 0 = any free port (4444)
  --allow-origin <pattern>   PN_ALLOW_ORIGINS      extra allowed Origin, repeatable; env is
                                                   comma-separated; '*' allows all (none)
  --no-extension-origins     PN_EXTENSION_ORIGINS=0  refuse chrome-extension://* and
                                                   moz-extension://* (allowed by default)
  --max-connections <n>      PN_MAX_CONNECTIONS    (10000)
  --max-connections-per-address <n>  PN_MAX_CONNECTIONS_PER_ADDRESS  per IPv4 address
                                                   or IPv6 /64 (32)
  --trust-proxy              PN_TRUST_PROXY=1      client address = last X-Forwarded-For
                                                   entry; only behind your own proxy (off)
  --idle-timeout <seconds>   PN_IDLE_TIMEOUT       close sockets silent after opening (10)
  --rate-bytes <size>        PN_RATE_BYTES         bytes/s per address, then slowed (1m)
  --burst-bytes <size>       PN_BURST_BYTES        byte burst per address (16m)
  --rooms-per-address <n>    PN_ROOMS_PER_ADDRESS  relay rooms created per address per day (20)
  --stored-per-address <size> PN_STORED_PER_ADDRESS relay bytes stored per address per day (256m)
  --max-signal-bytes <size>  PN_MAX_SIGNAL_BYTES   largest signaling message (64k)
  --max-topics <n>           PN_MAX_TOPICS         topics/rooms per connection (64)
  --rate <n>                 PN_RATE               messages/s per connection (50)
  --burst <n>                PN_BURST              token-bucket burst (200)
  --max-malformed <n>        PN_MAX_MALFORMED      bad frames before closing (5)
  --ping-interval <seconds>  PN_PING_INTERVAL      keep-alive ping interval (30)
  --data-dir <path>          PN_DATA_DIR           relay storage (./.data/relay)
  --max-entry-bytes <size>   PN_MAX_ENTRY_BYTES    largest relay entry (1m)
  --max-snapshot-bytes <size> PN_MAX_SNAPSHOT_BYTES largest compaction snapshot (8m)
  --room-quota <size>        PN_ROOM_QUOTA         bytes per relay room (64m)
  --total-quota <size>       PN_TOTAL_QUOTA        bytes for all relay rooms (8g)
  --fetch-page-bytes <size>  PN_FETCH_PAGE_BYTES   payload bytes per fetch page (1m)
  --retention-days <n>       PN_RETENTION_DAYS     delete rooms idle this long, 0 = never (180)
  --store <kind>             PN_STORE              relay storage: embedded | postgres (embedded)
  --database-url <url>       PN_DATABASE_URL       postgres://user:pass@host/db, for --store postgres
  --redis-url <url>          PN_REDIS_URL          redis://host:6379: fan signaling and relay pushes
                                                   out to every process on this Redis (none)
  --log-level <level>        PN_LOG_LEVEL          debug|info|warn|error (info)
  --help                                           print this text
  --print-settings-code --public-url <wss://…> …   print the settings code for participants
                                                   instead of starting (--print-settings-code --help)
`;

/** `parseArgs` options that each take one string value, typed so that `values` knows every name. */
export function stringOptions<const N extends string>(...names: N[]): Record<N, { type: 'string' }> {
  return Object.fromEntries(names.map((n) => [n, { type: 'string' }])) as Record<N, { type: 'string' }>;
}

/** Result of parsing the command line: either options or a request for help. */
export type CliResult = { help: true } | { help: false; options: Partial<ServerOptions> };

/**
 * Parses CLI flags over environment variables (flags win). Returns only what was given, so
 * `resolveOptions` applies the defaults in one place. Throws with a message naming the flag.
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliResult {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      ...stringOptions(
        'host',
        'port',
        'max-connections',
        'max-connections-per-address',
        'idle-timeout',
        'rate-bytes',
        'burst-bytes',
        'rooms-per-address',
        'stored-per-address',
        'max-signal-bytes',
        'max-topics',
        'rate',
        'burst',
        'max-malformed',
        'ping-interval',
        'data-dir',
        'max-entry-bytes',
        'max-snapshot-bytes',
        'room-quota',
        'total-quota',
        'fetch-page-bytes',
        'retention-days',
        'store',
        'database-url',
        'redis-url',
        'log-level',
      ),
      'allow-origin': { type: 'string', multiple: true },
      'no-extension-origins': { type: 'boolean' },
      'trust-proxy': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };

  const pick = (flag: keyof typeof values, envName: string): string | undefined => {
    const v = values[flag];
    if (typeof v === 'string') return v;
    const e = env[envName];
    return e === undefined || e === '' ? undefined : e;
  };
  const num = (flag: keyof typeof values, envName: string) => {
    const v = pick(flag, envName);
    return v === undefined ? undefined : parseNumber(String(flag), v);
  };
  const bytes = (flag: keyof typeof values, envName: string) => {
    const v = pick(flag, envName);
    return v === undefined ? undefined : parseBytes(v);
  };

  const origins = values['allow-origin'] ?? (env.PN_ALLOW_ORIGINS ? env.PN_ALLOW_ORIGINS.split(',') : []);
  const pingSeconds = num('ping-interval', 'PN_PING_INTERVAL');
  const logLevel = pick('log-level', 'PN_LOG_LEVEL');
  const extEnv = env.PN_EXTENSION_ORIGINS;
  const idleSeconds = num('idle-timeout', 'PN_IDLE_TIMEOUT');
  const proxyEnv = env.PN_TRUST_PROXY;

  return {
    help: false,
    options: {
      host: pick('host', 'HOST'),
      port: num('port', 'PORT'),
      allowOrigins: origins.map((s) => s.trim()).filter(Boolean),
      allowExtensionOrigins: values['no-extension-origins'] ? false : extEnv === undefined ? undefined : !/^(0|false|no)$/i.test(extEnv),
      maxConnections: num('max-connections', 'PN_MAX_CONNECTIONS'),
      maxConnectionsPerAddress: num('max-connections-per-address', 'PN_MAX_CONNECTIONS_PER_ADDRESS'),
      trustProxy: values['trust-proxy'] ? true : proxyEnv === undefined || proxyEnv === '' ? undefined : /^(1|true|yes)$/i.test(proxyEnv),
      idleTimeoutMs: idleSeconds === undefined ? undefined : idleSeconds * 1000,
      rateBytesPerSec: bytes('rate-bytes', 'PN_RATE_BYTES'),
      rateBurstBytes: bytes('burst-bytes', 'PN_BURST_BYTES'),
      roomsPerAddress: num('rooms-per-address', 'PN_ROOMS_PER_ADDRESS'),
      storedBytesPerAddress: bytes('stored-per-address', 'PN_STORED_PER_ADDRESS'),
      maxSignalBytes: bytes('max-signal-bytes', 'PN_MAX_SIGNAL_BYTES'),
      maxTopics: num('max-topics', 'PN_MAX_TOPICS'),
      ratePerSec: num('rate', 'PN_RATE'),
      rateBurst: num('burst', 'PN_BURST'),
      maxMalformed: num('max-malformed', 'PN_MAX_MALFORMED'),
      pingIntervalMs: pingSeconds === undefined ? undefined : pingSeconds * 1000,
      dataDir: pick('data-dir', 'PN_DATA_DIR'),
      maxEntryBytes: bytes('max-entry-bytes', 'PN_MAX_ENTRY_BYTES'),
      maxSnapshotBytes: bytes('max-snapshot-bytes', 'PN_MAX_SNAPSHOT_BYTES'),
      roomQuotaBytes: bytes('room-quota', 'PN_ROOM_QUOTA'),
      totalQuotaBytes: bytes('total-quota', 'PN_TOTAL_QUOTA'),
      fetchPageBytes: bytes('fetch-page-bytes', 'PN_FETCH_PAGE_BYTES'),
      retentionDays: num('retention-days', 'PN_RETENTION_DAYS'),
      store: pick('store', 'PN_STORE') as ServerOptions['store'] | undefined,
      databaseUrl: pick('database-url', 'PN_DATABASE_URL'),
      redisUrl: pick('redis-url', 'PN_REDIS_URL'),
      logLevel: logLevel === undefined ? undefined : parseLogLevel(logLevel),
    },
  };
}

/** Turns origin patterns into one matcher. A missing Origin (non-browser client) is allowed:
 * the check exists to stop arbitrary web pages from using the server, and anything that is
 * not a browser can forge the header anyway. */
export function makeOriginCheck(o: Pick<ServerOptions, 'allowOrigins' | 'allowExtensionOrigins'>): (origin: string | undefined) => boolean {
  const patterns = [...o.allowOrigins];
  if (o.allowExtensionOrigins) patterns.push('chrome-extension://*', 'moz-extension://*');
  const res = patterns.map(
    (p) =>
      new RegExp(
        '^' +
          p
            .toLowerCase()
            .split('*')
            .map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
            .join('.*') +
          '$',
      ),
  );
  return (origin) => origin === undefined || res.some((re) => re.test(origin.toLowerCase()));
}
