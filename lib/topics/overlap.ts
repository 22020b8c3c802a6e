/**
 * When partners in different time zones can talk: the hours in which everyone's local clock
 * is within a civil window (08:00–21:00 by default). Pure; the starting instant is a parameter.
 */
import { addDays, isValidTimeZone, localDate, zonedToEpoch, type CalendarDate } from './time-zone';

/** A partner as far as meeting times go. */
export interface PartnerClock {
  name: string;
  /** IANA time zone, e.g. "Asia/Ulaanbaatar". */
  timeZone: string;
}

/** Local hours in which a partner is willing to talk; fractions allowed (8.5 = 08:30). `end` ≤ `start` wraps past midnight. */
export interface HourWindow {
  start: number;
  end: number;
}

/** A span of time, epoch ms, `end` exclusive. */
export interface TalkInterval {
  start: number;
  end: number;
  /** Length in minutes (`(end - start) / 60 000`). */
  minutes: number;
}

/** A partner who could not be taken into account, and why. */
export interface ClockProblem {
  name: string;
  timeZone: string;
  message: string;
}

/** Result of {@link goodTimesToTalk}. */
export interface GoodTimes {
  /** Times when every partner with a known zone is inside the window, soonest first. */
  intervals: TalkInterval[];
  /** Partners left out because their time zone is missing or unknown. */
  problems: ClockProblem[];
}

/** Default civil window: 08:00 to 21:00 local time. */
export const DEFAULT_WINDOW: HourWindow = { start: 8, end: 21 };
/** Shorter common spans are not worth proposing for a call. */
export const MIN_INTERVAL_MINUTES = 30;

const HOUR_MS = 3_600_000;
const MAX_DAYS = 62;

function problemFor(p: PartnerClock): ClockProblem | undefined {
  const tz = typeof p.timeZone === 'string' ? p.timeZone.trim() : '';
  if (tz === '') {
    return { name: p.name, timeZone: '', message: `${p.name} has not chosen a time zone yet, so their hours are left out.` };
  }
  if (!isValidTimeZone(tz)) {
    return { name: p.name, timeZone: tz, message: `${p.name}'s time zone “${tz}” is not known, so their hours are left out.` };
  }
  return undefined;
}

function atHour(timeZone: string, date: CalendarDate, hours: number): number {
  const whole = Math.floor(hours);
  // Minutes from the fraction; hour 24 is the next day's midnight.
  const minute = Math.round((hours - whole) * 60);
  const d = whole >= 24 ? addDays(date, 1) : date;
  return zonedToEpoch(timeZone, { ...d, hour: whole % 24, minute });
}

/** One partner's windows, as instants, over the local days that touch [from, to). */
function windowsOf(timeZone: string, window: HourWindow, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  const wraps = window.end <= window.start;
  // Start a day early so a window that began yesterday (or wraps past midnight) is included.
  let day = addDays(localDate(timeZone, from), -1);
  for (;;) {
    const s = atHour(timeZone, day, window.start);
    if (s >= to) break;
    const e = atHour(timeZone, wraps ? addDays(day, 1) : day, window.end);
    if (e > from && e > s) out.push([Math.max(s, from), Math.min(e, to)]);
    day = addDays(day, 1);
  }
  return out;
}

function intersect(a: [number, number][], b: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i]![0], b[j]![0]);
    const e = Math.min(a[i]![1], b[j]![1]);
    if (s < e) out.push([s, e]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/**
 * Times in the `days` days from `from` when every partner's local time is inside `window`
 * (08:00–21:00 by default), each at least {@link MIN_INTERVAL_MINUTES} long. Works on local
 * wall clocks per day, so DST changes on either side are honoured (Ulaanbaatar–Chicago is
 * 3 hours a day in northern winter and 2 in summer).
 *
 * Never throws for bad zones: a partner with a missing or unknown zone is left out and listed in
 * `problems`. With no usable partner, `intervals` is empty. `days` is capped at 62.
 */
export function goodTimesToTalk(partners: readonly PartnerClock[], from: number, days = 7, window: HourWindow = DEFAULT_WINDOW): GoodTimes {
  const problems: ClockProblem[] = [];
  const zones: string[] = [];
  for (const p of partners) {
    const problem = problemFor(p);
    if (problem) problems.push(problem);
    else zones.push(p.timeZone.trim());
  }
  const validWindow = Number.isFinite(window.start) && Number.isFinite(window.end) && window.start >= 0 && window.end <= 24 && window.start < 24;
  const span = Math.min(MAX_DAYS, Math.max(0, Number.isFinite(days) ? days : 0));
  if (zones.length === 0 || !validWindow || !Number.isFinite(from) || span === 0) return { intervals: [], problems };

  const to = from + span * 24 * HOUR_MS;
  let common: [number, number][] | undefined;
  for (const tz of new Set(zones)) {
    const w = windowsOf(tz, window, from, to);
    common = common === undefined ? w : intersect(common, w);
  }
  // Back-to-back windows (a 24-hour window, or wrap-around ones) read better as one span.
  const merged: [number, number][] = [];
  for (const w of common ?? []) {
    const last = merged[merged.length - 1];
    if (last && last[1] >= w[0]) last[1] = Math.max(last[1], w[1]);
    else merged.push([w[0], w[1]]);
  }
  const intervals = merged
    .filter(([s, e]) => e - s >= MIN_INTERVAL_MINUTES * 60_000)
    .map(([start, end]) => ({ start, end, minutes: Math.round((end - start) / 60_000) }));
  return { intervals, problems };
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A partner's local time for display, e.g. "Tue 09:05" (24-hour, English weekday by default).
 * Returns `undefined` for a missing or unknown zone rather than throwing, so a profile with a
 * bad zone never breaks the panel.
 */
export function localTime(timeZone: string, now: number, locale = 'en-GB'): string | undefined {
  if (!isValidTimeZone(timeZone) || !Number.isFinite(now)) return undefined;
  const key = `${locale}\u0000${timeZone}`;
  let f = timeFormats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch {
      return undefined; // unknown locale tag
    }
    if (timeFormats.size > 200) timeFormats.clear();
    timeFormats.set(key, f);
  }
  return f.format(now).replace(',', '');
}
