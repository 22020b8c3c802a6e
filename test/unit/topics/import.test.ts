import { describe, expect, it } from 'vitest';
import { IMPORT_LIMITS, parseTopicSchedule } from '../../../lib/topics/import';

const SAR = { timeZone: 'Europe/Sarajevo' };
/** Rows without line numbers and epochs, for compact expectations. */
const brief = (r: ReturnType<typeof parseTopicSchedule>) => r.rows.map(({ title, prompt, startDate }) => ({ title, prompt, startDate }));
const messages = (r: ReturnType<typeof parseTopicSchedule>) => r.errors.map((e) => e.message);

describe('parseTopicSchedule: pasted lists', () => {
  it('reads one title per line', () => {
    const r = parseTopicSchedule('Advocacy and Lobbying\nLibrary Spaces\n\n  Moving for a Job  \n');
    expect(r.format).toBe('list');
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => [x.line, x.title, x.prompt])).toEqual([
      [1, 'Advocacy and Lobbying', ''],
      [2, 'Library Spaces', ''],
      [4, 'Moving for a Job', ''],
    ]);
  });

  it('reads "date – title: prompt", with the date at local midnight in the given zone', () => {
    const r = parseTopicSchedule('2 March 2026 – Advocacy and Lobbying: How does your library speak up for itself?', SAR);
    expect(brief(r)).toEqual([{ title: 'Advocacy and Lobbying', prompt: 'How does your library speak up for itself?', startDate: '2026-03-02' }]);
    expect(r.rows[0]!.start).toBe(Date.UTC(2026, 2, 1, 23));
  });

  it('reads "title | prompt | date" and tab-separated lines pasted from a spreadsheet', () => {
    const r = parseTopicSchedule('Library Spaces | What does your building say about you? | 2026-03-16\nProving Our Worth\tHow do you show impact?\t30.3.2026');
    expect(brief(r)).toEqual([
      { title: 'Library Spaces', prompt: 'What does your building say about you?', startDate: '2026-03-16' },
      { title: 'Proving Our Worth', prompt: 'How do you show impact?', startDate: '2026-03-30' },
    ]);
  });

  it('strips numbering and bullets, and takes unmarked lines under an item as its prompt', () => {
    const text = [
      'Topics for the spring round:',
      '1. Make a connection',
      'Introduce yourselves and your libraries.',
      'Share a photo of your desk.',
      '2) Assess your community’s needs',
      '   Who lives around your library?',
      '• Identify a non-user – think how to engage them',
      '- Moving for a Job',
    ].join('\n');
    const r = parseTopicSchedule(text);
    expect(r.errors).toEqual([]);
    // The heading is unmarked and comes first, so it is a topic of its own (the preview shows it).
    expect(brief(r)).toEqual([
      { title: 'Topics for the spring round', prompt: '', startDate: undefined },
      { title: 'Make a connection', prompt: 'Introduce yourselves and your libraries.\nShare a photo of your desk.', startDate: undefined },
      { title: 'Assess your community’s needs', prompt: 'Who lives around your library?', startDate: undefined },
      { title: 'Identify a non-user', prompt: 'think how to engage them', startDate: undefined },
      { title: 'Moving for a Job', prompt: '', startDate: undefined },
    ]);
  });

  it('treats unmarked lines as continuations when the list starts with a marked item', () => {
    const r = parseTopicSchedule('1. Make a connection\nIntroduce yourselves.\n2. Library Spaces\nTake photos.');
    expect(brief(r).map((x) => [x.title, x.prompt])).toEqual([
      ['Make a connection', 'Introduce yourselves.'],
      ['Library Spaces', 'Take photos.'],
    ]);
  });

  it('folds indented sub-bullets into the item above', () => {
    const r = parseTopicSchedule('- Make a connection\n    - Introduce yourselves\n    - Share photos\n- Library Spaces');
    expect(brief(r).map((x) => [x.title, x.prompt])).toEqual([
      ['Make a connection', '- Introduce yourselves\n- Share photos'],
      ['Library Spaces', ''],
    ]);
  });

  it('keeps every line a topic in a plain list, even when some lines start with a date', () => {
    const r = parseTopicSchedule('2026-03-02 Advocacy\nLibrary Spaces\n2026-03-30 Proving Our Worth\nMoving for a Job');
    expect(brief(r).map((x) => [x.title, x.startDate])).toEqual([
      ['Advocacy', '2026-03-02'],
      ['Library Spaces', undefined],
      ['Proving Our Worth', '2026-03-30'],
      ['Moving for a Job', undefined],
    ]);
  });

  it('reads dates at the end of a line, in brackets, with weekdays, ordinals, ranges and "Week n"', () => {
    const text = [
      'Proving Our Worth (30.3.2026)',
      'Library Spaces – Monday 16 March 2026',
      'Monday, March 2nd, 2026: Advocacy',
      '13–26 April 2026 – Moving for a Job',
      'Week 5 (27 April): Make a connection',
    ].join('\n');
    const r = parseTopicSchedule(text);
    expect(r.errors).toEqual([]);
    expect(brief(r).map((x) => [x.title, x.startDate])).toEqual([
      ['Proving Our Worth', '2026-03-30'],
      ['Library Spaces', '2026-03-16'],
      ['Advocacy', '2026-03-02'],
      ['Moving for a Job', '2026-04-13'],
      // No year on this line: the last year written above is used.
      ['Make a connection', '2026-04-27'],
    ]);
  });

  it('reads ambiguous numeric dates day-first unless the input is clearly month-first', () => {
    expect(brief(parseTopicSchedule('02/03/2026 Advocacy'))[0]!.startDate).toBe('2026-03-02');
    // 03/15/2026 can only be month-first, so 03/02/2026 in the same input is 2 March too.
    const us = parseTopicSchedule('03/02/2026 Advocacy\n03/15/2026 Library Spaces');
    expect(brief(us).map((x) => x.startDate)).toEqual(['2026-03-02', '2026-03-15']);
    expect(brief(parseTopicSchedule('02/03/2026 Advocacy', { dateOrder: 'month-first' }))[0]!.startDate).toBe('2026-02-03');
    expect(brief(parseTopicSchedule('2.3.26 Advocacy'))[0]!.startDate).toBe('2026-03-02');
  });

  it('uses defaultYear for dates without a year', () => {
    expect(brief(parseTopicSchedule('2 March – Advocacy', { defaultYear: 2027 }))[0]!.startDate).toBe('2027-03-02');
  });
});

describe('parseTopicSchedule: bad rows', () => {
  it('reports a date that does not exist, with its line', () => {
    const r = parseTopicSchedule('Advocacy\nLibrary Spaces\nProving Our Worth\n31/02/2026 – Moving for a Job\nMake a connection');
    expect(r.errors).toEqual([{ line: 4, message: 'Line 4: the date “31/02/2026” does not exist.' }]);
    expect(r.rows.map((x) => x.title)).toEqual(['Advocacy', 'Library Spaces', 'Proving Our Worth', 'Make a connection']);
  });

  it('reports every other kind of bad line and keeps the good ones', () => {
    const text = [
      '2 March – Advocacy', // 1: no year anywhere above
      'Tuesday 2 March 2026 – Library Spaces', // 2: it is a Monday
      '16 March 2026', // 3: date, no title
      `${'x'.repeat(IMPORT_LIMITS.title + 1)}`, // 4: title too long
      `Long prompt: ${'y'.repeat(IMPORT_LIMITS.prompt + 1)}`, // 5: prompt too long
      'Moving for a Job', // 6: fine
      'moving for a job', // 7: duplicate
      '2.3.1926 – Old times', // 8: year looks wrong
      'Library | a prompt | 2026-13-45', // 9: unreadable date in a cell
    ].join('\n');
    const r = parseTopicSchedule(text);
    expect(r.rows.map((x) => x.title)).toEqual(['Moving for a Job']);
    expect(messages(r)).toEqual([
      'Line 1: the date “2 March” has no year. Add the year, for example “2 March 2026”.',
      'Line 2: “Tuesday 2 March 2026”: that day is a Monday, not a Tuesday. Check the date.',
      'Line 3: there is a date but no title.',
      'Line 4: the title is 201 characters long; the limit is 200. Shorten it, or move part of it to the prompt.',
      'Line 5: the prompt is 4,001 characters long; the limit is 4,000. Shorten it.',
      'Line 7: “moving for a job” is already on line 6, so this line was left out.',
      'Line 8: the year in “2.3.1926” looks wrong.',
      'Line 9: the date “2026-13-45” does not exist.',
    ]);
    expect(r.errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 7, 8, 9]);
  });

  it('imports at most 100 topics and says where it stopped', () => {
    const text = Array.from({ length: 120 }, (_, i) => `Topic number ${i + 1}`).join('\n');
    const r = parseTopicSchedule(text);
    expect(r.rows).toHaveLength(100);
    expect(messages(r)).toEqual(['Line 101: only 100 topics can be imported at once; this line and the ones after it were left out.']);
  });

  it('refuses input over 1 MB, empty input and non-text, without throwing', () => {
    const big = parseTopicSchedule('a'.repeat(IMPORT_LIMITS.bytes + 1));
    expect(big.rows).toEqual([]);
    expect(big.errors[0]).toMatchObject({ line: 0 });
    expect(big.errors[0]!.message).toMatch(/limit is 1 MB/);
    // Multi-byte text counts in UTF-8 bytes: 400 000 Cyrillic letters are 800 000 bytes, under the limit.
    expect(parseTopicSchedule('Б'.repeat(400_000)).errors.some((e) => /MB/.test(e.message))).toBe(false);
    expect(parseTopicSchedule('   \n\n').errors[0]!.message).toMatch(/nothing to import/);
    expect(parseTopicSchedule(undefined).errors[0]!.message).toMatch(/nothing to import/);
    expect(parseTopicSchedule({ topics: [] } as unknown).rows).toEqual([]);
  });

  it('reports an unknown time zone option and reads dates as UTC', () => {
    const r = parseTopicSchedule('2026-03-02 Advocacy', { timeZone: 'Nowhere/City' });
    expect(r.errors[0]!.message).toMatch(/“Nowhere\/City” is not known/);
    expect(r.rows[0]!.start).toBe(Date.UTC(2026, 2, 2));
  });
});

describe('parseTopicSchedule: CSV', () => {
  it('reads columns in any order and case, ; separators, a BOM, quoted separators, newlines and quotes', () => {
    const csv =
      '\ufeffStart;TITLE;Prompt\r\n' +
      '2026-03-02;Advocacy and Lobbying;"Who speaks for libraries; and how?"\r\n' +
      '16.03.2026;"Library Spaces";"Line one\r\nline two with ""quotes"""\r\n' +
      ';Proving Our Worth;\r\n';
    const r = parseTopicSchedule(csv, SAR);
    expect(r.format).toBe('csv');
    expect(r.errors).toEqual([]);
    expect(brief(r)).toEqual([
      { title: 'Advocacy and Lobbying', prompt: 'Who speaks for libraries; and how?', startDate: '2026-03-02' },
      { title: 'Library Spaces', prompt: 'Line one\nline two with "quotes"', startDate: '2026-03-16' },
      { title: 'Proving Our Worth', prompt: '', startDate: undefined },
    ]);
    // The row after a two-line field starts on line 5.
    expect(r.rows.map((x) => x.line)).toEqual([2, 3, 5]);
  });

  it('reads comma and tab separators and header aliases (topic, description, date)', () => {
    const comma = parseTopicSchedule('topic,description,date\n"Spaces, old and new",Photos please,2 March 2026\n');
    expect(brief(comma)).toEqual([{ title: 'Spaces, old and new', prompt: 'Photos please', startDate: '2026-03-02' }]);
    const tab = parseTopicSchedule('Title\tStart\nAdvocacy\t2026-03-02\n');
    expect(brief(tab)).toEqual([{ title: 'Advocacy', prompt: '', startDate: '2026-03-02' }]);
  });

  it('reports bad cells with the line they are on', () => {
    const r = parseTopicSchedule('title,prompt,start\nAdvocacy,,next week\n,only a prompt,\nSpaces,,31/04/2026\nGood,,\n');
    expect(r.rows.map((x) => x.title)).toEqual(['Good']);
    expect(messages(r)).toEqual([
      'Line 2: “next week” is not a date I can read. Write it like 2026-03-02 or 2 March 2026.',
      'Line 3: the title is empty.',
      'Line 4: the date “31/04/2026” does not exist.',
    ]);
  });

  it('reports a header without a title column', () => {
    const r = parseTopicSchedule('prompt;start\nsomething;2026-03-02', { format: 'csv' });
    expect(r.rows).toEqual([]);
    expect(messages(r)[0]).toMatch(/^Line 1: .*no “title” column/);
  });

  it('reports a quote that is never closed and keeps the rows before it', () => {
    const r = parseTopicSchedule('title,prompt\nAdvocacy,fine\nSpaces,"never closed\nMore,rows\n');
    expect(r.rows.map((x) => x.title)).toEqual(['Advocacy']);
    expect(messages(r)).toEqual(['Line 3: a quotation mark (") opens a field that is never closed, so the rest of the file could not be read.']);
  });
});

describe('parseTopicSchedule: JSON', () => {
  it('reads an array of topics, and {topics: [...]} with strings and epoch dates', () => {
    const arr = parseTopicSchedule('[{"title":"Advocacy","prompt":"Why?","start":"2026-03-02"},{"Title":"Spaces"}]', SAR);
    expect(arr.format).toBe('json');
    expect(brief(arr)).toEqual([
      { title: 'Advocacy', prompt: 'Why?', startDate: '2026-03-02' },
      { title: 'Spaces', prompt: '', startDate: undefined },
    ]);
    const obj = parseTopicSchedule(JSON.stringify({ topics: ['Make a connection', { title: 'Proving Our Worth', start: Date.UTC(2026, 2, 30, 12) }] }));
    expect(brief(obj)).toEqual([
      { title: 'Make a connection', prompt: '', startDate: undefined },
      { title: 'Proving Our Worth', prompt: '', startDate: '2026-03-30' },
    ]);
  });

  it('reports bad entries on the line where they start', () => {
    const text = [
      '{"topics": [',
      '  {"title": "Advocacy"},',
      '  42,',
      '  {"prompt": "no title"},',
      '  {"title": "Spaces", "start": "30 February 2026"},',
      '  {"title": ["x"]}',
      ']}',
    ].join('\n');
    const r = parseTopicSchedule(text);
    expect(r.rows.map((x) => x.title)).toEqual(['Advocacy']);
    expect(messages(r)).toEqual([
      'Line 3: this entry is not a topic. Each entry needs at least a title, like {"title": "Library Spaces"}.',
      'Line 4: the title is empty.',
      'Line 5: the date “30 February 2026” does not exist.',
      'Line 6: the title must be text.',
    ]);
  });

  it('reports invalid JSON near the line of the mistake, and a wrong shape', () => {
    const bad = parseTopicSchedule('[\n  {"title": "Advocacy"},\n  {"title": "Spaces",}\n]');
    expect(bad.rows).toEqual([]);
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]!.line).toBe(3);
    expect(bad.errors[0]!.message).toMatch(/^Line 3: this is not valid JSON/);
    expect(messages(parseTopicSchedule('{"title": "x"}'))[0]).toMatch(/should be a list of topics/);
  });
});
