/**
 * The clip queue: clips taken from the context menu or the shortcut wait in extension storage
 * until a side panel adds them to a notebook. Never dropped: an item leaves the queue only after
 * the notebook holds it.
 */
import { t } from '../i18n';
import { storage } from 'wxt/utils/storage';
import { parseCaptured } from '../notebook/parse';
import type { ClipNotice, QueuedClip } from './messages';

/** Bound on queued clips: about 100 full articles; beyond that the person is asked to open the panel. */
export const MAX_QUEUED = 200;

/** Clips waiting for the panel. */
export const clipQueueItem = storage.defineItem<QueuedClip[]>('local:clipQueue', { fallback: [] });
/** Problems with clips taken while the panel was closed. */
export const clipNoticesItem = storage.defineItem<ClipNotice[]>('local:clipNotices', { fallback: [] });

/** Adds a clip to the queue. Throws when the queue is full (the caller tells the person). */
export async function enqueueClip(clip: QueuedClip): Promise<void> {
  await withQueueLock(async () => {
    const q = await clipQueueItem.getValue();
    if (q.length >= MAX_QUEUED) throw new Error(t('errors.tooManyClips'));
    await clipQueueItem.setValue([...q, clip]);
  });
}

// Background and panels read-modify-write one storage value: a Web Lock (available in pages and
// service workers alike) serialises them so no clip is overwritten.
function withQueueLock<T>(fn: () => Promise<T>): Promise<T> {
  return typeof navigator !== 'undefined' && navigator.locks ? (navigator.locks.request('pn-clip-queue', fn) as Promise<T>) : fn();
}

/** Adds a notice for the person (kept to the last 20). */
export async function addNotice(n: ClipNotice): Promise<void> {
  await clipNoticesItem.setValue([...(await clipNoticesItem.getValue()), n].slice(-20));
}

/** Removes a notice. */
export async function dismissNotice(id: string): Promise<void> {
  await clipNoticesItem.setValue((await clipNoticesItem.getValue()).filter((n) => n.id !== id));
}

/**
 * Hands every queued clip that `accept` takes to it, then removes exactly those from the queue.
 * Under the queue lock, so two open panels never add the same clip twice.
 * `accept` returns false to leave a clip queued (e.g. it belongs to another notebook);
 * `durable` resolves once the notebook's storage holds what `accept` added.
 */
export async function drainQueue(accept: (clip: QueuedClip) => boolean, durable: () => Promise<void> = async () => {}): Promise<number> {
  const run = async () => {
    const q = await clipQueueItem.getValue();
    const done = new Set<string>();
    for (const item of q) {
      const captured = parseCaptured(item?.captured);
      if (!captured) {
        done.add(item?.id); // malformed: nothing a notebook could hold
        continue;
      }
      if (accept({ ...item, captured })) done.add(item.id);
    }
    if (!done.size) return 0;
    // Only once the notebook's storage holds the clips may they leave the queue.
    await durable();
    await clipQueueItem.setValue(q.filter((c) => !done.has(c.id)));
    return done.size;
  };
  return withQueueLock(run);
}
