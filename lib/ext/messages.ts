/**
 * Messages between the side panel and the background: one typed union, parsed on arrival.
 */
import type { CapturedContent } from '../notebook/types';

/** Panel → background: clip the page the person is looking at. */
export interface ClipActiveTabRequest {
  type: 'clip-active-tab';
  /** The panel's own tab when it is open in a tab (then the page is the last other tab used). */
  excludeTabId?: number;
  /** Where the person chose to file the clip. */
  notebookId?: string;
  topicId?: string;
}

/** Highlight script → background: the passages clipped from this page (its own and canonical address). */
export interface HighlightPassagesRequest {
  type: 'highlight-passages';
  urls: string[];
}

/** Highlight script → background: which passages it placed on the page and which it could not find. */
export interface HighlightReportRequest {
  type: 'highlight-report';
  placed: string[];
  missed: string[];
}

/** Highlight script → background: the person turned highlights off for this site. */
export interface HighlightSiteOffRequest {
  type: 'highlight-site-off';
}

/** Every message the background accepts. */
export type BackgroundRequest = ClipActiveTabRequest | HighlightPassagesRequest | HighlightReportRequest | HighlightSiteOffRequest;

/** The result of clipping a tab. */
export type ClipOutcome =
  | { ok: true; queuedId: string; title: string; /** A PDF: the panel downloads and reads it next. */ pdf?: true }
  | {
      ok: false;
      /** 'no-access': a permission would fix it; 'restricted': no extension may read it; 'failed': try again. */
      reason: 'no-access' | 'restricted' | 'failed';
      message: string;
      /** The tab's address and title, when known, to offer saving the link instead. */
      url?: string;
      title?: string;
    };

/** Parses an incoming message; anything else is ignored. */
export function parseBackgroundRequest(m: unknown): BackgroundRequest | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const r = m as Record<string, unknown>;
  if (r.type === 'clip-active-tab') {
    const str = (v: unknown) => (typeof v === 'string' && v.length <= 64 ? v : undefined);
    return {
      type: 'clip-active-tab',
      excludeTabId: typeof r.excludeTabId === 'number' ? r.excludeTabId : undefined,
      notebookId: str(r.notebookId),
      topicId: str(r.topicId),
    };
  }
  const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length <= 64).slice(0, 100) : []);
  if (r.type === 'highlight-passages') {
    return {
      type: 'highlight-passages',
      urls: Array.isArray(r.urls) ? r.urls.filter((u): u is string => typeof u === 'string' && u.length <= 4000).slice(0, 4) : [],
    };
  }
  if (r.type === 'highlight-report') return { type: 'highlight-report', placed: ids(r.placed), missed: ids(r.missed) };
  if (r.type === 'highlight-site-off') return { type: 'highlight-site-off' };
  return undefined;
}

/** A clip captured while the panel may be closed, waiting in extension storage. */
export interface QueuedClip {
  id: string;
  captured: CapturedContent;
  clippedAt: number;
  /** How it was taken. */
  via: 'panel' | 'menu' | 'shortcut';
  /** Set when the panel chose a destination (the panel button); otherwise the panel decides on arrival. */
  notebookId?: string;
  topicId?: string;
}

/** A PDF the person clipped, waiting for the panel to download and read it (lib/ext/pdf-queue.ts). */
export interface PendingPdf {
  id: string;
  /** The PDF's address. */
  url: string;
  /** The tab's title or the link's text, shown while it waits. */
  title?: string;
  /** The site name of the page that linked to it, for the citation. */
  siteName?: string;
  clippedAt: number;
  via: QueuedClip['via'];
  notebookId?: string;
  topicId?: string;
  /** Set when reading failed because the browser needs the person's permission for the PDF's site. */
  needsPermission?: boolean;
}

/** Something the person must hear about a clip that did not work, shown when the panel opens. */
export interface ClipNotice {
  id: string;
  at: number;
  message: string;
  /** Offer to save the link with its title instead. */
  url?: string;
  title?: string;
}
