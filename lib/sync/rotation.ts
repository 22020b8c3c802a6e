/**
 * New invites that replace the old secret. Each member publishes an ECDH public key in the
 * notebook; "Make a new invite" wraps the new secret for every current member (ECDH P-256 with a
 * fresh ephemeral key → HKDF-SHA256 → AES-GCM) and writes the wrapped copies into the notebook,
 * which still syncs in the old room. Members unwrap theirs and move to the new room; someone who
 * only holds an old invite can read the notebook as it was but cannot follow: there is no copy
 * of the new secret for them.
 */

/** A member's key pair as stored on this computer (JWK, so it survives in extension storage). */
export interface MemberKeyPair {
  publicJwk: JsonWebKey;
  privateJwk: JsonWebKey;
}

/** The new secret, wrapped for one member. */
export interface WrappedSecret {
  /** The ephemeral public key (JWK). */
  epk: JsonWebKey;
  /** Base64 IV and ciphertext. */
  iv: string;
  ct: string;
}

/** A rotation record: the epoch (increases by one each time) and the wrapped secrets by person id. */
export interface Rotation {
  epoch: number;
  by: string;
  wrapped: Record<string, WrappedSecret>;
}

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const enc = new TextEncoder();
const b64 = (u: Uint8Array) => btoa(String.fromCharCode(...u));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** Makes this person's member key pair (once, at first use). */
export async function generateMemberKeys(): Promise<MemberKeyPair> {
  const pair = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
  return {
    publicJwk: await crypto.subtle.exportKey('jwk', pair.publicKey),
    privateJwk: await crypto.subtle.exportKey('jwk', pair.privateKey),
  };
}

async function wrapKey(priv: CryptoKey, pub: CryptoKey, epoch: number, personId: string): Promise<CryptoKey> {
  const bits = await crypto.subtle.deriveBits({ name: 'ECDH', public: pub }, priv, 256);
  const hk = await crypto.subtle.importKey('raw', bits, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: enc.encode(`partner-notebook rotation ${epoch}`), info: enc.encode(personId) },
    hk,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Wraps `secret` for each member (person id → public JWK). Members whose key cannot be read are skipped. */
export async function wrapSecret(secret: Uint8Array, members: Record<string, JsonWebKey>, epoch: number, by: string): Promise<Rotation> {
  const wrapped: Record<string, WrappedSecret> = {};
  for (const [personId, jwk] of Object.entries(members)) {
    let pub: CryptoKey;
    try {
      pub = await crypto.subtle.importKey('jwk', jwk, ECDH, false, []);
    } catch {
      continue;
    }
    const eph = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
    const key = await wrapKey(eph.privateKey, pub, epoch, personId);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, secret as Uint8Array<ArrayBuffer>));
    wrapped[personId] = { epk: await crypto.subtle.exportKey('jwk', eph.publicKey), iv: b64(iv), ct: b64(ct) };
  }
  return { epoch, by, wrapped };
}

/** Unwraps this person's copy of the new secret; undefined when there is none or it does not decrypt. */
export async function unwrapSecret(rotation: Rotation, personId: string, keys: MemberKeyPair): Promise<Uint8Array | undefined> {
  const w = rotation.wrapped[personId];
  if (!w) return undefined;
  try {
    const priv = await crypto.subtle.importKey('jwk', keys.privateJwk, ECDH, false, ['deriveBits']);
    const epk = await crypto.subtle.importKey('jwk', w.epk, ECDH, false, []);
    const key = await wrapKey(priv, epk, rotation.epoch, personId);
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(w.iv) }, key, unb64(w.ct)));
  } catch {
    return undefined;
  }
}

/** Parses a rotation record read from the notebook (untrusted). */
export function parseRotation(v: unknown): Rotation | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const r = v as Record<string, unknown>;
  if (typeof r.epoch !== 'number' || !Number.isInteger(r.epoch) || r.epoch < 1 || typeof r.by !== 'string') return undefined;
  if (!r.wrapped || typeof r.wrapped !== 'object') return undefined;
  const wrapped: Record<string, WrappedSecret> = {};
  for (const [k, w] of Object.entries(r.wrapped as Record<string, unknown>)) {
    const x = w as Record<string, unknown>;
    if (x && typeof x.iv === 'string' && typeof x.ct === 'string' && x.epk && typeof x.epk === 'object') wrapped[k] = { epk: x.epk as JsonWebKey, iv: x.iv, ct: x.ct };
  }
  return { epoch: r.epoch, by: r.by, wrapped };
}
