import { installedElectronBinary } from '../../scripts/electron-binary.cjs';

export type HarnessName = 'electron' | 'bridge';

/** The Electron binary when one is installed. Only looks: require('electron') would download it. */
export function electronBinary(): string | undefined {
  return installedElectronBinary();
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
