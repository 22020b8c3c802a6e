/**
 * Partners' clipped passages, highlighted on the page they came from (runs in the page's
 * isolated world, injected by entrypoints/highlights.ts).
 *
 * What the page's own scripts can and cannot see:
 * - The text is marked with the CSS Custom Highlight API: the page's DOM is not changed, and a
 *   page script can at most learn *which* of its own words are highlighted (the registry is
 *   shared), never by whom or why.
 * - Names and comments live only inside a closed shadow root (no `shadowRoot` handle, not in
 *   `innerText`, `outerHTML` or a selection of the page), built with text nodes only, and the
 *   hover card holds them only while the pointer is on a passage.
 * - Our listeners and objects live in the isolated world: page scripts cannot patch or read them.
 */
import { findAnchor, pageText } from './anchor';
import { HIGHLIGHT_NAME, type HighlightPassage } from './highlight-index';

/** What the highlight script needs from the extension. */
export interface HighlightDeps {
  ask(urls: string[]): Promise<{ passages: HighlightPassage[] } | { off: true }>;
  report(placed: string[], missed: string[]): Promise<void>;
  turnOff(): Promise<void>;
}

/** What was placed (for tests and the caller). */
export interface Placement {
  placed: { passage: HighlightPassage; range: Range }[];
  missed: HighlightPassage[];
}

/** Places passages on the page by their text anchors. */
export function placePassages(doc: Document, passages: readonly HighlightPassage[]): Placement {
  const page = pageText(doc);
  const out: Placement = { placed: [], missed: [] };
  for (const passage of passages) {
    const at = findAnchor(page, passage);
    if (at) out.placed.push({ passage, range: page.range(at.start, at.end) });
    else out.missed.push(passage);
  }
  return out;
}

const STYLE = `
:host { all: initial; }
* { box-sizing: border-box; font: 14px/1.4 system-ui, 'Noto Sans', sans-serif; color: #1b1f24; }
.dock { position: fixed; right: 12px; bottom: 12px; z-index: 2147483647; max-width: min(360px, calc(100vw - 24px)); display: flex; flex-direction: column; align-items: flex-end; gap: 6px; }
button { cursor: pointer; border: 1px solid #8c959f; border-radius: 6px; background: #fff; padding: 4px 10px; }
button:focus-visible { outline: 3px solid #0b57d0; outline-offset: 1px; }
.toggle { background: #ffe58a; border-color: #b07d00; font-weight: 600; }
.panel { background: #fff; border: 1px solid #8c959f; border-radius: 8px; padding: 10px; max-height: 60vh; overflow: auto; box-shadow: 0 4px 16px rgba(0,0,0,.2); }
.panel h2 { font-size: 15px; font-weight: 700; margin: 0 0 6px; }
.panel h3 { font-size: 14px; font-weight: 700; margin: 10px 0 4px; }
ul { margin: 0; padding: 0; list-style: none; }
li { border-left: 3px solid #ffe58a; padding: 2px 0 2px 8px; margin: 6px 0; }
li.missed { border-left-color: #d0d7de; }
.quote { font-style: italic; }
.who, .muted { color: #57606a; font-size: 13px; }
.row { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
.card { position: fixed; z-index: 2147483647; max-width: 300px; background: #fff; border: 1px solid #b07d00; border-radius: 8px; padding: 8px 10px; box-shadow: 0 4px 16px rgba(0,0,0,.2); pointer-events: none; }
[hidden] { display: none !important; }
`;

/** Shows the passages for this page, if the person allows highlights here. */
export async function runHighlights(doc: Document, win: Window & typeof globalThis, deps: HighlightDeps): Promise<Placement | undefined> {
  const canonical = doc.querySelector<HTMLLinkElement>('link[rel~="canonical"][href]')?.href;
  const answer = await deps.ask([win.location.href, ...(canonical ? [canonical] : [])]);
  if (!('passages' in answer) || !answer.passages.length) return undefined;
  let placement = placePassages(doc, answer.passages);
  if (placement.missed.length) {
    // Pages that fill in their text after loading get one more chance.
    await new Promise((r) => win.setTimeout(r, 2500));
    placement = placePassages(doc, answer.passages);
  }
  const registry = (win.CSS as unknown as { highlights?: Map<string, unknown> }).highlights;
  const HighlightCtor = (win as unknown as { Highlight?: new (...r: Range[]) => unknown }).Highlight;
  if (registry && HighlightCtor && placement.placed.length) registry.set(HIGHLIGHT_NAME, new HighlightCtor(...placement.placed.map((p) => p.range)));
  const ui = buildUi(doc, win, placement, deps);
  void deps
    .report(
      placement.placed.map((p) => p.passage.id),
      placement.missed.map((p) => p.id),
    )
    .catch(() => {});
  ui.listen();
  return placement;
}

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function buildUi(doc: Document, win: Window & typeof globalThis, placement: Placement, deps: HighlightDeps) {
  const host = doc.createElement('partner-notebook-highlights');
  const shadow = host.attachShadow({ mode: 'closed' });
  shadow.append(el(doc, 'style', undefined, STYLE));
  const dock = el(doc, 'div', 'dock');
  const card = el(doc, 'div', 'card');
  card.hidden = true;
  card.setAttribute('role', 'tooltip');
  const panel = el(doc, 'section', 'panel');
  panel.hidden = true;
  panel.id = 'pn-panel';
  panel.setAttribute('aria-label', 'Partner Notebook highlights');
  const n = placement.placed.length;
  const toggle = el(
    doc,
    'button',
    'toggle',
    n ? `Partner Notebook: ${n} highlighted ${n === 1 ? 'passage' : 'passages'}` : 'Partner Notebook: passages not found',
  );
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', 'pn-panel');
  toggle.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
  });

  const showCard = (p: HighlightPassage, x: number, y: number) => {
    card.replaceChildren(el(doc, 'div', 'who', `Clipped by ${p.by}`), ...(p.comment ? [el(doc, 'div', undefined, p.comment)] : []));
    card.hidden = false;
    const w = Math.min(300, win.innerWidth - 16);
    card.style.left = `${Math.max(8, Math.min(x + 12, win.innerWidth - w - 8))}px`;
    card.style.top = `${Math.max(8, Math.min(y + 16, win.innerHeight - 120))}px`;
  };
  const hideCard = () => {
    if (card.hidden) return;
    card.hidden = true;
    // The comment is held only while it is shown.
    card.replaceChildren();
  };

  panel.append(el(doc, 'h2', undefined, 'Passages your partnership clipped from this page'));
  if (n) {
    const list = el(doc, 'ul');
    for (const { passage, range } of placement.placed) {
      const li = el(doc, 'li');
      li.append(el(doc, 'div', 'quote', `“${short(passage.exact, 200)}”`), el(doc, 'div', 'who', `Clipped by ${passage.by}`));
      if (passage.comment) li.append(el(doc, 'div', undefined, passage.comment));
      const go = el(doc, 'button', undefined, 'Show on the page');
      go.type = 'button';
      go.addEventListener('click', () => {
        const target = range.startContainer.parentElement;
        target?.scrollIntoView({ block: 'center' });
        const r = range.getBoundingClientRect();
        showCard(passage, r.left, r.bottom);
        win.setTimeout(hideCard, 4000);
      });
      const row = el(doc, 'div', 'row');
      row.append(go);
      li.append(row);
      list.append(li);
    }
    panel.append(list);
  }
  if (placement.missed.length) {
    panel.append(
      el(doc, 'h3', undefined, 'Not found on this page'),
      el(doc, 'p', 'muted', 'The page may have changed since these were clipped. The clips are safe in your notebook.'),
    );
    const list = el(doc, 'ul');
    for (const p of placement.missed) {
      const li = el(doc, 'li', 'missed');
      li.append(el(doc, 'div', 'quote', `“${short(p.exact, 200)}”`), el(doc, 'div', 'who', `Clipped by ${p.by}`));
      list.append(li);
    }
    panel.append(list);
  }
  const registry = (win.CSS as unknown as { highlights?: Map<string, unknown> }).highlights;
  const remove = () => {
    registry?.delete(HIGHLIGHT_NAME);
    doc.removeEventListener('mousemove', onMove, true);
    host.remove();
  };
  const hide = el(doc, 'button', undefined, 'Hide highlights');
  hide.type = 'button';
  hide.addEventListener('click', remove);
  const off = el(doc, 'button', undefined, 'Turn off on this site');
  off.type = 'button';
  off.addEventListener('click', () => {
    remove();
    void deps.turnOff().catch(() => {});
  });
  const actions = el(doc, 'div', 'row');
  actions.append(hide, off);
  panel.append(actions, el(doc, 'p', 'muted', 'You can turn highlights off for all sites in the Partner Notebook settings.'));
  dock.append(panel, toggle);
  shadow.append(dock, card);

  let pending = false;
  let lastX = 0;
  let lastY = 0;
  const onMove = (e: MouseEvent) => {
    lastX = e.clientX;
    lastY = e.clientY;
    if (pending) return;
    pending = true;
    win.requestAnimationFrame(() => {
      pending = false;
      const hit = placement.placed.find(({ range }) =>
        Array.from(range.getClientRects()).some((r) => lastX >= r.left && lastX <= r.right && lastY >= r.top && lastY <= r.bottom),
      );
      if (hit) showCard(hit.passage, lastX, lastY);
      else hideCard();
    });
  };
  return {
    listen() {
      doc.documentElement.append(host);
      doc.addEventListener('mousemove', onMove, { capture: true, passive: true });
    },
  };
}
