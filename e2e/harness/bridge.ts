// The bridge harness: Debian's Chromium loads the built renderer, and window.keyhold is bridged
// to the real main-process router running in this (the test's) Node process. Payloads cross as
// JSON values, as they do over Electron's structured clone for the shapes main/api/ allows.
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { EventName, EventPayload } from '../../main/api';
import { createRouter } from '../../main/ipc/router';
import { createMemoryPlatform } from '../../main/platform/memory';
import { createHandlers } from '../../main/ipc/handlers';
import { createBridgeApprovals, startDesktopBridge } from '../../main/service/app-bridge';
import { VaultManager } from '../../main/service/vault-manager';
import { eagerCommands } from './cli-commands';
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

/** The CLI socket of a test's app: beside its vault, never the user's own app's. */
export function appSocketFor(vaultPath: string): string {
  return join(dirname(vaultPath), 'app', 'app.sock');
}

export interface BridgeApp {
  page: Page;
  platform: ReturnType<typeof createMemoryPlatform>;
  /** the app's CLI socket, as the desktop app runs it (main/service/app-bridge.ts) */
  appSocket: string;
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
    page
      .evaluate(([n, p]) => (window as unknown as { __keyholdEmit(n: unknown, p: unknown): void }).__keyholdEmit(n, p), [
        name,
        payload,
      ] as const)
      .catch(() => undefined);
  };
  const ctx = { vaultPath, harness: 'bridge' as const, platform, emit, agent: { socketPath: join(dirname(vaultPath), 'agent.sock') } };
  const vault = new VaultManager(ctx);
  const approvals = createBridgeApprovals(ctx);
  const cliBridge = await startDesktopBridge({ vault, approvals, socketPath: appSocketFor(vaultPath), modules: eagerCommands });
  const router = createRouter(createHandlers(ctx, vault, approvals));
  await page.exposeFunction('__keyholdInvoke', (channel: string, input: unknown) => router.invoke(channel, input));
  await page.addInitScript(INIT_SCRIPT);
  await page.goto(server.url);
  return {
    page,
    platform,
    appSocket: cliBridge.path,
    async close() {
      await cliBridge.close();
      vault.dispose();
      await browser.close();
      await server.close();
    },
  };
}
