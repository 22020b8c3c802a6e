/**
 * Where a clip goes when the person did not pick a topic: the topic open in the panel, else the
 * current topic (whose dates include now), else the topic they opened last, else the first one.
 */
import { currentTopic } from '../topics/schedule';
import type { Topic } from './types';

/** The topic a new clip lands in, or undefined when the notebook has no usable topic. */
export function chooseClipTopic(
  topics: readonly Topic[],
  where: { openTopicId?: string; recentTopicId?: string },
  now: number,
): Topic | undefined {
  const live = topics.filter((t) => !t.archived);
  const byId = (id?: string) => (id ? live.find((t) => t.id === id) : undefined);
  // One definition of "current" for the list's badge and the clip default.
  const current = currentTopic(live, now);
  return byId(where.openTopicId) ?? current ?? byId(where.recentTopicId) ?? live[0];
}

/** Title of the topic created for clips when a notebook has none. */
export const UNSORTED_TOPIC = 'Clips to sort';
