import type * as Y from 'yjs';
import type { Identity } from '../lib/ext/storage';
import { T } from './test-ids';
import { usePdfQueue } from './use-pdf-queue';
import { fill, useT } from './i18n';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * Reads the PDFs the person clipped into this notebook, and shows the progress, the permission a
 * PDF may need, and where it was filed. The reading state lives here, so progress updates redraw
 * this line only, not the notebook.
 */
export function PdfClipStatus(props: {
  doc: Y.Doc;
  notebookId: string;
  me: Identity;
  where: { openTopicId?: string; recentTopicId?: string };
  durable(): Promise<void>;
  onOpenTopic(id: string): void;
}) {
  const t = useT();
  const view = usePdfQueue(props.doc, props.notebookId, props.me, props.where, props.durable);
  const { working, blocked, done } = view;
  const s = working?.stage;
  return (
    <>
      <div role="status" aria-live="polite" className="small pdf-clip-status" data-testid={T.pdfStatus}>
        {working && s && (
          <>
            <span>
              {s.stage === 'download'
                ? t('pdfClipStatus.downloadingThePdfTitle', {
                    title: working.title,
                    p1: s.total ? t('pdfClipStatus.bytesOf', { done: mb(s.bytes), total: mb(s.total) }) : mb(s.bytes),
                  })
                : t('pdfClipStatus.readingThePdfTitle', { title: working.title, page: s.page, pages: s.pages })}
            </span>
            <progress
              className="pdf-progress"
              aria-label={t('pdfClipStatus.pdfProgress')}
              max={s.stage === 'read' ? s.pages : (s.total ?? undefined)}
              value={s.stage === 'read' ? s.page : s.total ? s.bytes : undefined}
            />
          </>
        )}
        {!working && done && (
          <>
            {fill(t('pdfClipStatus.clippedThePdf', { title: done.title, count: done.pages }), {
              topic: (
                <button type="button" className="link-button" onClick={() => props.onOpenTopic(done.topicId)}>
                  {done.topicTitle}
                </button>
              ),
            })}
            {done.truncated ? t('pdfClipStatus.itWasVeryLong') : ''}
          </>
        )}
      </div>
      {blocked.map((p) => {
        let host = p.url;
        try {
          host = new URL(p.url).hostname;
        } catch {
          /* shown as it is */
        }
        return (
          <div key={p.id} className="alert" role="alert" data-testid={T.pdfPermission}>
            <p>{t('pdfClipStatus.toClipThePdf', { title: p.title || p.url, host })}</p>
            <div className="row wrap">
              <button type="button" className="primary" onClick={() => void view.allow(p)}>
                {t('pdfClipStatus.allowAndClipThe')}
              </button>
              <button type="button" onClick={() => view.saveLink(p)}>
                {t('pdfClipStatus.saveTheLinkInstead')}
              </button>
              <button type="button" onClick={() => void view.dismiss(p)}>
                {t('pdfClipStatus.dismiss')}
              </button>
            </div>
          </div>
        );
      })}
    </>
  );
}
