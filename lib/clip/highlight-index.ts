/**
 * What on-page highlighting needs from a notebook, and nothing more: for each page address, the
 * passages partners clipped from it (quote with a little context), who clipped each and their
 * comment. The panel keeps this small index in extension storage so highlights work while the
 * panel is closed; a page's content script is sent only the entries for its own address.
 */
import type { Clip } from '../notebook/types';

/** The CSS highlight's name (the background's user style sheet colours it). */
export const HIGHLIGHT_NAME = 'partner-notebook';

/** One clipped passage to show on its page. */
export interface HighlightPassage {
  /** The clip's id (to tell passages apart; never shown). */
  id: string;
  exact: string;
  prefix: string;
  suffix: string;
  /** The clipper's name. */
  by: string;
  /** Their comment, if any. */
  comment?: string;
}

/** Passages by page key ({@link pageKey}). */
export type HighlightIndex = Record<string, HighlightPassage[]>;

/** Bounds, so a notebook full of quotes keeps the index small and a page's answer short. */
export const HIGHLIGHT_LIMITS = { exact: 2_000, context: 64, comment: 500, name: 100, perPage: 50, pages: 5_000 } as const;

// Parameters that only track where a visitor came from: the same page with or without them.
const TRACKING = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|_hsenc|_hsmi|ref_src)$/i;

/**
 * The key of a page address: http(s) only, without fragment, tracking parameters, default port
 * or trailing slash; host in lower case. Undefined for other addresses.
 */
export function pageKey(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  u.hash = '';
  for (const k of [...u.searchParams.keys()]) if (TRACKING.test(k)) u.searchParams.delete(k);
  u.searchParams.sort();
  const path = u.pathname.length > 1 ? u.pathname.replace(/\/+$/, '') : '';
  return `${u.protocol}//${u.host.toLowerCase()}${path}${u.search}`;
}

/** The origin of a page address ("https://library.example.mn"), or undefined. */
export function siteOf(url: string | undefined): string | undefined {
  const key = pageKey(url);
  return key ? new URL(key).origin : undefined;
}

/** Builds the index from a notebook's clips: live selection clips with a quote, by page and canonical address. */
export function buildHighlightIndex(clips: readonly Clip[]): HighlightIndex {
  const out: HighlightIndex = {};
  let pages = 0;
  for (const clip of clips) {
    const c = clip.captured;
    if (clip.deletedAt !== undefined || c.kind !== 'selection') continue;
    const exact = (c.anchor?.exact ?? '').replace(/\s+/g, ' ').trim();
    if (!exact) continue;
    const passage: HighlightPassage = {
      id: clip.id,
      exact: exact.slice(0, HIGHLIGHT_LIMITS.exact),
      prefix: (c.anchor?.prefix ?? '').slice(-HIGHLIGHT_LIMITS.context),
      suffix: (c.anchor?.suffix ?? '').slice(0, HIGHLIGHT_LIMITS.context),
      by: clip.clippedBy.name.slice(0, HIGHLIGHT_LIMITS.name),
    };
    const comment = clip.comment.trim().slice(0, HIGHLIGHT_LIMITS.comment);
    if (comment) passage.comment = comment;
    const keys = new Set([pageKey(c.canonicalUrl), pageKey(c.url)].filter((k): k is string => !!k));
    for (const key of keys) {
      const list = out[key] ?? (pages < HIGHLIGHT_LIMITS.pages ? (pages++, (out[key] = [])) : undefined);
      if (list && list.length < HIGHLIGHT_LIMITS.perPage) list.push(passage);
    }
  }
  return out;
}

/** The passages for a page, given its addresses (its own and its canonical one), without repeats. */
export function passagesFor(indexes: readonly HighlightIndex[], urls: readonly string[]): HighlightPassage[] {
  const keys = [...new Set(urls.map(pageKey).filter((k): k is string => !!k))];
  const seen = new Set<string>();
  const out: HighlightPassage[] = [];
  for (const index of indexes) {
    for (const key of keys) {
      for (const p of Object.prototype.hasOwnProperty.call(index, key) ? (index[key] ?? []) : []) {
        if (seen.has(p.id) || out.length >= HIGHLIGHT_LIMITS.perPage) continue;
        seen.add(p.id);
        out.push(p);
      }
    }
  }
  return out;
}
