import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseCli, resolveOptions } from '../config.ts';
import { addressKey, clientAddress } from '../limits.ts';
import { TokenBucket } from '../rate-limit.ts';
import { admits } from '../send-buffer.ts';

const req = (remoteAddress: string, xff?: string) =>
  ({ socket: { remoteAddress }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

describe('per-address limits: pure parts', () => {
  it('counts IPv4 as is, IPv4-mapped IPv6 as IPv4, and IPv6 per /64', () => {
    const keys: Record<string, string> = {
      '198.51.100.7': '198.51.100.7',
      '::ffff:198.51.100.7': '198.51.100.7',
      '2001:db8:1:2:aaaa::1': '2001:db8:1:2::/64',
      '2001:db8:1:2:ffff:ffff:ffff:ffff': '2001:db8:1:2::/64',
      '2001:db8::1': '2001:db8:0:0::/64',
      '2001:0db8:0001:0002::9': '2001:db8:1:2::/64',
    };
    for (const [addr, key] of Object.entries(keys)) expect(addressKey(addr), addr).toBe(key);
  });

  it('believes X-Forwarded-For only with trustProxy, and then only its last entry (the one the proxy added)', () => {
    const cases: Array<{ xff?: string; trustProxy: boolean; address: string }> = [
      { xff: '203.0.113.9', trustProxy: false, address: '127.0.0.1' },
      { xff: '203.0.113.9', trustProxy: true, address: '203.0.113.9' },
      // The client wrote the first entry itself; the proxy appended what it saw.
      { xff: '1.2.3.4, 203.0.113.9', trustProxy: true, address: '203.0.113.9' },
      { trustProxy: true, address: '127.0.0.1' },
    ];
    for (const { xff, trustProxy, address } of cases) expect(clientAddress(req('127.0.0.1', xff), trustProxy), `${xff} ${trustProxy}`).toBe(address);
  });

  it('a byte bucket overdraws and says how long to wait; the message bucket refuses instead', () => {
    let now = 0;
    const bytes = new TokenBucket(1000, 2000, () => now);
    expect(bytes.debit(1500)).toBe(0);
    expect(bytes.debit(1500)).toBe(1000); // 1000 in debt at 1000/s
    now += 1000;
    expect(bytes.debit(0)).toBe(0);
    expect(bytes.full).toBe(false);
    now += 2000;
    expect(bytes.full).toBe(true);
    const msgs = new TokenBucket(1, 2, () => now);
    expect([msgs.take(), msgs.take(), msgs.take()]).toEqual([true, true, false]);
    expect(msgs.take(5)).toBe(false);
  });

  it('the send buffer excepts the largest queued frame and nothing else', () => {
    const MiB = 1 << 20;
    // An 11 MiB snapshot reply in the queue, then a pong: fine.
    expect(admits(11 * MiB, [11 * MiB], 100, 4 * MiB)).toBe(true);
    // The same reader with 4 MiB of pushes queued behind it: the next push closes it.
    expect(admits(15 * MiB, [11 * MiB], 200 * 1024, 4 * MiB)).toBe(false);
    // Two snapshot replies queued (pipelined fetches, never read): the second is over.
    expect(admits(11 * MiB, [11 * MiB], 11 * MiB, 4 * MiB)).toBe(false);
    // An empty queue takes any one frame.
    expect(admits(0, [], 11 * MiB, 4 * MiB)).toBe(true);
  });

  it('parses the new flags', () => {
    const r = parseCli(
      [
        '--trust-proxy',
        '--max-connections-per-address',
        '8',
        '--idle-timeout',
        '3',
        '--rate-bytes',
        '256k',
        '--burst-bytes',
        '2m',
        '--rooms-per-address',
        '5',
        '--stored-per-address',
        '64m',
      ],
      {},
    );
    if (r.help) throw new Error('help');
    expect(resolveOptions(r.options)).toMatchObject({
      trustProxy: true,
      maxConnectionsPerAddress: 8,
      idleTimeoutMs: 3000,
      rateBytesPerSec: 256 * 1024,
      rateBurstBytes: 2 * 1024 * 1024,
      roomsPerAddress: 5,
      storedBytesPerAddress: 64 * 1024 * 1024,
    });
    expect(parseCli([], { PN_TRUST_PROXY: '1' })).toMatchObject({ options: { trustProxy: true } });
    expect(resolveOptions().trustProxy).toBe(false);
  });
});
