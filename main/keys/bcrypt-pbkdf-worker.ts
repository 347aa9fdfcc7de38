// Worker thread entry: one bcrypt_pbkdf derivation (up to seconds of CPU for a passphrase-protected
// OpenSSH key), so that the main thread (the app's UI and IPC, the CLI's signal handling) keeps
// running meanwhile. Input and output are plain bytes; the answer is null for bad parameters.
import { parentPort, workerData } from 'node:worker_threads';
import { pbkdf } from 'bcrypt-pbkdf';
import { parseKdfJob } from './bcrypt-pbkdf-job';

const job = parseKdfJob(workerData);
let answer: Uint8Array | null = null;
if (job) {
  const out = new Uint8Array(job.keyLen);
  answer = pbkdf(job.pass, job.pass.length, job.salt, job.salt.length, out, out.length, job.rounds) === 0 ? out : null;
  job.pass.fill(0);
}
parentPort?.postMessage(answer);
