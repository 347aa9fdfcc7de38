import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

export type HarnessName = 'electron' | 'bridge';

/** The Electron binary when one is installed (require('electron') gives its path under Node). */
export function electronBinary(): string | undefined {
  try {
    const path: unknown = createRequire(__filename)('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** KEYHOLD_E2E_HARNESS forces one; else Electron where it is installed, else the bridge. */
export function chosenHarness(): HarnessName {
  const forced = process.env.KEYHOLD_E2E_HARNESS;
  if (forced === 'electron' || forced === 'bridge') return forced;
  return electronBinary() ? 'electron' : 'bridge';
}

export const CHROMIUM = process.env.KEYHOLD_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
