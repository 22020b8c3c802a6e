/**
 * Applying a verified backup to a notebook's Y.Doc. Pure: the caller opens and persists the doc
 * (lib/ext/backup.ts does, for the panel).
 *
 * A backup is applied as a Yjs update. Yjs merges updates: what the doc already holds stays, and
 * what the backup holds that the doc lacks is added. Things deleted in the doc after the backup
 * was made stay deleted, because the doc has already seen (and deleted) them.
 */
import * as Y from 'yjs';
import { migrate } from '../notebook';
import { inspectState, type Backup, type BackupCounts } from './format';

/** Transaction origin of a restore, so listeners can tell it from typing and from peers. */
export const BACKUP_ORIGIN = 'backup';

/** What a merge changed, in counts a person can read. */
export interface MergeResult {
  before: BackupCounts;
  after: BackupCounts;
  /** False when the doc already held everything the backup holds. */
  changed: boolean;
}

/**
 * Merges a backup into `doc`. First checks, on a scratch copy, that the doc plus the backup is a
 * notebook this build can read; only then touches `doc`.
 * @throws BackupError (nothing changed) when the result would not be a readable notebook
 */
export function mergeBackupInto(doc: Y.Doc, backup: Pick<Backup, 'state'>): MergeResult {
  const here = Y.encodeStateAsUpdate(doc);
  const before = inspectCounts(here);
  const after = inspectState(here, backup.state).counts;
  let changed = false;
  const onUpdate = () => void (changed = true);
  // Yjs emits 'update' only when a transaction actually added or deleted something.
  doc.on('update', onUpdate);
  try {
    Y.applyUpdate(doc, backup.state, BACKUP_ORIGIN);
  } finally {
    doc.off('update', onUpdate);
  }
  // An older backup may predate a schema change; bring it up to this build's shape.
  migrate(doc);
  return { before, after, changed };
}

// An empty doc (a notebook that has not loaded anything yet) counts as nothing, not as an error.
function inspectCounts(state: Uint8Array): BackupCounts {
  try {
    return inspectState(state).counts;
  } catch {
    return { topics: 0, notes: 0, clips: 0, partners: 0 };
  }
}

/** "2 topics, 1 clip and 1 partner profile": what a merge brought back, in words. */
export function describeAdded(r: MergeResult): string {
  const parts: string[] = [];
  const add = (n: number, one: string, many: string) => n > 0 && parts.push(`${n} ${n === 1 ? one : many}`);
  add(r.after.topics - r.before.topics, 'topic', 'topics');
  add(r.after.notes - r.before.notes, 'note', 'notes');
  add(r.after.clips - r.before.clips, 'clip', 'clips');
  add(r.after.partners - r.before.partners, 'partner profile', 'partner profiles');
  if (!r.changed) return 'Nothing was missing: this notebook already held everything in the backup.';
  if (!parts.length) return 'Changes from the backup were merged in. Nothing that was already here was removed.';
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `The backup brought back ${list}. Nothing that was already here was removed.`;
}
