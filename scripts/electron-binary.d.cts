// Types of scripts/electron-binary.cjs for the TypeScript e2e harness.
export function electronPackageDir(): string | undefined;
export function installedElectronBinary(): string | undefined;
