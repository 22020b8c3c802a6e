import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { addTopic, readTopics, updateTopic } from '../../../lib/notebook';
import { chooseClipTopic, topicForArrivingClip, UNSORTED_TOPIC } from '../../../lib/notebook/clip-destination';
import type { Topic } from '../../../lib/notebook/types';

const t = (id: string, over: Partial<Topic> = {}): Topic => ({ id, title: id, prompt: '', kind: 'own', order: 1, archived: false, createdAt: 0, ...over });
const DAY = 86_400_000;
const topics = [t('a', { start: 0, end: 14 * DAY - 1 }), t('b', { start: 14 * DAY, end: 28 * DAY - 1 }), t('c'), t('gone', { archived: true })];

test('the open topic wins, then the current one, then the last opened, then the first', () => {
  expect(chooseClipTopic(topics, { openTopicId: 'c' }, 15 * DAY)?.id).toBe('c');
  expect(chooseClipTopic(topics, {}, 15 * DAY)?.id).toBe('b');
  expect(chooseClipTopic(topics, { recentTopicId: 'c' }, 40 * DAY)?.id).toBe('c');
  expect(chooseClipTopic(topics, {}, 40 * DAY)?.id).toBe('a');
});

test('archived topics are never chosen; no topics gives undefined', () => {
  expect(chooseClipTopic(topics, { openTopicId: 'gone', recentTopicId: 'gone' }, 40 * DAY)?.id).toBe('a');
  expect(chooseClipTopic([], {}, 0)).toBeUndefined();
});

describe('topicForArrivingClip', () => {
  let n = 0;
  const deps = { newId: () => `id${++n}`, now: () => 15 * DAY };

  test('the topic chosen when the clip was taken, unless it was archived since', () => {
    const doc = new Y.Doc();
    const chosen = addTopic(doc, { title: 'Chosen' }, deps);
    const other = addTopic(doc, { title: 'Other' }, deps);
    expect(topicForArrivingClip(doc, chosen, {}, deps).id).toBe(chosen);
    updateTopic(doc, chosen, { archived: true });
    expect(topicForArrivingClip(doc, chosen, { openTopicId: other }, deps).id).toBe(other);
    expect(readTopics(doc)).toHaveLength(2);
  });

  test('a notebook without topics gets one "Clips to sort" topic, used again by the next clip', () => {
    const doc = new Y.Doc();
    const first = topicForArrivingClip(doc, 'deleted-topic', {}, deps);
    expect(first.title).toBe(UNSORTED_TOPIC);
    expect(topicForArrivingClip(doc, undefined, {}, deps).id).toBe(first.id);
    expect(readTopics(doc)).toHaveLength(1);
  });
});
