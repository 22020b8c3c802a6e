// The images doc's rooms and keys: derived from the invite secret, unrelated to the notebook's.
import { describe, expect, it } from 'vitest';
import { deriveImagesSecret, deriveKeys } from '../../../../lib/sync/keys/derive';

const secret = new Uint8Array(32).map((_, i) => i * 7);

describe('deriveImagesSecret', () => {
  it('gives both partners the same images rooms, distinct from the notebook rooms', async () => {
    const a = await deriveKeys(await deriveImagesSecret(secret));
    const b = await deriveKeys(await deriveImagesSecret(secret.slice()));
    const notebook = await deriveKeys(secret);
    expect(a.roomName).toBe(b.roomName);
    expect(a.relayRoom).toBe(b.relayRoom);
    expect(a.roomName).not.toBe(notebook.roomName);
    expect(a.relayRoom).not.toBe(notebook.relayRoom);
    expect(a.webrtcPassword).not.toBe(notebook.webrtcPassword);
    expect(a.writeToken).not.toBe(notebook.writeToken);
  });
  it('changes with the secret (a new invite moves the images too) and refuses a wrong-sized one', async () => {
    const other = secret.slice();
    other[0] = other[0]! ^ 1;
    expect((await deriveKeys(await deriveImagesSecret(other))).roomName).not.toBe((await deriveKeys(await deriveImagesSecret(secret))).roomName);
    await expect(deriveImagesSecret(new Uint8Array(16))).rejects.toThrow(TypeError);
  });
});
