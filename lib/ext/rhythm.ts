/**
 * The partnership's rhythm in the background: a daily alarm that shows browser notifications
 * for quiet partnerships and the poster countdown. What to notify is decided by the pure
 * `dueReminders` (lib/topics/reminders.ts); this module only reads storage and calls browser.*.
 *
 * The poster deadline lives in each notebook's Y.Doc, which the service worker cannot open
 * (the doc lives in the panel), so the panel copies it into `local:deadlines` when it changes.
 */
import { translatorFor } from '../i18n';
import { localeFor, readLanguageChoice } from './language';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { dueReminders, type NotebookRhythm, type ReminderSettings } from '../topics/reminders';
import { lastExchangeItem, notebooksItem } from './storage';

/** The alarm's name. */
export const RHYTHM_ALARM = 'pn-rhythm';

/** Each notebook's poster deadline (epoch ms), copied by the panel from the notebook. */
export const deadlinesItem = storage.defineItem<Record<string, number>>('local:deadlines', { fallback: {} });
/** Reminder kinds the person switched off (the Reminders block on the schedule page). */
export const remindersOffItem = storage.defineItem<ReminderSettings>('local:remindersOff', { fallback: { quiet: false, deadline: false } });
/** Keys of reminders already shown (with when), so each is shown once. */
export const remindersSentItem = storage.defineItem<Record<string, number>>('local:remindersSent', { fallback: {} });

const SENT_KEPT_MS = 400 * 86_400_000;
// Chrome refuses a basic notification without an icon, and the extension ships none yet: a plain
// square in the panel's accent colour, inline so it can never fail to load.
const ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAYAAABXAvmHAAAAQ0lEQVR42u3PIQ0AAAgAMDwBqU0jqIBlu3iAR1bPZyEgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgcLVm37oegorPKAAAAABJRU5ErkJggg==';

// Storage is shared with other code and could hold anything: keep only finite numbers.
function numbers(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (v && typeof v === 'object') for (const [k, n] of Object.entries(v)) if (typeof n === 'number' && Number.isFinite(n)) out[k] = n;
  return out;
}

/** Records a notebook's poster deadline for the background (undefined clears it). Called by the panel. */
export async function rememberDeadline(notebookId: string, deadline: number | undefined): Promise<void> {
  const all = numbers(await deadlinesItem.getValue());
  if (all[notebookId] === deadline) return;
  if (deadline === undefined) delete all[notebookId];
  else all[notebookId] = deadline;
  await deadlinesItem.setValue(all);
}

/** Shows the reminders due now and records them. Returns their keys (for tests and debugging). */
export async function checkRhythm(now = Date.now()): Promise<string[]> {
  const [notebooks, last, deadlines, offRaw, sentRaw] = await Promise.all([
    notebooksItem.getValue(),
    lastExchangeItem.getValue(),
    deadlinesItem.getValue(),
    remindersOffItem.getValue(),
    remindersSentItem.getValue(),
  ]);
  const lastExchange = numbers(last);
  const deadline = numbers(deadlines);
  const sent = numbers(sentRaw);
  const off = { quiet: offRaw?.quiet === true, deadline: offRaw?.deadline === true };
  const list: NotebookRhythm[] = (Array.isArray(notebooks) ? notebooks : []).map((n) => ({
    id: n.id,
    title: n.title,
    createdAt: n.createdAt,
    lastExchange: lastExchange[n.id],
    deadline: deadline[n.id],
  }));
  const tr = await translatorFor(localeFor(await readLanguageChoice()));
  const due = dueReminders({ now, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, notebooks: list, off, sent: new Set(Object.keys(sent)) }, tr);
  for (const r of due) {
    try {
      await browser.notifications.create(r.key, { type: 'basic', iconUrl: ICON, title: r.title, message: r.message });
    } catch (e) {
      // A missing permission or a disabled notification centre: skip it and try again tomorrow.
      console.warn('Partner Notebook: reminder not shown', e);
      continue;
    }
    sent[r.key] = now;
  }
  for (const [k, at] of Object.entries(sent)) if (now - at > SENT_KEPT_MS) delete sent[k];
  if (due.length) await remindersSentItem.setValue(sent);
  return due.map((r) => r.key);
}

/** Creates the daily alarm (idempotent: alarms survive restarts, so an existing one is kept). */
export async function scheduleRhythm(): Promise<void> {
  if (await browser.alarms.get(RHYTHM_ALARM)) return;
  await browser.alarms.create(RHYTHM_ALARM, { delayInMinutes: 1, periodInMinutes: 24 * 60 });
}

/** Listens for the alarm; call at the top level of the background's main(). */
export function listenForRhythm(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RHYTHM_ALARM) void checkRhythm();
  });
  // The reminder has done its job once seen; the toolbar icon opens the notebook.
  browser.notifications.onClicked.addListener((id) => {
    if (id.startsWith('quiet:') || id.startsWith('deadline:')) void browser.notifications.clear(id);
  });
  void scheduleRhythm();
}
