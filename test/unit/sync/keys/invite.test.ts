import { describe, expect, it, vi } from 'vitest';
import {
  INVITE_LINK_BASE,
  InviteError,
  type InviteErrorCode,
  MAX_TITLE_CHARS,
  createInvite,
  encodeInvite,
  inviteLink,
  parseInvite,
} from '../../../../lib/sync/keys/invite';
import { deriveKeys } from '../../../../lib/sync/keys/derive';

/** Deterministic "randomness": byte i = seed + i. */
function fixedRandom(seed = 1) {
  return (bytes: Uint8Array) => {
    bytes.forEach((_, i) => (bytes[i] = (seed + i) & 0xff));
    return bytes;
  };
}

function makeInvite(over: { title?: string; signaling?: string[]; notebookId?: string } = {}) {
  return createInvite(
    {
      notebookId: over.notebookId ?? 'nb-7f3a9c',
      title: over.title ?? 'Reading clubs: Ulaanbaatar & Leipzig',
      signaling: over.signaling ?? ['wss://signal.example.org/pn'],
    },
    fixedRandom(),
  );
}

function errorOf(input: string): InviteError {
  try {
    parseInvite(input);
  } catch (err) {
    expect(err).toBeInstanceOf(InviteError);
    return err as InviteError;
  }
  throw new Error(`parseInvite accepted ${JSON.stringify(input)}`);
}

function expectInviteError(input: string, code: InviteErrorCode, message: RegExp) {
  const err = errorOf(input);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
  expect(err).toBeInstanceOf(Error);
  expect(err.name).toBe('InviteError');
  return err;
}

// Test-only CRC-32 and base64url, to hand-craft codes with a valid checksum but bad content
// (as a malicious inviter could); the module does not export its internals.
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
function craftCode(payload: Uint8Array, version = 1): string {
  const body = `PN${version}-${b64url(payload)}`;
  const c = crc32(new TextEncoder().encode(body));
  return `${body}-${b64url(new Uint8Array([c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255]))}`;
}
function craftPayload(fields: Array<[number, string]>, id = 'nb-1'): Uint8Array {
  const parts: number[] = [...new Uint8Array(32).fill(9), id.length, ...new TextEncoder().encode(id)];
  for (const [tag, value] of fields) {
    const v = new TextEncoder().encode(value);
    parts.push(tag, v.length >> 8, v.length & 255, ...v);
  }
  return new Uint8Array(parts);
}

describe('invite round trip', () => {
  it('encodes to PN1-<payload>-<checksum> and parses back to the same invite', () => {
    const invite = makeInvite();
    const code = encodeInvite(invite);
    expect(code).toMatch(/^PN1-[A-Za-z0-9_-]+-[A-Za-z0-9_-]{6}$/);
    expect(parseInvite(code)).toEqual(invite);
  });

  it('round-trips an invite without title or signaling', () => {
    const invite = createInvite({ notebookId: 'n' }, fixedRandom(200));
    expect(invite.signaling).toEqual([]);
    expect(invite.title).toBeUndefined();
    expect(parseInvite(encodeInvite(invite))).toEqual(invite);
  });

  it('round-trips several signaling URLs and a non-Latin title', () => {
    const invite = makeInvite({ title: 'Уншлагын клуб — 読書会', signaling: ['wss://a.example/x', 'ws://10.0.0.2:4444'] });
    expect(parseInvite(encodeInvite(invite))).toEqual(invite);
  });

  it('accepts the https link, the web+ scheme and the extension side-panel link', () => {
    const invite = makeInvite();
    const code = encodeInvite(invite);
    expect(inviteLink(invite)).toBe(`${INVITE_LINK_BASE}${code}`);
    expect(inviteLink(invite)).toMatch(/^https:\/\/partner-notebook\.invalid\/join#PN1-/);
    for (const form of [
      inviteLink(invite),
      `web+partnernotebook:${code}`,
      `chrome-extension://abcdefghijklmnopabcdefghijklmnop/sidepanel.html#join=${code}`,
      `moz-extension://0b7c1c57-2f3e-4a8e-9b1d-3c1e1a2b3c4d/sidepanel.html#join=${code}`,
      // What a protocol handler passes on: the whole URL, percent-encoded.
      `chrome-extension://abc/sidepanel.html#join=${encodeURIComponent(`web+partnernotebook:${code}`)}`,
    ]) {
      expect(parseInvite(form), form).toEqual(invite);
    }
  });

  it('survives what mail clients do: <…>, quotes, trailing punctuation, wrapped lines, reply markers', () => {
    const invite = makeInvite();
    const code = encodeInvite(invite);
    const link = inviteLink(invite);
    const wrapped = `${code.slice(0, 40)}\r\n${code.slice(40, 90)}\n  ${code.slice(90)}`;
    for (const pasted of [
      `  ${code}\n`,
      `"${code}"`,
      `\u201c${code}\u201d`,
      `'${code}'.`,
      `Join my notebook: <${link}>.`,
      `<${link}>,`,
      `(${link})!`,
      `${code} Thanks, see you Tuesday!`,
      wrapped,
      `> ${code.slice(0, 50)}\n> ${code.slice(50)}\n>\n> Best, Saraa`,
    ]) {
      expect(parseInvite(pasted), pasted).toEqual(invite);
    }
  });

  it('cuts titles to 80 characters and strips control and bidi-override characters', () => {
    const long = 'ä'.repeat(120);
    expect([...makeInvite({ title: long }).title!]).toHaveLength(MAX_TITLE_CHARS);
    expect(makeInvite({ title: 'Club\u202e\u0007 notes\n' }).title).toBe('Club notes');
  });
});

describe('invite secret', () => {
  it('draws all 256 bits of the secret from the random source', () => {
    const random = vi.fn((bytes: Uint8Array) => bytes.fill(0xab));
    const invite = createInvite({ notebookId: 'nb' }, random);
    expect(random).toHaveBeenCalledTimes(1);
    expect(random.mock.calls[0]![0]).toHaveLength(32);
    expect(invite.secret).toEqual(new Uint8Array(32).fill(0xab));
  });

  it('uses crypto.getRandomValues by default, called on crypto (no "Illegal invocation")', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    try {
      const a = createInvite({ notebookId: 'nb' });
      const b = createInvite({ notebookId: 'nb' });
      expect(spy).toHaveBeenCalledTimes(2);
      expect(spy.mock.contexts[0]).toBe(globalThis.crypto);
      expect(a.secret).toHaveLength(32);
      expect(a.secret).not.toEqual(b.secret);
      expect(encodeInvite(a)).not.toBe(encodeInvite(b));
    } finally {
      spy.mockRestore();
    }
  });

  it('a fresh secret looks random: about half the bits set, many distinct bytes', () => {
    const { secret } = createInvite({ notebookId: 'nb' });
    const ones = [...secret].reduce((n, b) => n + b.toString(2).replace(/0/g, '').length, 0);
    expect(ones).toBeGreaterThan(80); // of 256; expected 128, sd 8
    expect(ones).toBeLessThan(176);
    expect(new Set(secret).size).toBeGreaterThan(20);
  });

  it('the room name servers see contains neither the notebook id nor the title', async () => {
    const invite = makeInvite({ notebookId: 'cafe1234', title: 'cafe' });
    const { roomName } = await deriveKeys(invite.secret);
    expect(roomName).toMatch(/^[0-9a-f]{32}$/);
    expect(roomName).not.toContain('cafe1234');
    expect(roomName).not.toContain(invite.notebookId);
    expect(roomName.toLowerCase()).not.toContain(Buffer.from(invite.notebookId).toString('hex'));
    // Same secret, different id and title: same room. The room depends on the secret alone.
    const other = { ...invite, notebookId: 'other', title: 'Other' };
    expect((await deriveKeys(other.secret)).roomName).toBe(roomName);
  });
});

describe('invite errors', () => {
  const code = encodeInvite(makeInvite());

  it('empty', () => {
    for (const input of ['', '   ', '\n\t']) {
      expectInviteError(input, 'empty', /There is no invite here yet\. Paste the invite code or link/);
    }
  });

  it('not-an-invite: random text, other links', () => {
    for (const input of ['hello, here is the notebook!', 'https://example.org/join#abc', 'OPEN1-abc', 'PN0-abcdef-abcdef']) {
      expectInviteError(input, 'not-an-invite', /does not look like a Partner Notebook invite.*starts with "PN1-".*Copy the whole code/);
    }
  });

  it('damaged: one character changed anywhere', () => {
    const positions = [4, 10, Math.floor(code.length / 2), code.length - 9, code.length - 1];
    for (const at of positions) {
      const ch = code[at] === 'A' ? 'B' : 'A';
      const changed = code.slice(0, at) + ch + code.slice(at + 1);
      expectInviteError(changed, 'damaged', /has a mistake in it.*Copy and paste it again|looks cut off/);
    }
    // Every single-character substitution is caught by CRC-32.
    let caught = 0;
    for (let at = 4; at < code.length; at++) {
      for (const ch of ['x', '0', '_']) {
        if (code[at] === ch) continue;
        const changed = code.slice(0, at) + ch + code.slice(at + 1);
        expect(() => parseInvite(changed)).toThrow(InviteError);
        caught++;
      }
    }
    expect(caught).toBeGreaterThan(3 * (code.length - 4) - 10);
  });

  it('damaged: a truncated code says it looks cut off', () => {
    for (const keep of [8, 30, code.length - 20, code.length - 7, code.length - 3]) {
      expectInviteError(code.slice(0, keep), 'damaged', /This invite code looks cut off\. Ask your partner to send it again, or copy the whole line\./);
    }
    expectInviteError('PN1-', 'damaged', /cut off/);
    expectInviteError(`${INVITE_LINK_BASE}${code.slice(0, 60)}`, 'damaged', /cut off/);
  });

  it('damaged: valid checksum over bytes that are not an invite', () => {
    const err = expectInviteError(craftCode(new Uint8Array([1, 2, 3])), 'damaged', /damaged and cannot be used.*create a new invite/);
    expect(err.cause).toBeInstanceOf(Error);
    expectInviteError(craftCode(craftPayload([[7, 'x']])), 'damaged', /damaged/);
    expectInviteError(craftCode(craftPayload([[2, 'x'.repeat(81)]])), 'damaged', /damaged/);
    expectInviteError(craftCode(craftPayload([], 'bad id!')), 'damaged', /damaged/);
  });

  it('unsupported-version: a code from a future format', () => {
    const future = craftCode(craftPayload([]), 2);
    expectInviteError(future, 'unsupported-version', /made by a newer version of Partner Notebook\. Update the extension/);
    expectInviteError(`${INVITE_LINK_BASE}PN17-whatever-abcdef`, 'unsupported-version', /newer version/);
  });

  it('bad-signaling-url: javascript:, http: and credentials are refused, on parse and on create', () => {
    for (const url of ['javascript:alert(document.cookie)', 'https://signal.example.org', 'wss://user:pw@signal.example.org', 'not a url']) {
      const err = expectInviteError(
        craftCode(craftPayload([[1, url]])),
        'bad-signaling-url',
        /names a connection server that Partner Notebook cannot use.*Only addresses starting with ws:\/\/ or wss:\/\/ work/,
      );
      expect(err.message.length).toBeLessThan(400);
      expect(() => createInvite({ notebookId: 'nb', signaling: [url] })).toThrow(expect.objectContaining({ code: 'bad-signaling-url' }));
    }
  });

  it('createInvite refuses a malformed notebook id', () => {
    expect(() => createInvite({ notebookId: '' })).toThrow(TypeError);
    expect(() => createInvite({ notebookId: 'has space' })).toThrow(TypeError);
    expect(() => createInvite({ notebookId: 'x'.repeat(65) })).toThrow(TypeError);
  });

  it('InviteError keeps its cause', () => {
    const cause = new Error('root');
    const err = new InviteError('damaged', 'msg', { cause });
    expect(err.cause).toBe(cause);
    expect(err.code).toBe('damaged');
  });
});
