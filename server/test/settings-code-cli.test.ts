import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSettingsCode } from '../../protocol/settings-code.ts';
import { settingsCodeFromArgs, turnRestCredential } from '../settings-code-cli.ts';
import { ROOT } from './deploy-files.ts';

describe('npm run server -- --print-settings-code', () => {
  it('prints a code and link that the extension reads back: server, programme, STUN, and a TURN credential minted from the coturn secret', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'server/main.ts',
        '--print-settings-code',
        '--public-url',
        'wss://sync.example.org',
        '--programme',
        'ILN 2026',
        '--stun-url',
        'stun:turn.example.org:3478',
        '--turn-url',
        'turns:turn.example.org:5349?transport=tcp',
        '--turn-secret',
        'shared-secret',
        '--turn-days',
        '90',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    const [code, link] = [/^PNS1-\S+$/m.exec(r.stdout)?.[0], /^https:\/\/partner-notebook\.invalid\/settings#\S+$/m.exec(r.stdout)?.[0]];
    expect(parseSettingsCode(link!)).toEqual(parseSettingsCode(code!));
    const s = parseSettingsCode(code!);
    expect(s).toMatchObject({ programme: 'ILN 2026', signaling: ['wss://sync.example.org'] });
    expect(s.iceServers[0]).toEqual({ urls: 'stun:turn.example.org:3478' });
    const turn = s.iceServers[1]!;
    expect(turn.urls).toBe('turns:turn.example.org:5349?transport=tcp');
    // coturn accepts username "<expiry>:<label>" with password base64(HMAC-SHA1(secret, username)).
    const [expiry, label] = turn.username!.split(':');
    expect(label).toBe('partners');
    expect(Number(expiry) - Date.now() / 1000).toBeGreaterThan(89 * 86_400);
    expect(Number(expiry) - Date.now() / 1000).toBeLessThan(91 * 86_400);
    expect(turn.credential).toBe(createHmac('sha1', 'shared-secret').update(turn.username!).digest('base64'));
  });

  it('refuses what partners could not use, naming the flag, with exit code 2 and no server started', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', '--print-settings-code', '--public-url', 'ws://sync.example.org'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/must start with wss:\/\//);
    expect(r.stdout).not.toMatch(/listening/);
    expect(() => settingsCodeFromArgs(['--print-settings-code'])).toThrow(/--public-url is required/);
    expect(() => settingsCodeFromArgs(['--public-url', 'wss://s.example.org', '--turn-url', 'turn:t.example.org'])).toThrow(/needs --turn-secret/);
  });

  it("mints TURN REST credentials as coturn checks them (the value server/README.md's openssl line gives)", () => {
    // printf '%s' '1767225600:partners' | openssl dgst -sha1 -hmac secret -binary | base64
    expect(turnRestCredential('secret', 1767225600, 'partners')).toEqual({ username: '1767225600:partners', credential: 'ZGSDjr/luhl5WjhPJKOYNB0oySI=' });
  });
});
