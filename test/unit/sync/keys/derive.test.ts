import { describe, expect, it } from 'vitest';
import { DecryptError, IV_BYTES, decryptUpdate, deriveKeys, encryptUpdate } from '../../../../lib/sync/keys/derive';

const secretA = new Uint8Array(32).map((_, i) => i);
const secretB = new Uint8Array(32).map((_, i) => 255 - i);
const update = new TextEncoder().encode('clip: Reading club for adults — comment: let us try this in Leipzig');

describe('deriveKeys', () => {
  it('is deterministic: both partners derive the same values from the same secret', async () => {
    const [a, b] = await Promise.all([deriveKeys(secretA), deriveKeys(secretA.slice())]);
    expect(a.roomName).toBe(b.roomName);
    expect(a.webrtcPassword).toBe(b.webrtcPassword);
    expect(a.writeToken).toBe(b.writeToken);
    // The relay key is non-extractable, so compare by behaviour: b decrypts what a encrypted.
    expect(await decryptUpdate(b, await encryptUpdate(a, update))).toEqual(update);
  });

  it('has the documented shapes', async () => {
    const k = await deriveKeys(secretA);
    expect(k.roomName).toMatch(/^[0-9a-f]{32}$/);
    expect(k.writeToken).toMatch(/^[0-9a-f]{64}$/);
    expect(k.webrtcPassword).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(k.relayKey.extractable).toBe(false);
    expect(k.relayKey.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect([...k.relayKey.usages].sort()).toEqual(['decrypt', 'encrypt']);
  });

  it('derives distinct, unrelated outputs per label', async () => {
    const k = await deriveKeys(secretA);
    const password = Buffer.from(k.webrtcPassword, 'base64url').toString('hex');
    const outputs = [k.roomName, k.writeToken, password];
    expect(new Set(outputs).size).toBe(3);
    // No output is a prefix of another (as it would be if labels were ignored and lengths differed).
    for (const x of outputs) for (const y of outputs) if (x !== y) expect(y.startsWith(x.slice(0, 16))).toBe(false);
    // None of them is the secret.
    const secretHex = Buffer.from(secretA).toString('hex');
    for (const x of outputs) expect(secretHex).not.toContain(x.slice(0, 16));
  });

  it('different secrets give different values', async () => {
    const [a, b] = await Promise.all([deriveKeys(secretA), deriveKeys(secretB)]);
    expect(a.roomName).not.toBe(b.roomName);
    expect(a.webrtcPassword).not.toBe(b.webrtcPassword);
    expect(a.writeToken).not.toBe(b.writeToken);
  });

  it('refuses a secret of the wrong length', async () => {
    await expect(deriveKeys(new Uint8Array(16))).rejects.toThrow(TypeError);
  });
});

describe('encryptUpdate / decryptUpdate', () => {
  it('round-trips, including an empty and a 1 MB update', async () => {
    const k = await deriveKeys(secretA);
    for (const bytes of [update, new Uint8Array(0), new Uint8Array(1_000_000).fill(7)]) {
      const sealed = await encryptUpdate(k, bytes);
      expect(sealed.length).toBe(IV_BYTES + bytes.length + 16);
      // Buffer.equals: a deep toEqual over a million array elements takes seconds.
      expect(Buffer.from(await decryptUpdate(k, sealed)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('uses a fresh IV for every message', async () => {
    const k = await deriveKeys(secretA);
    const ivs = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const sealed = await encryptUpdate(k, update);
      ivs.add(Buffer.from(sealed.subarray(0, IV_BYTES)).toString('hex'));
    }
    expect(ivs.size).toBe(200);
    const [x, y] = await Promise.all([encryptUpdate(k, update), encryptUpdate(k, update)]);
    expect(Buffer.from(x).equals(Buffer.from(y))).toBe(false);
  });

  it('a wrong key gives DecryptError', async () => {
    const [a, b] = await Promise.all([deriveKeys(secretA), deriveKeys(secretB)]);
    const sealed = await encryptUpdate(a, update);
    const err = await decryptUpdate(b, sealed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecryptError);
    expect((err as DecryptError).message).toMatch(/could not be unlocked.*different invite or was damaged/);
    expect((err as DecryptError).cause).toBeDefined();
  });

  it('flipping any single byte (IV, ciphertext or tag) gives DecryptError', async () => {
    const k = await deriveKeys(secretA);
    const sealed = await encryptUpdate(k, update);
    for (const at of [0, IV_BYTES - 1, IV_BYTES, IV_BYTES + 5, sealed.length - 1]) {
      const bad = sealed.slice();
      bad[at]! ^= 0x01;
      await expect(decryptUpdate(k, bad), `byte ${at}`).rejects.toBeInstanceOf(DecryptError);
    }
  });

  it('the room name is bound as additional data: the same key in another room fails', async () => {
    const k = await deriveKeys(secretA);
    const sealed = await encryptUpdate(k, update);
    await expect(decryptUpdate({ relayKey: k.relayKey, roomName: 'f'.repeat(32) }, sealed)).rejects.toBeInstanceOf(DecryptError);
  });

  it('too short to hold IV and tag gives DecryptError', async () => {
    const k = await deriveKeys(secretA);
    await expect(decryptUpdate(k, new Uint8Array(27))).rejects.toBeInstanceOf(DecryptError);
  });
});
