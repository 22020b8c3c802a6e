/**
 * The programme's fortnightly rhythm: when each topic is discussed, which one is current, and
 * how many days are left until the poster is due. Pure: the clock (`now`) and the time zone are
 * always parameters.
 */
import type { Topic } from '../notebook/types';
import { addDays, dayNumber, isValidTimeZone, localDate, startOfDay, TimeZoneError } from './time-zone';
import { UserFacingError } from '../../protocol/user-error';

/** An inclusive span of time: `start` and `end` are epoch ms, `end` is the last millisecond in it. */
export interface Period {
  start: number;
  end: number;
}

/** Options of {@link fortnightlySchedule}. */
export interface ScheduleOptions {
  /** Any moment of the first fortnight's first day (epoch ms); the fortnight starts at that day's local midnight. */
  start: number;
  /** The last fortnight is cut here (epoch ms, inclusive); fortnights starting after it are dropped. */
  deadline?: number;
  /** At most this many fortnights. Without a deadline it defaults to {@link DEFAULT_FORTNIGHTS}. */
  count?: number;
  /** IANA time zone whose calendar days the fortnights follow, e.g. "Europe/Sarajevo". */
  timeZone: string;
}

/** Fortnights made when neither `deadline` nor `count` is given: a programme runs about three months. */
export const DEFAULT_FORTNIGHTS = 7;
/** Hard cap on a schedule's length (about two years), so a mistyped deadline cannot build a huge list. */
export const MAX_FORTNIGHTS = 52;

/** Thrown when a schedule cannot be built; the message says what to correct. */
export class ScheduleError extends UserFacingError {
  override name = 'ScheduleError';
}

/**
 * Consecutive fortnights in `timeZone`: each starts at local midnight of its first day and ends
 * at local 23:59:59.999 of its 14th day, whatever DST does in between (so a fortnight can be
 * 335, 336 or 337 hours long). Stops after `count` fortnights or at `deadline`, whichever comes
 * first; the fortnight containing the deadline ends at the deadline.
 *
 * Throws {@link ScheduleError} for a start that is not a finite number, and
 * {@link TimeZoneError} for an unknown zone.
 */
export function fortnightlySchedule(options: ScheduleOptions): Period[] {
  const { start, deadline, timeZone } = options;
  if (!Number.isFinite(start)) throw new ScheduleError('The programme start date is missing or not a date.');
  if (deadline !== undefined && !Number.isFinite(deadline)) {
    throw new ScheduleError('The poster deadline is not a date.');
  }
  if (!isValidTimeZone(timeZone)) throw new TimeZoneError(timeZone);
  let count = options.count ?? (deadline === undefined ? DEFAULT_FORTNIGHTS : MAX_FORTNIGHTS);
  count = Math.max(0, Math.min(MAX_FORTNIGHTS, Math.floor(Number.isFinite(count) ? count : 0)));

  const first = localDate(timeZone, start);
  const out: Period[] = [];
  for (let i = 0; i < count; i++) {
    const from = startOfDay(timeZone, addDays(first, 14 * i));
    if (deadline !== undefined && from > deadline) break;
    // End = the next fortnight's first moment minus 1 ms: exact across DST and skipped midnights.
    let end = startOfDay(timeZone, addDays(first, 14 * (i + 1))) - 1;
    const cut = deadline !== undefined && end >= deadline;
    if (cut) end = deadline;
    out.push({ start: from, end });
    if (cut) break;
  }
  return out;
}

/**
 * Dates for topics that have none, taken from `schedule` in the topics' order.
 *
 * Rules (so a half-dated list comes out sensible):
 * - archived topics are skipped, and keep no slot;
 * - a topic that already has a start occupies the fortnight containing that start, and the
 *   topics after it continue from the next fortnight (dates never go backwards in list order);
 *   if it has a start but no end, it gets that fortnight's end;
 * - a topic without a start takes the next fortnight no dated topic occupies;
 * - when the schedule runs out, the remaining topics get nothing.
 *
 * Returns only the topics that need new dates, by topic id. Topics should be passed sorted by
 * `order`; the caller writes the dates back.
 */
export function assignDates(topics: readonly Pick<Topic, 'id' | 'start' | 'end' | 'archived'>[], schedule: readonly Period[]): Map<string, Period> {
  const slotOf = (t: number) => schedule.findIndex((p) => p.start <= t && t <= p.end);
  const taken = new Set<number>();
  for (const t of topics) {
    if (t.archived || t.start === undefined) continue;
    const s = slotOf(t.start);
    if (s >= 0) taken.add(s);
  }

  const out = new Map<string, Period>();
  let next = 0;
  for (const t of topics) {
    if (t.archived) continue;
    if (t.start !== undefined) {
      const s = slotOf(t.start);
      if (s >= 0) {
        if (t.end === undefined) out.set(t.id, { start: t.start, end: schedule[s]!.end });
        next = Math.max(next, s + 1);
      } else {
        // Dated outside the schedule: later topics continue after it.
        const after = schedule.findIndex((p) => p.start > t.start!);
        next = Math.max(next, after < 0 ? schedule.length : after);
      }
      continue;
    }
    while (next < schedule.length && taken.has(next)) next++;
    if (next >= schedule.length) continue;
    const slot = schedule[next]!;
    out.set(t.id, { start: slot.start, end: slot.end });
    taken.add(next);
    next++;
  }
  return out;
}

/**
 * The topic being discussed at `now`: the non-archived topic whose [start, end] contains it.
 * When several do (overlapping dates), the one that started latest; on a tie, the first in the
 * list. Topics without both dates never count. `undefined` when there is none.
 */
export function currentTopic<T extends Pick<Topic, 'start' | 'end' | 'archived'>>(topics: readonly T[], now: number): T | undefined {
  let best: T | undefined;
  for (const t of topics) {
    if (t.archived || t.start === undefined || t.end === undefined) continue;
    if (t.start <= now && now <= t.end && (best === undefined || t.start > best.start!)) best = t;
  }
  return best;
}

/**
 * Calendar days from `now` to `deadline` in `timeZone`, for the poster countdown: 0 on the day
 * of the deadline, 1 the day before, negative once it has passed. Counted in local days, not
 * 24-hour blocks, so it changes at local midnight and ignores DST.
 * Throws {@link TimeZoneError} for an unknown zone.
 */
export function daysLeft(deadline: number, now: number, timeZone: string): number {
  return dayNumber(localDate(timeZone, deadline)) - dayNumber(localDate(timeZone, now));
}
