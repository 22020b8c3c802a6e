/**
 * The partnership's rhythm as reminders: what to tell the person, given the dates and their
 * settings. Pure: the background worker supplies the clock, storage contents and time zone,
 * and shows whatever this returns.
 */
import { t, type Translate } from '../i18n';
import { daysLeft } from './schedule';
import { isValidTimeZone } from './time-zone';

/** The programme asks partners to talk at least every two weeks; nudge after ten quiet days. */
export const QUIET_DAYS = 10;
/** Days before the poster deadline on which to remind (each at most once per deadline). */
export const DEADLINE_DAYS = [14, 7, 3, 1] as const;

const DAY = 86_400_000;

/** Which kinds of reminder the person switched off. */
export interface ReminderSettings {
  /** No "nothing heard from your partners" reminders. */
  quiet: boolean;
  /** No poster deadline countdown. */
  deadline: boolean;
}

/** One notebook as the background knows it (it cannot open the Y.Doc). */
export interface NotebookRhythm {
  id: string;
  title: string;
  /** When the notebook was created on this computer (epoch ms): the fallback for the last exchange. */
  createdAt: number;
  /** Last change received from a partner (epoch ms), if any. */
  lastExchange?: number;
  /** The poster deadline copied from the notebook (epoch ms), if set. */
  deadline?: number;
}

/** A notification to show. `key` is stable, so the same reminder is never shown twice. */
export interface Reminder {
  key: string;
  kind: 'quiet' | 'deadline';
  notebookId: string;
  title: string;
  message: string;
}

/** Everything {@link dueReminders} needs. */
export interface RhythmInput {
  now: number;
  /** The person's IANA time zone, for counting calendar days to the deadline. */
  timeZone: string;
  notebooks: readonly NotebookRhythm[];
  off: ReminderSettings;
  /** Keys of reminders already shown. */
  sent: ReadonlySet<string>;
}

/**
 * Reminders due now and not yet shown.
 *
 * - Quiet: when {@link QUIET_DAYS} or more days have passed since the last exchange (or since the
 *   notebook was created, when nothing has arrived yet); again every further ten quiet days.
 * - Deadline: the largest threshold of {@link DEADLINE_DAYS} the countdown has reached, once per
 *   threshold. Thresholds are crossed, not hit exactly, so a browser that was closed on the
 *   seventh day still reminds on the sixth. Nothing on or after the deadline day.
 */
export function dueReminders(input: RhythmInput, tr: Translate = t): Reminder[] {
  const out: Reminder[] = [];
  const tz = isValidTimeZone(input.timeZone) ? input.timeZone : 'UTC';
  for (const nb of input.notebooks) {
    const name = nb.title.trim() || tr('reminders.yourNotebook');
    if (!input.off.quiet) {
      const since = nb.lastExchange ?? nb.createdAt;
      const quiet = Math.floor((input.now - since) / DAY);
      if (Number.isFinite(quiet) && quiet >= QUIET_DAYS) {
        const key = `quiet:${nb.id}:${since}:${Math.floor(quiet / QUIET_DAYS)}`;
        if (!input.sent.has(key)) {
          out.push({
            key,
            kind: 'quiet',
            notebookId: nb.id,
            title: tr('reminders.quietTitle', { name }),
            message: tr('reminders.quietMessage', { count: quiet }),
          });
        }
      }
    }
    if (!input.off.deadline && nb.deadline !== undefined && Number.isFinite(nb.deadline)) {
      const left = daysLeft(nb.deadline, input.now, tz);
      const threshold = left >= 1 ? [...DEADLINE_DAYS].reverse().find((d) => left <= d) : undefined;
      if (threshold !== undefined) {
        const key = `deadline:${nb.id}:${nb.deadline}:${threshold}`;
        if (!input.sent.has(key)) {
          out.push({
            key,
            kind: 'deadline',
            notebookId: nb.id,
            title: tr('reminders.deadlineTitle', { name, count: left }),
            message: tr('reminders.deadlineMessage'),
          });
        }
      }
    }
  }
  return out;
}

/** "Poster due in 23 days", "Poster due tomorrow", "Poster due today", "Poster deadline passed 2 days ago". */
export function deadlineText(left: number, tr: Translate = t): string {
  if (left > 1) return tr('reminders.dueIn', { count: left });
  if (left === 1) return tr('reminders.dueTomorrow');
  if (left === 0) return tr('reminders.dueToday');
  return tr('reminders.deadlinePassed', { count: -left });
}
