import { describe, expect, it } from 'vitest';
import { parseBackgroundRequest } from '../../../lib/ext/messages';

describe('messages from the highlight script (a page the person allowed)', () => {
  it('are bounded and typed; anything else is ignored', () => {
    const urls = Array.from({ length: 10 }, (_, i) => `https://lib.example/${i}`);
    expect(parseBackgroundRequest({ type: 'highlight-passages', urls: [...urls, 42, 'x'.repeat(5000)] })).toEqual({
      type: 'highlight-passages',
      urls: urls.slice(0, 4),
    });
    expect(parseBackgroundRequest({ type: 'highlight-report', placed: ['a', {}], missed: ['b'.repeat(65), 'c'] })).toEqual({
      type: 'highlight-report',
      placed: ['a'],
      missed: ['c'],
    });
    expect(parseBackgroundRequest({ type: 'highlight-site-off', extra: 1 })).toEqual({ type: 'highlight-site-off' });
    expect(parseBackgroundRequest({ type: 'read-notebook' })).toBeUndefined();
  });
});
