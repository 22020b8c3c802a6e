/**
 * Records when partners' changes arrive, for "Last exchange with Batbayar" and "changed since you
 * looked": per notebook, per partner, and per topic. Changes arrive in bursts while a partner
 * types, so they are collected and written to extension storage at most every `writeMs`.
 */
import { lastExchangeByItem, lastExchangeItem, topicActivityItem } from './storage';

/** How often collected exchanges are written at most (typing partners send many updates). */
export const EXCHANGE_WRITE_MS = 2_000;

export interface ExchangeRecorder {
  /** A change by `people` touching `topics` arrived at `at` (epoch ms). */
  record(at: number, people: readonly string[], topics: readonly string[]): void;
  /** Writes what was collected now (also called when the notebook closes). */
  flush(): Promise<void>;
  /** Cancels the pending timer; call {@link flush} first to keep what was collected. */
  stop(): void;
}

/** A recorder for notebook `notebookId`. */
export function exchangeRecorder(notebookId: string, writeMs = EXCHANGE_WRITE_MS): ExchangeRecorder {
  let pending: { at: number; people: Set<string>; topics: Map<string, Set<string>> } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Writes are chained so two flushes never interleave their read-modify-write of the same items.
  let writing: Promise<void> = Promise.resolve();

  const write = async (p: NonNullable<typeof pending>) => {
    await lastExchangeItem.setValue({ ...(await lastExchangeItem.getValue()), [notebookId]: p.at });
    const by = await lastExchangeByItem.getValue();
    const mine = { ...(by[notebookId] ?? {}) };
    for (const person of p.people) mine[person] = p.at;
    await lastExchangeByItem.setValue({ ...by, [notebookId]: mine });
    const activity = await topicActivityItem.getValue();
    const topics = { ...(activity[notebookId] ?? {}) };
    p.topics.forEach((people, topicId) => (topics[topicId] = { at: p.at, by: [...people] }));
    await topicActivityItem.setValue({ ...activity, [notebookId]: topics });
  };

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const p = pending;
    pending = null;
    if (p) writing = writing.then(() => write(p)).catch(() => {});
    return writing;
  };

  return {
    record(at, people, topics) {
      pending ??= { at, people: new Set(), topics: new Map() };
      pending.at = at;
      for (const x of people) pending.people.add(x);
      for (const t of topics) {
        const set = pending.topics.get(t) ?? new Set<string>();
        for (const x of people) set.add(x);
        pending.topics.set(t, set);
      }
      timer ??= setTimeout(() => void flush(), writeMs);
    },
    flush,
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
