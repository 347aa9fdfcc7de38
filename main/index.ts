// Electron entry: one hardened window, the custom app:// protocol, IPC bound to the router.
import { join, normalize, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, net, protocol, session } from 'electron';
import { createRouter } from './ipc/router';
import type { EventName, EventPayload } from './api';
import { bindRouter, eventSender } from './ipc/electron';
import { createHandlers } from './ipc/handlers';
import type { AppBridge } from './bridge/server';
import { createBridgeApprovals, startDesktopBridge } from './service/app-bridge';
import { VaultManager } from './service/vault-manager';
import { externalUrl } from './service/external-url';
import { resolveVaultPath } from './service/paths';
import { createElectronPlatform } from './platform/electron';
import { configureSqliteBinding } from './vault/native-binding';
import { loadBulkCrypto } from './vault';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererDir = join(__dirname, '../renderer');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | undefined;
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.enableSandbox();
  app
    .whenReady()
    .then(() => {
      configureSqliteBinding(process.versions.electron ? join(app.getAppPath(), '.electron-native') : undefined);

      // Serve the built renderer from app://keyhold/, refusing any path that escapes its folder.
      protocol.handle('app', (request) => {
        const { pathname } = new URL(request.url);
        const file = normalize(join(rendererDir, decodeURIComponent(pathname === '/' ? '/index.html' : pathname)));
        const rel = relative(rendererDir, file);
        if (rel.startsWith('..') || rel.includes(`..${sep}`) || resolve(file) !== file) {
          return new Response('Not found', { status: 404 });
        }
        return net.fetch(pathToFileURL(file).toString()).then((res) => {
          const headers = new Headers(res.headers);
          headers.set('Content-Security-Policy', CSP);
          headers.set('X-Content-Type-Options', 'nosniff');
          return new Response(res.body, { status: res.status, headers });
        });
      });

      session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
      session.defaultSession.setPermissionCheckHandler(() => false);

      const platform = createElectronPlatform();
      const send = eventSender(() => win?.webContents);
      // an SSH signature waiting on the user (approval, unlock) brings the window forward
      const emit = <E extends EventName>(name: E, payload: EventPayload<E>): void => {
        send(name, payload);
        if ((name === 'agent.approvalRequested' || name === 'agent.unlockRequested') && win && !win.isDestroyed()) {
          if (win.isMinimized()) win.restore();
          win.show();
          win.focus();
        }
      };
      const ctx = {
        vaultPath: resolveVaultPath(undefined),
        configDir: app.getPath('userData'),
        harness: 'electron' as const,
        platform,
        emit,
        agent: {},
      };
      const vault = new VaultManager(ctx);
      // libsodium for a large vault's unlock, loaded while the unlock screen waits (docs/ARCHITECTURE.md "Unlock")
      setTimeout(loadBulkCrypto, 0);
      const approvals = createBridgeApprovals(ctx);
      // the CLI's way in while the app is open (docs/SECURITY.md "The CLI through the running app")
      let cliBridge: AppBridge | undefined;
      startDesktopBridge({ vault, approvals }).then(
        (b) => (cliBridge = b),
        (e: unknown) => console.error('keyhold: the CLI socket is off:', e instanceof Error ? e.message : 'unknown error'),
      );
      // close() removes the socket file at once (a stale one is cleaned up at the next start anyway)
      app.once('will-quit', () => void cliBridge?.close());
      const router = createRouter(createHandlers(ctx, vault, approvals), {
        onInternalError: (channel, e) => console.error(`keyhold: internal error in ${channel}: ${(e as Error)?.name ?? 'unknown'}`),
      });
      bindRouter(router, devServerUrl);

      win = new BrowserWindow({
        width: 1200,
        height: 780,
        minWidth: 820,
        minHeight: 520,
        title: 'Keyhold',
        show: false,
        webPreferences: {
          preload: join(__dirname, '../preload/index.js'),
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          nodeIntegrationInWorker: false,
          webSecurity: true,
          allowRunningInsecureContent: false,
          webviewTag: false,
          spellcheck: false,
        },
      });
      win.once('ready-to-show', () => win?.show());
      win.webContents.on('will-navigate', (event) => event.preventDefault());
      win.webContents.on('will-attach-webview', (event) => event.preventDefault());
      win.webContents.setWindowOpenHandler(({ url }) => {
        // Links to a platform's documentation open in the user's browser, never inside Keyhold,
        // through the same https-only check as the desktop.openExternal channel.
        try {
          void platform.openExternal(externalUrl(url));
        } catch {
          // not an https page: dropped
        }
        return { action: 'deny' };
      });
      void win.loadURL(devServerUrl ?? 'app://keyhold/index.html');
    })
    .catch((err: unknown) => {
      // A failure while starting leaves no window: say why and quit rather than hang.
      console.error('keyhold: could not start:', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.on('window-all-closed', () => app.quit());
}
