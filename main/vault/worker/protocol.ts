// The messages between VaultWorkers (main thread) and worker/entry.ts.
import { z } from 'zod';

export const WorkerData = z.object({ nativeBinding: z.string().optional() });

export type Job =
  | { op: 'check'; path: string }
  | { op: 'open'; key: Uint8Array; segs: Array<{ seg: number; data: Uint8Array }> }
  | { op: 'checkpoint'; path: string };

export interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { code?: string; message: string };
}

export interface OpenedSegment {
  seg: number;
  /** the inflated plaintext, or null when the box did not open (MAC or row binding) */
  plain: Uint8Array | null;
  inflateError?: boolean;
}
