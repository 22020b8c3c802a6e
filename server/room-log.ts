/**
 * The embedded store's files: the record format of a room's append-only log, how its disk use
 * is counted, and the crash-safe file operations (fsync, atomic replace, torn-tail scan) it is
 * written with. RelayStore (storage.ts) keeps the rooms; this module knows only bytes and files.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import * as zlib from 'node:zlib';
import type { EntryKind } from '../protocol/relay.ts';
import { crc32 as sharedCrc32 } from '../protocol/crc32.ts';
import { StoreError } from './relay-storage.ts';

/*
 * On-disk layout (see README "Storage"):
 *
 *   <dataDir>/rooms/<sha256(room) hex>/log        append-only records
 *   <dataDir>/rooms/<sha256(room) hex>/meta.json  {format, credential, compactedUpTo, createdAt, generation}
 *
 * A record is   u32 BE bodyLength | u32 BE crc32(body) | body
 * with body  =  u8 kind (0 update, 1 snapshot) | u32 BE seq high | u32 BE seq low | payload.
 *
 * The log is the source of truth for entries and the snapshot point (a snapshot record is
 * always first); meta.json only holds the credential and a copy of the compaction point.
 */

const HEADER_BYTES = 8;
const BODY_PREFIX_BYTES = 9;
const KIND_UPDATE = 0;
const KIND_SNAPSHOT = 1;
/** Name of a room's log file. */
export const LOG_FILE = 'log';
/** Name of a room's meta file. */
export const META_FILE = 'meta.json';
/** Format written to new meta files. */
export const META_FORMAT = 2;
/**
 * Disk use is counted in whole blocks: ext4, xfs and tmpfs give every directory and every
 * non-empty file at least one 4 KiB block, so a room of a few bytes really costs ~12 KiB.
 * Counting file lengths instead let a flood of tiny rooms use ~60× more disk than its quota.
 */
const BLOCK_BYTES = 4096;

// zlib.crc32 is native and fast; Node < 20.15 lacks it, so fall back to the shared JS version.
const crc32: (data: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (zlib as unknown as { crc32: (d: Uint8Array) => number }).crc32 : sharedCrc32;

/** Where one record stands in a room's log. */
export interface IndexEntry {
  seq: number;
  kind: EntryKind;
  /** Offset of the record header in the log. */
  offset: number;
  /** Whole record length (header + body). */
  length: number;
}

/** Contents of meta.json. */
export interface Meta {
  format: number;
  credential: string | null;
  compactedUpTo: number;
  createdAt: number;
  /** Random id made at creation (format 2); rooms of format 1 get one when first loaded. */
  generation?: string;
}

/** Bytes a file of `length` bytes occupies on disk (whole blocks). */
export function blocks(length: number): number {
  return Math.ceil(length / BLOCK_BYTES) * BLOCK_BYTES;
}

/** Disk use of a room as counted against the quotas: its directory, log and meta file. */
export function diskUse(logBytes: number, metaBytes: number): number {
  return BLOCK_BYTES + blocks(logBytes) + blocks(metaBytes);
}

/** Payload bytes of an indexed record. */
export function payloadBytes(e: IndexEntry): number {
  return e.length - HEADER_BYTES - BODY_PREFIX_BYTES;
}

/** The payload of an indexed record inside `buf`, which holds the log from offset `start`. */
export function payloadOf(buf: Buffer, start: number, e: IndexEntry): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset + e.offset - start + HEADER_BYTES + BODY_PREFIX_BYTES, payloadBytes(e));
}

/** Encodes one log record. Exported for tests that forge torn tails. */
export function encodeRecord(kind: EntryKind, seq: number, payload: Uint8Array): Buffer {
  const body = Buffer.allocUnsafe(BODY_PREFIX_BYTES + payload.length);
  body.writeUInt8(kind === 'snapshot' ? KIND_SNAPSHOT : KIND_UPDATE, 0);
  body.writeUInt32BE(Math.floor(seq / 0x1_0000_0000), 1);
  body.writeUInt32BE(seq >>> 0, 5);
  body.set(payload, BODY_PREFIX_BYTES);
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32BE(body.length, 0);
  header.writeUInt32BE(crc32(body), 4);
  return Buffer.concat([header, body]);
}

/** Result of scanning a log file. */
export interface ScanResult {
  index: IndexEntry[];
  /** Bytes of valid records from the start; anything after is torn or corrupt. */
  validBytes: number;
}

/**
 * Walks the records of a log buffer, stopping at the first incomplete or inconsistent one.
 * With one fsync per acknowledged append, only the last record can be incomplete after a
 * crash. (A bad record earlier would be media corruption; it also ends the log here, see
 * README "Weak spots".)
 */
export function scanLog(buf: Buffer): ScanResult {
  const index: IndexEntry[] = [];
  let off = 0;
  let lastSeq = 0;
  while (off + HEADER_BYTES <= buf.length) {
    const len = buf.readUInt32BE(off);
    const crc = buf.readUInt32BE(off + 4);
    if (len < BODY_PREFIX_BYTES || off + HEADER_BYTES + len > buf.length) break;
    const body = buf.subarray(off + HEADER_BYTES, off + HEADER_BYTES + len);
    if (crc32(body) !== crc) break;
    const kindByte = body.readUInt8(0);
    const seq = body.readUInt32BE(1) * 0x1_0000_0000 + body.readUInt32BE(5);
    if (kindByte > KIND_SNAPSHOT || seq <= lastSeq || (kindByte === KIND_SNAPSHOT && index.length > 0)) break;
    index.push({ seq, kind: kindByte === KIND_SNAPSHOT ? 'snapshot' : 'update', offset: off, length: HEADER_BYTES + len });
    lastSeq = seq;
    off += HEADER_BYTES + len;
  }
  return { index, validBytes: off };
}

/** Opens `file`, runs `fn` on it and closes it whatever happens. */
export async function withFile<T>(file: string, flags: string, fn: (fh: fsp.FileHandle) => Promise<T>): Promise<T> {
  const fh = await fsp.open(file, flags);
  try {
    return await fn(fh);
  } finally {
    await fh.close();
  }
}

/** Flushes a directory, so that entries created or renamed in it survive a crash. */
export function fsyncDir(dir: string): Promise<void> {
  return withFile(dir, 'r', (fh) => fh.sync());
}

/** Write tmp, fsync, rename, fsync dir: readers see the old or the new file, never a mix. */
export async function writeFileAtomic(file: string, data: Buffer): Promise<void> {
  const tmp = file + '.tmp';
  await withFile(tmp, 'w', async (fh) => {
    await fh.writeFile(data);
    await fh.sync();
  });
  await fsp.rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

/** Cuts `file` to `length` bytes, durably. */
export function truncateFile(file: string, length: number): Promise<void> {
  return withFile(file, 'r+', async (fh) => {
    await fh.truncate(length);
    await fh.sync();
  });
}

/** `length` bytes of `file` from `position`. */
export function readRange(file: string, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  return withFile(file, 'r', async (fh) => {
    let done = 0;
    while (done < buf.length) {
      const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
      if (bytesRead === 0) throw new StoreError('internal', 'the room log is shorter than its index');
      done += bytesRead;
    }
    return buf;
  });
}

/** A file's stats, or null when it does not exist. */
export async function statOrNull(p: string) {
  try {
    return await fsp.stat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** A file's contents, or null when it does not exist. */
export async function readFileOrNull(p: string): Promise<Buffer | null> {
  try {
    return await fsp.readFile(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
