// The bridge harness: Debian's Chromium loads the built renderer, and window.keyhold is bridged
// to the real main-process router running in this (the test's) Node process. Payloads cross as
// JSON values, as they do over Electron's structured clone for the shapes main/api/ allows.
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { EventName, EventPayload } from '../../main/api';
import { createRouter } from '../../main/ipc/router';
import { createMemoryPlatform } from '../../main/platform/memory';
import { createHandlers } from '../../main/ipc/handlers';
import { CHROMIUM, CHROMIUM_ARGS } from './detect';
import { serveRenderer } from './static-server';

const INIT_SCRIPT = `(() => {
  const listeners = new Set();
  Object.defineProperty(window, 'keyhold', {
    value: Object.freeze({
      invoke: (channel, input) => window.__keyholdInvoke(channel, input),
      onEvent: (listener) => { listeners.add(listener); return () => listeners.delete(listener); },
    }),
  });
  window.__keyholdEmit = (name, payload) => { for (const l of listeners) l(name, payload); };
})();`;

export interface BridgeApp {
  page: Page;
  platform: ReturnType<typeof createMemoryPlatform>;
  close(): Promise<void>;
}

export async function launchBridge(vaultPath: string, root: string): Promise<BridgeApp> {
  const server = await serveRenderer(join(root, 'out', 'renderer'));
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  // a context of our own (not browser.newPage) so tools such as @axe-core/playwright may open pages in it
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const platform = createMemoryPlatform();
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    page.evaluate(([n, p]) => (window as unknown as { __keyholdEmit(n: unknown, p: unknown): void }).__keyholdEmit(n, p), [name, payload] as const).catch(() => undefined);
  };
  const router = createRouter(createHandlers({ vaultPath, harness: 'bridge', platform, emit, agent: { socketPath: join(dirname(vaultPath), 'agent.sock') } }));
  await page.exposeFunction('__keyholdInvoke', (channel: string, input: unknown) => router.invoke(channel, input));
  await page.addInitScript(INIT_SCRIPT);
  await page.goto(server.url);
  return {
    page,
    platform,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
