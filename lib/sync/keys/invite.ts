/**
 * The invite codec: how one partner hands the other everything needed to join a notebook.
 *
 * Wire form (version 1):
 *
 *   code  = "PN1-" payload "-" checksum
 *   payload  = base64url (no padding) of the binary layout below
 *   checksum = 6 base64url characters of CRC-32 over the ASCII text "PN1-" payload
 *
 *   binary layout
 *     32 bytes   secret (everything else is derived from it, see keys.ts)
 *     1 byte     length n of the notebook id, then n ASCII bytes
 *     then zero or more fields: 1 byte tag, 2 bytes big-endian length, UTF-8 bytes
 *       tag 1    a signaling URL (repeatable, ws:// or wss://)
 *       tag 2    title hint
 *
 * The code is self-contained and case-sensitive. The checksum is not security (anyone can
 * recompute it); it only turns copy-paste accidents into a clear message instead of a
 * notebook that silently never connects.
 *
 * Link form: {@link INVITE_LINK_BASE} + code, i.e. `https://partner-notebook.invalid/join#PN1-…`.
 * Why this form:
 * - Mail clients and chat apps turn `https://` text into a clickable link and keep it in one
 *   piece; they often break or strip custom schemes (`web+partnernotebook:`) and
 *   `chrome-extension://` URLs.
 * - The secret sits in the fragment, which browsers never send to a server, and the host is
 *   under `.invalid` (RFC 6761), which never resolves: even a click without the extension
 *   installed cannot leak the invite to anyone's web server or DNS resolver.
 * - An extension id differs between Chrome and Firefox (Firefox's is random per install), so
 *   an extension URL made by one partner would not open for the other.
 * `parseInvite` also accepts `web+partnernotebook:<code>` and the extension's own
 * `chrome-extension://<id>/sidepanel.html#join=<code>` (and `moz-extension://`), percent-encoded
 * or not, because a protocol handler or the side panel may hand us those.
 */
import type { Translate } from '../../i18n';
import {
  checksum,
  cleanShownText,
  codeCandidates,
  ellipsize,
  encodeFields,
  frameCode,
  fromBase64Url,
  parseCodeUrl,
  readFields,
  toBase64Url,
  undoPercentEncoding,
  unframeCode,
} from '../../../protocol/code-text';
import { CodedUserError } from '../../../protocol/user-error';

// Kept importable from here for code written before the helpers moved to protocol/.
export { checksum, fromBase64Url, toBase64Url };

/** The only invite format this build writes and reads. */
export const INVITE_VERSION = 1;

/** Prefix of a shareable invite link; the code follows the `#`. */
export const INVITE_LINK_BASE = 'https://partner-notebook.invalid/join#';

/** Bytes of secret carried by an invite (256 bits). */
export const SECRET_BYTES = 32;

/** Longest title hint an invite carries, in characters (code points). */
export const MAX_TITLE_CHARS = 80;

/** Most signaling URLs one invite carries; more would only make the code unwieldy. */
export const MAX_SIGNALING_URLS = 4;

/** Longest signaling URL accepted, in characters. */
export const MAX_SIGNALING_URL_CHARS = 300;

/** A notebook id: opaque, 1–64 characters of a URL-safe set (UUIDs and nanoids fit). */
const NOTEBOOK_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const TAG_SIGNALING = 1;
const TAG_TITLE = 2;
const HEAD = `PN${INVITE_VERSION}-`;

/** Everything a partner needs to join a notebook. Treat as a password: it grants full access. */
export interface Invite {
  /** Format version of the code this invite was read from or will be written as. */
  version: typeof INVITE_VERSION;
  /** The notebook's opaque id (never shown to servers; see keys.ts for what they see). */
  notebookId: string;
  /** 32 random bytes; the only secret. Everything else (room, keys, tokens) is derived from it. */
  secret: Uint8Array;
  /** The inviter's signaling servers (`ws://` or `wss://`), possibly empty: use the defaults. */
  signaling: string[];
  /** A hint for the join dialog ("Reading clubs, Ulaanbaatar–Leipzig"); not authoritative. */
  title?: string;
}

/** Why an invite could not be read; each code has its own message for the librarian. */
export type InviteErrorCode = 'empty' | 'not-an-invite' | 'damaged' | 'unsupported-version' | 'bad-signaling-url';

/**
 * An invite that cannot be used. `message` is written for the person pasting the invite:
 * what is wrong and what to do. `code` is for the UI and tests.
 */
export class InviteError extends CodedUserError<InviteErrorCode> {
  override name = 'InviteError';
}

const MESSAGES = {
  empty: 'There is no invite here yet. Paste the invite code or link your partner sent you.',
  notAnInvite:
    'This does not look like a Partner Notebook invite. An invite code starts with "PN1-". ' +
    'Copy the whole code or link from your partner\u2019s message and paste it here.',
  cutOff: 'This invite code looks cut off. Ask your partner to send it again, or copy the whole line.',
  changed:
    'This invite code has a mistake in it: a character was changed or lost when it was copied. ' +
    'Copy and paste it again instead of typing it, or ask your partner to send it again.',
  corrupt: 'This invite code is damaged and cannot be used. Ask your partner to create a new invite and send it again.',
  newer: 'This invite was made by a newer version of Partner Notebook. Update the extension, then paste the invite again.',
  badSignaling: (url: string) =>
    `This invite names a connection server that Partner Notebook cannot use (${ellipsize(url, 60)}). ` +
    'Only addresses starting with ws:// or wss:// work. Ask your partner to check the connection server ' +
    'in their settings and send a new invite.',
} as const;

/**
 * An {@link InviteError}'s message in the language of `tr` (the panel's), for the UI edge: the
 * error keeps its English message (logs, tests); the panel shows this.
 */
export function inviteErrorText(e: InviteError, tr: Translate): string {
  for (const key of ['empty', 'notAnInvite', 'cutOff', 'changed', 'corrupt', 'newer'] as const) {
    if (e.message === MESSAGES[key]) return tr(`invite.${key}`);
  }
  const url = /\((.*)\)\. Only addresses/.exec(e.message)?.[1];
  return url !== undefined ? tr('invite.badSignaling', { url }) : e.message;
}

/**
 * Makes a new invite with a fresh 256-bit secret.
 *
 * @param opts.notebookId the notebook's opaque id (1–64 of `A–Z a–z 0–9 . _ : -`)
 * @param opts.title hint for the join dialog; control characters are removed and it is cut to 80 characters
 * @param opts.signaling the inviter's signaling URLs, `ws://` or `wss://` only (at most 4)
 * @param random fills a byte array with cryptographically strong random values. The default calls
 *   `crypto.getRandomValues` *on* `crypto`: passing the bare method would throw "Illegal invocation"
 *   in browsers, which require `this === crypto`.
 * @throws InviteError `bad-signaling-url` for a non-WebSocket URL; TypeError for a malformed id
 */
export function createInvite(
  opts: { notebookId: string; title?: string; signaling?: readonly string[] },
  random: (bytes: Uint8Array) => Uint8Array = (bytes) => globalThis.crypto.getRandomValues(bytes),
): Invite {
  if (!NOTEBOOK_ID.test(opts.notebookId)) {
    throw new TypeError(`Notebook id must be 1–64 characters of A–Z a–z 0–9 . _ : - (got ${JSON.stringify(opts.notebookId)})`);
  }
  const secret = new Uint8Array(SECRET_BYTES);
  random(secret);
  const signaling = (opts.signaling ?? []).map(checkSignalingUrl);
  if (signaling.length > MAX_SIGNALING_URLS) {
    throw new TypeError(`An invite carries at most ${MAX_SIGNALING_URLS} signaling URLs`);
  }
  const title = opts.title === undefined ? undefined : cleanTitle(opts.title);
  return { version: INVITE_VERSION, notebookId: opts.notebookId, secret, signaling, ...(title ? { title } : {}) };
}

/**
 * The compact code `PN1-<base64url payload>-<checksum>` for an invite.
 * Validates like {@link createInvite}, so a hand-built invite cannot produce an unreadable code.
 */
export function encodeInvite(invite: Invite): string {
  if (invite.secret.length !== SECRET_BYTES) throw new TypeError(`Invite secret must be ${SECRET_BYTES} bytes`);
  if (!NOTEBOOK_ID.test(invite.notebookId)) throw new TypeError('Invite has a malformed notebook id');
  if (invite.signaling.length > MAX_SIGNALING_URLS) throw new TypeError('Invite has too many signaling URLs');
  const utf8 = new TextEncoder();
  const id = utf8.encode(invite.notebookId);
  const fields: Array<[number, Uint8Array]> = invite.signaling.map((url) => [TAG_SIGNALING, utf8.encode(checkSignalingUrl(url))]);
  const title = invite.title === undefined ? '' : cleanTitle(invite.title);
  if (title) fields.push([TAG_TITLE, utf8.encode(title)]);

  const tail = encodeFields(fields);
  const out = new Uint8Array(SECRET_BYTES + 1 + id.length + tail.length);
  out.set(invite.secret, 0);
  out[SECRET_BYTES] = id.length;
  out.set(id, SECRET_BYTES + 1);
  out.set(tail, SECRET_BYTES + 1 + id.length);
  return frameCode(HEAD, out);
}

/** The shareable link for an invite: `https://partner-notebook.invalid/join#PN1-…`. */
export function inviteLink(invite: Invite): string {
  return INVITE_LINK_BASE + encodeInvite(invite);
}

/**
 * Reads an invite from whatever a person pasted: the bare code, the https link, a
 * `web+partnernotebook:` URL or the extension's `…/sidepanel.html#join=` URL — including the
 * wrapping that mail clients add (`<…>`, quotes, trailing punctuation, line breaks inside
 * the code, `>` reply markers).
 *
 * The result is validated (secret length, id, URLs, title) because an invite may come from
 * anyone: it is untrusted input.
 *
 * @throws InviteError with code `empty`, `not-an-invite`, `damaged`, `unsupported-version` or
 *   `bad-signaling-url`, and a message to show as is.
 */
export function parseInvite(input: string): Invite {
  if (typeof input !== 'string' || input.trim() === '') throw new InviteError('empty', MESSAGES.empty);
  // Protocol handlers hand over the whole URL percent-encoded (`web%2Bpartnernotebook%3APN1-…`).
  const text = undoPercentEncoding(input);
  // Not preceded by a letter or digit, so "…xpn1-…" inside other text is not taken for a code.
  const prefix = /(?<![A-Za-z0-9])PN(\d{1,4})-/i.exec(text);
  if (!prefix) throw new InviteError('not-an-invite', MESSAGES.notAnInvite);
  const version = Number(prefix[1]);
  if (version === 0) throw new InviteError('not-an-invite', MESSAGES.notAnInvite);
  if (version > INVITE_VERSION) throw new InviteError('unsupported-version', MESSAGES.newer);

  // Try the shortest candidate first and join more pieces only while the checksum fails.
  let firstFailure: InviteError | undefined;
  let tried = 0;
  for (const { code } of codeCandidates(text.slice(prefix.index + prefix[0].length))) {
    // Too short to hold even the secret: most likely cut off rather than mistyped.
    const result = unframeCode(HEAD + code, HEAD, { emptyPayload: false, minPayloadChars: Math.ceil(((SECRET_BYTES + 2) * 4) / 3) });
    if (result instanceof Uint8Array) return decodePayload(result);
    firstFailure ??= new InviteError('damaged', MESSAGES[result.fault], result.options);
    if (++tried >= 8) break;
  }
  throw firstFailure ?? new InviteError('damaged', MESSAGES.cutOff);
}

function decodePayload(bytes: Uint8Array): Invite {
  const damaged = (cause: unknown) => new InviteError('damaged', MESSAGES.corrupt, { cause });
  const corrupt = (why: string) => damaged(new Error(why));
  if (bytes.length < SECRET_BYTES + 1) throw corrupt('payload shorter than the secret');
  const secret = bytes.slice(0, SECRET_BYTES);
  let at = SECRET_BYTES;
  const idLength = bytes[at++]!;
  if (at + idLength > bytes.length) throw corrupt('notebook id runs past the end');
  const notebookId = String.fromCharCode(...bytes.subarray(at, at + idLength));
  at += idLength;
  if (!NOTEBOOK_ID.test(notebookId)) throw corrupt('malformed notebook id');

  const signaling: string[] = [];
  let title: string | undefined;
  for (const { tag, value } of readFields(bytes, at, damaged)) {
    if (tag === TAG_SIGNALING) {
      if (signaling.length >= MAX_SIGNALING_URLS) throw corrupt('too many signaling URLs');
      signaling.push(checkSignalingUrl(value));
    } else if (tag === TAG_TITLE) {
      if (title !== undefined) throw corrupt('two titles');
      if ([...value].length > MAX_TITLE_CHARS) throw corrupt('title too long');
      title = cleanTitle(value);
    } else {
      // Version 1 has no optional extensions; an unknown tag means the bytes are not ours.
      throw corrupt(`unknown field tag ${tag}`);
    }
  }
  return { version: INVITE_VERSION, notebookId, secret, signaling, ...(title ? { title } : {}) };
}

/**
 * Accepts only WebSocket URLs. `javascript:`, `http:` and the like are refused because a
 * crafted invite must not be able to make the extension open arbitrary URLs; credentials are
 * refused because they would be sent to, and logged by, whoever runs that server.
 */
function checkSignalingUrl(raw: string): string {
  const bad = (cause?: unknown) => new InviteError('bad-signaling-url', MESSAGES.badSignaling(raw), { cause });
  const url = parseCodeUrl(raw, MAX_SIGNALING_URL_CHARS, bad);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw bad();
  if (url.username || url.password || url.hash || !url.hostname) throw bad();
  return url.href;
}

/** Title hints are shown in the join dialog, so they are cleaned like all shown text from a code. */
function cleanTitle(title: string): string {
  return cleanShownText(title, MAX_TITLE_CHARS);
}
