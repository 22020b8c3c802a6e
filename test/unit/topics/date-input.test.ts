import { expect, test } from 'vitest';
import { dayEnd, dayStart, toDateInput } from '../../../lib/topics/date-input';

test('date inputs are whole local days in the given zone, and round-trip', () => {
  const s = dayStart('2026-03-02', 'Asia/Ulaanbaatar')!;
  const e = dayEnd('2026-03-15', 'Asia/Ulaanbaatar')!;
  expect(new Date(s).toISOString()).toBe('2026-03-01T16:00:00.000Z');
  expect(new Date(e).toISOString()).toBe('2026-03-15T15:59:59.999Z');
  expect(toDateInput(s, 'Asia/Ulaanbaatar')).toBe('2026-03-02');
  expect(toDateInput(e, 'Asia/Ulaanbaatar')).toBe('2026-03-15');
  expect(dayStart('', 'UTC')).toBeUndefined();
  expect(dayStart('2026-02-31', 'UTC')).toBeUndefined();
  expect(toDateInput(undefined, 'UTC')).toBe('');
});
