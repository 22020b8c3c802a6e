import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, makeOriginCheck, parseBytes, parseCli, resolveOptions } from '../config.ts';

describe('server options', () => {
  it('parses flags over environment variables, leaving the rest to defaults', () => {
    const r = parseCli(
      ['--port', '0', '--allow-origin', 'https://a.example', '--allow-origin', 'https://b.example', '--room-quota', '16m', '--ping-interval', '5'],
      { PORT: '9999', HOST: '0.0.0.0', PN_RETENTION_DAYS: '7', PN_ROOM_QUOTA: '1g' },
    );
    expect(r.help).toBe(false);
    if (r.help) return;
    const o = resolveOptions(r.options);
    expect(o).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      retentionDays: 7,
      roomQuotaBytes: 16 * 1024 * 1024,
      pingIntervalMs: 5000,
      allowOrigins: ['https://a.example', 'https://b.example'],
      allowExtensionOrigins: true,
      maxSignalBytes: DEFAULT_OPTIONS.maxSignalBytes,
      dataDir: './.data/relay',
    });
    const empty = parseCli([], {});
    expect(!empty.help && resolveOptions(empty.options)).toEqual(resolveOptions());
    expect(parseCli(['--no-extension-origins'], {})).toMatchObject({ options: { allowExtensionOrigins: false } });
    expect(parseCli([], { PN_ALLOW_ORIGINS: 'https://x.example, https://y.example' })).toMatchObject({
      options: { allowOrigins: ['https://x.example', 'https://y.example'] },
    });
    expect(parseCli(['--help'], {})).toEqual({ help: true });
  });

  it('rejects unknown flags and impossible values with the flag named', () => {
    expect(() => parseCli(['--prot', '1'], {})).toThrow(/prot/);
    expect(() => parseCli(['--rate', 'fast'], {})).toThrow(/--rate/);
    expect(() => resolveOptions({ port: 70000 })).toThrow(/port/);
    expect(() => resolveOptions({ rateBurst: 0 })).toThrow(/rateBurst/);
    expect(() => parseBytes('12 parsecs')).toThrow(/byte size/);
    expect([parseBytes('65536'), parseBytes('64k'), parseBytes('1MiB'), parseBytes('8g')]).toEqual([65536, 65536, 1048576, 8 * 1024 ** 3]);
  });

  it('matches origins: extensions by default, wildcards, no web pages, missing Origin allowed', () => {
    const check = makeOriginCheck({ allowOrigins: ['https://*.partner.example'], allowExtensionOrigins: true });
    expect(check('chrome-extension://abc')).toBe(true);
    expect(check('MOZ-EXTENSION://1-2-3')).toBe(true);
    expect(check('https://lib.partner.example')).toBe(true);
    expect(check('https://partner.example.evil.example')).toBe(false);
    expect(check('https://evil.example')).toBe(false);
    expect(check(undefined)).toBe(true);
    expect(makeOriginCheck({ allowOrigins: ['*'], allowExtensionOrigins: false })('https://any.example')).toBe(true);
  });

  it('selects the PostgreSQL store and Redis fan-out by flag or environment, and refuses half a setup', () => {
    const r = parseCli(['--store', 'postgres', '--database-url', 'postgres://relay:pw@db.example/relay'], { PN_REDIS_URL: 'redis://cache.example:6379' });
    expect(!r.help && resolveOptions(r.options)).toMatchObject({
      store: 'postgres',
      databaseUrl: 'postgres://relay:pw@db.example/relay',
      redisUrl: 'redis://cache.example:6379',
    });
    expect(resolveOptions().store).toBe('embedded');
    expect(resolveOptions().redisUrl).toBeUndefined();
    expect(parseCli([], { PN_STORE: 'postgres', PN_DATABASE_URL: 'postgresql://x/y' })).toMatchObject({
      options: { store: 'postgres', databaseUrl: 'postgresql://x/y' },
    });
    expect(() => resolveOptions({ store: 'postgres' })).toThrow(/database URL/);
    expect(() => resolveOptions({ store: 'mysql' as never })).toThrow(/embedded or postgres/);
    expect(() => resolveOptions({ store: 'postgres', databaseUrl: 'http://db.example' })).toThrow(/postgres:\/\//);
    expect(() => resolveOptions({ redisUrl: 'db.example:6379' })).toThrow(/redis:\/\//);
  });
});
