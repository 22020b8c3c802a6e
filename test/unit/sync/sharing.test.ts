import { describe, expect, it } from 'vitest';
import { claimedMemberIds, isShared } from '../../../lib/sync/sharing';
import { generateMemberKeys, signMemberEntry } from '../../../lib/sync/keys/rotation';

const base = { meId: 'me', memberIds: [] as string[], livePartners: 0, exchanged: false };

describe('isShared', () => {
  it('a fresh notebook with only me in it is not shared', () => {
    expect(isShared(base)).toBe(false);
    expect(isShared({ ...base, memberIds: ['me'] })).toBe(false);
  });
  it('an invite shown or used makes it shared', () => {
    expect(isShared({ ...base, sharedAt: 1 })).toBe(true);
    expect(isShared({ ...base, sharedAt: 0 })).toBe(true);
  });
  it('another member, a live partner or a change from a partner makes it shared', () => {
    expect(isShared({ ...base, memberIds: ['me', 'ana'] })).toBe(true);
    expect(isShared({ ...base, livePartners: 1 })).toBe(true);
    expect(isShared({ ...base, exchanged: true })).toBe(true);
  });
});

describe('claimedMemberIds', () => {
  it('reads the person ids that signed member entries name, and skips damaged ones', async () => {
    const ana = await signMemberEntry(await generateMemberKeys(), 'ana', 'Ana');
    const bat = await signMemberEntry(await generateMemberKeys(), 'bat', 'Batbayar');
    expect(
      claimedMemberIds([
        [ana.keyId, ana.value],
        ['x', '{not json'],
        ['y', '{"p":"{}","s":""}'],
        [bat.keyId, bat.value],
      ]),
    ).toEqual(['ana', 'bat']);
  });
});
