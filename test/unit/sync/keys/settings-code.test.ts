import { describe, expect, it } from 'vitest';
import { checksum, encodeInvite, createInvite } from '../../../../lib/sync/keys/invite';
import {
  encodeSettingsCode,
  MAX_PASTE_CHARS,
  makeProgrammeSettings,
  parseSettingsCode,
  settingsChanges,
  settingsLink,
  SettingsCodeError,
  type ProgrammeSettings,
} from '../../../../protocol/settings-code';

const iln: ProgrammeSettings = makeProgrammeSettings({
  programme: 'ILN 2026 — Ulaanbaatar · Leipzig',
  signaling: ['wss://sync.example.org'],
  iceServers: [
    { urls: 'stun:turn.example.org:3478' },
    { urls: 'turns:turn.example.org:5349?transport=tcp', username: '1767225600:iln', credential: 'c2VjcmV0LWNyZWRlbnRpYWw=' },
  ],
});

function errorOf(text: string): SettingsCodeError {
  try {
    parseSettingsCode(text);
  } catch (e) {
    if (e instanceof SettingsCodeError) return e;
    throw e;
  }
  throw new Error('expected a SettingsCodeError');
}

describe('settings codes', () => {
  it('round-trips servers, TURN credentials and the programme name, as a code and as a link', () => {
    const code = encodeSettingsCode(iln);
    expect(code).toMatch(/^PNS1-[A-Za-z0-9_-]+-[A-Za-z0-9_-]{6}$/);
    expect(parseSettingsCode(code)).toEqual(iln);
    expect(parseSettingsCode(settingsLink(iln))).toEqual(iln);
    expect(code.length).toBeLessThan(400);
  });

  it('survives what mail clients do: wrapping, quote markers, angle brackets, words after it, percent-encoding', () => {
    const code = encodeSettingsCode(iln);
    const wrapped = `Hello all,\n> ${code.slice(0, 40)}\n> ${code.slice(40, 90)}\n> ${code.slice(90)}\nThanks!`;
    expect(parseSettingsCode(wrapped)).toEqual(iln);
    expect(parseSettingsCode(`<${settingsLink(iln)}>.`)).toEqual(iln);
    expect(parseSettingsCode(`${code} Thanks, Maria`)).toEqual(iln);
    expect(parseSettingsCode(encodeURIComponent(settingsLink(iln)))).toEqual(iln);
  });

  it('a changed or cut-off code is refused with what to do', () => {
    const code = encodeSettingsCode(iln);
    const i = 20;
    const changed = code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1);
    expect(errorOf(changed)).toMatchObject({ code: 'damaged', message: expect.stringMatching(/changed or lost/) });
    expect(errorOf(code.slice(0, 30)).code).toBe('damaged');
    expect(errorOf('   ').code).toBe('empty');
    expect(errorOf('hello').code).toBe('not-a-code');
    expect(errorOf('PNS9-abc-defghi').code).toBe('unsupported-version');
    expect(errorOf('x'.repeat(MAX_PASTE_CHARS + 1)).code).toBe('too-long');
  });

  it('an invite pasted by mistake is recognised and the person is sent to "Join a notebook"', () => {
    const invite = encodeInvite(createInvite({ notebookId: 'nb-1', signaling: ['wss://sync.example.org'] }));
    expect(errorOf(invite)).toMatchObject({ code: 'is-invite', message: expect.stringMatching(/Join a notebook/) });
  });

  it('requires wss:// except for a server on this computer; refuses other schemes and credentials', () => {
    expect(makeProgrammeSettings({ signaling: ['ws://127.0.0.1:4444'] }).signaling).toEqual(['ws://127.0.0.1:4444']);
    expect(makeProgrammeSettings({ signaling: ['ws://localhost:4444/'] }).signaling).toEqual(['ws://localhost:4444']);
    for (const bad of [
      'ws://sync.example.org',
      'https://sync.example.org',
      'javascript:alert(1)',
      'wss://user:pw@sync.example.org',
      `wss://${'a'.repeat(300)}.org`,
    ]) {
      expect(() => makeProgrammeSettings({ signaling: [bad] }), bad).toThrow(SettingsCodeError);
    }
    expect(() => makeProgrammeSettings({ signaling: [] })).toThrow(/names no sync server/);
    expect(() => makeProgrammeSettings({ signaling: Array(5).fill('wss://a.example.org') })).toThrow(/at most 4/);
  });

  it('a TURN server needs its username and password; STUN takes none; odd URLs are refused', () => {
    expect(() => makeProgrammeSettings({ signaling: ['wss://s.example.org'], iceServers: [{ urls: 'turn:t.example.org:3478' }] })).toThrow(
      /username and password/,
    );
    expect(
      makeProgrammeSettings({ signaling: ['wss://s.example.org'], iceServers: [{ urls: 'stun:t.example.org', username: 'x', credential: 'y' }] }).iceServers,
    ).toEqual([{ urls: 'stun:t.example.org' }]);
    for (const urls of ['http://t.example.org', 'turn:', 'turn:a b', 'turn:t.example.org?transport=sctp']) {
      expect(() => makeProgrammeSettings({ signaling: ['wss://s.example.org'], iceServers: [{ urls, username: 'u', credential: 'p' }] }), urls).toThrow(
        SettingsCodeError,
      );
    }
  });

  it('a hand-made code with a non-local ws:// server is refused when pasted (validated on read, not only on write)', () => {
    // Build the payload by hand: tag 1, length, "ws://evil.example.org".
    const url = new TextEncoder().encode('ws://evil.example.org');
    const payload = new Uint8Array([1, 0, url.length, ...url]);
    const b64 = Buffer.from(payload).toString('base64url');
    const body = `PNS1-${b64}`;
    expect(errorOf(`${body}-${checksum(body)}`).code).toBe('bad-server');
  });

  it('programme names lose control and direction-override characters and are cut to 80 characters', () => {
    const s = makeProgrammeSettings({ programme: `ILN\u202e 2026\n${'x'.repeat(100)}`, signaling: ['wss://s.example.org'] });
    expect(s.programme).not.toMatch(/[\u202e\n]/);
    expect([...s.programme!].length).toBeLessThanOrEqual(80);
  });

  it('lists only what changes, and never shows a TURN password', () => {
    const changes = settingsChanges({ signaling: ['ws://127.0.0.1:4444'], iceServers: [] }, iln);
    expect(changes.map((c) => c.what)).toEqual(['Sync server', 'STUN/TURN servers', 'Programme']);
    expect(changes[0]).toEqual({ what: 'Sync server', from: 'ws://127.0.0.1:4444', to: 'wss://sync.example.org' });
    expect(JSON.stringify(changes)).not.toContain('c2VjcmV0LWNyZWRlbnRpYWw=');
    expect(settingsChanges({ signaling: iln.signaling, iceServers: iln.iceServers, programme: iln.programme }, iln)).toEqual([]);
  });
});
