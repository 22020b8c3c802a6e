/** History support: how much a change removed, and copying a past version back as a new change. */
import * as Y from 'yjs';
import {
  CLIPS,
  META,
  NOTE_PREFIX,
  PARTNERS,
  POSTER,
  POSTER_TEXT_PREFIX,
  POSTER_THEMES,
  TOPICS,
  clipsMap,
  meta,
  partnersMap,
  posterMap,
  themesMap,
  topicsMap,
  write,
} from './keys';
import { NotebookError } from './parse';
import { applyTextEdit, isPosterField } from './poster/text';
import { noteBody } from './topics';

// =============================================================================================
// History (issue 12): how much a change removed, and copying a past version back as a new change.
// lib/notebook/history.ts keeps the versions; this part knows which parts of the doc matter.

/** Transaction origin of a restore from History (a new change that syncs like typing). */
export const HISTORY_ORIGIN = 'history';

/** What one transaction removed that a person would miss. */
export interface DeletionSize {
  /** Topics removed (or replaced by something that is not a topic). */
  topics: number;
  /** Clips removed outright, or marked deleted. */
  clips: number;
  /** Characters of note text removed. */
  noteChars: number;
}

/**
 * Measures what a transaction removed. Call it from `afterTransaction`: only items that existed
 * before the transaction count (a paste replaced within one transaction is not a loss).
 */
export function measureDeletion(doc: Y.Doc, tr: Y.Transaction): DeletionSize {
  const out: DeletionSize = { topics: 0, clips: 0, noteChars: 0 };
  const topics = doc.share.get(TOPICS);
  const clips = doc.share.get(CLIPS);
  if (tr.deleteSet.clients.size > 0) {
    let noteRoots: Set<Y.AbstractType<any>> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
    Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
      if (!(s instanceof Y.Item) || s.id.clock >= (tr.beforeState.get(s.id.client) ?? 0)) return;
      const parent = s.parent as Y.AbstractType<any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (!parent) return;
      if (s.parentSub !== null && s.content instanceof Y.ContentType) {
        if (parent === topics) out.topics++;
        else if (parent === clips) out.clips++;
        return;
      }
      if (!(s.content instanceof Y.ContentString)) return;
      let root = parent;
      while (root._item && root._item.parent instanceof Y.AbstractType) root = root._item.parent as Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (!noteRoots) {
        noteRoots = new Set();
        for (const [name, t] of doc.share) if (name.startsWith(NOTE_PREFIX)) noteRoots.add(t);
      }
      if (noteRoots.has(root)) out.noteChars += s.length;
    });
  }
  // A soft deletion is a new `deletedAt` value on the clip, not a Yjs deletion.
  tr.changed.forEach((keys, type) => {
    if (keys.has('deletedAt') && type._item?.parent === clips && type instanceof Y.Map && type.get('deletedAt') !== undefined) out.clips++;
  });
  return out;
}

/** What a restore from History changes (or would change), counted per part. */
export interface RestoreCounts {
  /** Topics brought back because they were missing. */
  topicsBack: number;
  /** Topics that exist but whose title, prompt, dates or place go back. */
  topicsChanged: number;
  /** Notes whose text goes back to the past version. */
  notes: number;
  /** Clips brought back (missing, deleted or moved away) or changed back (tags, comment). */
  clips: number;
  /** Anything else: notebook info, profiles, the poster. */
  other: number;
}

/** What to restore: one topic (its fields, note and clips) or the whole notebook. */
export type RestoreScope = { topicId: string } | { notebook: true };

type AnyType = Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sameValue = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !(a instanceof Y.AbstractType) && !(b instanceof Y.AbstractType)) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
};

/** Makes `live`'s content equal to `past`'s (same kind of type). Returns true when something differs. */
function mirrorType(live: AnyType, past: AnyType, dry: boolean): boolean {
  if (past instanceof Y.Map && live instanceof Y.Map) return mirrorMap(live, past, true, dry);
  if (past instanceof Y.Text && live instanceof Y.Text) {
    const to = past.toString();
    if (live.toString() === to) return false;
    if (!dry) applyTextEdit(live, to, HISTORY_ORIGIN);
    return true;
  }
  if ((past instanceof Y.XmlFragment && live instanceof Y.XmlFragment) || (past instanceof Y.Array && live instanceof Y.Array)) {
    const same = past instanceof Y.Array ? JSON.stringify(past.toJSON()) === JSON.stringify(live.toJSON()) : past.toString() === live.toString();
    if (same) return false;
    if (!dry) {
      // New items, copied from the past version: Yjs would treat re-applying the old ones as seen and deleted.
      const l = live as Y.Array<unknown> | Y.XmlFragment;
      const copies = (past as Y.Array<unknown>).toArray().map((c) => (c instanceof Y.AbstractType ? c.clone() : c));
      l.delete(0, l.length);
      (l as Y.Array<unknown>).insert(0, copies);
    }
    return true;
  }
  return true;
}

/** Sets `live[key]` to a copy of `pastValue`. Returns true when it differed. */
function mirrorKey(live: Y.Map<unknown>, key: string, pastValue: unknown, dry: boolean): boolean {
  const lv = live.get(key);
  if (pastValue instanceof Y.AbstractType) {
    if (lv instanceof Y.AbstractType && lv.constructor === pastValue.constructor) return mirrorType(lv, pastValue, dry);
    if (!dry) live.set(key, pastValue.clone());
    return true;
  }
  if (live.has(key) && sameValue(lv, pastValue)) return false;
  if (!dry) live.set(key, pastValue);
  return true;
}

/** Mirrors a map key by key; `exact` also removes keys the past version did not have. */
function mirrorMap(live: Y.Map<unknown>, past: Y.Map<unknown>, exact: boolean, dry: boolean, skipKeys: readonly string[] = []): boolean {
  let changed = false;
  past.forEach((v, k) => {
    if (!skipKeys.includes(k) && mirrorKey(live, k, v, dry)) changed = true;
  });
  if (exact) {
    for (const k of [...live.keys()]) {
      if (skipKeys.includes(k) || past.has(k)) continue;
      changed = true;
      if (!dry) live.delete(k);
    }
  }
  return changed;
}

/** The root types of a doc read from storage are untyped until asked for by kind. */
const pastNotes = (past: Y.Doc, topicId: string) => (past.share.has(NOTE_PREFIX + topicId) ? past.getXmlFragment(NOTE_PREFIX + topicId) : undefined);

/**
 * Writes a past version (a throwaway doc read from History) back into the live notebook as a
 * new change, in one transaction, with the same ids, so that clip references in notes and on
 * the poster keep working. Restoring never removes anything added since: topics, clips,
 * profiles, themes and poster rows that the past version did not have stay. What the past
 * version had is put back as it was: a topic's fields, its note's text, its clips' topic, tags,
 * comment and deletion. The schema version, invite rotations, members' keys and client
 * bookkeeping are left alone (they are not content, and going back on them would be unsafe).
 *
 * With `dry`, nothing is written: the counts say what a restore would change (for the
 * confirmation).
 */
export function restoreFromPast(live: Y.Doc, past: Y.Doc, scope: RestoreScope, opts: { dry?: boolean } = {}): RestoreCounts {
  const dry = opts.dry ?? false;
  const counts: RestoreCounts = { topicsBack: 0, topicsChanged: 0, notes: 0, clips: 0, other: 0 };
  const pastTopics = past.getMap<unknown>(TOPICS);
  const pastClips = past.getMap<unknown>(CLIPS);
  const topicIds = 'topicId' in scope ? [scope.topicId] : [...pastTopics.keys()];
  if ('topicId' in scope && !(pastTopics.get(scope.topicId) instanceof Y.Map)) {
    throw new NotebookError('That topic is not in this version. Choose another version, or restore the whole notebook.');
  }
  const run = () => {
    const liveTopics = topicsMap(live) as Y.Map<unknown>;
    for (const id of topicIds) {
      const pt = pastTopics.get(id);
      if (!(pt instanceof Y.Map)) continue;
      const existed = liveTopics.get(id) instanceof Y.Map;
      if (mirrorKey(liveTopics, id, pt, dry)) counts[existed ? 'topicsChanged' : 'topicsBack']++;
      const pn = pastNotes(past, id);
      if (pn && mirrorType(noteBody(live, id), pn, dry)) counts.notes++;
    }
    const wanted = new Set(topicIds);
    const liveClips = clipsMap(live) as Y.Map<unknown>;
    pastClips.forEach((pc, id) => {
      if (!(pc instanceof Y.Map)) return;
      if ('topicId' in scope && !wanted.has(pc.get('topicId') as string)) return;
      if (mirrorKey(liveClips, id, pc, dry)) counts.clips++;
    });
    if ('notebook' in scope) {
      // Notebook info, but not the bookkeeping that only moves forward.
      if (mirrorMap(meta(live), past.getMap<unknown>(META), false, dry, ['schemaVersion', 'rotation'])) counts.other++;
      const liveP = partnersMap(live) as Y.Map<unknown>;
      past.getMap<unknown>(PARTNERS).forEach((p, id) => {
        if (p instanceof Y.Map && mirrorKey(liveP, id, p, dry)) counts.other++;
      });
      if (mirrorMap(posterMap(live), past.getMap<unknown>(POSTER), false, dry)) counts.other++;
      const liveThemes = themesMap(live) as Y.Map<unknown>;
      past.getMap<unknown>(POSTER_THEMES).forEach((t, id) => {
        if (t instanceof Y.Map && mirrorKey(liveThemes, id, t, dry)) counts.other++;
      });
      for (const name of [...past.share.keys()]) {
        if (!name.startsWith(POSTER_TEXT_PREFIX) || !isPosterField(name.slice(POSTER_TEXT_PREFIX.length))) continue;
        if (mirrorType(live.getText(name), past.getText(name), dry)) counts.other++;
      }
    }
  };
  if (dry) run();
  else write(live, run, HISTORY_ORIGIN);
  return counts;
}
