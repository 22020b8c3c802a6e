// Validating rows against the bounds and collecting them, or an error message per line, for the preview.
import { t } from '../../i18n';
import { isoDate, localDate, startOfDay } from '../time-zone';
import { capitalise, cleanPrompt, cleanTitle, short } from './clean';
import type { DateRead } from './dates';
import { IMPORT_LIMITS, type ImportError, type ImportedTopic } from './types';

/** A row before validation: `date` is raw text (to read) or epoch ms (from JSON), if any. */
export interface RawRow {
  line: number;
  title: string;
  prompt: string;
  date?: DateRead | { epoch: number };
}

export class Collector {
  readonly rows: ImportedTopic[] = [];
  readonly errors: ImportError[] = [];
  private readonly seen = new Map<string, number>();
  full = false;

  constructor(private readonly timeZone: string) {}

  error(line: number, message: string) {
    this.errors.push({ line, message: line > 0 ? t('import.line', { line: String(line), message }) : capitalise(message) });
  }

  add(row: RawRow) {
    if (this.full) return;
    const title = cleanTitle(row.title);
    const prompt = cleanPrompt(row.prompt);
    if (title === '') {
      this.error(row.line, prompt === '' && row.date ? t('import.noTitleButDate') : t('import.titleEmpty'));
      return;
    }
    if (title.length > IMPORT_LIMITS.title) {
      this.error(row.line, t('import.titleTooLong', { length: title.length, limit: IMPORT_LIMITS.title }));
      return;
    }
    if (prompt.length > IMPORT_LIMITS.prompt) {
      this.error(row.line, t('import.promptTooLong', { length: prompt.length, limit: IMPORT_LIMITS.prompt }));
      return;
    }
    let start: number | undefined;
    let startDate: string | undefined;
    if (row.date && 'error' in row.date) {
      this.error(row.line, row.date.error);
      return;
    }
    if (row.date && 'date' in row.date) {
      start = startOfDay(this.timeZone, row.date.date);
      startDate = isoDate(row.date.date);
    } else if (row.date && 'epoch' in row.date) {
      start = startOfDay(this.timeZone, localDate(this.timeZone, row.date.epoch));
      startDate = isoDate(localDate(this.timeZone, row.date.epoch));
    }
    const key = title.toLocaleLowerCase('en');
    const earlier = this.seen.get(key);
    if (earlier !== undefined) {
      this.error(row.line, t('import.duplicate', { title: short(title), earlier: String(earlier) }));
      return;
    }
    if (this.rows.length >= IMPORT_LIMITS.rows) {
      this.full = true;
      this.error(row.line, t('import.tooMany', { limit: IMPORT_LIMITS.rows }));
      return;
    }
    this.seen.set(key, row.line);
    const out: ImportedTopic = { line: row.line, title, prompt };
    if (start !== undefined) {
      out.start = start;
      out.startDate = startDate;
    }
    this.rows.push(out);
  }
}
