/**
 * Whether a notebook is shared yet. Before it is, a sync server that cannot be reached is not a
 * problem worth showing: the notebook is simply "only on this computer", and the calm next step is
 * to invite a partner. A fresh install points at a local server that is usually not running, so
 * without this every new librarian met a red "Cannot reach the sync server" before inviting anyone.
 */

/** What the panel knows about a notebook's sharing. */
export interface SharingEvidence {
  /** When an invite for it was shown, or it was joined or restored from an invite (epoch ms). */
  sharedAt?: number;
  /** This person's id. */
  meId: string;
  /** People known to have worked in the notebook from their own computer (e.g. who published a member key). */
  memberIds: readonly string[];
  /** How many partners are connected right now. */
  livePartners: number;
  /** Whether a change from a partner has ever arrived on this computer. */
  exchanged: boolean;
}

/**
 * True once partners exist for this notebook: an invite was shown or used, another person has
 * worked in it, or a partner is (or was) connected. Partner profiles typed in by hand on
 * "Our libraries" do not count: they say nothing about anyone having the notebook.
 */
export function isShared(e: SharingEvidence): boolean {
  return e.sharedAt !== undefined || e.livePartners > 0 || e.exchanged || e.memberIds.some((id) => id !== e.meId);
}

/**
 * The person ids that the notebook's member entries claim, read without checking signatures: only
 * a hint that someone else has worked in the notebook (which errors to show), never a trust decision.
 */
export function claimedMemberIds(entries: readonly (readonly [string, string])[]): string[] {
  const out: string[] = [];
  for (const [, value] of entries) {
    try {
      const p = JSON.parse((JSON.parse(value) as { p?: unknown }).p as string) as { person?: unknown };
      if (typeof p.person === 'string') out.push(p.person);
    } catch {
      // A damaged entry says nothing about who is here.
    }
  }
  return out;
}

/** The status line of a notebook that is not shared yet. */
export const NOT_SHARED_MESSAGE = 'Only on this computer — invite a partner to share it';
