/**
 * "Changed since you looked": which topics partners changed after this person last opened them,
 * and who did (in the UI language), and marking a topic as seen when it is opened or left.
 */
import { list, t } from '../i18n';
import type { PartnerProfile } from '../notebook/types';
import { topicSeenItem, type TopicActivity } from './storage';

/**
 * Topics of `notebookId` partners changed since this person last opened them: topic id → who
 * ("Batbayar and Nomvula"). The open topic is never listed (the person is looking at it).
 */
export function changedTopics(
  activity: Record<string, Record<string, TopicActivity>> | undefined,
  seen: Record<string, Record<string, number>> | undefined,
  notebookId: string,
  partners: Pick<PartnerProfile, 'id' | 'name'>[],
  openTopicId: string | undefined,
): Map<string, string> {
  const out = new Map<string, string>();
  const seenHere = seen?.[notebookId] ?? {};
  for (const [topicId, a] of Object.entries(activity?.[notebookId] ?? {})) {
    if (topicId === openTopicId || a.at <= (seenHere[topicId] ?? 0)) continue;
    const names = a.by.map((id) => partners.find((p) => p.id === id)?.name || t('rotationChoice.aPartner'));
    out.set(topicId, list([...new Set(names)]));
  }
  return out;
}

/** Records that this person has seen a topic now (opening it, and leaving it: what arrived meanwhile was seen). */
export async function markTopicSeen(notebookId: string, topicId: string, now = Date.now()): Promise<void> {
  const all = await topicSeenItem.getValue();
  await topicSeenItem.setValue({ ...all, [notebookId]: { ...(all[notebookId] ?? {}), [topicId]: now } });
}
