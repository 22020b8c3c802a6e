/**
 * The backup file: one notebook in one file that a librarian can keep, email to themselves, open
 * in any text editor, and restore into the extension.
 *
 * Container: a single UTF-8 JSON document, written in this key order so that its first bytes are a
 * fixed signature:
 *
 * ```
 * {
 *   "format": "partner-notebook-backup",     ← signature: a file that does not start so is not ours
 *   "formatVersion": 1,                       ← read before anything else, so a newer layout is told apart from damage
 *   "about": "…what this file is and how to restore it…",
 *   "manifest": { app, appVersion, exportedAt, notebookId, title, schemaVersion, counts,
 *                 includesInviteSecret, state: { encoding: "yjs-update-v1", bytes, sha256 } },
 *   "rejoin": { secret, secretSha256, signaling?, secretEpoch? },   ← only when the person chose it
 *   "readable": { info, partners, topics (with each note as Markdown), clips (metadata), poster },
 *   "state": ["base64 line", …]               ← Y.encodeStateAsUpdate(doc), the only part a restore applies
 * }
 * ```
 *
 * Why JSON and not a ZIP or a binary container: the file stays readable in any editor (the point of
 * the readable copy), needs no archive code in the extension, and survives editors that re-indent
 * or change line endings. The price is base64 for the state (+33 %); the state is split into lines
 * of {@link STATE_LINE_CHARS} so editors do not choke on one 100 MB line.
 *
 * Integrity: the manifest holds the SHA-256 and length of the state bytes, so a flipped bit or a
 * truncated download is caught before anything is written. The readable copy is not covered and
 * never used by a restore: what is restored, and what the preview shows, is read from the
 * verified state itself.
 *
 * Pure: no browser.*, no storage. SHA-256 comes from Web Crypto (`crypto.subtle`, present in
 * extension pages and Node 20), which is why encoding and decoding are asynchronous.
 */
import * as Y from 'yjs';
import { SCHEMA_VERSION, noteBody, readClips, readInfo, readPartners, readPoster, readTopics, schemaVersion } from '../notebook';
import { fragmentMarkdown } from './note-markdown';
import { CodedUserError } from '../../protocol/user-error';

/** The signature value of the `format` key. */
export const BACKUP_FORMAT = 'partner-notebook-backup';
/** The container layout this build writes and reads. */
export const BACKUP_FORMAT_VERSION = 1;
/** The largest backup file read or written (200 MB): beyond that a browser tab may run out of memory. */
export const MAX_BACKUP_BYTES = 200 * 1024 * 1024;
/** Base64 characters per line of the `state` array. */
export const STATE_LINE_CHARS = 1000;
/** How the state bytes are encoded: Yjs update format v1, as y-indexeddb and y-webrtc use. */
export const STATE_ENCODING = 'yjs-update-v1';

/** Machine-readable reason a backup file cannot be used. */
export type BackupErrorCode =
  | 'empty'
  | 'not-a-backup'
  | 'damaged'
  | 'future-version'
  | 'too-large'
  | 'not-a-notebook'
  /** Restore only: the target does not fit (e.g. rejoining a notebook that is already here). */
  | 'conflict';

/**
 * A backup that cannot be read or restored. `message` is written for the librarian: what is wrong
 * and what to do. Thrown before anything is written, so every notebook stays as it was.
 */
export class BackupError extends CodedUserError<BackupErrorCode> {
  override name = 'BackupError';
}

const MB = 1024 * 1024;
const MESSAGES = {
  empty:
    'This file is empty. Choose the backup file again; if it is empty on your disk too, the download did not finish — make a new backup from the computer that has the notebook.',
  notABackup: 'This is not a Partner Notebook backup. Choose the file you saved with “Download backup” (its name ends in “backup … .json”).',
  damaged:
    'This backup file is damaged: it was cut off or changed after it was saved, so it cannot be restored safely. Try another copy of the backup (for example the one in your email or cloud folder), or make a new backup.',
  futureFormat: 'This backup was made by a newer Partner Notebook. Update the extension, then restore the file again.',
  futureSchema: (v: number) =>
    `This backup holds a notebook saved by a newer Partner Notebook (format ${v}; this one reads up to ${SCHEMA_VERSION}). Update the extension, then restore the file again.`,
  tooLarge: (max: number) =>
    `This file is larger than ${Math.round(max / MB)} MB, more than any notebook backup should be. Check that you chose the right file.`,
  tooLargeToWrite: (max: number) =>
    `This notebook is larger than ${Math.round(max / MB)} MB, too large for one backup file. Delete clips you no longer need (large pages and images take the most room), then try again.`,
  notANotebook:
    'This file looks like a Partner Notebook backup, but the notebook inside cannot be read. It may have been made by a different program. Try another copy of the backup.',
} as const;

/** What a backup file holds, checked. Produced only by {@link decodeBackup}. */
export interface Backup {
  /** Container version the file was written in. */
  formatVersion: number;
  /** The id of the notebook the backup was made from. */
  notebookId: string;
  /** The notebook's title, read from the verified state. */
  title: string;
  /** Schema version of the notebook inside (at most this build's). */
  schemaVersion: number;
  /** When the backup was made (epoch ms). */
  exportedAt: number;
  /** The Partner Notebook version that made it. */
  appVersion: string;
  /** What the notebook holds, counted from the verified state: live clips only; topics including archived. */
  counts: BackupCounts;
  /** The Yjs state (update format v1), verified against the manifest's SHA-256. */
  state: Uint8Array;
  /** Present only when the person chose to include the invite secret. */
  rejoin?: BackupRejoin;
  /** Size of the file in bytes. */
  fileBytes: number;
}

/** Counts shown in the preview and the manifest. */
export interface BackupCounts {
  topics: number;
  /** Topics whose note has any text. */
  notes: number;
  clips: number;
  partners: number;
}

/** What a restore needs to rejoin the partnership: as sensitive as an invite. */
export interface BackupRejoin {
  /** The notebook's 256-bit secret, hex. */
  secretHex: string;
  /** The signaling servers the notebook used (from the invite), if any. */
  signaling?: string[];
  /** How many times a new invite replaced the secret, so a restore does not follow an old rotation. */
  secretEpoch?: number;
}

/** Input of {@link encodeBackup}. */
export interface EncodeBackupInput {
  doc: Y.Doc;
  notebookId: string;
  /** Include the invite secret (the person's explicit choice; off by default in the UI). */
  secretHex?: string;
  /** Stored with the secret, so a rejoin uses the same servers. */
  signaling?: string[];
  /** Stored with the secret. */
  secretEpoch?: number;
  /** Epoch ms. */
  exportedAt: number;
  /** e.g. "0.1.0". */
  appVersion: string;
  /** Refuse to write a file larger than this; defaults to {@link MAX_BACKUP_BYTES}. */
  maxBytes?: number;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const NOTEBOOK_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function toBase64(u: Uint8Array): string {
  let s = '';
  // Chunks keep String.fromCharCode under the engine's argument limit.
  for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Counts and readable copy are both built from the doc through lib/notebook's readers. */
function countsOf(doc: Y.Doc): BackupCounts {
  const topics = readTopics(doc);
  return {
    topics: topics.length,
    notes: topics.filter((t) => fragmentMarkdown(noteBody(doc, t.id)) !== '').length,
    clips: readClips(doc).length,
    partners: readPartners(doc).length,
  };
}

function readableCopy(doc: Y.Doc) {
  const info = readInfo(doc);
  const topics = readTopics(doc);
  const titles = new Map(topics.map((t) => [t.id, t.title]));
  return {
    info: { ...info, programmeStart: iso(info.programmeStart), posterDeadline: iso(info.posterDeadline) },
    partners: readPartners(doc),
    topics: topics.map((t) => ({
      id: t.id,
      title: t.title,
      prompt: t.prompt,
      kind: t.kind,
      start: iso(t.start),
      end: iso(t.end),
      archived: t.archived,
      note: fragmentMarkdown(noteBody(doc, t.id)),
    })),
    // Metadata only: full page captures would double the file, and the state holds them.
    clips: readClips(doc, { includeDeleted: true }).map((c) => ({
      id: c.id,
      topic: titles.get(c.topicId) ?? c.topicId,
      kind: c.captured.kind,
      title: c.captured.title,
      url: c.captured.url,
      siteName: c.captured.siteName,
      byline: c.captured.byline,
      excerpt: c.captured.excerpt,
      tags: c.tags,
      comment: c.comment,
      clippedBy: c.clippedBy.name,
      clippedAt: iso(c.clippedAt),
      deleted: c.deletedAt !== undefined ? true : undefined,
    })),
    poster: readPoster(doc),
  };
}

/** A file name for the backup: the notebook's title (safe on every OS) and the day it was made. */
export function backupFileName(title: string, exportedAt: number): string {
  const safe =
    title
      .replace(/[\u0000-\u001f\u007f\\/:*?"<>|]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^\.+/, '')
      .slice(0, 80) || 'Notebook';
  return `${safe} backup ${new Date(exportedAt).toISOString().slice(0, 10)}.json`;
}

// ---------------------------------------------------------------------------------------------
// Encode

/**
 * Writes a notebook as a backup file (UTF-8 JSON bytes; see the module comment for the layout).
 * @throws BackupError `too-large` when the file would exceed the bound a restore accepts.
 */
export async function encodeBackup(input: EncodeBackupInput): Promise<Uint8Array> {
  const { doc } = input;
  if (!NOTEBOOK_ID.test(input.notebookId)) throw new TypeError(`not a notebook id: ${input.notebookId}`);
  if (input.secretHex !== undefined && !HEX64.test(input.secretHex)) throw new TypeError('the secret must be 64 lowercase hex digits');
  const state = Y.encodeStateAsUpdate(doc);
  const b64 = toBase64(state);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += STATE_LINE_CHARS) lines.push(b64.slice(i, i + STATE_LINE_CHARS));
  const withSecret = input.secretHex !== undefined;
  const file = {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    about:
      'A backup of one Partner Notebook. To restore it, open Partner Notebook → Notebooks… → Restore from a backup file. ' +
      '"readable" is a copy for reading (notes as Markdown); "state" is what a restore uses.' +
      (withSecret ? ' This file contains the notebook’s invite secret: anyone who has it can join the notebook. Keep it as safe as a password.' : ''),
    manifest: {
      app: 'Partner Notebook',
      appVersion: input.appVersion,
      exportedAt: new Date(input.exportedAt).toISOString(),
      notebookId: input.notebookId,
      title: readInfo(doc).title,
      schemaVersion: schemaVersion(doc),
      counts: countsOf(doc),
      includesInviteSecret: withSecret,
      state: { encoding: STATE_ENCODING, bytes: state.length, sha256: await sha256Hex(state) },
    },
    rejoin: withSecret
      ? {
          secret: input.secretHex,
          // The state's checksum does not cover this block; a damaged secret would fail silently later.
          secretSha256: await sha256Hex(new TextEncoder().encode(input.secretHex)),
          signaling: input.signaling?.length ? input.signaling : undefined,
          secretEpoch: input.secretEpoch,
        }
      : undefined,
    readable: readableCopy(doc),
    state: lines,
  };
  const bytes = new TextEncoder().encode(`${JSON.stringify(file, null, 2)}\n`);
  const max = input.maxBytes ?? MAX_BACKUP_BYTES;
  if (bytes.length > max) throw new BackupError('too-large', MESSAGES.tooLargeToWrite(max));
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Decode

// What every file we write starts with (modulo whitespace, so a re-indented file still reads).
const SIGNATURE = `{"format":"${BACKUP_FORMAT}","formatVersion":`;
const HEAD_BYTES = 512;

/**
 * Checks the size of a file before reading it (the UI calls this with `File.size` so a wrong,
 * huge file is refused without loading it into memory).
 * @throws BackupError `empty` or `too-large`
 */
export function checkBackupSize(bytes: number, maxBytes = MAX_BACKUP_BYTES): void {
  if (bytes === 0) throw new BackupError('empty', MESSAGES.empty);
  if (bytes > maxBytes) throw new BackupError('too-large', MESSAGES.tooLarge(maxBytes));
}

/**
 * Reads and verifies a backup file: signature, container version, JSON, checksum and length of
 * the state, then applies the state to a scratch Y.Doc and checks it is a notebook this build can
 * read. Writes nothing anywhere.
 * @throws BackupError with a `code` and a message for the librarian
 */
export async function decodeBackup(bytes: Uint8Array, opts: { maxBytes?: number } = {}): Promise<Backup> {
  checkBackupSize(bytes.length, opts.maxBytes);

  // 1. Signature and version from the first bytes only, so that a PDF or a photo is named as such
  //    and a newer layout is not reported as damage.
  const head = new TextDecoder()
    .decode(bytes.subarray(0, HEAD_BYTES))
    .replace(/^\uFEFF/, '')
    .replace(/\s+/g, '');
  const version = head.startsWith(SIGNATURE) ? /^\d+/.exec(head.slice(SIGNATURE.length))?.[0] : undefined;
  if (version === undefined) {
    // A file cut off inside the signature is ours, but damaged.
    if (head.length < SIGNATURE.length + 1 && SIGNATURE.startsWith(head) && head.length > 0) throw new BackupError('damaged', MESSAGES.damaged);
    throw new BackupError('not-a-backup', MESSAGES.notABackup);
  }
  const formatVersion = Number(version);
  if (formatVersion > BACKUP_FORMAT_VERSION) throw new BackupError('future-version', MESSAGES.futureFormat);
  if (formatVersion < 1) throw new BackupError('damaged', MESSAGES.damaged);

  // 2. The JSON container.
  let file: unknown;
  try {
    file = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new BackupError('damaged', MESSAGES.damaged, { cause });
  }
  const damaged = (why: string) => new BackupError('damaged', MESSAGES.damaged, { cause: new Error(why) });
  if (!isRecord(file) || file.format !== BACKUP_FORMAT || file.formatVersion !== formatVersion) throw damaged('signature');
  const m = file.manifest;
  if (!isRecord(m) || !isRecord(m.state)) throw damaged('manifest');
  const notebookId = m.notebookId;
  const exportedAt = typeof m.exportedAt === 'string' ? Date.parse(m.exportedAt) : NaN;
  const { bytes: stateBytes, sha256, encoding } = m.state;
  if (typeof notebookId !== 'string' || !NOTEBOOK_ID.test(notebookId)) throw damaged('notebookId');
  if (!Number.isFinite(exportedAt)) throw damaged('exportedAt');
  if (typeof sha256 !== 'string' || !HEX64.test(sha256) || typeof stateBytes !== 'number' || !Number.isInteger(stateBytes) || stateBytes < 0)
    throw damaged('state manifest');
  if (encoding !== STATE_ENCODING) throw new BackupError('not-a-notebook', MESSAGES.notANotebook);
  if (typeof m.schemaVersion === 'number' && m.schemaVersion > SCHEMA_VERSION) throw new BackupError('future-version', MESSAGES.futureSchema(m.schemaVersion));

  // 3. The state: base64 lines → bytes, length and SHA-256 as the manifest says.
  const lines = file.state;
  if (!Array.isArray(lines) || !lines.every((l): l is string => typeof l === 'string')) throw damaged('state lines');
  const b64 = lines.join('');
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) throw damaged('base64');
  const state = fromBase64(b64);
  if (state.length !== stateBytes) throw damaged('length');
  if ((await sha256Hex(state)) !== sha256) throw damaged('checksum');

  // 4. The invite secret, if the person chose to include it: verified on its own.
  let rejoin: BackupRejoin | undefined;
  if (file.rejoin !== undefined) {
    const r = file.rejoin;
    if (!isRecord(r) || typeof r.secret !== 'string' || !HEX64.test(r.secret)) throw damaged('rejoin');
    if ((await sha256Hex(new TextEncoder().encode(r.secret))) !== r.secretSha256) throw damaged('secret checksum');
    const signaling = Array.isArray(r.signaling)
      ? r.signaling.filter((u): u is string => typeof u === 'string' && /^wss?:\/\//.test(u) && u.length <= 300).slice(0, 4)
      : undefined;
    const epoch = typeof r.secretEpoch === 'number' && Number.isInteger(r.secretEpoch) && r.secretEpoch >= 0 ? r.secretEpoch : undefined;
    rejoin = { secretHex: r.secret, signaling: signaling?.length ? signaling : undefined, secretEpoch: epoch };
  }

  // 5. The notebook itself, on a scratch doc: it must decode completely and have a notebook's shape.
  const { title, schemaVersion: version2, counts } = inspectState(state);
  return {
    formatVersion,
    notebookId,
    title,
    schemaVersion: version2,
    exportedAt,
    appVersion: typeof m.appVersion === 'string' ? m.appVersion.slice(0, 40) : '',
    counts,
    state,
    rejoin,
    fileBytes: bytes.length,
  };
}

/** What {@link inspectState} finds in a notebook state. */
export interface StateSummary {
  title: string;
  schemaVersion: number;
  counts: BackupCounts;
}

/**
 * Applies one or more Yjs updates to a scratch doc (in order) and checks the result is a
 * notebook this build can read. Used on the backup alone, and on "notebook here + backup" before a
 * merge, so that nothing is written unless it will work.
 * @throws BackupError `not-a-notebook` or `future-version`
 */
export function inspectState(...updates: Uint8Array[]): StateSummary {
  const scratch = new Y.Doc();
  try {
    try {
      for (const u of updates) Y.applyUpdate(scratch, u);
    } catch (cause) {
      throw new BackupError('not-a-notebook', MESSAGES.notANotebook, { cause });
    }
    // A state that refers to changes it does not contain is a fragment, not a whole notebook.
    if (scratch.store.pendingStructs || scratch.store.pendingDs)
      throw new BackupError('not-a-notebook', MESSAGES.notANotebook, { cause: new Error('missing dependencies') });
    let v: number;
    let summary: StateSummary;
    try {
      v = schemaVersion(scratch);
      if (v > SCHEMA_VERSION) throw new BackupError('future-version', MESSAGES.futureSchema(v));
      summary = { title: readInfo(scratch).title, schemaVersion: v, counts: countsOf(scratch) };
      readPoster(scratch);
    } catch (cause) {
      if (cause instanceof BackupError) throw cause;
      throw new BackupError('not-a-notebook', MESSAGES.notANotebook, { cause });
    }
    // Every notebook this extension ever made has a schema version: an empty or foreign doc has none.
    if (v < 1) throw new BackupError('not-a-notebook', MESSAGES.notANotebook, { cause: new Error('no schema version') });
    return summary;
  } finally {
    scratch.destroy();
  }
}
