import { useEffect, useRef, useState } from 'react';
import { POSTER_SIZES, posterHtml } from '../lib/poster/html';
import type { PosterContext, PosterOutline, PosterSize } from '../lib/poster/types';
import { T } from './test-ids';
import { useT } from './i18n';

const PX_PER_PT = 96 / 72;

/**
 * The poster as it will print, shrunk to the panel's width, updating as partners type. The HTML is
 * rendered in a sandboxed frame with no rights at all: every text in it came from a partner or a
 * web page. Rebuilt at most every half second, so typing stays smooth on older computers.
 *
 * Shrunk with CSS `zoom` inside the frame rather than a transform on the frame: a 3 × 4 m frame
 * scaled down by the compositor painted blank in Chromium (the frame is out-of-process).
 */
export function PosterPreview(props: { outline: PosterOutline; ctx: PosterContext; size: PosterSize }) {
  const t = useT();
  const wrap = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [html, setHtml] = useState(() => posterHtml(props.outline, props.ctx, { size: props.size }));
  useEffect(() => {
    const t = setTimeout(() => setHtml(posterHtml(props.outline, props.ctx, { size: props.size })), 500);
    return () => clearTimeout(t);
  }, [props.outline, props.ctx, props.size]);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);
  const size = POSTER_SIZES[props.size];
  const scale = width ? width / (size.widthPt * PX_PER_PT) : 0;
  const height = Math.ceil(size.heightPt * PX_PER_PT * scale);
  // The poster's own stylesheet allows inline styles (its CSP); the zoom is the only addition.
  const srcDoc = html.replace('</head>', `<style>html{zoom:${scale.toFixed(5)};overflow:hidden}body{background:#fff}</style></head>`);
  return (
    <div ref={wrap} className="poster-preview" style={{ height: height || undefined }}>
      {scale > 0 && (
        <iframe
          title={t('posterPreview.posterPreview')}
          sandbox=""
          srcDoc={srcDoc}
          data-testid={T.posterPreview}
          style={{ width: '100%', height }}
          tabIndex={-1}
        />
      )}
    </div>
  );
}
