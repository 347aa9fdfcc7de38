import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// electron-vite looks for src/main etc. by default; Keyhold keeps its layers at the top level.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // pure-JS dependencies are bundled: the `keyhold` CLI then loads one file per chunk, and only
      // what is used of them (zod's unused locales, say), instead of hundreds of files at start-up;
      // native modules stay external (their .node binaries are found beside their package)
      externalizeDeps: { exclude: ['commander', 'zod'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'main/index.ts'),
          cli: resolve(__dirname, 'main/cli.ts'),
          // the vault's worker thread, loaded by file beside index.js and cli.js (main/vault/vault-workers.ts)
          'vault-worker': resolve(__dirname, 'main/vault/worker/entry.ts'),
        },
        output: {
          // the CLI is the package's bin: it must be directly executable
          banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
          // zod in a chunk of its own, not in whichever chunk rolldown would share it with
          codeSplitting: { groups: [{ name: 'zod', test: /node_modules[\\/]zod[\\/]/ }] },
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true, // electron-vite leaves it off; a smaller bundle parses faster at first paint
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
