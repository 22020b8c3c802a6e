/** "Changed since you looked" (lib/ext/topic-changes.ts): which topics are listed, who is named, and in which language. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { setLocale } from '../../../lib/i18n';
import { changedTopics, markTopicSeen } from '../../../lib/ext/topic-changes';
import { topicSeenItem } from '../../../lib/ext/storage';

beforeEach(() => fakeBrowser.reset());
afterEach(() => setLocale('en'));

const partners = [
  { id: 'bat', name: 'Batbayar' },
  { id: 'nom', name: 'Nomvula' },
];
const activity = {
  nb: { spaces: { at: 200, by: ['bat', 'nom', 'bat'] }, apps: { at: 100, by: ['gone'] }, open: { at: 300, by: ['bat'] }, seen: { at: 50, by: ['nom'] } },
  other: { x: { at: 999, by: ['bat'] } },
};

test('lists topics partners changed after the person last looked, not the open one, naming each partner once', () => {
  const out = changedTopics(activity, { nb: { seen: 60 } }, 'nb', partners, 'open');
  expect([...out]).toEqual([
    ['spaces', 'Batbayar and Nomvula'],
    ['apps', 'a partner'],
  ]);
  expect(changedTopics(activity, undefined, 'unknown', partners, undefined).size).toBe(0);
});

test('names are joined in the UI language', async () => {
  await setLocale('ru');
  const out = changedTopics(activity, {}, 'nb', partners, undefined);
  expect(out.get('spaces')).toBe('Batbayar и Nomvula');
  expect(out.get('apps')).not.toBe('a partner');
});

test('opening a topic marks it seen in its own notebook only', async () => {
  await topicSeenItem.setValue({ nb: { spaces: 10 }, other: { x: 5 } });
  await markTopicSeen('nb', 'apps', 150);
  expect(await topicSeenItem.getValue()).toEqual({ nb: { spaces: 10, apps: 150 }, other: { x: 5 } });
  const out = changedTopics(activity, await topicSeenItem.getValue(), 'nb', partners, undefined);
  expect(out.has('apps')).toBe(false);
});
