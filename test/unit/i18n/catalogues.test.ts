import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as fontkit from '@pdf-lib/fontkit';
import { loadCatalogue, placeholdersOf, pluralCategories, TRANSLATED, type Catalogue, type MessageKey, type Locale } from '../../../lib/i18n';
import { en } from '../../../lib/i18n/en';
import type { Message } from '../../../lib/i18n/core';

/** The plural categories whole numbers fall into in `locale` (what a count can select). */
function integerCategories(locale: Locale): Set<string> {
  const r = new Intl.PluralRules(locale);
  const out = new Set<string>();
  for (let n = 0; n <= 1000; n++) out.add(r.select(n));
  return out;
}

const keys = Object.keys(en) as MessageKey[];
/** Entries that are the same in every language: codes, formats, names. */
const SAME_EVERYWHERE = new Set<MessageKey>([
  'clipBar.https',
  'joinForm.pn',
  'programmeSettingsForm.pns',
  'newNotebookForm.anaBatbayar',
  'kind.pdf',
  'kinds.pdf',
  'posterExport.sizeA0',
  'posterExport.sizeA1',
  'notebookScreen.ok',
]);
/** What `fn` throws (undefined when it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
const texts = (m: Message) => (typeof m === 'string' ? [m] : Object.values(m).filter((s): s is string => typeof s === 'string'));

describe.each(TRANSLATED)('catalogue %s', (locale) => {
  let cat: Catalogue;
  it('loads and has exactly the English keys', async () => {
    cat = await loadCatalogue(locale);
    expect(Object.keys(cat).sort()).toEqual([...keys].sort());
  });

  it('uses the same {placeholders} as English in every message', () => {
    const wrong = keys.filter((k) => {
      const want = [...placeholdersOf(en[k])].sort().join(',');
      return texts(cat[k]).some(
        (s) =>
          [...placeholdersOf(s)].sort().join(',') !== want && !(typeof en[k] !== 'string' && [...placeholdersOf(s)].every((p) => placeholdersOf(en[k]).has(p))),
      );
    });
    expect(wrong).toEqual([]);
  });

  it('gives every plural message the forms the language needs', () => {
    const need = integerCategories(locale);
    const missing: string[] = [];
    for (const k of keys) {
      const m = cat[k];
      if (typeof en[k] === 'string') {
        if (typeof m !== 'string') missing.push(`${k}: plural where English has none`);
        continue;
      }
      if (typeof m === 'string') {
        missing.push(`${k}: not a plural`);
        continue;
      }
      for (const c of need) if (m[c as Intl.LDMLPluralRule] === undefined) missing.push(`${k}: ${c}`);
    }
    expect(missing).toEqual([]);
  });

  it('names only plural forms the language has (a misspelt form would never be chosen)', () => {
    const has = new Set<string>(pluralCategories(locale));
    const stray: string[] = [];
    for (const k of keys) {
      const m = cat[k];
      if (typeof m === 'string') continue;
      for (const c of Object.keys(m)) if (!has.has(c)) stray.push(`${k}: ${c}`);
    }
    expect(stray).toEqual([]);
  });

  it('is translated (not left in English) and names its locale', () => {
    expect(cat['meta.locale']).toBe(locale);
    const english = keys.filter(
      (k) => !SAME_EVERYWHERE.has(k) && k !== 'meta.locale' && /\p{L}{3,}/u.test(texts(en[k]).join(' ')) && JSON.stringify(cat[k]) === JSON.stringify(en[k]),
    );
    // Some words are the same in some languages (French “Page”, “Sources”, “Poster”…): allow 2 %, no more.
    expect(english.length, english.join(', ')).toBeLessThanOrEqual(Math.ceil(keys.length * 0.02));
  });

  it('has only letters the bundled poster font (Noto Sans) can draw (arrows are UI-only)', () => {
    const font = fontkit.create(readFileSync('public/fonts/NotoSans-Regular.ttf')) as { hasGlyphForCodePoint(cp: number): boolean };
    const bold = fontkit.create(readFileSync('public/fonts/NotoSans-Bold.ttf')) as { hasGlyphForCodePoint(cp: number): boolean };
    const all = new Set([...keys.flatMap((k) => texts(cat[k])).join('')].map((c) => c.codePointAt(0)!));
    const missing = [...all].filter(
      (cp) => /[\p{L}\p{N}]/u.test(String.fromCodePoint(cp)) && (!font.hasGlyphForCodePoint(cp) || !bold.hasGlyphForCodePoint(cp)),
    );
    expect(missing.map((cp) => String.fromCodePoint(cp))).toEqual([]);
  });
});

describe('English catalogue', () => {
  it('gives plural messages (chosen by the count parameter) the forms one and other', () => {
    for (const k of keys) {
      const m = en[k];
      if (typeof m === 'string') continue;
      expect(Object.keys(m).sort(), k).toEqual(['one', 'other']);
    }
  });
});

describe('manifest strings (public/_locales)', () => {
  it('exist for every UI language, with the keys the manifest uses and a description Chrome accepts', async () => {
    const { LOCALES } = await import('../../../lib/i18n');
    const config = readFileSync('wxt.config.ts', 'utf8');
    const used = [...config.matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThanOrEqual(4);
    for (const l of LOCALES) {
      const messages = JSON.parse(readFileSync(`public/_locales/${l}/messages.json`, 'utf8')) as Record<string, { message: string }>;
      for (const key of used) expect(messages[key!]?.message, `${l}: ${key}`).toBeTruthy();
      expect(messages.extDescription!.message.length, l).toBeLessThanOrEqual(132);
    }
  });
});

describe('accessible names contain the visible words (WCAG 2.5.3 Label in Name), in every language', () => {
  // [aria-label key, key of the button's visible text] for buttons that have both (found by axe in Mongolian).
  const PAIRS: [MessageKey, MessageKey][] = [
    ['backupDownload.downloadBackupOfTitle', 'backupDownload.downloadBackup'],
    ['clipCard.deleteClipTitle', 'clipCard.delete'],
    ['historyPage.lookAtTitleIn', 'historyPage.look'],
    ['manageNotebooks.deleteTitle', 'manageNotebooks.delete'],
    ['manageNotebooks.renameTitle', 'manageNotebooks.rename'],
    ['notebookScreen.manageNotebooksNewRename', 'notebookScreen.notebooks'],
    ['posterSection.reDraftThisSection', 'posterSection.reDraftThisSection2'],
    ['topicList.archiveTitle', 'topicList.archive'],
    ['topicList.restoreTitle', 'topicList.restore'],
    ['highlightSettings.stopHighlightsOnSite', 'highlightSettings.stop'],
  ];
  const words = (s: string) =>
    s
      .replace(/\{\w+\}/g, ' ')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
  const contains = (name: string, visible: string) => {
    const n = words(name).join(' ');
    const v = words(visible).join(' ');
    return ` ${n} `.includes(` ${v} `);
  };
  it.each(['en', ...TRANSLATED] as Locale[])('%s', async (locale) => {
    const cat = await loadCatalogue(locale);
    const bad = PAIRS.filter(([name, visible]) => !contains(String(cat[name]), String(cat[visible]))).map(
      ([n, v]) => `${n} “${String(cat[n])}” ⊅ “${String(cat[v])}”`,
    );
    expect(bad).toEqual([]);
    // The H2 button shows “H2”.
    expect(words(String(cat['noteEditor.heading']))[0], 'noteEditor.heading starts with H2').toBe('h2');
  });
});

describe('examples the panel shows are ones the program reads', () => {
  it.each(['en', ...TRANSLATED] as Locale[])('%s: the schedule placeholder imports as two dated topics', async (locale) => {
    const { parseTopicSchedule } = await import('../../../lib/topics/import');
    const cat = await loadCatalogue(locale);
    const r = parseTopicSchedule(String(cat['schedulePage.makeAConnectionMarch']), { timeZone: 'UTC' });
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => x.startDate)).toEqual(['2026-03-02', '2026-03-16']);
  });
});

describe('invite problems worded at the UI edge', () => {
  it('every InviteError message the parser makes has a translation, and it is used', async () => {
    const { parseInvite, inviteErrorText, InviteError } = await import('../../../lib/sync/keys/invite');
    const mn = await loadCatalogue('mn');
    const { translator } = await import('../../../lib/i18n');
    const tr = translator('mn', mn);
    for (const input of ['', 'hello', 'PN1-abc', 'PN9-AAAA-AAAA']) {
      const err = thrown(() => parseInvite(input));
      expect(err, input).toBeInstanceOf(InviteError);
      const text = inviteErrorText(err as InstanceType<typeof InviteError>, tr);
      expect(text, input).not.toBe((err as Error).message);
      expect(/[а-яөү]/i.test(text), input).toBe(true);
    }
  });
});

describe('settings-code problems worded at the UI edge', () => {
  it('the parser’s errors come out in the panel’s language', async () => {
    const { parseSettingsCode, settingsCodeErrorText, SettingsCodeError } = await import('../../../protocol/settings-code');
    const { translator } = await import('../../../lib/i18n');
    const tr = translator('ru', await loadCatalogue('ru'));
    for (const input of ['', 'hello', 'PN1-ABCD-EFGH', 'PNS1-AAAA']) {
      const err = thrown(() => parseSettingsCode(input));
      expect(err, input).toBeInstanceOf(SettingsCodeError);
      const text = settingsCodeErrorText(err as InstanceType<typeof SettingsCodeError>, tr);
      expect(/[а-я]/i.test(text), `${input}: ${text}`).toBe(true);
    }
  });
});
