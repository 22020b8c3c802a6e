/**
 * Signed membership and new invites ("Make a new invite").
 *
 * Each person has two P-256 key pairs, kept in extension storage: an ECDSA pair that signs and an
 * ECDH pair that new secrets are wrapped for. ECDSA P-256 rather than Ed25519: it is in every Web
 * Crypto we run on (Chromium, Firefox ESR, Node 20, where Ed25519 is still marked experimental)
 * and matches the ECDH curve already in use.
 *
 * - A **member entry** is signed by its own signing key and stored under that key's id (a hash of
 *   the public key), so nobody can replace someone's entry with a valid one: a forged entry for
 *   the same person id is a different key with different fingerprint words.
 * - A **rotation** (epoch n → n+1) is signed by a member of epoch n. It lists, explicitly, the
 *   member entries the person who made it chose to keep, wraps the new secret for each of them
 *   (ECDH with a fresh ephemeral key → HKDF → AES-GCM, bound to notebook id, epoch, sender and
 *   recipient), and names the secret it replaces and the one it creates by commitments (an HKDF
 *   output, so the secrets stay hidden). Members of epoch n+1 are exactly the keys it lists.
 * - Each computer remembers the epoch and member set it accepted (lib/ext/rotation.ts), so nothing
 *   in the shared document can move it back. Epoch 0 has no list: an invite is a bearer secret, so
 *   anyone who held the first code may sign the first rotation; from then on only listed members may.
 *
 * Everything here takes untrusted values from the document and checks them; nothing throws on
 * bad input (bad records are skipped), only on misuse by this computer's own code.
 */
import { FINGERPRINT_WORDS } from './fingerprint-words';
import { UserFacingError } from '../../../protocol/user-error';

/** This person's keys as stored on this computer (JWK, so they survive in extension storage). */
export interface MemberKeyPair {
  /** ECDH public key: new secrets are wrapped for it. */
  publicJwk: JsonWebKey;
  privateJwk: JsonWebKey;
  /** ECDSA public key: signs this person's member entry and the rotations they make. Absent in keys made before signing existed. */
  signPublicJwk?: JsonWebKey;
  signPrivateJwk?: JsonWebKey;
}

/** A member entry that verified: who it says it is, and its keys. */
export interface Member {
  /** Id of the signing key (22 base64url characters): the entry's identity. */
  keyId: string;
  /** The person id the entry claims (not proof of anything: compare the fingerprint words). */
  personId: string;
  /** The name the entry claims. */
  name: string;
  /** Fingerprint words of the signing key, to compare on a call. */
  words: string;
  /** The signed entry as stored (payload and signature), so a rotation can carry it. */
  signed: SignedValue;
  /** ECDSA public key (P-256 x, y). */
  sign: PublicPoint;
  /** ECDH public key. */
  box: PublicPoint;
}

/** A rotation record that verified. */
export interface VerifiedRotation {
  /** The record's key in the document (`epoch:signer:digest`). */
  key: string;
  notebookId: string;
  epoch: number;
  /** Commitment of the secret it replaces, and of the new one. */
  prev: string;
  next: string;
  /** When it was made (the maker's clock; shown only). */
  at: number;
  /** Who made it. */
  by: Member;
  /** The members of the new epoch, as listed. */
  members: Member[];
  wrapped: Record<string, WrappedSecret>;
}

/** The new secret, wrapped for one member. */
export interface WrappedSecret {
  /** The ephemeral public key. */
  epk: PublicPoint;
  /** Base64 IV and ciphertext. */
  iv: string;
  ct: string;
}

/** A P-256 public key's coordinates (base64url, as in a JWK). */
export interface PublicPoint {
  x: string;
  y: string;
}

/** A payload (JSON text) and its ECDSA signature (base64). */
export interface SignedValue {
  p: string;
  s: string;
}

/** What this computer has accepted for a notebook: the epoch, and its members' key ids (undefined: epoch of a bearer invite, no list). */
export interface MemberState {
  epoch: number;
  members?: string[];
}

/** Thrown when this computer cannot make a new invite; the message says what to do. */
export class RotationError extends UserFacingError {
  override name = 'RotationError';
}

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const enc = new TextEncoder();
const b64 = (u: Uint8Array) => btoa(String.fromCharCode(...u));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const b64url = (u: Uint8Array) => b64(u).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const hex = (u: Uint8Array) => [...u].map((x) => x.toString(16).padStart(2, '0')).join('');
const sha256 = async (s: string | Uint8Array) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', (typeof s === 'string' ? enc.encode(s) : s) as Uint8Array<ArrayBuffer>));

/** Most members one rotation may list (pairs and trios; organisers and spare devices fit too). */
export const MAX_MEMBERS = 32;
/** Longest name a member entry may carry, in characters. */
export const MAX_MEMBER_NAME = 80;
/** How many fingerprint words are shown (40 bits: finding a key with someone's words takes about 2^40 tries). */
export const FINGERPRINT_WORD_COUNT = 5;

const POINT = /^[A-Za-z0-9_-]{43}$/;
const KEY_ID = /^[A-Za-z0-9_-]{22}$/;
const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

function point(v: unknown): PublicPoint | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const { x, y } = v as Record<string, unknown>;
  return typeof x === 'string' && typeof y === 'string' && POINT.test(x) && POINT.test(y) ? { x, y } : undefined;
}
const jwkOf = (p: PublicPoint): JsonWebKey => ({ kty: 'EC', crv: 'P-256', x: p.x, y: p.y, ext: true });
const pointOf = (j: JsonWebKey): PublicPoint => ({ x: j.x!, y: j.y! });
function parseJsonObject(s: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
function signedValue(v: unknown): SignedValue | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const { p, s } = v as Record<string, unknown>;
  return typeof p === 'string' && typeof s === 'string' && s.length <= 200 && B64.test(s) ? { p, s } : undefined;
}

/** Makes this person's key pairs (once, at first use). */
export async function generateMemberKeys(): Promise<MemberKeyPair> {
  return addSigningKeys(await generateBoxKeys());
}

async function generateBoxKeys(): Promise<MemberKeyPair> {
  const pair = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
  return { publicJwk: await crypto.subtle.exportKey('jwk', pair.publicKey), privateJwk: await crypto.subtle.exportKey('jwk', pair.privateKey) };
}

/** Adds a signing pair to keys made before members signed (keeps the ECDH pair, so earlier wraps still open). */
export async function addSigningKeys(keys: MemberKeyPair): Promise<MemberKeyPair> {
  if (keys.signPublicJwk && keys.signPrivateJwk) return keys;
  const pair = await crypto.subtle.generateKey(ECDSA, true, ['sign', 'verify']);
  return {
    ...keys,
    signPublicJwk: await crypto.subtle.exportKey('jwk', pair.publicKey),
    signPrivateJwk: await crypto.subtle.exportKey('jwk', pair.privateKey),
  };
}

/** The id of a signing key: 128 bits of SHA-256 over its coordinates. */
export async function keyIdOf(sign: PublicPoint): Promise<string> {
  return b64url((await sha256(`pn-sign-key/p256/${sign.x}/${sign.y}`)).slice(0, 16));
}

/** Fingerprint words of a key id: what partners read to each other to check they see the same key. */
export async function fingerprintWords(keyId: string): Promise<string> {
  const h = await sha256(`pn-fingerprint/${keyId}`);
  return [...h.slice(0, FINGERPRINT_WORD_COUNT)].map((b) => FINGERPRINT_WORDS[b]).join(' ');
}

/** This computer's key id (its keys must have a signing pair). */
export async function myKeyId(keys: MemberKeyPair): Promise<string> {
  if (!keys.signPublicJwk) throw new RotationError('This computer has no signing key yet. Close and reopen the panel, then try again.');
  return keyIdOf(pointOf(keys.signPublicJwk));
}

async function sign(keys: MemberKeyPair, payload: string): Promise<SignedValue> {
  const priv = await crypto.subtle.importKey('jwk', keys.signPrivateJwk!, ECDSA, false, ['sign']);
  return { p: payload, s: b64(new Uint8Array(await crypto.subtle.sign(SIGN, priv, enc.encode(payload)))) };
}

async function verify(pub: PublicPoint, v: SignedValue): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey('jwk', jwkOf(pub), ECDSA, false, ['verify']);
    return await crypto.subtle.verify(SIGN, key, unb64(v.s) as Uint8Array<ArrayBuffer>, enc.encode(v.p));
  } catch {
    return false;
  }
}

/** This person's member entry, signed with their key: the value to publish in the notebook. */
export async function signMemberEntry(keys: MemberKeyPair, personId: string, name: string): Promise<{ keyId: string; value: string }> {
  const full = await addSigningKeys(keys);
  const payload = JSON.stringify({
    t: 'pn-member/1',
    person: personId,
    name: name.slice(0, MAX_MEMBER_NAME),
    sign: pointOf(full.signPublicJwk!),
    box: pointOf(full.publicJwk),
  });
  return { keyId: await keyIdOf(pointOf(full.signPublicJwk!)), value: JSON.stringify(await sign(full, payload)) };
}

/** Verifies a signed member entry (untrusted); `expectedKeyId` is the key it is stored under, if any. */
export async function verifyMember(v: unknown, expectedKeyId?: string): Promise<Member | undefined> {
  const signed = signedValue(typeof v === 'string' ? parseJsonObject(v) : v);
  if (!signed || signed.p.length > 2_000) return undefined;
  const p = parseJsonObject(signed.p);
  if (!p || p.t !== 'pn-member/1' || typeof p.person !== 'string' || typeof p.name !== 'string') return undefined;
  if (p.person.length > 100 || p.name.length > MAX_MEMBER_NAME) return undefined;
  const signKey = point(p.sign);
  const box = point(p.box);
  if (!signKey || !box) return undefined;
  const keyId = await keyIdOf(signKey);
  if (expectedKeyId !== undefined && keyId !== expectedKeyId) return undefined;
  if (!(await verify(signKey, signed))) return undefined;
  return { keyId, personId: p.person, name: p.name.replace(/\s+/g, ' ').trim(), words: await fingerprintWords(keyId), signed, sign: signKey, box };
}

/**
 * A commitment to a notebook secret: names it in rotation records without revealing it (HKDF
 * under its own label, so it is unrelated to every key derived from the secret in keys.ts).
 */
export async function commitSecret(secret: Uint8Array): Promise<string> {
  const k = await crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: enc.encode('partner-notebook/hkdf-salt/v1'), info: enc.encode('partner-notebook/v1/rotation-commitment') },
    k,
    128,
  );
  return hex(new Uint8Array(bits));
}

/** What a wrap is bound to: notebook, epoch, sender and recipient (HKDF info and AES-GCM associated data). */
const wrapContext = (notebookId: string, epoch: number, sender: string, recipient: string) =>
  enc.encode(JSON.stringify(['pn-wrap/1', notebookId, epoch, sender, recipient]));

async function wrapKey(priv: CryptoKey, pub: CryptoKey, context: Uint8Array): Promise<CryptoKey> {
  const bits = await crypto.subtle.deriveBits({ name: 'ECDH', public: pub }, priv, 256);
  const hk = await crypto.subtle.importKey('raw', bits, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: enc.encode('partner-notebook/wrap-salt/v1'), info: context as Uint8Array<ArrayBuffer> },
    hk,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * Makes a signed rotation record: the new secret wrapped for exactly `keep` (and the maker,
 * always). Returns the record's key and value for {@link import('../../notebook').addRotationRecord}.
 */
export async function makeRotation(input: {
  notebookId: string;
  epoch: number;
  oldSecret: Uint8Array;
  newSecret: Uint8Array;
  keys: MemberKeyPair;
  me: Member;
  keep: Member[];
  at: number;
}): Promise<{ key: string; value: string }> {
  const members = [input.me, ...input.keep.filter((m) => m.keyId !== input.me.keyId)];
  if (members.length > MAX_MEMBERS)
    throw new RotationError(`A new invite can keep at most ${MAX_MEMBERS} people. Untick the people who no longer work in this notebook.`);
  const wrapped: Record<string, WrappedSecret> = {};
  for (const m of members) {
    const pub = await crypto.subtle.importKey('jwk', jwkOf(m.box), ECDH, false, []);
    const eph = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
    const ctx = wrapContext(input.notebookId, input.epoch, input.me.keyId, m.keyId);
    const key = await wrapKey(eph.privateKey, pub, ctx);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = new Uint8Array(
      await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: ctx as Uint8Array<ArrayBuffer> }, key, input.newSecret as Uint8Array<ArrayBuffer>),
    );
    wrapped[m.keyId] = { epk: pointOf(await crypto.subtle.exportKey('jwk', eph.publicKey)), iv: b64(iv), ct: b64(ct) };
  }
  const payload = JSON.stringify({
    t: 'pn-rotation/1',
    notebook: input.notebookId,
    epoch: input.epoch,
    prev: await commitSecret(input.oldSecret),
    next: await commitSecret(input.newSecret),
    at: input.at,
    by: input.me.signed,
    members: members.map((m) => m.signed),
    wrapped,
  });
  const value = JSON.stringify(await sign(input.keys, payload));
  return { key: `${input.epoch}:${input.me.keyId}:${hex((await sha256(value)).slice(0, 8))}`, value };
}

/** Verifies one rotation record (untrusted) for this notebook; undefined when anything does not check out. */
export async function verifyRotation(key: string, value: string | undefined, notebookId: string): Promise<VerifiedRotation | undefined> {
  if (value === undefined) return undefined;
  const [epochText, signerId, digest] = key.split(':');
  const signed = signedValue(parseJsonObject(value));
  if (!signed || !digest || digest !== hex((await sha256(value)).slice(0, 8))) return undefined;
  const p = parseJsonObject(signed.p);
  if (!p || p.t !== 'pn-rotation/1' || p.notebook !== notebookId) return undefined;
  const epoch = p.epoch;
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 1 || String(epoch) !== epochText) return undefined;
  if (typeof p.prev !== 'string' || typeof p.next !== 'string' || !/^[0-9a-f]{32}$/.test(p.prev) || !/^[0-9a-f]{32}$/.test(p.next) || p.prev === p.next)
    return undefined;
  const by = await verifyMember(p.by);
  if (!by || by.keyId !== signerId) return undefined;
  if (!(await verify(by.sign, signed))) return undefined;
  if (!Array.isArray(p.members) || p.members.length === 0 || p.members.length > MAX_MEMBERS) return undefined;
  const members: Member[] = [];
  for (const raw of p.members) {
    const m = await verifyMember(raw);
    if (!m) return undefined;
    if (!members.some((x) => x.keyId === m.keyId)) members.push(m);
  }
  if (!members.some((m) => m.keyId === by.keyId)) return undefined;
  if (!p.wrapped || typeof p.wrapped !== 'object') return undefined;
  const wrapped: Record<string, WrappedSecret> = {};
  for (const [k, w] of Object.entries(p.wrapped as Record<string, unknown>)) {
    const x = w as Record<string, unknown> | null;
    const epk = point(x?.epk);
    if (!KEY_ID.test(k) || !members.some((m) => m.keyId === k) || !epk || typeof x?.iv !== 'string' || typeof x.ct !== 'string') return undefined;
    wrapped[k] = { epk, iv: x.iv, ct: x.ct };
  }
  return { key, notebookId, epoch, prev: p.prev, next: p.next, at: typeof p.at === 'number' ? p.at : 0, by, members, wrapped };
}

/** Opens this computer's copy of a rotation's new secret; undefined when there is none or it does not open. */
export async function unwrapSecret(rotation: VerifiedRotation, keys: MemberKeyPair, keyId: string): Promise<Uint8Array | undefined> {
  const w = rotation.wrapped[keyId];
  if (!w) return undefined;
  try {
    const ctx = wrapContext(rotation.notebookId, rotation.epoch, rotation.by.keyId, keyId);
    const priv = await crypto.subtle.importKey('jwk', keys.privateJwk, ECDH, false, ['deriveBits']);
    const epk = await crypto.subtle.importKey('jwk', jwkOf(w.epk), ECDH, false, []);
    const key = await wrapKey(priv, epk, ctx);
    const secret = new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(w.iv), additionalData: ctx as Uint8Array<ArrayBuffer> }, key, unb64(w.ct)),
    );
    // A member who wrapped something else than the committed secret would split the partnership.
    return secret.length === 32 && (await commitSecret(secret)) === rotation.next ? secret : undefined;
  } catch {
    return undefined;
  }
}

/** Two or more new invites competing for the next epoch: the person chooses (or waits). */
export interface RotationChoice {
  epoch: number;
  /** The valid ones, each with who made it and who it keeps. */
  options: VerifiedRotation[];
  /** Makers of records that were removed or damaged (their key id from the record's key; name if known). */
  removed: { keyId: string; name?: string; words: string }[];
}

/** The outcome of {@link resolveRotations}. */
export type Resolution = {
  /** What this computer should now hold (unchanged when nothing moved). */
  state: MemberState;
  secret: Uint8Array;
  /** The rotations followed, oldest first. */
  followed: VerifiedRotation[];
} & ({ outcome: 'none' | 'moved' } | { outcome: 'not-included'; rotation: VerifiedRotation } | { outcome: 'choose'; choice: RotationChoice });

/**
 * Decides what this computer does with the rotation records in its copy of the notebook, from
 * what it accepted before (`state`, `secret`): follows each next epoch whose record is signed by
 * a member of the current one and replaces the current secret; stops when it is not included;
 * asks (`choose`) when two valid records compete or one was removed, unless `chosen` names the
 * record the person picked. Epochs only move forward.
 *
 * A computer that holds a secret but no member list (the first invite, or one that came in a
 * plain invite or backup) follows a record from any later epoch that replaces that secret, from
 * anyone: an invite is a bearer secret. Once it has followed one, only the listed members count.
 */
export async function resolveRotations(input: {
  notebookId: string;
  records: { key: string; value: string | undefined }[];
  state: MemberState;
  secret: Uint8Array;
  keys: MemberKeyPair | null;
  /** Record key the person chose when asked. */
  chosen?: string;
}): Promise<Resolution> {
  const verified: VerifiedRotation[] = [];
  for (const r of input.records) {
    const v = await verifyRotation(r.key, r.value, input.notebookId);
    if (v) verified.push(v);
  }
  let state = input.state;
  let secret = input.secret;
  const followed: VerifiedRotation[] = [];
  const keyId = input.keys?.signPublicJwk ? await myKeyId(input.keys) : undefined;
  for (;;) {
    const c = await commitSecret(secret);
    // With a member list, the next epoch exactly, signed by a listed member. Without one (a secret
    // that came in a plain invite), any later epoch that replaces this very secret: the records
    // cannot tell which epoch a secret from an invite belongs to, and anyone who held it could
    // have signed (see the module comment). Records never grant a member list by themselves.
    const fits = (epoch: number, signer: string) => (state.members ? epoch === state.epoch + 1 && state.members.includes(signer) : epoch > state.epoch);
    const options = verified.filter((r) => r.prev === c && fits(r.epoch, r.by.keyId));
    const removed = input.records
      .filter((r) => {
        const [e, signer] = r.key.split(':');
        return signer !== undefined && Number.isSafeInteger(Number(e)) && fits(Number(e), signer) && !verified.some((v) => v.key === r.key);
      })
      .map((r) => r.key.split(':')[1]!)
      .filter((k, i, all) => all.indexOf(k) === i);
    const done = { state, secret, followed };
    if (options.length === 0 && removed.length === 0) return { ...done, outcome: followed.length ? 'moved' : 'none' };
    const pick = options.length === 1 && removed.length === 0 ? options[0] : options.find((o) => o.key === input.chosen);
    if (!pick) {
      const names = await Promise.all(
        removed.map(async (k) => ({ keyId: k, name: verified.flatMap((v) => v.members).find((m) => m.keyId === k)?.name, words: await fingerprintWords(k) })),
      );
      return { ...done, outcome: 'choose', choice: { epoch: Math.min(...options.map((o) => o.epoch), state.epoch + 1), options, removed: names } };
    }
    const opened = keyId && input.keys ? await unwrapSecret(pick, input.keys, keyId) : undefined;
    if (!opened) return { ...done, outcome: 'not-included', rotation: pick };
    followed.push(pick);
    secret = opened;
    state = { epoch: pick.epoch, members: pick.members.map((m) => m.keyId) };
  }
}

/** A person the maker of a new invite can keep or leave out. */
export interface Candidate extends Member {
  /** In the member list this computer accepted (false: joined with the current invite since). */
  current: boolean;
  /** This computer's own entry. */
  me: boolean;
}

/**
 * The people shown in "Make a new invite": members of the current epoch (from the record that
 * made it, so an entry someone deleted from the notebook still shows) and everyone who published
 * a valid entry since. Sorted: me first, then by name.
 */
export async function listCandidates(input: {
  notebookId: string;
  entries: [string, string][];
  records: { key: string; value: string | undefined }[];
  state: MemberState;
  secret: Uint8Array;
  myKeyId: string;
}): Promise<Candidate[]> {
  const byId = new Map<string, Member>();
  const c = await commitSecret(input.secret);
  for (const r of input.records) {
    const v = await verifyRotation(r.key, r.value, input.notebookId);
    if (v && v.next === c && v.epoch === input.state.epoch) for (const m of v.members) if (input.state.members?.includes(m.keyId)) byId.set(m.keyId, m);
  }
  for (const [k, value] of input.entries) {
    if (byId.has(k)) continue;
    const m = await verifyMember(value, k);
    if (m) byId.set(k, m);
  }
  return [...byId.values()]
    .map((m) => ({ ...m, current: !input.state.members || input.state.members.includes(m.keyId), me: m.keyId === input.myKeyId }))
    .sort((a, b) => (a.me !== b.me ? (a.me ? -1 : 1) : a.name.localeCompare(b.name)));
}
