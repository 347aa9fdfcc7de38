// What every table checks and makes alike: text limits, new row ids, times.
import { KeyholdError } from '../../errors';
import { pooledRandom } from '../crypto';

export const LIMITS = {
  name: 1024,
  description: 64 * 1024,
  secret: 4 * 1024 * 1024,
  publicPart: 64 * 1024,
  detail: 4096,
} as const;

/**
 * A new row id: 48 bits of time (ms) then 48 random bits, in hex. Time first so that new rows go to
 * the end of every B-tree keyed by id (keys, key_versions): a bulk insert then writes a few pages
 * per commit instead of one random page per key. It tells no more than key_versions.created_at,
 * which is in clear already.
 */
export function newId(): string {
  return Date.now().toString(16).padStart(12, '0') + Buffer.from(pooledRandom(6)).toString('hex');
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** String#isWellFormed (Node 20+; ES2024, beyond this project's lib typings): native, and much
 * faster than the regex below on the bulk path */
const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text fields: well-formed Unicode (a lone surrogate would not survive UTF-8) within a limit. */
export function checkText(value: string, what: string, max: number, opts: { allowEmpty?: boolean } = {}): string {
  if (typeof value !== 'string') throw new KeyholdError('INVALID_INPUT', `The ${what} must be text.`);
  if (!opts.allowEmpty && value.trim() === '') throw new KeyholdError('INVALID_INPUT', `The ${what} must not be empty.`);
  if (value.length > max) throw new KeyholdError('INVALID_INPUT', `The ${what} is too long (at most ${max} characters).`);
  if (!(isWellFormed ? isWellFormed.call(value) : !LONE_SURROGATE.test(value)))
    throw new KeyholdError('INVALID_INPUT', `The ${what} is not valid Unicode text.`);
  return value;
}
