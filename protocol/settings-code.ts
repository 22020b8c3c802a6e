/**
 * Programme settings codes: how an organiser hands every participant of a cohort the same sync
 * server (and, if the programme runs one, a TURN server) in one paste.
 *
 * Wire form (version 1), built from the invite code's pieces (protocol/code-text.ts):
 *
 *   code     = "PNS1-" payload "-" checksum
 *   payload  = base64url (no padding) of zero or more fields:
 *              1 byte tag, 2 bytes big-endian length, UTF-8 bytes
 *     tag 1  a sync server URL (1 to 4): wss://, or ws:// only for this computer
 *     tag 2  the programme's name (optional, at most 80 characters)
 *     tag 3  a STUN or TURN server (0 to 4): URL, NUL, username, NUL, credential
 *   checksum = 6 base64url characters of CRC-32 over the ASCII text "PNS1-" payload
 *
 * Link form: {@link SETTINGS_LINK_BASE} + code. Like invites, it sits in the fragment of a host
 * under `.invalid`, so a click never reaches any web server.
 *
 * A settings code holds no secret: it grants nothing. It still arrives from outside (email, a
 * programme's web page), so everything in it is validated and bounded, and nothing is applied
 * before the person has seen what would change.
 */
import { cleanShownText, codeCandidates, ellipsize, encodeFields, frameCode, parseCodeUrl, readFields, undoPercentEncoding, unframeCode } from './code-text.ts';
import { CodedUserError } from './user-error.ts';

/** The only settings code format this build writes and reads. */
export const SETTINGS_CODE_VERSION = 1;

/** Prefix of a shareable settings link; the code follows the `#`. */
export const SETTINGS_LINK_BASE = 'https://partner-notebook.invalid/settings#';

/** Most sync servers and most STUN/TURN servers a code carries. */
export const MAX_SERVERS = 4;

/** Longest programme name, in characters. */
export const MAX_PROGRAMME_CHARS = 80;

/** Longest server URL, TURN username or TURN credential, in characters. */
export const MAX_FIELD_CHARS = 300;

/** Longest pasted text that is read at all (a code with every field full is about 3,500 characters). */
export const MAX_PASTE_CHARS = 8_000;

const TAG_SERVER = 1;
const TAG_PROGRAMME = 2;
const TAG_ICE = 3;
const HEAD = `PNS${SETTINGS_CODE_VERSION}-`;

/** A STUN or TURN server, in the shape `RTCPeerConnection` takes. */
export interface IceServerSetting {
  /** `stun:host:port`, `turn:host:port?transport=udp`, `turns:…`. */
  urls: string;
  /** TURN only. */
  username?: string;
  /** TURN only. */
  credential?: string;
}

/** What a settings code carries. */
export interface ProgrammeSettings {
  version: typeof SETTINGS_CODE_VERSION;
  /** The programme's name, shown to participants ("Settings from ILN 2026"). */
  programme?: string;
  /** Sync servers (signaling; the relay is at /relay on the first). */
  signaling: string[];
  /** STUN/TURN servers; empty when the programme runs none. */
  iceServers: IceServerSetting[];
}

/** Why a settings code could not be used. */
export type SettingsCodeErrorCode = 'empty' | 'not-a-code' | 'is-invite' | 'damaged' | 'unsupported-version' | 'bad-server' | 'bad-ice-server' | 'too-long';

/** A settings code that cannot be used; `message` says what is wrong and what to do. */
export class SettingsCodeError extends CodedUserError<SettingsCodeErrorCode> {
  override name = 'SettingsCodeError';
}

const MESSAGES = {
  empty: 'Paste the settings code or link from your programme first.',
  notACode: 'This is not a settings code. A settings code starts with "PNS1-". Copy the whole code or link from your programme’s message.',
  isInvite: 'This is an invite to a notebook, not a settings code. To use it, choose “Join a notebook”.',
  cutOff: 'This settings code looks cut off. Copy the whole code again, or ask your programme to send it again.',
  changed: 'This settings code has a mistake in it: a character was changed or lost. Copy and paste it again instead of typing it.',
  corrupt: 'This settings code is damaged. Ask your programme to send it again.',
  newer: 'This settings code was made by a newer version of Partner Notebook. Update the extension, then paste it again.',
  tooLong: 'This text is too long to be a settings code. Paste only the code or the link.',
  noServer: 'This settings code names no sync server. Ask your programme for a new code.',
  badServer: (url: string) => `The sync server “${clip(url)}” cannot be used. It must start with wss:// (ws:// only for a server on this computer).`,
  badIce: (url: string) =>
    `The STUN/TURN server “${clip(url)}” cannot be used. Write it as stun:host:port or turn:host:port, and give a TURN server its username and password.`,
  tooManyServers: `A settings code holds at most ${MAX_SERVERS} sync servers and ${MAX_SERVERS} STUN/TURN servers.`,
} as const;

/**
 * A {@link SettingsCodeError}'s message in the language of `tr` (the panel's `t()` from lib/i18n,
 * typed loosely so protocol/ depends on nothing in lib/), for the UI edge; the error keeps its
 * English message for logs and tests.
 */
export function settingsCodeErrorText(e: SettingsCodeError, tr: (key: never, params?: Record<string, string | number>) => string): string {
  for (const key of ['empty', 'notACode', 'isInvite', 'cutOff', 'changed', 'corrupt', 'newer', 'tooLong', 'noServer', 'tooManyServers'] as const) {
    if (e.message === MESSAGES[key]) return tr(`settingsCode.${key}` as never, { max: MAX_SERVERS });
  }
  const quoted = /“(.*)”/.exec(e.message)?.[1] ?? '';
  if (e.message === MESSAGES.badServer(quoted)) return tr('settingsCode.badServer' as never, { url: quoted });
  if (e.message === MESSAGES.badIce(quoted)) return tr('settingsCode.badIce' as never, { url: quoted });
  return e.message;
}

function clip(text: string): string {
  return ellipsize(text, 60);
}

/** True for a host on this computer, where plain ws:// is acceptable (nothing crosses a network). */
function isLocalHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/**
 * A sync server URL from a settings code: wss:// (ws:// only for this computer), no credentials,
 * no fragment, at most {@link MAX_FIELD_CHARS}. Returns it in the form Settings stores.
 * @throws SettingsCodeError `bad-server`
 */
export function checkServerUrl(raw: string): string {
  const bad = (cause?: unknown) => new SettingsCodeError('bad-server', MESSAGES.badServer(raw), { cause });
  if (raw === '') throw bad();
  const url = parseCodeUrl(raw, MAX_FIELD_CHARS, bad);
  // Partners' traffic crosses the internet: unencrypted ws:// would show room names and timing to
  // every network on the way, so only a server on this very computer may use it.
  const ok = url.protocol === 'wss:' || (url.protocol === 'ws:' && isLocalHost(url.hostname));
  if (!ok || url.username || url.password || url.hash || !url.hostname) throw bad();
  return url.href.replace(/\/$/, '');
}

/**
 * A STUN/TURN server from a settings code. TURN needs a username and credential (they are sent
 * only to that TURN server); STUN takes none.
 * @throws SettingsCodeError `bad-ice-server`
 */
export function checkIceServer(s: IceServerSetting): IceServerSetting {
  const bad = () => new SettingsCodeError('bad-ice-server', MESSAGES.badIce(String(s.urls)));
  const { urls, username, credential } = s;
  if (typeof urls !== 'string' || urls.length > MAX_FIELD_CHARS) throw bad();
  const m = /^(stun|stuns|turn|turns):([^\s?#/@]+)(\?transport=(udp|tcp))?$/i.exec(urls);
  if (!m) throw bad();
  const turn = m[1]!.toLowerCase().startsWith('turn');
  if (!turn) return { urls };
  const ok = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= MAX_FIELD_CHARS && !/[\u0000-\u001f]/.test(v);
  if (!ok(username) || !ok(credential)) throw bad();
  return { urls, username, credential };
}

function cleanProgramme(name: string): string {
  // Shown in the panel: control and bidirectional-override characters could disguise it.
  return cleanShownText(name, MAX_PROGRAMME_CHARS);
}

/**
 * Checks and normalises settings (from a form or a CLI) so they can be encoded.
 * @throws SettingsCodeError with a message for the organiser
 */
export function makeProgrammeSettings(input: {
  programme?: string;
  signaling: readonly string[];
  iceServers?: readonly IceServerSetting[];
}): ProgrammeSettings {
  if (input.signaling.length === 0) throw new SettingsCodeError('bad-server', MESSAGES.noServer);
  if (input.signaling.length > MAX_SERVERS || (input.iceServers?.length ?? 0) > MAX_SERVERS) throw new SettingsCodeError('too-long', MESSAGES.tooManyServers);
  const programme = input.programme === undefined ? '' : cleanProgramme(input.programme);
  return {
    version: SETTINGS_CODE_VERSION,
    ...(programme ? { programme } : {}),
    signaling: input.signaling.map(checkServerUrl),
    iceServers: (input.iceServers ?? []).map(checkIceServer),
  };
}

/** The code `PNS1-<payload>-<checksum>`; validates like {@link makeProgrammeSettings}. */
export function encodeSettingsCode(settings: ProgrammeSettings): string {
  const s = makeProgrammeSettings(settings);
  const utf8 = new TextEncoder();
  const fields: Array<[number, Uint8Array]> = [
    ...s.signaling.map((u): [number, Uint8Array] => [TAG_SERVER, utf8.encode(u)]),
    ...(s.programme ? [[TAG_PROGRAMME, utf8.encode(s.programme)] as [number, Uint8Array]] : []),
    ...s.iceServers.map((i): [number, Uint8Array] => [TAG_ICE, utf8.encode([i.urls, i.username ?? '', i.credential ?? ''].join('\u0000'))]),
  ];
  return frameCode(HEAD, encodeFields(fields));
}

/** The shareable link for settings: `https://partner-notebook.invalid/settings#PNS1-…`. */
export function settingsLink(settings: ProgrammeSettings): string {
  return SETTINGS_LINK_BASE + encodeSettingsCode(settings);
}

/**
 * Reads settings from what a person pasted: the code or the link, with what mail clients add
 * (line breaks inside the code, `>` quote markers, `<…>`, trailing punctuation or words).
 * @throws SettingsCodeError with a message to show as is
 */
export function parseSettingsCode(input: string): ProgrammeSettings {
  if (typeof input !== 'string' || input.trim() === '') throw new SettingsCodeError('empty', MESSAGES.empty);
  if (input.length > MAX_PASTE_CHARS) throw new SettingsCodeError('too-long', MESSAGES.tooLong);
  const text = undoPercentEncoding(input);
  const prefix = /(?<![A-Za-z0-9])PNS(\d{1,4})-/i.exec(text);
  if (!prefix) {
    throw /(?<![A-Za-z0-9])PN\d{1,4}-/i.test(text)
      ? new SettingsCodeError('is-invite', MESSAGES.isInvite)
      : new SettingsCodeError('not-a-code', MESSAGES.notACode);
  }
  const version = Number(prefix[1]);
  if (version === 0) throw new SettingsCodeError('not-a-code', MESSAGES.notACode);
  if (version > SETTINGS_CODE_VERSION) throw new SettingsCodeError('unsupported-version', MESSAGES.newer);

  // The code may be wrapped over lines, and words may follow it: try the shortest run first and
  // join more pieces only while the checksum fails (as invites do).
  let first: SettingsCodeError | undefined;
  for (const { code, piece } of codeCandidates(text.slice(prefix.index + prefix[0].length))) {
    if (piece > 12) break;
    const r = unframeCode(HEAD + code, HEAD, { emptyPayload: true, minPayloadChars: 16 });
    if (r instanceof Uint8Array) return decodeFields(r);
    first ??= new SettingsCodeError('damaged', MESSAGES[r.fault], r.options);
  }
  throw first ?? new SettingsCodeError('damaged', MESSAGES.cutOff);
}

function decodeFields(bytes: Uint8Array): ProgrammeSettings {
  const damaged = (cause: unknown) => new SettingsCodeError('damaged', MESSAGES.corrupt, { cause });
  const corrupt = (why: string) => damaged(new Error(why));
  const signaling: string[] = [];
  const iceServers: IceServerSetting[] = [];
  let programme: string | undefined;
  for (const { tag, value } of readFields(bytes, 0, damaged)) {
    if (tag === TAG_SERVER) {
      if (signaling.length >= MAX_SERVERS) throw new SettingsCodeError('too-long', MESSAGES.tooManyServers);
      signaling.push(checkServerUrl(value));
    } else if (tag === TAG_PROGRAMME) {
      if (programme !== undefined || [...value].length > MAX_PROGRAMME_CHARS) throw corrupt('bad programme name');
      programme = cleanProgramme(value);
    } else if (tag === TAG_ICE) {
      if (iceServers.length >= MAX_SERVERS) throw new SettingsCodeError('too-long', MESSAGES.tooManyServers);
      const [urls = '', username, credential, ...extra] = value.split('\u0000');
      if (extra.length) throw corrupt('ICE server with extra parts');
      iceServers.push(checkIceServer({ urls, ...(username ? { username } : {}), ...(credential ? { credential } : {}) }));
    } else {
      throw corrupt(`unknown field tag ${tag}`);
    }
  }
  if (!signaling.length) throw new SettingsCodeError('bad-server', MESSAGES.noServer);
  return { version: SETTINGS_CODE_VERSION, ...(programme ? { programme } : {}), signaling, iceServers };
}

/** One line of "what will change" before settings from a code are applied. */
export interface SettingsChange {
  /** "Sync server", "STUN/TURN servers", "Programme". */
  what: string;
  /** Now (empty: none). */
  from: string;
  /** After applying. */
  to: string;
}

/** An ICE server as Settings stores it (`RTCIceServer`: `urls` may be a list). */
export interface StoredIceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

const urlsOf = (s: StoredIceServer) => (Array.isArray(s.urls) ? s.urls.join(' ') : s.urls);

/** Describes a STUN/TURN server for people: the address, and that a password is included (never the password). */
export function describeIceServer(s: StoredIceServer): string {
  return s.username ? `${urlsOf(s)} (user ${s.username}, with password)` : urlsOf(s);
}

/**
 * What applying `next` would change compared with the current settings, for the preview.
 * Only differences are listed; an empty list means the settings are already in use.
 */
export function settingsChanges(
  current: { signaling: readonly string[]; iceServers: readonly StoredIceServer[]; programme?: string },
  next: ProgrammeSettings,
): SettingsChange[] {
  const list = (xs: readonly string[]) => xs.join(', ');
  const ice = (xs: readonly StoredIceServer[]) => xs.map(describeIceServer).join(', ');
  const changes: SettingsChange[] = [];
  if (list(current.signaling) !== list(next.signaling)) changes.push({ what: 'Sync server', from: list(current.signaling), to: list(next.signaling) });
  const key = (xs: readonly StoredIceServer[]) => JSON.stringify(xs.map((s) => [urlsOf(s), s.username ?? '', s.credential ?? '']));
  const [iceNow, iceNext] = [key(current.iceServers), key(next.iceServers)];
  if (iceNow !== iceNext) changes.push({ what: 'STUN/TURN servers', from: ice(current.iceServers), to: ice(next.iceServers) });
  if ((current.programme ?? '') !== (next.programme ?? '')) changes.push({ what: 'Programme', from: current.programme ?? '', to: next.programme ?? '' });
  return changes;
}
