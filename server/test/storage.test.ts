import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { roomDirName, StoreError } from '../relay-storage.ts';
import { RelayStore } from '../storage.ts';
import { roomOf, tempDir } from './helpers.ts';

const limits = { maxEntryBytes: 1 << 20, maxSnapshotBytes: 1 << 23, roomQuotaBytes: 1 << 26, totalQuotaBytes: 1 << 30, retentionDays: 0 };
const b = (...xs: number[]) => new Uint8Array(xs);

describe('RelayStore', () => {
  it('assigns seqs in call order to concurrent appends, even while the room is still loading', async () => {
    const store = await RelayStore.open({ dataDir: tempDir(), ...limits });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(roomOf('t'), 't', [b(i)])));
    expect(results.map((s) => s.seqs[0])).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const page = await store.read(roomOf('t'), 0, 1 << 20);
    expect(page.entries.map((e) => e.data[0])).toEqual(Array.from({ length: 50 }, (_, i) => i));
    await store.close();
  });

  it('ignores leftovers of interrupted atomic writes and keeps usage accounting across restarts', async () => {
    const dataDir = tempDir();
    const s1 = await RelayStore.open({ dataDir, ...limits });
    await s1.append(roomOf('t'), 't', [b(1, 2, 3), b(4)]);
    await s1.compact(roomOf('t'), 't', 1, b(9));
    const used = s1.usedBytes;
    await s1.close();

    const dir = path.join(dataDir, 'rooms', roomDirName(roomOf('t')));
    const logBytes = statSync(path.join(dir, 'log')).size;
    const metaBytes = statSync(path.join(dir, 'meta.json')).size;
    // Counted in whole 4 KiB blocks: the directory, the log and meta.json.
    const block = (n: number) => Math.ceil(n / 4096) * 4096;
    expect(used).toBe(4096 + block(logBytes) + block(metaBytes));
    // A crash between "write tmp" and "rename" leaves these behind; they must not count.
    writeFileSync(path.join(dir, 'log.tmp'), 'half a compaction');
    writeFileSync(path.join(dir, 'meta.json.tmp'), '{"credential":"bogus"');

    const s2 = await RelayStore.open({ dataDir, ...limits });
    expect(s2.usedBytes).toBe(used);
    const page = await s2.read(roomOf('t'), 0, 1 << 20);
    expect(page.entries).toEqual([
      { seq: 1, kind: 'snapshot', data: b(9) },
      { seq: 2, kind: 'update', data: b(4) },
    ]);
    expect(existsSync(path.join(dir, 'log.tmp'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8'))).toMatchObject({ compactedUpTo: 1 });
    await expect(s2.append(roomOf('t'), 'other', [b(1)])).rejects.toBeInstanceOf(StoreError);
    // Naming a generation needs the room to exist with it.
    await expect(s2.append(roomOf('fresh'), 'fresh', [b(1)], { generation: '' })).rejects.toMatchObject({ code: 'conflict' });
    await s2.close();
    await expect(s2.append(roomOf('t'), 't', [b(1)])).rejects.toMatchObject({ code: 'internal' });
  });
});
