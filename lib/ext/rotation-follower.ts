/**
 * Keeps an open notebook on the invite its members agreed on: publishes this person's signed
 * member entry (again, if someone removed it) and follows new invites partners make, now and
 * whenever the notebook's member entries or new-invite records change. Typing in a note never
 * runs it: transactions are classified once (lib/notebook/changes.ts).
 *
 * The panel (components/use-notebook-sync.ts) only turns these events into what the person reads.
 */
import type * as Y from 'yjs';
import { readMemberEntries, readRotationRecords, subscribeTransactions } from '../notebook';
import type { RotationChoice, VerifiedRotation } from '../sync/keys/rotation';
import { ensureMemberKey, followRotation } from './rotation';

export interface RotationFollowerEvents {
  /** The record key the person picked when asked which new invite to follow. */
  chosen?: string;
  /** Two new invites compete (or one was removed): what to ask; null when there is nothing to ask. */
  onChoice(choice: RotationChoice | null): void;
  /** This computer moved to a new invite a partner made: who made it and whom it keeps. */
  onMovedByPartner(rotation: VerifiedRotation): void;
  /** The newest valid invite leaves this person out: changes stop reaching them. */
  onNotIncluded(): void;
  /** A check could not run (storage, crypto): the person is told; the next change tries again. */
  onError(error: Error): void;
  /**
   * Before this computer moves to an invite this person made: the maker leaves the old room last,
   * so partners online now (and the relay, for those offline) receive the record first.
   */
  beforeOwnMove?(): Promise<void>;
}

export interface RotationFollower {
  /** Settles when the first check (at start) is done. */
  ready: Promise<void>;
  stop(): void;
}

/** Starts following new invites for `notebookId` in `doc`, as the person `me` on this computer. */
export function followRotations(doc: Y.Doc, notebookId: string, me: { id: string; name: string }, events: RotationFollowerEvents): RotationFollower {
  let stopped = false;
  let seen = '';
  let busy: Promise<void> = Promise.resolve();
  const check = () =>
    (busy = busy
      .then(async () => {
        // Only when the records or the member entries changed since the last check.
        const mark = JSON.stringify([readRotationRecords(doc).map((r) => [r.key, r.value?.length]), readMemberEntries(doc).length]);
        if (stopped || mark === seen) return;
        seen = mark;
        await ensureMemberKey(doc, me.id, me.name);
        let asked: RotationChoice | null = null;
        const outcome = await followRotation(doc, notebookId, me.id, {
          chosen: events.chosen,
          onChoice: (c) => (asked = c),
          onMoved: (rotation, mine) => {
            // Never silent: the person sees who made the invite they moved to, and who it keeps.
            if (!mine && !stopped) events.onMovedByPartner(rotation);
          },
          beforeMove: async (rotation) => {
            if (rotation.by.personId === me.id) await events.beforeOwnMove?.();
          },
        });
        if (stopped) return;
        events.onChoice(asked);
        if (outcome === 'not-included') events.onNotIncluded();
      })
      .catch((e: Error) => void (!stopped && events.onError(e))));
  const unsubscribe = subscribeTransactions(doc, (c) => void ((c.members || c.rotations) && check()));
  const ready = ensureMemberKey(doc, me.id, me.name)
    .then(check)
    .catch((e: Error) => void (!stopped && events.onError(e)));
  return {
    ready,
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
