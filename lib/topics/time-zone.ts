/**
 * Calendar arithmetic in IANA time zones, with nothing but `Intl.DateTimeFormat`.
 *
 * Why not `n × 24 h`: a fortnight that crosses a DST change is 335 or 337 hours long, and a
 * "day" in Sarajevo on the last Sunday of March has 23 hours. Everything here works on local
 * calendar dates and converts to instants only at the edges, asking Intl for the zone's offset
 * at each instant (Temporal would do this for us, but it is not in every browser we support).
 */
import { UserFacingError } from '../../protocol/user-error';

/** A calendar date (no time, no zone). `month` is 1–12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** A local wall-clock time in some zone. `month` is 1–12, `hour` 0–23. */
export interface WallTime extends CalendarDate {
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;

// Building a DateTimeFormat is far slower than using one, and schedules/overlaps ask for the
// offset hundreds of times. `null` remembers zones that Intl rejected. The cache is bounded
// because zone names come from peers' profiles (untrusted input).
const formatters = new Map<string, Intl.DateTimeFormat | null>();
const MAX_CACHED_ZONES = 200;

function formatter(timeZone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        // h23, not hour12:false: some engines print midnight as "24" with hour12:false.
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      f = null;
    }
    if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f ?? undefined;
}

/** True when `timeZone` is a non-empty zone name this browser's Intl knows (e.g. "Asia/Ulaanbaatar"). */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  return typeof timeZone === 'string' && timeZone.trim() !== '' && formatter(timeZone) !== undefined;
}

/** Thrown when a time zone name is not one Intl knows; the message names it. */
export class TimeZoneError extends UserFacingError {
  override name = 'TimeZoneError';
  constructor(timeZone: unknown, options?: { cause?: unknown }) {
    super(`The time zone “${String(timeZone)}” is not known. Choose a place such as “Europe/Sarajevo” in the profile.`, options);
  }
}

function mustFormatter(timeZone: string): Intl.DateTimeFormat {
  const f = typeof timeZone === 'string' && timeZone.trim() !== '' ? formatter(timeZone) : undefined;
  if (!f) throw new TimeZoneError(timeZone);
  return f;
}

/** The wall-clock time at instant `at` (epoch ms) in `timeZone`. Throws {@link TimeZoneError}. */
export function wallTime(timeZone: string, at: number): WallTime {
  const parts = mustFormatter(timeZone).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** The calendar date at instant `at` in `timeZone`. Throws {@link TimeZoneError}. */
export function localDate(timeZone: string, at: number): CalendarDate {
  const { year, month, day } = wallTime(timeZone, at);
  return { year, month, day };
}

/** The zone's offset from UTC at instant `at`, in ms (Sarajevo in summer: +7 200 000). */
export function zoneOffset(timeZone: string, at: number): number {
  const w = wallTime(timeZone, at);
  // Intl prints whole seconds, so compare with the instant floored to a second.
  const floored = Math.floor(at / 1000) * 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - floored;
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local time.
 *
 * Like Temporal's "compatible" disambiguation: a time that occurs twice (clocks going back)
 * gives the earlier instant; a time that does not exist (clocks going forward) is moved forward
 * by the gap, so local midnight on a day whose midnight is skipped becomes the first moment of
 * that day. Throws {@link TimeZoneError}.
 */
export function zonedToEpoch(timeZone: string, t: CalendarDate & { hour?: number; minute?: number; second?: number; millisecond?: number }): number {
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour ?? 0, t.minute ?? 0, t.second ?? 0, t.millisecond ?? 0);
  // The true instant is within ±14 h of `wall`; one day either side is safely before and after
  // any single transition near it.
  const before = zoneOffset(timeZone, wall - DAY_MS);
  const after = zoneOffset(timeZone, wall + DAY_MS);
  const c1 = wall - before;
  if (before === after) return c1;
  const c2 = wall - after;
  const ok1 = zoneOffset(timeZone, c1) === before;
  const ok2 = zoneOffset(timeZone, c2) === after;
  if (ok1 && ok2) return Math.min(c1, c2);
  if (ok1) return c1;
  if (ok2) return c2;
  return c1; // in the gap: shifted forward by its length
}

/** `date` plus `days` calendar days (negative to go back); month and year ends roll over. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Days from 1970-01-01 to `date`, for counting calendar days without any clock. */
export function dayNumber(date: CalendarDate): number {
  return Math.round(Date.UTC(date.year, date.month - 1, date.day) / DAY_MS);
}

/** True when year/month/day name a day that exists (rejects 31 February, month 13…). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (![year, month, day].every(Number.isInteger)) return false;
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** First moment of `date` in `timeZone` (local midnight, or the first moment after a skipped midnight). */
export function startOfDay(timeZone: string, date: CalendarDate): number {
  return zonedToEpoch(timeZone, date);
}

/** "2026-03-02" for a calendar date. */
export function isoDate(date: CalendarDate): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(date.year, 4)}-${p(date.month)}-${p(date.day)}`;
}
