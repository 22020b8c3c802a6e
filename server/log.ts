import { createHmac, randomBytes } from 'node:crypto';

/** Severity of a log record; records below the configured level are dropped. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Values allowed in a log record: scalars only, so a payload can never slip in as an object. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Structured logger writing one JSON object per line. */
export interface Logger {
  /** Logs at `debug`. */
  debug(msg: string, fields?: LogFields): void;
  /** Logs at `info`. */
  info(msg: string, fields?: LogFields): void;
  /** Logs at `warn`. */
  warn(msg: string, fields?: LogFields): void;
  /** Logs at `error`. */
  error(msg: string, fields?: LogFields): void;
}

/**
 * Creates a logger writing JSON lines through `write` (default: stdout).
 * Callers must never pass topic/room names, SDP or payloads; use {@link hashName}.
 */
export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const min = RANK[level];
  const emit = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[lvl] < min) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields }) + '\n');
  };
  return { debug: (m, f) => emit('debug', m, f), info: (m, f) => emit('info', m, f), warn: (m, f) => emit('warn', m, f), error: (m, f) => emit('error', m, f) };
}

/** A logger that drops everything (handy in tests). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

// A fresh key per process: hashes correlate lines within one run, but a guessable room name
// cannot be confirmed by hashing candidates offline, and runs cannot be linked.
const LOG_KEY = randomBytes(32);

/** Short keyed hash of a topic or room name, the only form in which names may appear in logs. */
export function hashName(name: string): string {
  return createHmac('sha256', LOG_KEY).update(name).digest('hex').slice(0, 10);
}

/** Parses a log level name; throws with the accepted values otherwise. */
export function parseLogLevel(value: string): LogLevel {
  if (value in RANK) return value as LogLevel;
  throw new Error(`log level must be one of ${Object.keys(RANK).join(', ')} (got "${value}")`);
}
