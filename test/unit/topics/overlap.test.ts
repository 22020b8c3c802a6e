import { describe, expect, it } from 'vitest';
import { goodTimesToTalk, localTime, type PartnerClock } from '../../../lib/topics/overlap';

const UB: PartnerClock = { name: 'Batbayar', timeZone: 'Asia/Ulaanbaatar' };
const CHI: PartnerClock = { name: 'Megan', timeZone: 'America/Chicago' };
const SAR: PartnerClock = { name: 'Ana', timeZone: 'Europe/Sarajevo' };

/** Intervals as "UTC hh:mm–hh:mm" per UTC day, easy to check by hand. */
const iso = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
const spans = (r: ReturnType<typeof goodTimesToTalk>) => r.intervals.map((i) => `${iso(i.start)}–${iso(i.end).slice(11)}`);
const hm = (tz: string, t: number) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);

describe('goodTimesToTalk', () => {
  it('Ulaanbaatar–Chicago in January (14 h apart): 3 h a day, 08–11 in Ulaanbaatar = 18–21 the evening before in Chicago', () => {
    // UB 08:00–21:00 (UTC+8) = 00:00–13:00 UTC; Chicago 08:00–21:00 (UTC−6) = 14:00–03:00 UTC.
    const r = goodTimesToTalk([UB, CHI], Date.UTC(2026, 0, 12), 7);
    expect(r.problems).toEqual([]);
    expect(spans(r)).toEqual([12, 13, 14, 15, 16, 17, 18].map((d) => `2026-01-${d} 00:00–03:00`));
    expect(r.intervals.every((i) => i.minutes === 180)).toBe(true);
    const first = r.intervals[0]!;
    expect([hm('Asia/Ulaanbaatar', first.start), hm('Asia/Ulaanbaatar', first.end)]).toEqual(['08:00', '11:00']);
    expect([hm('America/Chicago', first.start), hm('America/Chicago', first.end)]).toEqual(['18:00', '21:00']);
  });

  it('Ulaanbaatar–Chicago in July (13 h apart): 2 h a day, 08–10 in Ulaanbaatar = 19–21 in Chicago', () => {
    // Chicago on CDT (UTC−5): 08:00–21:00 = 13:00–02:00 UTC. Touching at 13:00 UTC is no overlap.
    const r = goodTimesToTalk([UB, CHI], Date.UTC(2026, 6, 6), 7);
    expect(spans(r)).toEqual([6, 7, 8, 9, 10, 11, 12].map((d) => `2026-07-${String(d).padStart(2, '0')} 00:00–02:00`));
    expect([hm('America/Chicago', r.intervals[0]!.start), hm('America/Chicago', r.intervals[0]!.end)]).toEqual(['19:00', '21:00']);
  });

  it('follows Chicago across its DST change on 8 March 2026: 3 h a day before, 2 h after', () => {
    const r = goodTimesToTalk([UB, CHI], Date.UTC(2026, 2, 5), 7);
    expect(r.intervals.map((i) => i.minutes)).toEqual([180, 180, 180, 180, 120, 120, 120]);
    expect(iso(r.intervals[4]!.start)).toBe('2026-03-09 00:00');
  });

  it('finds no common time for the trio with Sarajevo in the default 08–21 window, winter or summer', () => {
    expect(goodTimesToTalk([UB, CHI, SAR], Date.UTC(2026, 0, 12), 7).intervals).toEqual([]);
    expect(goodTimesToTalk([UB, CHI, SAR], Date.UTC(2026, 6, 6), 7).intervals).toEqual([]);
  });

  it('finds the trio 2 h a day in January with a 07–23 window: 21–23 Ulaanbaatar, 07–09 Chicago, 14–16 Sarajevo', () => {
    // UB 07–23 = 23:00–15:00 UTC; Chicago 07–23 CST = 13:00–05:00 UTC; Sarajevo 07–23 CET = 06:00–22:00 UTC.
    const r = goodTimesToTalk([UB, CHI, SAR], Date.UTC(2026, 0, 12), 3, { start: 7, end: 23 });
    expect(spans(r)).toEqual(['2026-01-12 13:00–15:00', '2026-01-13 13:00–15:00', '2026-01-14 13:00–15:00']);
    const t = r.intervals[0]!.start;
    expect([hm('Asia/Ulaanbaatar', t), hm('America/Chicago', t), hm('Europe/Sarajevo', t)]).toEqual(['21:00', '07:00', '14:00']);
  });

  it('finds the trio 3 h a day in July with a 07–23 window (both sides on summer time)', () => {
    // Chicago CDT 07–23 = 12:00–04:00 UTC; Sarajevo CEST 07–23 = 05:00–21:00 UTC.
    const r = goodTimesToTalk([SAR, UB, CHI], Date.UTC(2026, 6, 6), 2, { start: 7, end: 23 });
    expect(spans(r)).toEqual(['2026-07-06 12:00–15:00', '2026-07-07 12:00–15:00']);
  });

  it('keeps a common half hour and drops anything shorter', () => {
    // 08:00–18:30: UB is 00:00–10:30 UTC, Chicago 14:00–00:30 UTC → 00:00–00:30.
    const half = goodTimesToTalk([UB, CHI], Date.UTC(2026, 0, 12), 1, { start: 8, end: 18.5 });
    expect(spans(half)).toEqual(['2026-01-12 00:00–00:30']);
    expect(goodTimesToTalk([UB, CHI], Date.UTC(2026, 0, 12), 1, { start: 8, end: 18.25 }).intervals).toEqual([]);
  });

  it('cuts intervals at `from` and at the end of the range', () => {
    const r = goodTimesToTalk([UB, CHI], Date.UTC(2026, 0, 12, 1), 1);
    // The range is [12 Jan 01:00, 13 Jan 01:00) UTC: the second day's span is cut to one hour.
    expect(spans(r)).toEqual(['2026-01-12 01:00–03:00', '2026-01-13 00:00–01:00']);
  });

  it('supports a window that wraps past midnight', () => {
    const r = goodTimesToTalk([{ name: 'Night owl', timeZone: 'UTC' }], Date.UTC(2026, 0, 12, 12), 1, { start: 22, end: 2 });
    expect(spans(r)).toEqual(['2026-01-12 22:00–02:00']);
  });

  it('reports missing and unknown zones instead of throwing, and plans with the others', () => {
    const r = goodTimesToTalk([SAR, { name: 'Nobody', timeZone: '' }, { name: 'Typo', timeZone: 'Europe/Sarajveo' }], Date.UTC(2026, 0, 12), 1);
    expect(r.problems.map((p) => p.name)).toEqual(['Nobody', 'Typo']);
    expect(r.problems[1]!.message).toContain('Europe/Sarajveo');
    expect(spans(r)).toEqual(['2026-01-12 07:00–20:00']);
    expect(goodTimesToTalk([{ name: 'x', timeZone: 'nope' }], 0).intervals).toEqual([]);
    expect(goodTimesToTalk([], 0).intervals).toEqual([]);
  });
});

describe('localTime', () => {
  it('formats a partner’s clock, and returns undefined for a bad zone', () => {
    const t = Date.UTC(2026, 0, 13, 1, 5); // Tuesday 09:05 in Ulaanbaatar, Monday 19:05 in Chicago
    expect(localTime('Asia/Ulaanbaatar', t)).toBe('Tue 09:05');
    expect(localTime('America/Chicago', t)).toBe('Mon 19:05');
    expect(localTime('', t)).toBeUndefined();
    expect(localTime('Nowhere/City', t)).toBeUndefined();
  });
});
