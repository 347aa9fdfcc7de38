// bcrypt_pbkdf on a worker thread (OpenSSH's KDF for passphrase-protected keys costs up to
// seconds): the main thread only waits for the answer. From the TypeScript sources (tests, tsx)
// the worker runs its .ts entry through tsx; in the built app it is a separate built file,
// bcrypt-pbkdf-worker.js, next to the main bundle.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { KeyholdError } from '../errors';
import type { KdfJob } from './bcrypt-pbkdf-job';

export const WORKER_BUILT_NAME = 'bcrypt-pbkdf-worker.js';

/** A Worker running the entry: from the sources, a bootstrap that loads tsx's require hook first
 * (on Node 20, `execArgv: ['--import', 'tsx']` does not reach a .ts worker entry in time). */
function startWorker(job: KdfJob): Worker {
  if (__filename.endsWith('.ts')) {
    const tsx = createRequire(__filename).resolve('tsx/cjs');
    const entry = join(__dirname, 'bcrypt-pbkdf-worker.ts');
    return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, { eval: true, workerData: job });
  }
  // a bundler may place this code in a chunk one folder below the entry files
  const file = [join(__dirname, WORKER_BUILT_NAME), join(__dirname, '..', WORKER_BUILT_NAME)].find((f) => existsSync(f));
  if (!file) throw new KeyholdError('INTERNAL', `The key derivation worker (${WORKER_BUILT_NAME}) is missing from this build.`);
  return new Worker(file, { workerData: job });
}

/** `keyLen` bytes of bcrypt_pbkdf(pass, salt, rounds), computed on a worker thread. */
export function bcryptPbkdfOffThread(job: KdfJob): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = startWorker(job);
    worker.once('message', (answer: unknown) => {
      settled = true;
      if (answer instanceof Uint8Array && answer.length === job.keyLen) resolve(Buffer.from(answer));
      else reject(new KeyholdError('INVALID_INPUT', 'Malformed OpenSSH private key: bad KDF parameters.'));
      void worker.terminate();
    });
    worker.once('error', () => {
      if (!settled) reject(new KeyholdError('INTERNAL', 'The key derivation worker failed.'));
      settled = true;
    });
    worker.once('exit', () => {
      if (!settled) reject(new KeyholdError('INTERNAL', 'The key derivation worker stopped without an answer.'));
      settled = true;
    });
  });
}
