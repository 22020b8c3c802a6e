import { describe, expect, it } from 'vitest';
import { formatMessage, parseChoice, pluralCategories, resolveLocale } from '../../../lib/i18n/core';
import { currentLocale, loadCatalogue, setLocale, t, translator } from '../../../lib/i18n';

describe('resolveLocale', () => {
  it('uses the choice, else the first browser language we have, else English', () => {
    expect(resolveLocale('lv', ['ru-RU'])).toBe('lv');
    expect(resolveLocale('browser', ['de-DE', 'ru-RU', 'en'])).toBe('ru');
    expect(resolveLocale('browser', ['mn-Cyrl-MN'])).toBe('mn');
    expect(resolveLocale('browser', ['de', 'ja'])).toBe('en');
    expect(parseChoice('xx')).toBe('browser');
    expect(parseChoice('hr')).toBe('hr');
  });
});

describe('plural messages', () => {
  const m = { one: '{count} тема', few: '{count} темы', many: '{count} тем', other: '{count} темы' };
  it('select the form by Intl.PluralRules of the language', () => {
    expect(formatMessage('ru', m, { count: 1 })).toBe('1 тема');
    expect(formatMessage('ru', m, { count: 3 })).toBe('3 темы');
    expect(formatMessage('ru', m, { count: 5 })).toBe('5 тем');
    expect(formatMessage('ru', m, { count: 21 })).toBe('21 тема');
    expect(pluralCategories('lv')).toContain('zero');
    expect(formatMessage('lv', { zero: '{count} tēmu', one: '{count} tēma', other: '{count} tēmas' }, { count: 10 })).toBe('10 tēmu');
  });
  it('format numbers with the language’s grouping', () => {
    expect(formatMessage('en', '{n} words', { n: 12000 })).toBe('12,000 words');
    expect(formatMessage('ru', '{n}', { n: 12000 })).toMatch(/^12\s000$/);
  });
  it('leave an unknown placeholder visible', () => {
    expect(formatMessage('en', 'Hello {name}', {})).toBe('Hello {name}');
  });
});

describe('switching language', () => {
  it('changes t() at once, and the last switch wins', async () => {
    await setLocale('fr');
    expect(currentLocale()).toBe('fr');
    expect(t('poster.section.sources')).not.toBe('Sources' + '!');
    const mn = translator('mn', await loadCatalogue('mn'));
    await Promise.all([setLocale('ru'), setLocale('mn')]);
    expect(currentLocale()).toBe('mn');
    expect(t('topicPage.ourNotes')).toBe(mn('topicPage.ourNotes'));
    await setLocale('en');
    expect(t('topicPage.ourNotes')).toBe('Our notes');
  });
});
