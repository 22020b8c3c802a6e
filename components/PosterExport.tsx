import { useEffect, useMemo, useState } from 'react';
import { loadPosterFonts } from '../lib/ext/poster-fonts';
import { unsupportedCharacters } from '../lib/poster/coverage';
import { agreedThemes, outlinePartnerIds } from '../lib/poster/draft';
import { posterHtml } from '../lib/poster/html';
import { BLOG_MIN_WORDS, blogPostDraft, blogWordCount, posterMarkdown } from '../lib/poster/markdown';
import type { PosterContext, PosterOutline, PosterSize } from '../lib/poster/types';
import { formatBytes, saveFile } from './download';
import { T } from './test-ids';
import { fill, useLocale, useT } from './i18n';
import { LANGUAGE_NAMES, LOCALES, translatorFor, type Locale, type MessageKey, type Translate } from '../lib/i18n';

/** Poster sizes offered, in the words of the programme's instructions. */
export const SIZE_LABELS: Record<PosterSize, MessageKey> = {
  '48x36in-landscape': 'posterExport.size48x36',
  'A0-portrait': 'posterExport.sizeA0',
  'A1-portrait': 'posterExport.sizeA1',
};

type Status = { kind: 'busy' | 'done' | 'error'; text: string } | null;

/**
 * Every export of the poster: PDF in one click (no print dialog), a print-ready HTML page,
 * Markdown, and a blog-post draft. The PDF code and its fonts load only when asked for, so the
 * panel opens as fast as before.
 */
export function PosterExport(props: { outline: PosterOutline; ctx: PosterContext; size: PosterSize; onSize(s: PosterSize): void }) {
  const t = useT();
  const uiLocale = useLocale();
  const [chosen, setChosen] = useState<Locale | null>(null);
  const language = chosen ?? uiLocale;
  // The export's own language (partners may write the poster in a language neither panel uses).
  const [exportT, setExportT] = useState<{ locale: Locale; t: Translate } | null>(null);
  useEffect(() => {
    let live = true;
    void translatorFor(language).then((tr) => live && setExportT({ locale: language, t: tr }));
    return () => void (live = false);
  }, [language]);
  const ready = exportT?.locale === language;
  const ctx = useMemo(() => ({ ...props.ctx, t: exportT?.t }), [props.ctx, exportT]);
  const { outline, size } = props;
  const [status, setStatus] = useState<Status>(null);
  const unsupported = useMemo(() => unsupportedCharacters(outline, ctx), [outline, ctx]);
  const partnerIds = outlinePartnerIds(outline);
  const agreed = agreedThemes(outline, partnerIds).length;
  const notAgreed = outline.themes.length - agreed;
  const busy = status?.kind === 'busy' || !ready;

  async function pdf() {
    setStatus({ kind: 'busy', text: t('posterExport.makingYourPdf') });
    const t0 = performance.now();
    try {
      // Loaded on demand: pdf-lib, fontkit and 1.2 MB of fonts never slow down opening the panel.
      const [{ posterPdf }, fonts] = await Promise.all([import('../lib/poster/pdf'), loadPosterFonts()]);
      const bytes = await posterPdf(outline, ctx, { size, fonts });
      const n = saveFile(bytes as Uint8Array<ArrayBuffer>, 'poster.pdf', 'application/pdf');
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      setStatus({ kind: 'done', text: t('posterExport.posterPdfSavedP', { p0: formatBytes(n), secs: secs }) });
    } catch (e) {
      setStatus({ kind: 'error', text: t('posterExport.thePdfCouldNot', { message: (e as Error).message }) });
    }
  }

  function text(name: string, body: string, type: string, extra = '') {
    const n = saveFile(body, name, type);
    setStatus({ kind: 'done', text: t('posterExport.fileSaved', { name, size: formatBytes(n) }) + extra });
  }

  function openPrint() {
    const url = URL.createObjectURL(new Blob([posterHtml(outline, ctx, { size })], { type: 'text/html' }));
    window.open(url, '_blank', 'noopener');
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setStatus({ kind: 'done', text: t('posterExport.thePrintVersionOpened') });
  }

  return (
    <>
      <div className="field">
        <label htmlFor="export-language">{t('posterExport.language')}</label>
        <select
          id="export-language"
          value={language}
          onChange={(e) => setChosen(e.target.value as Locale)}
          data-testid={T.exportLanguage}
          aria-describedby="export-language-hint"
        >
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
        <p id="export-language-hint" className="muted small">
          {t('posterExport.languageHint')}
        </p>
      </div>
      <div className="field">
        <label htmlFor="poster-size">{t('posterExport.posterSize')}</label>
        <select id="poster-size" value={size} onChange={(e) => props.onSize(e.target.value as PosterSize)} data-testid={T.exportSize}>
          {(Object.keys(SIZE_LABELS) as PosterSize[]).map((s) => (
            <option key={s} value={s}>
              {t(SIZE_LABELS[s])}
            </option>
          ))}
        </select>
      </div>
      {notAgreed > 0 && <p className="muted small">{t('posterExport.notAgreedByEveryone', { count: notAgreed })}</p>}
      {unsupported.length > 0 && (
        <div className="alert poster-warning" role="alert" data-testid={T.exportWarning}>
          <p>
            {fill(t('posterExport.itWillPrintAs', { scripts: [...new Set(unsupported.flatMap((u) => u.scripts))].join(', ') }), {
              what: <strong>{t('posterExport.someTextCannotBe')}</strong>,
            })}
          </p>
          <ul>
            {unsupported.slice(0, 8).map((u, i) => (
              <li key={i}>
                {u.where}: “{u.text.slice(0, 80)}” → “{u.replacement.slice(0, 80)}”
              </li>
            ))}
          </ul>
          <p>{t('posterExport.addALatinTransliteration')}</p>
        </div>
      )}
      <div className="row wrap export-buttons">
        <button type="button" className="primary" disabled={busy} onClick={pdf} data-testid={T.exportPdf}>
          {t('posterExport.downloadPdf')}
        </button>
        <button type="button" disabled={busy} onClick={openPrint} data-testid={T.exportHtmlOpen}>
          {t('posterExport.openPrintVersion')}
        </button>
        <button type="button" disabled={busy} onClick={() => text('poster.html', posterHtml(outline, ctx, { size }), 'text/html')} data-testid={T.exportHtml}>
          {t('posterExport.downloadHtml')}
        </button>
        <button type="button" disabled={busy} onClick={() => text('poster.md', posterMarkdown(outline, ctx), 'text/markdown')} data-testid={T.exportMarkdown}>
          {t('posterExport.downloadMarkdown')}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            const md = blogPostDraft(outline, ctx);
            const words = blogWordCount(md, ctx.t);
            text(
              'blog-post.md',
              md,
              'text/markdown',
              ' ' +
                t('posterExport.wordsWordsSoFar', { count: words }) +
                (words < BLOG_MIN_WORDS ? ' ' + t('posterExport.blogShort', { min: BLOG_MIN_WORDS }) : ''),
            );
          }}
          data-testid={T.exportBlog}
        >
          {t('posterExport.downloadBlogPostDraft')}
        </button>
      </div>
      <p className={`export-status ${status?.kind ?? ''}`} role="status" aria-live="polite" data-testid={T.exportStatus}>
        {status?.text ?? ''}
      </p>
    </>
  );
}
