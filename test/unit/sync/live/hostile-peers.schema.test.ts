/**
 * Hostile peers (issue 8): valid Yjs updates that break the notebook's schema, and a peer that sets the schema version to 999.
 * The harness, and why it is the real receive path: `fixtures/hostile-peer.ts`.
 */
import 'fake-indexeddb/auto';
import { JSDOM } from 'jsdom';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { deflateSync } from 'fflate';
import { purifyForReader, readerDocument, safeHref } from '../../../../lib/clip/reader-html';
import { encodeClipBody } from '../../../../lib/notebook/clip-body';
import {
  LIMITS,
  migrate,
  readClip,
  readClips,
  readMemberEntries,
  readMemberEntry,
  readPartner,
  readProblems,
  readRotationRecords,
  readTopics,
  schemaVersion,
  setMemberEntry,
} from '../../../../lib/notebook';
import { takeSnapshot } from '../../../../lib/notebook/snapshot';
import { citeClip } from '../../../../lib/poster/cite';
import { openNotebookSession } from '../../../../lib/sync/local/notebook-session';
import { commitSecret, generateMemberKeys, resolveRotations, verifyMember } from '../../../../lib/sync/keys/rotation';
import { ANA, BATBAYAR, makeCaptured } from '../../factories';
import { ANA_KEY, attackerOf, copyOf, deliver, expectIntact, installHostilePeerHarness, readable, seededNotebook } from './fixtures/hostile-peer';

installHostilePeerHarness();

describe('(d) valid Yjs updates that break the schema', () => {
  type Attack = { name: string; attack(evil: Y.Doc, ids: { topicId: string; clipId: string }): void; problems: string[]; overwrites?: string };
  const attacks: Attack[] = [
    { name: 'a topics entry that is a string', attack: (e) => e.getMap('topics').set('evil-topic', 'not a map'), problems: ['topics/evil-topic'] },
    {
      name: 'a topic whose title is a Y.Text and order a string',
      attack: (e) => {
        const m = new Y.Map<unknown>();
        e.getMap('topics').set('evil-types', m);
        m.set('title', new Y.Text('x'));
        m.set('order', '1');
      },
      problems: ['topics/evil-types'],
    },
    {
      name: 'a clip whose captured is not JSON',
      attack: (e, { topicId }) => {
        const m = new Y.Map<unknown>();
        e.getMap('clips').set('evil-json', m);
        m.set('captured', '{"kind":"page","url":');
        m.set('topicId', topicId);
        m.set('clippedBy', JSON.stringify(ANA));
        m.set('clippedAt', 1);
      },
      problems: ['clips/evil-json'],
    },
    {
      name: 'a clip whose clippedBy is garbage and clippedAt a string',
      attack: (e, { topicId }) => {
        const m = new Y.Map<unknown>();
        e.getMap('clips').set('evil-by', m);
        m.set('captured', JSON.stringify(makeCaptured()));
        m.set('topicId', topicId);
        m.set('clippedBy', '[[[');
        m.set('clippedAt', 'yesterday');
      },
      problems: ['clips/evil-by'],
    },
    { name: 'a partner profile that is a number', attack: (e) => e.getMap('partners').set('evil-p', 42), problems: ['partners/evil-p'] },
    {
      name: 'an existing topic overwritten with a string (a member may delete; the panel says what it hides)',
      attack: (e, { topicId }) => e.getMap('topics').set(topicId, 'gone'),
      problems: ['topics/TOPIC'],
      overwrites: 'TOPIC',
    },
    {
      name: 'root types of the wrong kind under known names',
      attack: (e, { topicId }) => {
        e.getText('topics').insert(0, 'text in the topics map');
        e.getArray('clips').push(['an array item in the clips map']);
        e.getXmlFragment('partners').insert(0, [new Y.XmlText('xml in partners')]);
        e.getMap(`note:${topicId}`).set('x', 'a map entry in a note');
        e.getText('meta').insert(0, 'meta as text');
        e.getArray('members').push([1, 2, 3]);
        e.getText('rotations').insert(0, 'rotations as text');
      },
      problems: [],
    },
    {
      name: 'member entries garbage',
      attack: (e) => {
        const m = e.getMap<unknown>('members');
        m.set('evil-1', 'not json');
        m.set('evil-2', JSON.stringify({ kty: 'RSA', n: 'x' }));
        m.set('evil-3', 7);
        m.set('evil-4', new Y.Map());
      },
      problems: [],
    },
  ];

  test.each(attacks)('$name: readers do not throw, the rest reads the same, the damage is listed', async (a) => {
    const { doc, topicId } = seededNotebook();
    const clipId = readClips(doc)[0]!.id;
    setMemberEntry(doc, ANA_KEY, 'ana-entry');
    const before = copyOf(doc);
    const evil = attackerOf(doc);
    evil.transact(() => a.attack(evil, { topicId, clipId }));
    deliver(evil, doc);

    expect(() => takeSnapshot(doc)).not.toThrow();
    expect(readProblems(doc).sort()).toEqual(a.problems.map((p) => p.replace('TOPIC', topicId)).sort());
    if (a.overwrites) {
      expect(readTopics(doc).map((t) => t.id)).not.toContain(topicId);
      const others = copyOf(before);
      others.getMap('topics').delete(topicId);
      expectIntact(doc, others);
    } else {
      expectIntact(doc, before);
    }
    expect(readMemberEntry(doc, ANA_KEY)).toBe('ana-entry');
    for (const [k, v] of readMemberEntries(doc)) if (k !== ANA_KEY) expect(await verifyMember(v, k)).toBeUndefined();

    // A partner who joins now (a fresh doc receiving the hostile state first) reads the same.
    const joiner = new Y.Doc();
    Y.applyUpdate(joiner, Y.encodeStateAsUpdate(doc));
    expect(() => takeSnapshot(joiner)).not.toThrow();
    expect(readable(joiner)).toBe(readable(doc));
  });

  test('a compressed body that is garbage, of an unknown format or a "zip bomb" reads as empty and is reported', () => {
    const { doc, topicId } = seededNotebook();
    const before = copyOf(doc);
    const evil = attackerOf(doc);
    const packed = deflateSync(new Uint8Array(64 * 1024 * 1024).fill(32));
    // Format 1 claiming 64 MiB, and one claiming 1 KiB of the same stream.
    const bomb = new Uint8Array([1, 0x80, 0x80, 0x80, 0x20, ...packed]);
    const liar = new Uint8Array([1, 0x80, 0x08, ...packed]);
    const bodies: Record<string, unknown> = {
      garbage: new Uint8Array([1, 2, 3, 4, 5]),
      future: new Uint8Array([9, 1, 2]),
      bomb,
      liar,
      empty: new Uint8Array(0),
    };
    evil.transact(() => {
      for (const [id, body] of Object.entries(bodies)) {
        const m = new Y.Map<unknown>();
        evil.getMap('clips').set(`evil-${id}`, m);
        m.set('captured', JSON.stringify({ ...makeCaptured(), html: undefined, text: undefined }));
        m.set('body', body);
        m.set('topicId', topicId);
        m.set('clippedBy', JSON.stringify({ id: 'evil', name: 'Evil' }));
        m.set('clippedAt', 1);
      }
    });
    deliver(evil, doc);
    for (const id of Object.keys(bodies)) {
      const clip = readClip(doc, `evil-${id}`)!;
      expect(clip.captured.title).toBe(makeCaptured().title);
      expect(clip.captured.html).toBeUndefined();
      expect(clip.captured.text).toBeUndefined();
      expect(readProblems(doc)).toContain(`clips/evil-${id}/body`);
    }
    expectIntact(doc, before);
  });

  test('a compressed body with fields over the bounds is cut to them and reads as truncated', () => {
    const { doc, topicId } = seededNotebook();
    const evil = attackerOf(doc);
    const m = new Y.Map<unknown>();
    evil.transact(() => {
      evil.getMap('clips').set('evil-long', m);
      m.set('captured', JSON.stringify({ ...makeCaptured(), html: undefined, text: undefined }));
      m.set('body', encodeClipBody({ html: 'h'.repeat(3_000_000), text: 't'.repeat(2_000_000) }));
      m.set('topicId', topicId);
      m.set('clippedBy', JSON.stringify({ id: 'evil', name: 'Evil' }));
      m.set('clippedAt', 1);
    });
    deliver(evil, doc);
    const clip = readClip(doc, 'evil-long')!;
    expect(clip.captured.truncated).toBeUndefined(); // not known before the body is read
    expect(clip.captured.html!.length).toBe(LIMITS.clipHtml);
    expect(clip.captured.text!.length).toBe(LIMITS.clipText);
    expect(clip.captured.truncated).toBe(true);
  });

  test('a clip with a huge captured body is read within the bounds and marked truncated', () => {
    const { doc, topicId } = seededNotebook();
    const before = copyOf(doc);
    const evil = attackerOf(doc);
    const m = new Y.Map<unknown>();
    evil.transact(() => {
      evil.getMap('clips').set('evil-huge', m);
      m.set(
        'captured',
        JSON.stringify({
          ...makeCaptured(),
          html: 'h'.repeat(5_000_000),
          text: 't'.repeat(3_000_000),
          title: 'T'.repeat(1_000_000),
          byline: 'b'.repeat(100_000),
          structuredData: 's'.repeat(500_000),
        }),
      );
      m.set('topicId', topicId);
      m.set('clippedBy', JSON.stringify({ id: 'evil', name: 'N'.repeat(1_000_000) }));
      m.set('clippedAt', 1);
      m.set('comment', 'c'.repeat(1_000_000));
    });
    deliver(evil, doc);
    const clip = readClip(doc, 'evil-huge')!;
    expect(clip.captured.html!.length).toBe(LIMITS.clipHtml);
    expect(clip.captured.text!.length).toBe(LIMITS.clipText);
    expect(clip.captured.title.length).toBe(LIMITS.clipField);
    expect(clip.captured.byline!.length).toBe(LIMITS.clipField);
    expect(clip.captured.structuredData!.length).toBe(LIMITS.clipData);
    expect(clip.captured.truncated).toBe(true);
    expect(clip.clippedBy.name.length).toBe(LIMITS.profileField);
    expect(clip.comment.length).toBe(LIMITS.comment);
    expectIntact(doc, before);
  });

  test('javascript: URLs in a clip are kept as data but no display or export turns them into links', () => {
    const { doc, topicId } = seededNotebook();
    const evil = attackerOf(doc);
    const js = 'javascript:alert(document.cookie)';
    const m = new Y.Map<unknown>();
    evil.transact(() => {
      evil.getMap('clips').set('evil-js', m);
      m.set(
        'captured',
        JSON.stringify(
          makeCaptured({
            url: js,
            canonicalUrl: ' JaVaScRiPt:alert(1)',
            leadImage: js,
            favicon: js,
            html: `<p><a href="${js}">click</a><img src=x onerror="alert(1)"><script>alert(1)</script><a href="java\tscript:alert(2)">tab</a></p>`,
          }),
        ),
      );
      m.set('topicId', topicId);
      m.set('clippedBy', JSON.stringify(BATBAYAR));
      m.set('clippedAt', 5);
    });
    evil.transact(() => {
      const l = new Y.Map<unknown>();
      evil.getMap('clips').set('evil-js-link', l);
      l.set('captured', JSON.stringify(makeCaptured({ kind: 'link', url: js, linkUrl: js, text: 'link' })));
      l.set('topicId', topicId);
      l.set('clippedBy', JSON.stringify(BATBAYAR));
      l.set('clippedAt', 6);
    });
    deliver(evil, doc);
    const { window } = new JSDOM('<!doctype html><html><body></body></html>');
    const win = window as unknown as Window & typeof globalThis;
    for (const id of ['evil-js', 'evil-js-link']) {
      const clip = readClip(doc, id)!;
      expect(clip.captured.url).toBe(js); // stored as captured; the reader does not rewrite data
      expect(safeHref(clip.captured.url)).toBeUndefined();
      const page = readerDocument(clip.captured, win);
      expect(page).not.toMatch(/javascript:|<script|onerror/i);
      expect(purifyForReader(clip.captured.html ?? '', win)).not.toMatch(/javascript:|script:|<script|onerror/i);
      for (const format of ['text', 'markdown', 'html'] as const) expect(citeClip(clip, format)).not.toMatch(/javascript:/i);
    }
    window.close();
  });

  test('a partner profile with a 10 MB name is read as 500 characters', () => {
    const { doc } = seededNotebook();
    const before = copyOf(doc);
    const evil = attackerOf(doc);
    const m = new Y.Map<unknown>();
    evil.transact(() => {
      evil.getMap('partners').set('evil-profile', m);
      m.set('name', 'N'.repeat(10 * 1024 * 1024));
      m.set('city', 'C'.repeat(1_000_000));
      m.set('color', 'red;background:url(x)');
      m.set('social', JSON.stringify(Array.from({ length: 10_000 }, (_, i) => `https://x.example/${i}`)));
      m.set('fact.staff', -5);
      m.set('libraryType', 'casino');
    });
    deliver(evil, doc);
    const p = readPartner(doc, 'evil-profile')!;
    expect(p.name.length).toBe(LIMITS.profileField);
    expect(p.city.length).toBe(LIMITS.profileField);
    expect(p.social).toHaveLength(LIMITS.socialLinks);
    expect(p.facts).toEqual({});
    expect(p.libraryType).toBeUndefined();
    // The colour is only length-bounded here; presence colours (parseUser) are #rrggbb only.
    expect(p.color.length).toBeLessThanOrEqual(32);
    expectIntact(doc, before);
  });

  test('rotation records garbage: reading and following it never throws and moves nowhere', async () => {
    const keys = await generateMemberKeys();
    const secret = new Uint8Array(32).fill(3);
    const commit = await commitSecret(secret);
    const garbage: [string, unknown][] = [
      ['1:AAAAAAAAAAAAAAAAAAAAAA:0011223344556677', 'not json {'],
      ['1:x:y', JSON.stringify(42)],
      ['two', JSON.stringify({ p: '{}', s: 'AAAA' })],
      [
        '1:AAAAAAAAAAAAAAAAAAAAAA:00',
        JSON.stringify({
          p: JSON.stringify({ t: 'pn-rotation/1', notebook: 'nb', epoch: 1, prev: commit, next: commit, by: {}, members: [], wrapped: {} }),
          s: 'AAAA',
        }),
      ],
      ['9007199254740993:a:b', JSON.stringify({ p: 'x'.repeat(70_000), s: 'A' })],
      ['1:BBBBBBBBBBBBBBBBBBBBBB:1', new Y.Map()],
    ];
    for (const [key, g] of garbage) {
      const { doc } = seededNotebook();
      const before = copyOf(doc);
      const evil = attackerOf(doc);
      evil.transact(() => evil.getMap<unknown>('rotations').set(key, g));
      deliver(evil, doc);
      const r = await resolveRotations({ notebookId: 'nb', records: readRotationRecords(doc), state: { epoch: 0 }, secret, keys });
      expect(r.outcome === 'none' || r.outcome === 'choose').toBe(true);
      expect(r.secret).toEqual(secret);
      if (r.outcome === 'choose') expect(r.choice.options).toEqual([]);
      expectIntact(doc, before);
    }
  });
});

describe('meta.schemaVersion set to 999 by a peer', () => {
  test('the open notebook keeps working; at the next open it still opens, flagged, and nothing is lost', async () => {
    const id = `hostile-${Math.random().toString(36).slice(2)}`;
    const first = openNotebookSession(id);
    await first.ready;
    const { doc: seed } = seededNotebook();
    Y.applyUpdate(first.doc, Y.encodeStateAsUpdate(seed));
    const before = copyOf(first.doc);

    const evil = attackerOf(first.doc);
    evil.getMap('meta').set('schemaVersion', 999);
    deliver(evil, first.doc);
    // Nothing checks the version while the notebook is open: it reads and writes as before.
    expect(schemaVersion(first.doc)).toBe(999);
    expect(readable(first.doc)).toBe(readable(before));
    expect(readProblems(first.doc)).toEqual([]);
    await first.persistence.confirm();
    await first.close();

    // Reopening: migrate() refuses to touch a "newer" notebook, so the session opens it without
    // migrating and flags it; the panel asks the person to update and keeps working (no lockout,
    // sync still runs). The data stays unchanged.
    const again = openNotebookSession(id);
    await again.ready;
    expect(again.newerFormat).toBe(999);
    expect(readable(again.doc)).toBe(readable(before));
    const stored = Y.encodeStateAsUpdate(again.doc);
    expect(() => migrate(again.doc)).toThrow(/Nothing has been changed/);
    expect(Y.encodeStateAsUpdate(again.doc)).toEqual(stored);
    await again.close();
  });
});
