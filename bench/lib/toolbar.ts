/**
 * Presses the extension's toolbar button on a tab through the browser-level DevTools protocol
 * (`Extensions.triggerAction`), like test/e2e/harness.ts's clickToolbarButton, but without
 * waiting for the side panel: the clip benchmark disables the panel first, so a press only
 * grants activeTab. The harness's press opens and closes the real panel (about 2 s a page on
 * two cores), which would make the clip benchmark take minutes for no figure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { WebSocket } from 'ws';
import type { Person } from '../../test/e2e/harness';

/** Stops the toolbar button from opening the side panel in this profile (activeTab is still granted). */
export async function disableSidePanel(person: Person): Promise<void> {
  await person.worker.evaluate(() => (globalThis as any).chrome.sidePanel.setOptions({ enabled: false }));
}

/** Presses the toolbar button on `page`'s tab; resolves once the browser has handled the press. */
export async function pressToolbarButton(person: Person, page: Page): Promise<void> {
  await page.bringToFront();
  const [port, path] = readFileSync(join(person.userDataDir, 'DevToolsActivePort'), 'utf8').trim().split('\n');
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
  let next = 0;
  const call = (method: string, params: object) =>
    new Promise<any>((ok, fail) => {
      const id = ++next;
      const timer = setTimeout(() => fail(new Error(`${method}: no answer within 10 s`)), 10_000);
      const onMessage = (m: Buffer) => {
        const d = JSON.parse(String(m)) as { id?: number; result?: unknown; error?: { message: string } };
        if (d.id !== id) return;
        clearTimeout(timer);
        ws.off('message', onMessage);
        if (d.error) fail(new Error(`${method}: ${d.error.message}`));
        else ok(d.result);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, method, params }));
    });
  try {
    const { targetInfos } = (await call('Target.getTargets', { filter: [{ type: 'tab' }] })) as { targetInfos: { targetId: string; url: string }[] };
    const tab = targetInfos.find((t) => t.url === page.url());
    if (!tab) throw new Error(`no tab target for ${page.url()}`);
    await call('Extensions.triggerAction', { id: person.extensionId, targetId: tab.targetId });
  } finally {
    ws.close();
  }
}
