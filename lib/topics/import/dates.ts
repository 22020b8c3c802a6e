// Reading dates in the shapes organisers write them (the rules are in the comment at the top of index.ts).
import { date, t } from '../../i18n';
import { isRealDate, type CalendarDate } from '../time-zone';
import { short } from './clean';

const MONTHS: Record<string, number> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};
const WEEKDAYS: Record<string, number> = {
  sunday: 0,
  sun: 0,
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  tues: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thu: 4,
  thur: 4,
  thurs: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
};
/** A weekday's name (0 = Sunday) in the panel's language. */
const weekdayName = (day: number) => date(Date.UTC(2026, 2, 1 + day), { weekday: 'long', timeZone: 'UTC' });
const MONTH_RE = '(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?';
const WEEKDAY_RE = '(?:(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\\.?,?\\s+)?';
const ORD = '(?:st|nd|rd|th)?';
const DASH = '[-–—]';

export type DateOrder = 'day-first' | 'month-first';

/** What a date-shaped piece of text turned out to be. */
export type DateRead = { date: CalendarDate } | { error: string };

export interface DateContext {
  order: DateOrder;
  defaultYear?: number;
  /** Year of the last date read that spelled one out. */
  lastYear?: number;
}

interface DatePattern {
  source: string;
  read(m: RegExpExecArray, raw: string, ctx: DateContext): DateRead;
}

function finish(raw: string, y: number | undefined, mo: number, d: number, weekday: string | undefined, ctx: DateContext): DateRead {
  let year = y;
  if (year === undefined) {
    year = ctx.defaultYear ?? ctx.lastYear;
    if (year === undefined) {
      return { error: t('import.noYear', { date: raw }) };
    }
  } else {
    if (year < 100) year += 2000;
    ctx.lastYear = year;
  }
  if (year < 2000 || year > 2100) return { error: t('import.badYear', { date: raw }) };
  if (!isRealDate(year, mo, d)) return { error: t('import.noSuchDate', { date: raw }) };
  const date = { year, month: mo, day: d };
  if (weekday !== undefined) {
    const actual = new Date(Date.UTC(year, mo - 1, d)).getUTCDay();
    const said = WEEKDAYS[weekday.toLowerCase()];
    if (said !== undefined && said !== actual) {
      return { error: t('import.wrongWeekday', { date: raw, actual: weekdayName(actual), said: weekdayName(said) }) };
    }
  }
  return { date };
}

const DATE_PATTERNS: DatePattern[] = [
  {
    // ISO and its relatives: 2026-03-02, 2026/3/2, 2026.03.02
    source: `${WEEKDAY_RE}(\\d{4})([-/.])(\\d{1,2})\\3(\\d{1,2})`,
    read: (m, raw, ctx) => finish(raw, Number(m[2]), Number(m[4]), Number(m[5]), m[1], ctx),
  },
  {
    // Numeric with the year last: 2.3.2026, 02/03/2026, 2-3-26
    source: `${WEEKDAY_RE}(\\d{1,2})([-/.])(\\d{1,2})\\3(\\d{4}|\\d{2})(?!\\d)`,
    read(m, raw, ctx) {
      const a = Number(m[2]);
      const b = Number(m[4]);
      const order: DateOrder = a > 12 ? 'day-first' : b > 12 ? 'month-first' : ctx.order;
      const [d, mo] = order === 'day-first' ? [a, b] : [b, a];
      return finish(raw, Number(m[5]), mo, d, m[1], ctx);
    },
  },
  {
    // 2 March 2026, 2nd of Mar, 2–15 March 2026, Monday 2 March
    source: `${WEEKDAY_RE}(\\d{1,2})${ORD}(?:\\s*${DASH}\\s*\\d{1,2}${ORD})?\\s+(?:of\\s+)?${MONTH_RE}(?:,?\\s+(\\d{4}))?`,
    read: (m, raw, ctx) => finish(raw, m[4] ? Number(m[4]) : undefined, MONTHS[m[3]!.toLowerCase()]!, Number(m[2]), m[1], ctx),
  },
  {
    // March 2, 2026; Mar 2nd 2026; March 2–15, 2026
    source: `${WEEKDAY_RE}${MONTH_RE}\\s+(\\d{1,2})${ORD}(?:\\s*${DASH}\\s*\\d{1,2}${ORD})?(?:,?\\s+(\\d{4}))?`,
    read: (m, raw, ctx) => finish(raw, m[4] ? Number(m[4]) : undefined, MONTHS[m[2]!.toLowerCase()]!, Number(m[3]), m[1], ctx),
  },
];

// A date must end at a word boundary, so "2 Marchers" or "2026-03-021" are not dates.
const END = '(?![\\p{L}\\p{N}])';
// Optional parentheses: "Week 1 (2 March): Advocacy".
const AT_START = DATE_PATTERNS.map((p) => new RegExp(`^\\(?(?:${p.source})\\)?${END}`, 'iu'));
const WHOLE = DATE_PATTERNS.map((p) => new RegExp(`^\\s*\\(?(?:${p.source})\\)?[.,]?\\s*$`, 'iu'));
// The lookbehind (not a group) keeps the patterns' own group numbers, which their backreferences use.
const AT_END = DATE_PATTERNS.map((p) => new RegExp(`(?<=^|[\\s(\\[,;:|–—-])\\(?(?:${p.source})\\)?[.]?\\s*$`, 'iu'));

interface DateMatch {
  read: DateRead;
  /** Where the date text starts and ends in the searched string. */
  from: number;
  to: number;
}

/** The longest date at the start of `s`, if any. */
export function dateAtStart(s: string, ctx: DateContext): DateMatch | undefined {
  let best: { i: number; m: RegExpExecArray } | undefined;
  AT_START.forEach((re, i) => {
    const m = re.exec(s);
    if (m && (!best || m[0].length > best.m[0].length)) best = { i, m };
  });
  if (!best) return undefined;
  const raw = best.m[0].trim().replace(/^\(|\)$/g, '');
  return { read: DATE_PATTERNS[best.i]!.read(best.m, raw, ctx), from: 0, to: best.m[0].length };
}

/** A date at the end of `s` ("Library Spaces – 2 March 2026", "Library Spaces (2.3.2026)"). */
export function dateAtEnd(s: string, ctx: DateContext): DateMatch | undefined {
  // The leftmost match is the longest date ("Monday 2 March 2026" rather than "2 March 2026").
  let best: { i: number; from: number; raw: string } | undefined;
  AT_END.forEach((re, i) => {
    const m = re.exec(s);
    if (m && (!best || m.index < best.from)) best = { i, from: m.index, raw: m[0].trim().replace(/^\(|\)?\.?$/g, '') };
  });
  if (!best) return undefined;
  // Re-run the pattern on the date alone so the reader gets the groups it expects.
  const m = AT_START[best.i]!.exec(best.raw);
  if (!m) return undefined;
  return { read: DATE_PATTERNS[best.i]!.read(m, best.raw, ctx), from: best.from, to: s.length };
}

/** A whole cell that should be a date: `undefined` for an empty cell. */
export function dateCell(cell: string, ctx: DateContext): DateRead | undefined {
  const raw = cell.trim();
  if (raw === '') return undefined;
  for (let i = 0; i < WHOLE.length; i++) {
    const m = WHOLE[i]!.exec(raw);
    if (m) return DATE_PATTERNS[i]!.read(m, raw.replace(/^\(|\)?[.,]?$/g, ''), ctx);
  }
  return { error: t('import.unreadableDate', { date: short(raw) }) };
}

/** Day-first unless the input's own unambiguous dates say month-first (see the module comment). */
export function guessOrder(text: string): DateOrder {
  let dayFirst = 0;
  let monthFirst = 0;
  for (const m of text.matchAll(/(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](?:\d{4}|\d{2})(?!\d)/g)) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > 12 && b <= 12) dayFirst++;
    else if (b > 12 && a <= 12) monthFirst++;
  }
  return monthFirst > 0 && dayFirst === 0 ? 'month-first' : 'day-first';
}
