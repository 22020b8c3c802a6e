/**
 * Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on a page of the built extension. axe's source
 * is evaluated over the DevTools protocol, which the extension's CSP (no inline scripts) does not
 * apply to.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The rule sets measured: every WCAG 2.2 level A and AA rule axe has (2.2 adds target size). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** A page of either driver: Playwright's (Chromium) or puppeteer-core's (Firefox). */
export interface AnyPage {
  evaluate(fn: string | ((arg: any) => unknown), arg?: unknown): Promise<any>;
}

/** One failed rule and where on the page it failed. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

/**
 * The WCAG A/AA violations axe finds in the page's document as it is now. Frames are left out
 * (`iframes: false`): the reader view's sandboxed frame runs no script, so its document is
 * checked on its own with {@link axeDocument}.
 */
export async function axeViolations(page: Page | AnyPage): Promise<AxeViolation[]> {
  const p = page as AnyPage;
  if (!(await p.evaluate(() => 'axe' in window))) await p.evaluate(AXE_SOURCE);
  return p.evaluate(async (tags: string[]) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: any[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], iframes: false });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n: { target: string[]; failureSummary?: string }) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
    }));
  }, WCAG_TAGS);
}

/** Checks a standalone HTML document (e.g. the reader view's srcdoc) in a page of its own at `width`. */
export async function axeDocument(page: Page, html: string): Promise<AxeViolation[]> {
  await page.setContent(html);
  return axeViolations(page);
}

/** One line per violation, for a failure message a person can act on. */
export function describeViolations(vs: AxeViolation[]): string {
  return vs
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    at ${n.target}: ${n.summary.replace(/\s+/g, ' ')}`).join('\n')}`)
    .join('\n');
}
