// The messages between VaultWorkers (main thread) and worker/entry.ts.

export interface WorkerData {
  nativeBinding?: string;
}

/** The worker's start-up data, checked by hand: loading zod would cost every worker tens of
 * milliseconds of CPU (while the KDF needs the cores) and a few MB of heap. */
export function parseWorkerData(v: unknown): WorkerData {
  const nativeBinding = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).nativeBinding : null;
  if (nativeBinding === null || (nativeBinding !== undefined && typeof nativeBinding !== 'string'))
    throw new Error('the vault worker was started with malformed data');
  return nativeBinding === undefined ? {} : { nativeBinding };
}

export type Job = { op: 'check'; path: string } | { op: 'measure'; path: string } | { op: 'checkpoint'; path: string };

export interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { code?: string; message: string };
}
