/**
 * Where a clip goes when the person did not pick a topic: the topic open in the panel, else the
 * current topic (whose dates include now), else the topic they opened last, else the first one.
 */
import type * as Y from 'yjs';
import { currentTopic } from '../topics/schedule';
import type { Deps } from './keys';
import { addTopic, readTopic, readTopics } from './topics';
import type { Topic } from './types';

/** Where the person is in the panel: the topic open now, and the one they opened last. */
export interface ClipWhere {
  openTopicId?: string;
  recentTopicId?: string;
}

/** The topic a new clip lands in, or undefined when the notebook has no usable topic. */
export function chooseClipTopic(topics: readonly Topic[], where: ClipWhere, now: number): Topic | undefined {
  const live = topics.filter((t) => !t.archived);
  const byId = (id?: string) => (id ? live.find((t) => t.id === id) : undefined);
  // One definition of "current" for the list's badge and the clip default.
  const current = currentTopic(live, now);
  return byId(where.openTopicId) ?? current ?? byId(where.recentTopicId) ?? live[0];
}

/** Title of the topic created for clips when a notebook has none. */
export const UNSORTED_TOPIC = 'Clips to sort';

/**
 * The topic a clip arriving from the queue is filed into: the one chosen when it was taken (unless
 * it was archived or removed since), else {@link chooseClipTopic}'s choice, else a new
 * {@link UNSORTED_TOPIC} topic, created here so that no clip is ever left without a place.
 */
export function topicForArrivingClip(doc: Y.Doc, chosenTopicId: string | undefined, where: ClipWhere, deps: Deps): Topic {
  const chosen = chosenTopicId ? readTopic(doc, chosenTopicId) : undefined;
  if (chosen && !chosen.archived) return chosen;
  const picked = chooseClipTopic(readTopics(doc), where, deps.now());
  if (picked) return picked;
  const id = addTopic(doc, { title: UNSORTED_TOPIC, prompt: 'Clips taken before the notebook had topics. Move them where they belong.' }, deps);
  return readTopic(doc, id)!;
}
