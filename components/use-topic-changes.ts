import { useEffect, useMemo } from 'react';
import { changedTopics, markTopicSeen } from '../lib/ext/topic-changes';
import { topicActivityItem, topicSeenItem } from '../lib/ext/storage';
import type { PartnerProfile } from '../lib/notebook/types';
import { useStorageItem } from './use-storage-item';
import { useT } from './i18n';

/** Topics partners changed since this person last opened them (lib/ext/topic-changes.ts); opening a topic marks it as seen. */
export function useTopicChanges(notebookId: string, partners: PartnerProfile[], openTopicId: string | undefined): Map<string, string> {
  const activity = useStorageItem(topicActivityItem);
  const seen = useStorageItem(topicSeenItem);
  const t = useT();
  useEffect(() => {
    if (!openTopicId) return;
    void markTopicSeen(notebookId, openTopicId);
    return () => void markTopicSeen(notebookId, openTopicId);
  }, [notebookId, openTopicId]);
  // `t` changes with the UI language: the names are joined in it.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => changedTopics(activity, seen, notebookId, partners, openTopicId), [activity, seen, notebookId, partners, openTopicId, t]);
}
