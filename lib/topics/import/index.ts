/**
 * Reading the organisers' topic schedule from whatever they sent: a pasted list from an e-mail,
 * a CSV export of a spreadsheet, or JSON. Never throws: everything it cannot read becomes a
 * message a librarian (often reading English as a second language) can act on, with the line
 * it is on. Rows with an error are left out of `rows`, so a preview of `rows` shows exactly
 * what will be imported.
 *
 * Dates. Accepted: ISO `2026-03-02` (also with `/` or `.`), numeric `2.3.2026`, `02/03/2026`,
 * `2-3-26`, and English month names (`2 March 2026`, `2nd of Mar 2026`, `March 2, 2026`,
 * `Monday 2 March 2026`, `2–15 March 2026` → the first day). A weekday, when given, must match.
 *
 * Day or month first, for numeric dates: a number above 12 settles it for that date (`15/03` is
 * day-first, `03/15` month-first). When both are 12 or less, the whole input decides: if some
 * date in it can only be month-first and none can only be day-first, all ambiguous ones are read
 * month-first (an organiser writing US-style); otherwise day-first, which most of the programme's
 * countries use. `options.dateOrder` overrides this.
 *
 * A date without a year (`2 March`) takes `options.defaultYear`, or else the year of the last
 * earlier date that had one; with neither it is an error.
 */
import { t } from '../../i18n';
import { isValidTimeZone } from '../time-zone';
import { Collector } from './collector';
import { columnOf, detectSeparator, parseCsv } from './csv';
import { guessOrder, type DateContext } from './dates';
import { parseJson } from './json';
import { parseList } from './list';
import { IMPORT_LIMITS, type ImportError, type ImportFormat, type ImportOptions, type ImportResult } from './types';

export { IMPORT_LIMITS, type ImportedTopic, type ImportError, type ImportFormat, type ImportOptions, type ImportResult } from './types';

function detectFormat(text: string): ImportFormat {
  const t = text.trimStart();
  if (t.startsWith('[') || t.startsWith('{')) return 'json';
  const first = t.split(/\r\n|\r|\n/, 1)[0] ?? '';
  const sep = detectSeparator(first);
  const cells = first.split(sep);
  // A header naming a known column, and either a separator or a bare "title" line.
  if (cells.some((c) => columnOf(c) !== undefined) && (cells.length > 1 || columnOf(cells[0]!) === 'title')) return 'csv';
  return 'list';
}

function utf8Length(s: string): number {
  // Only exact when it matters: below a third of the bound no string can exceed it.
  if (s.length * 3 <= IMPORT_LIMITS.bytes) return s.length;
  return new TextEncoder().encode(s).length;
}

/**
 * Reads a topic schedule from pasted text, CSV or JSON (see the module comment for the
 * accepted shapes and the date rules). The format is guessed unless `options.format` is given:
 * text starting with `[` or `{` is JSON; a first line naming a known column (title, prompt,
 * start, date…) is CSV; anything else is a list with one topic per line.
 *
 * Never throws. Rows with a problem are left out and described in `errors`; at most
 * {@link IMPORT_LIMITS}.rows rows are returned, and input over 1 MB is refused as a whole.
 */
export function parseTopicSchedule(input: unknown, options: ImportOptions = {}): ImportResult {
  const errors: ImportError[] = [];
  let timeZone = options.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) {
    errors.push({ line: 0, message: t('import.unknownZone', { zone: String(timeZone) }) });
    timeZone = 'UTC';
  }
  if (typeof input !== 'string') {
    return { rows: [], errors: [...errors, { line: 0, message: t('import.nothing') }], format: 'list' };
  }
  const bytes = utf8Length(input);
  if (bytes > IMPORT_LIMITS.bytes) {
    const mb = (bytes / 1_048_576).toFixed(1);
    return { rows: [], errors: [...errors, { line: 0, message: t('import.tooBig', { mb: String(mb) }) }], format: 'list' };
  }
  const text = input.replace(/^\ufeff/, '');
  const format = options.format && options.format !== 'auto' ? options.format : detectFormat(text);
  if (text.trim() === '') {
    return { rows: [], errors: [...errors, { line: 0, message: t('import.nothing') }], format };
  }
  const ctx: DateContext = { order: options.dateOrder ?? guessOrder(text), defaultYear: options.defaultYear };
  const out = new Collector(timeZone);
  try {
    if (format === 'json') parseJson(text, out, ctx);
    else if (format === 'csv') parseCsv(text, out, ctx);
    else parseList(text, out, ctx);
  } catch (cause) {
    // A bug here must not take the import dialog down; say so instead.
    out.error(0, t('import.unreadable', { detail: String((cause as Error)?.message ?? cause) }));
  }
  return { rows: out.rows, errors: [...errors, ...out.errors], format };
}
