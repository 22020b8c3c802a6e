/**
 * Hostile peers (issue 8): spoofed presence through awareness.
 * The harness, and why it is the real receive path: `fixtures/hostile-peer.ts`.
 */
import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import { parseUser } from '../../../../lib/sync/live/live-sync';
import { ANA, BATBAYAR } from '../../factories';
import { awarenessMessage, connectHostilePeer, installHostilePeerHarness, seededNotebook } from './fixtures/hostile-peer';

installHostilePeerHarness();

describe('(e) spoofed presence through awareness', () => {
  async function presenceFrom(states: [number, unknown][]) {
    const { doc } = seededNotebook();
    const c = await connectHostilePeer(doc);
    for (const [clientId, state] of states) await c.send(awarenessMessage(clientId, JSON.stringify(state)));
    return { c, people: c.live.people(), status: c.live.status() };
  }

  test('cleaned and bounded: colour, a 1 MB name and id, a long topic id', async () => {
    const { people, c } = await presenceFrom([
      [501, { user: { id: 'p-x'.repeat(100_000), name: 'N'.repeat(1024 * 1024), color: 'red;background:url(x)' }, topicId: 't'.repeat(10_000) }],
      [502, { user: { id: 'p-y', name: '', color: '#12345G' } }],
    ]);
    expect(c.thrown).toEqual([]);
    const byId = new Map(people.map((p) => [p.id.slice(0, 3), p]));
    const big = byId.get('p-x')!;
    expect(big.id.length).toBe(64);
    expect(big.name.length).toBe(80);
    expect(big.color).toBe('#57606a');
    expect(big.topicId!.length).toBe(64);
    expect(byId.get('p-y')).toMatchObject({ name: 'Partner', color: '#57606a' });
  });

  test('a non-object user, or none, is not listed', async () => {
    const { people } = await presenceFrom([
      [601, { user: 'Batbayar' }],
      [602, { user: 42 }],
      [603, { user: null }],
      [604, { user: ['id', 'name'] }],
      [605, { user: { id: 7, name: {} } }],
      [606, { topicId: 'x' }],
      [607, 'just a string'],
    ]);
    expect(people).toEqual([]);
    expect(parseUser(undefined)).toBeUndefined();
    expect(parseUser('x')).toBeUndefined();
  });

  test('impersonation is NOT detectable: awareness is unauthenticated, so a member can claim any id and name', async () => {
    // Pinned as a known limit (README threat model: members are trusted). A claim of this
    // person's own id is hidden rather than shown as a second "me"; a claim of a partner's id
    // merges with (or stands in for) that partner's entry.
    const { people, status } = await presenceFrom([
      [701, { user: { id: BATBAYAR.id, name: BATBAYAR.name, color: '#d29922' }, topicId: 'evil-topic' }],
      [702, { user: { id: ANA.id, name: 'Ana (fake)', color: '#000000' } }],
    ]);
    expect(people.map((p) => [p.id, p.name, p.topicId])).toEqual([[BATBAYAR.id, BATBAYAR.name, 'evil-topic']]);
    expect(status.message).toBe(`Connected with ${BATBAYAR.name}`);
  });
});
