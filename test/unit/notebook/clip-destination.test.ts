import { expect, test } from 'vitest';
import { chooseClipTopic } from '../../../lib/notebook/clip-destination';
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
