import { expect, test } from 'vitest';
import { deadlineText, dueReminders, type NotebookRhythm, type RhythmInput } from '../../../lib/topics/reminders';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 4, 20, 10); // 20 May 2026, 12:00 in Sarajevo
const nb = (over: Partial<NotebookRhythm> = {}): NotebookRhythm => ({ id: 'nb1', title: 'Ana & Batbayar', createdAt: NOW - 30 * DAY, ...over });
const input = (over: Partial<RhythmInput> = {}): RhythmInput => ({
  now: NOW,
  timeZone: 'Europe/Sarajevo',
  notebooks: [nb()],
  off: { quiet: false, deadline: false },
  sent: new Set(),
  ...over,
});

test('ten quiet days since the last exchange bring one reminder, and not again until ten more', () => {
  expect(dueReminders(input({ notebooks: [nb({ lastExchange: NOW - 9 * DAY })] }))).toEqual([]);
  const [r] = dueReminders(input({ notebooks: [nb({ lastExchange: NOW - 10 * DAY - 1000 })] }));
  expect(r).toMatchObject({ kind: 'quiet', notebookId: 'nb1', title: 'Ana & Batbayar: time to get in touch' });
  expect(r!.message).toContain('for 10 days');
  const sent = new Set([r!.key]);
  expect(dueReminders(input({ notebooks: [nb({ lastExchange: NOW - 10 * DAY - 1000 })], now: NOW + 5 * DAY, sent }))).toEqual([]);
  expect(dueReminders(input({ notebooks: [nb({ lastExchange: NOW - 10 * DAY - 1000 })], now: NOW + 10 * DAY, sent }))).toHaveLength(1);
});

test('without any exchange, the notebook’s creation counts; a new exchange starts a new count', () => {
  expect(dueReminders(input({ notebooks: [nb({ createdAt: NOW - 3 * DAY })] }))).toEqual([]);
  const [a] = dueReminders(input({ notebooks: [nb({ createdAt: NOW - 12 * DAY })] }));
  const [b] = dueReminders(input({ notebooks: [nb({ createdAt: NOW - 40 * DAY, lastExchange: NOW - 11 * DAY })] }));
  expect(a!.key).not.toBe(b!.key);
});

test('the deadline countdown reminds at 14, 7, 3 and 1 days, each once, also when a day was missed', () => {
  const deadline = Date.UTC(2026, 5, 3, 10); // 3 June: 14 days after NOW
  const at = (days: number, sent = new Set<string>()) =>
    dueReminders(input({ now: deadline - days * DAY, notebooks: [nb({ lastExchange: deadline - days * DAY, deadline })], sent }));
  expect(at(15)).toEqual([]);
  expect(at(14).map((r) => r.title)).toEqual(['Ana & Batbayar: poster due in 14 days']);
  const sent = new Set(at(14).map((r) => r.key));
  expect(at(13, sent)).toEqual([]);
  expect(at(6, sent).map((r) => r.title)).toEqual(['Ana & Batbayar: poster due in 6 days']); // the 7-day one, a day late
  expect(at(1).map((r) => r.title)).toEqual(['Ana & Batbayar: poster due in 1 day']);
  expect(at(0)).toEqual([]);
  expect(at(-2)).toEqual([]);
});

test('each kind can be switched off', () => {
  const notebooks = [nb({ createdAt: NOW - 20 * DAY, deadline: NOW + 3 * DAY })];
  expect(dueReminders(input({ notebooks })).map((r) => r.kind)).toEqual(['quiet', 'deadline']);
  expect(dueReminders(input({ notebooks, off: { quiet: true, deadline: false } })).map((r) => r.kind)).toEqual(['deadline']);
  expect(dueReminders(input({ notebooks, off: { quiet: false, deadline: true } })).map((r) => r.kind)).toEqual(['quiet']);
});

test('countdown wording', () => {
  expect(deadlineText(23)).toBe('Poster due in 23 days');
  expect(deadlineText(1)).toBe('Poster due tomorrow');
  expect(deadlineText(0)).toBe('Poster due today');
  expect(deadlineText(-1)).toBe('Poster deadline passed 1 day ago');
});
