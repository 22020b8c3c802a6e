import { useEffect, useMemo } from 'react';
import { topicActivityItem, topicSeenItem } from '../lib/ext/storage';
import type { PartnerProfile } from '../lib/notebook/types';
import { useStorageItem } from './use-storage-item';

/**
 * Topics partners changed since this person last opened them: topic id → who ("Batbayar").
 * Opening a topic marks it as seen.
 */
export function useTopicChanges(notebookId: string, partners: PartnerProfile[], openTopicId: string | undefined): Map<string, string> {
  const activity = useStorageItem(topicActivityItem);
  const seen = useStorageItem(topicSeenItem);
  useEffect(() => {
    if (!openTopicId) return;
    const mark = async () => {
      const all = await topicSeenItem.getValue();
      await topicSeenItem.setValue({ ...all, [notebookId]: { ...(all[notebookId] ?? {}), [openTopicId]: Date.now() } });
    };
    void mark();
    // Leaving the topic counts as having seen what arrived while it was open.
    return () => void mark();
  }, [notebookId, openTopicId]);
  return useMemo(() => {
    const out = new Map<string, string>();
    const mine = activity?.[notebookId] ?? {};
    const seenHere = seen?.[notebookId] ?? {};
    for (const [topicId, a] of Object.entries(mine)) {
      if (topicId === openTopicId || a.at <= (seenHere[topicId] ?? 0)) continue;
      const names = a.by.map((id) => partners.find((p) => p.id === id)?.name || 'a partner');
      out.set(topicId, [...new Set(names)].join(' and '));
    }
    return out;
  }, [activity, seen, notebookId, partners, openTopicId]);
}
