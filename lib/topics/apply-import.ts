/**
 * Turning a previewed schedule import into changes to the notebook's topics: which topics to
 * create, which existing ones (same title) to update, and the dates each gets. Pure: the caller
 * writes the plan with lib/notebook, so the preview and the write can never disagree.
 */
import type { Topic } from '../notebook/types';
import type { ImportedTopic } from './import';
import { addDays, localDate, startOfDay } from './time-zone';

/** One change the import will make. */
export type ImportStep =
  | { action: 'create'; line: number; title: string; prompt: string; start?: number; end?: number }
  | { action: 'update'; line: number; topicId: string; title: string; prompt: string; start?: number; end?: number };

/** Titles compare the way people read them: case, spacing and curly quotes do not matter. */
export function titleKey(title: string): string {
  return title.normalize('NFC').replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * The steps that import `rows` into a notebook holding `existing` topics.
 *
 * Dates: a row's topic runs from its start until the day before the next row's start (in date
 * order), but never longer than a fortnight, because the programme's rhythm is fortnightly and a
 * gap in the organisers' list should not make one topic "current" for months. The last row gets
 * a fortnight. Ends are the last millisecond of a local day in `timeZone`.
 *
 * A row whose title matches an existing topic (archived ones included, see {@link titleKey})
 * updates it; an empty prompt in the row keeps the topic's prompt.
 */
export function planImport(existing: readonly Pick<Topic, 'id' | 'title' | 'prompt'>[], rows: readonly ImportedTopic[], timeZone: string): ImportStep[] {
  const byTitle = new Map(existing.map((t) => [titleKey(t.title), t] as const));
  const starts = [...new Set(rows.map((r) => r.start).filter((s): s is number => s !== undefined))].sort((a, b) => a - b);
  const endOf = (start: number): number => {
    const fortnight = startOfDay(timeZone, addDays(localDate(timeZone, start), 14)) - 1;
    const next = starts.find((s) => s > start);
    return next !== undefined ? Math.min(next - 1, fortnight) : fortnight;
  };
  return rows.map((r) => {
    const dates = r.start !== undefined ? { start: r.start, end: endOf(r.start) } : {};
    const match = byTitle.get(titleKey(r.title));
    if (match) {
      return { action: 'update', line: r.line, topicId: match.id, title: r.title, prompt: r.prompt || match.prompt, ...dates };
    }
    return { action: 'create', line: r.line, title: r.title, prompt: r.prompt, ...dates };
  });
}
