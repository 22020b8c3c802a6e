import type * as Y from 'yjs';
import type { Identity } from '../lib/ext/storage';
import { T } from './test-ids';
import { usePdfQueue } from './use-pdf-queue';

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
                ? `Downloading the PDF “${working.title}”… ${s.total ? `${mb(s.bytes)} of ${mb(s.total)}` : mb(s.bytes)}`
                : `Reading the PDF “${working.title}”: page ${s.page} of ${s.pages}…`}
            </span>
            <progress
              className="pdf-progress"
              aria-label="PDF progress"
              max={s.stage === 'read' ? s.pages : (s.total ?? undefined)}
              value={s.stage === 'read' ? s.page : s.total ? s.bytes : undefined}
            />
          </>
        )}
        {!working && done && (
          <>
            Clipped the PDF “{done.title}” ({done.pages} {done.pages === 1 ? 'page' : 'pages'}) into{' '}
            <button type="button" className="link-button" onClick={() => props.onOpenTopic(done.topicId)}>
              {done.topicTitle}
            </button>
            .{done.truncated ? ' It was very long: only its first part was kept.' : ''}
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
            <p>
              To clip the PDF “{p.title || p.url}”, Partner Notebook needs your permission to read files from {host}. Your browser will ask you once for this site.
            </p>
            <div className="row wrap">
              <button type="button" className="primary" onClick={() => void view.allow(p)}>
                Allow and clip the PDF
              </button>
              <button type="button" onClick={() => view.saveLink(p)}>
                Save the link instead
              </button>
              <button type="button" onClick={() => void view.dismiss(p)}>
                Dismiss
              </button>
            </div>
          </div>
        );
      })}
    </>
  );
}
