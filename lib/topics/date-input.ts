/**
 * `<input type="date">` values ("2026-03-02") ↔ instants in a time zone. The browser's own
 * conversion uses the computer's zone; these take the zone as a parameter, so the schedule and
 * the topic dates follow the same calendar as {@link fortnightlySchedule}.
 */
import { addDays, isoDate, isRealDate, localDate, startOfDay, type CalendarDate } from './time-zone';

function parse(v: string): CalendarDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isRealDate(year, month, day) ? { year, month, day } : undefined;
}

/** Local midnight of the day `v` names, in `timeZone`; undefined for an empty or invalid value. */
export function dayStart(v: string, timeZone: string): number | undefined {
  const d = parse(v);
  return d && startOfDay(timeZone, d);
}

/** The last millisecond of the day `v` names, in `timeZone` (a topic's end is inclusive). */
export function dayEnd(v: string, timeZone: string): number | undefined {
  const d = parse(v);
  return d && startOfDay(timeZone, addDays(d, 1)) - 1;
}

/** The date-input value for an instant in `timeZone` ("" for none). */
export function toDateInput(ms: number | undefined, timeZone: string): string {
  return ms === undefined || !Number.isFinite(ms) ? '' : isoDate(localDate(timeZone, ms));
}
