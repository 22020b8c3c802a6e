/**
 * The first, unsigned rotation scheme's wrap (ECDH P-256 → HKDF → AES-GCM, one per person id), as an
 * attacker would write it against the earlier build: the unit attacks and the end-to-end attacker share it.
 */

/** Wraps `secret` for the person whose public key is `jwk`, for rotation `epoch`. */
export async function legacyWrap(secret: Uint8Array, jwk: JsonWebKey, epoch: number, personId: string) {
  const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
  const pub = await crypto.subtle.importKey('jwk', jwk, ECDH, false, []);
  const eph = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'ECDH', public: pub }, eph.privateKey, 256);
  const hk = await crypto.subtle.importKey('raw', bits, 'HKDF', false, ['deriveKey']);
  const enc = new TextEncoder();
  const key = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: enc.encode(`partner-notebook rotation ${epoch}`), info: enc.encode(personId) },
    hk,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, secret as Uint8Array<ArrayBuffer>));
  const b64 = (u: Uint8Array) => btoa(String.fromCharCode(...u));
  return { epk: await crypto.subtle.exportKey('jwk', eph.publicKey), iv: b64(iv), ct: b64(ct) };
}
