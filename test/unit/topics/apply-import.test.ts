import { expect, test } from 'vitest';
import { planImport, titleKey } from '../../../lib/topics/apply-import';
import { parseTopicSchedule } from '../../../lib/topics/import';

const TZ = 'Europe/Sarajevo';

test('rows become topics running until the next row starts, at most a fortnight, in local days', () => {
  const { rows } = parseTopicSchedule('1. Make a connection – 2026-03-02\n2. Library Spaces – 2026-03-09\n3. Advocacy – 2026-04-20', { timeZone: TZ });
  const plan = planImport([], rows, TZ);
  expect(plan.map((s) => s.action)).toEqual(['create', 'create', 'create']);
  const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());
  // Sarajevo is UTC+1 in March; the next row starts a week later, so the first topic ends then.
  expect(iso(plan[0]!.start)).toBe('2026-03-01T23:00:00.000Z');
  expect(iso(plan[0]!.end)).toBe('2026-03-08T22:59:59.999Z');
  // A six-week gap: still only a fortnight (DST starts on 29 March: local midnight is 22:00 UTC).
  expect(iso(plan[1]!.end)).toBe('2026-03-22T22:59:59.999Z');
  expect(iso(plan[2]!.end)).toBe('2026-05-03T21:59:59.999Z');
});

test('a title that already exists updates that topic; an empty prompt keeps the old one; no date, no dates', () => {
  const { rows } = parseTopicSchedule('- library spaces\n- Proving Our Worth: Which figures do you collect?', { timeZone: TZ });
  const plan = planImport(
    [
      { id: 't1', title: 'Library  Spaces', prompt: 'Describe your spaces.' },
      { id: 't2', title: 'Something else', prompt: '' },
    ],
    rows,
    TZ,
  );
  expect(plan[0]).toEqual({ action: 'update', line: 1, topicId: 't1', title: 'library spaces', prompt: 'Describe your spaces.' });
  expect(plan[1]).toMatchObject({ action: 'create', title: 'Proving Our Worth', prompt: 'Which figures do you collect?' });
  expect(plan[1]).not.toHaveProperty('start');
});

test('titles compare without case, spacing or quote style', () => {
  expect(titleKey(' Assess your community’s  needs ')).toBe(titleKey("assess your community's needs"));
});
