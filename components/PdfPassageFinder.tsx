import { useId, useMemo, useState } from 'react';
import { findPassages, pageLabel, type PdfPassage } from '../lib/clip/pdf';
import type { CapturedContent } from '../lib/notebook/types';
import { T } from './test-ids';
import { useT } from './i18n';

/**
 * Find words in a clipped PDF and quote the sentence they are in, with its page: "Quote in note"
 * puts it in the note with an APA in-text citation; "Use for poster" makes it the quote that
 * "Propose as theme" and "Add to poster" take.
 */
export function PdfPassageFinder(props: { captured: CapturedContent; onQuote(p: PdfPassage): void; onUse(p: PdfPassage): void; chosen?: PdfPassage }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const inputId = useId();
  const found = useMemo(() => (query.trim().length >= 2 ? findPassages(props.captured, query, { max: 10 }) : []), [props.captured, query]);
  return (
    <div className="pdf-finder">
      <label htmlFor={inputId}>{t('pdfPassageFinder.findWordsToQuote')}</label>
      <input
        id={inputId}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder={t('pdfPassageFinder.eGMobileLibrary')}
        data-testid={T.pdfFind}
      />
      <p className="small muted" role="status" aria-live="polite">
        {query.trim().length < 2
          ? t('pdfPassageFinder.typeAtLeastTwo')
          : found.length
            ? found.length === 10
              ? t('pdfPassageFinder.firstTenFound')
              : t('pdfPassageFinder.pPFound', { count: found.length })
            : t('pdfPassageFinder.notFoundInThis')}
      </p>
      <ul className="pdf-passages">
        {found.map((p) => (
          <li key={p.at} data-testid={T.pdfPassage}>
            <p>
              <strong>{pageLabel(p.page, p.lastPage)}</strong> {p.text}
            </p>
            <div className="row wrap">
              <button type="button" onClick={() => props.onQuote(p)}>
                {t('pdfPassageFinder.quoteInNote')}
              </button>
              <button type="button" aria-pressed={props.chosen?.at === p.at} onClick={() => props.onUse(p)}>
                {props.chosen?.at === p.at ? t('pdfPassageFinder.chosenForThePoster') : t('pdfPassageFinder.useForPoster')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
