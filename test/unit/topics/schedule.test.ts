import { describe, expect, it } from 'vitest';
import type { Topic } from '../../../lib/notebook/types';
import { assignDates, currentTopic, daysLeft, DEFAULT_FORTNIGHTS, fortnightlySchedule, ScheduleError, type Period } from '../../../lib/topics/schedule';
import { TimeZoneError, zonedToEpoch, zoneOffset } from '../../../lib/topics/time-zone';

const H = 3_600_000;
const D = 24 * H;

/** Wall time as "2026-03-29 23:59:59.999" via Intl directly (independent of the code under test). */
function wall(tz: string, t: number): string {
  const s = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, dateStyle: 'short', timeStyle: 'medium' }).format(t);
  return `${s}.${String(((t % 1000) + 1000) % 1000).padStart(3, '0')}`;
}
const walls = (tz: string, ps: Period[]) => ps.map((p) => [wall(tz, p.start), wall(tz, p.end)]);

function topic(over: Partial<Topic> & { id: string }): Topic {
  return { title: over.id, prompt: '', kind: 'programme', order: 0, archived: false, createdAt: 0, ...over };
}

describe('fortnightlySchedule', () => {
  it('crosses the spring DST change in Sarajevo (last Sunday of March): the fortnight is 335 h', () => {
    const s = fortnightlySchedule({ start: Date.UTC(2026, 2, 16, 10), timeZone: 'Europe/Sarajevo', count: 2 });
    expect(walls('Europe/Sarajevo', s)).toEqual([
      ['2026-03-16 00:00:00.000', '2026-03-29 23:59:59.999'],
      ['2026-03-30 00:00:00.000', '2026-04-12 23:59:59.999'],
    ]);
    expect(s[0]).toEqual({ start: Date.UTC(2026, 2, 15, 23), end: Date.UTC(2026, 2, 29, 22) - 1 });
    expect(s[0]!.end + 1 - s[0]!.start).toBe(14 * D - H);
    expect(s[1]!.end + 1 - s[1]!.start).toBe(14 * D);
  });

  it('crosses the autumn DST change in Sarajevo (last Sunday of October): the fortnight is 337 h', () => {
    const [f] = fortnightlySchedule({ start: Date.UTC(2026, 9, 19, 6), timeZone: 'Europe/Sarajevo', count: 1 });
    expect(walls('Europe/Sarajevo', [f!])).toEqual([['2026-10-19 00:00:00.000', '2026-11-01 23:59:59.999']]);
    expect(f).toEqual({ start: Date.UTC(2026, 9, 18, 22), end: Date.UTC(2026, 10, 1, 23) - 1 });
    expect(f!.end + 1 - f!.start).toBe(14 * D + H);
  });

  it('crosses the US change in Chicago (second Sunday of March, 8 March 2026)', () => {
    const [f] = fortnightlySchedule({ start: Date.UTC(2026, 2, 2, 15), timeZone: 'America/Chicago', count: 1 });
    // Starts at CST midnight (06:00 UTC), ends at CDT 23:59:59.999 (04:59:59.999 UTC next day).
    expect(f).toEqual({ start: Date.UTC(2026, 2, 2, 6), end: Date.UTC(2026, 2, 16, 5) - 1 });
  });

  it('is exactly 14 × 24 h in Ulaanbaatar, which has no DST', () => {
    const s = fortnightlySchedule({ start: Date.UTC(2026, 2, 16), timeZone: 'Asia/Ulaanbaatar', count: 6 });
    expect(s[0]!.start).toBe(Date.UTC(2026, 2, 15, 16)); // local midnight, UTC+8
    for (const p of s) expect(p.end + 1 - p.start).toBe(14 * D);
    for (let i = 1; i < s.length; i++) expect(s[i]!.start).toBe(s[i - 1]!.end + 1);
  });

  it('starts at local midnight of the day containing `start`, not at `start` itself', () => {
    // 23:30 UTC on 1 March is already 2 March in Sarajevo.
    const [f] = fortnightlySchedule({ start: Date.UTC(2026, 2, 1, 23, 30), timeZone: 'Europe/Sarajevo', count: 1 });
    expect(wall('Europe/Sarajevo', f!.start)).toBe('2026-03-02 00:00:00.000');
  });

  it('rolls over month ends from 31 January (February has 28 days in 2026)', () => {
    const s = fortnightlySchedule({ start: Date.UTC(2026, 0, 31, 12), timeZone: 'Europe/Sarajevo', count: 3 });
    expect(walls('Europe/Sarajevo', s)).toEqual([
      ['2026-01-31 00:00:00.000', '2026-02-13 23:59:59.999'],
      ['2026-02-14 00:00:00.000', '2026-02-27 23:59:59.999'],
      ['2026-02-28 00:00:00.000', '2026-03-13 23:59:59.999'],
    ]);
  });

  it('rolls over the year end', () => {
    const s = fortnightlySchedule({ start: Date.UTC(2026, 11, 21, 12), timeZone: 'America/Chicago', count: 2 });
    expect(walls('America/Chicago', s)).toEqual([
      ['2026-12-21 00:00:00.000', '2027-01-03 23:59:59.999'],
      ['2027-01-04 00:00:00.000', '2027-01-17 23:59:59.999'],
    ]);
  });

  it('cuts the last fortnight at the deadline', () => {
    const deadline = zonedToEpoch('Europe/Sarajevo', { year: 2026, month: 4, day: 20, hour: 17 });
    const s = fortnightlySchedule({ start: Date.UTC(2026, 2, 2, 12), deadline, timeZone: 'Europe/Sarajevo' });
    expect(walls('Europe/Sarajevo', s)).toEqual([
      ['2026-03-02 00:00:00.000', '2026-03-15 23:59:59.999'],
      ['2026-03-16 00:00:00.000', '2026-03-29 23:59:59.999'],
      ['2026-03-30 00:00:00.000', '2026-04-12 23:59:59.999'],
      ['2026-04-13 00:00:00.000', '2026-04-20 17:00:00.000'],
    ]);
    expect(s.at(-1)!.end).toBe(deadline);
  });

  it('makes no stub fortnight when the deadline is exactly a fortnight end', () => {
    const first = fortnightlySchedule({ start: Date.UTC(2026, 2, 2, 12), timeZone: 'UTC', count: 2 });
    const s = fortnightlySchedule({ start: Date.UTC(2026, 2, 2, 12), deadline: first[1]!.end, timeZone: 'UTC' });
    expect(s).toEqual(first);
  });

  it('stops at whichever comes first, count or deadline', () => {
    const start = Date.UTC(2026, 2, 2);
    expect(fortnightlySchedule({ start, deadline: start + 365 * D, count: 3, timeZone: 'UTC' })).toHaveLength(3);
    expect(fortnightlySchedule({ start, deadline: start + 20 * D, count: 5, timeZone: 'UTC' })).toHaveLength(2);
    expect(fortnightlySchedule({ start, count: 0, timeZone: 'UTC' })).toEqual([]);
    expect(fortnightlySchedule({ start, timeZone: 'UTC' })).toHaveLength(DEFAULT_FORTNIGHTS);
    expect(fortnightlySchedule({ start, deadline: start - D, timeZone: 'UTC' })).toEqual([]);
  });

  it('starts at the first moment of a day whose midnight is skipped (Santiago, 6 September 2026)', () => {
    const [f] = fortnightlySchedule({ start: Date.UTC(2026, 8, 6, 15), timeZone: 'America/Santiago', count: 1 });
    expect(wall('America/Santiago', f!.start)).toBe('2026-09-06 01:00:00.000');
    expect(wall('America/Santiago', f!.start - 1)).toBe('2026-09-05 23:59:59.999');
  });

  it('rejects an unknown zone and a missing start with errors that say what to fix', () => {
    expect(() => fortnightlySchedule({ start: 0, timeZone: 'Mars/Olympus' })).toThrow(TimeZoneError);
    expect(() => fortnightlySchedule({ start: 0, timeZone: '' })).toThrow(/time zone/);
    expect(() => fortnightlySchedule({ start: Number.NaN, timeZone: 'UTC' })).toThrow(ScheduleError);
  });
});

describe('time-zone helpers', () => {
  it('reads offsets on both sides of a change', () => {
    expect(zoneOffset('Europe/Sarajevo', Date.UTC(2026, 2, 29, 0, 59))).toBe(H);
    expect(zoneOffset('Europe/Sarajevo', Date.UTC(2026, 2, 29, 1))).toBe(2 * H);
    expect(zoneOffset('Asia/Ulaanbaatar', Date.UTC(2026, 6, 1))).toBe(8 * H);
  });

  it('takes the earlier instant for a time that happens twice (clocks going back)', () => {
    // 02:30 on 25 October 2026 happens at 00:30 and 01:30 UTC in Sarajevo.
    expect(zonedToEpoch('Europe/Sarajevo', { year: 2026, month: 10, day: 25, hour: 2, minute: 30 })).toBe(Date.UTC(2026, 9, 25, 0, 30));
  });
});

describe('assignDates', () => {
  const schedule = fortnightlySchedule({ start: Date.UTC(2026, 2, 2), timeZone: 'UTC', count: 5 });

  it('gives undated topics consecutive fortnights in list order', () => {
    const got = assignDates([topic({ id: 'a' }), topic({ id: 'b' }), topic({ id: 'c' })], schedule);
    expect([...got.entries()]).toEqual([
      ['a', schedule[0]],
      ['b', schedule[1]],
      ['c', schedule[2]],
    ]);
  });

  it('keeps dated topics, skips their fortnights, never goes backwards, and skips archived topics', () => {
    const got = assignDates(
      [
        topic({ id: 'a' }),
        topic({ id: 'dated', start: schedule[2]!.start + D, end: schedule[2]!.end }),
        topic({ id: 'old', archived: true }),
        topic({ id: 'b' }),
        topic({ id: 'c' }),
      ],
      schedule,
    );
    expect(got.get('a')).toEqual(schedule[0]);
    expect(got.has('dated')).toBe(false);
    expect(got.has('old')).toBe(false);
    expect(got.get('b')).toEqual(schedule[3]);
    expect(got.get('c')).toEqual(schedule[4]);
  });

  it('does not hand a later topic a fortnight that a dated topic further down occupies', () => {
    const got = assignDates([topic({ id: 'a' }), topic({ id: 'b' }), topic({ id: 'd', start: schedule[1]!.start, end: schedule[1]!.end })], schedule);
    expect(got.get('a')).toEqual(schedule[0]);
    expect(got.get('b')).toEqual(schedule[2]);
  });

  it('completes a start without an end, and leaves topics beyond the schedule undated', () => {
    const got = assignDates([topic({ id: 'half', start: schedule[0]!.start + H }), ...['b', 'c', 'd', 'e', 'f'].map((id) => topic({ id }))], schedule);
    expect(got.get('half')).toEqual({ start: schedule[0]!.start + H, end: schedule[0]!.end });
    expect(got.get('e')).toEqual(schedule[4]);
    expect(got.has('f')).toBe(false);
  });
});

describe('currentTopic', () => {
  const t0 = Date.UTC(2026, 2, 2);
  const a = topic({ id: 'a', start: t0, end: t0 + 14 * D - 1 });
  const b = topic({ id: 'b', start: t0 + 14 * D, end: t0 + 28 * D - 1 });

  it('finds the topic whose dates contain now, inclusive at both ends', () => {
    expect(currentTopic([a, b], t0)?.id).toBe('a');
    expect(currentTopic([a, b], t0 + 14 * D - 1)?.id).toBe('a');
    expect(currentTopic([a, b], t0 + 14 * D)?.id).toBe('b');
  });

  it('prefers the latest start when dates overlap, and ignores archived and undated topics', () => {
    const own = topic({ id: 'own', kind: 'own', start: t0 + 3 * D, end: t0 + 5 * D });
    expect(currentTopic([a, own], t0 + 4 * D)?.id).toBe('own');
    expect(currentTopic([a, { ...own, archived: true }], t0 + 4 * D)?.id).toBe('a');
    expect(currentTopic([topic({ id: 'x' }), { ...a, archived: true }], t0)).toBeUndefined();
    expect(currentTopic([a, b], t0 - 1)).toBeUndefined();
  });
});

describe('daysLeft', () => {
  const sar = (day: number, hour: number, minute = 0) => zonedToEpoch('Europe/Sarajevo', { year: 2026, month: 6, day, hour, minute });

  it('counts calendar days in the zone: 1 late in the evening before, 0 on the day, negative after', () => {
    const deadline = sar(1, 9);
    expect(daysLeft(deadline, sar(0, 23, 30), 'Europe/Sarajevo')).toBe(1); // 31 May 23:30
    expect(daysLeft(deadline, sar(1, 0, 10), 'Europe/Sarajevo')).toBe(0);
    expect(daysLeft(deadline, sar(1, 23), 'Europe/Sarajevo')).toBe(0);
    expect(daysLeft(deadline, sar(3, 8), 'Europe/Sarajevo')).toBe(-2);
  });

  it('is not thrown off by a 23-hour day', () => {
    const now = zonedToEpoch('Europe/Sarajevo', { year: 2026, month: 3, day: 28, hour: 12 });
    const deadline = zonedToEpoch('Europe/Sarajevo', { year: 2026, month: 3, day: 30, hour: 0, minute: 30 });
    expect(daysLeft(deadline, now, 'Europe/Sarajevo')).toBe(2);
  });

  it('depends on the zone: it is already the deadline day in Ulaanbaatar but not in UTC', () => {
    const now = Date.UTC(2026, 4, 31, 20); // 1 June 04:00 in Ulaanbaatar
    const deadline = Date.UTC(2026, 5, 1, 10);
    expect(daysLeft(deadline, now, 'Asia/Ulaanbaatar')).toBe(0);
    expect(daysLeft(deadline, now, 'UTC')).toBe(1);
  });
});
