// Merging into a netrc file on disk: read (refusing links and non-text), merge, preview, and write
// atomically with mode 0600 and a one-deep backup, only if nobody changed the file meanwhile.
import { KeyholdError } from '../errors';
import { readExisting, writeFileAtomic, type AtomicFs, type AtomicWriteResult } from './atomic-file';
import { decodeNetrc, mergeNetrc, NetrcSyntaxError, previewNetrcMerge, type NetrcCredential, type NetrcMerge } from './netrc';

export interface NetrcPlan extends NetrcMerge {
  path: string;
  /** the file's bytes when read (null: it does not exist yet) */
  original: Buffer | null;
  /** unified diff with every password masked */
  preview: string;
}

/** A netrc holds a few credentials; a file far larger is not one, and parsing and diffing it
 * would only cost time. */
export const MAX_NETRC_BYTES = 1024 * 1024;

export async function planNetrcMerge(path: string, credentials: readonly NetrcCredential[], fs?: AtomicFs): Promise<NetrcPlan> {
  const original = await readExisting(path, fs);
  if (original && original.length > MAX_NETRC_BYTES) {
    throw new KeyholdError(
      'INVALID_INPUT',
      `${path} is too large for a netrc file (over ${MAX_NETRC_BYTES / 1024 / 1024} MiB); it was left untouched.`,
    );
  }
  let merge: NetrcMerge;
  try {
    merge = mergeNetrc(original ? decodeNetrc(original) : '', credentials);
  } catch (e) {
    if (e instanceof NetrcSyntaxError) {
      throw new KeyholdError('INVALID_INPUT', `${path} cannot be read as a netrc file (${e.message}); it was left untouched.`);
    }
    throw e;
  }
  return { ...merge, path, original, preview: previewNetrcMerge(merge, path) };
}

/** Writes a plan; CONFLICT if the file changed since it was planned. Nothing to change: no write. */
export async function applyNetrcPlan(plan: NetrcPlan, fs?: AtomicFs): Promise<AtomicWriteResult | null> {
  if (plan.original !== null && plan.after === plan.before) return null;
  return writeFileAtomic(plan.path, plan.after, { mode: 0o600, overwrite: true, backup: true, expect: plan.original, fs });
}
