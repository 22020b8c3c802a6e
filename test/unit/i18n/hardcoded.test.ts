import { describe, expect, it } from 'vitest';
import { scanComponents, scanSource } from '../../../scripts/i18n-hardcoded';

describe('hard-coded user-facing strings', () => {
  it('finds JSX text, labels, placeholders and prose in state and constants', () => {
    const src = `
      const LABELS = { a: 'Saved to your notebook.' };
      export function X() {
        const [s, setS] = useState('');
        return <div title="Close it" aria-label={ok ? 'Yes please' : t('k')}>
          Hello there {n}
          <input placeholder="Type here" className="row wrap" data-testid="x-y" />
          <button onClick={() => setS('Done.')}>{busy ? 'Saving…' : t('save')}</button>
        </div>;
      }`;
    const texts = scanSource('x.tsx', src).map((f) => f.text);
    expect(texts).toEqual(expect.arrayContaining(['Saved to your notebook.', 'Close it', 'Yes please', 'Hello there', 'Type here', 'Done.', 'Saving…']));
    expect(texts).not.toContain('row wrap');
    expect(texts).not.toContain('x-y');
  });

  it('finds none in components/*.tsx (every string comes from lib/i18n catalogues)', () => {
    expect(scanComponents(process.cwd())).toEqual([]);
  });
});
