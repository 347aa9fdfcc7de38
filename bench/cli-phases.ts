// Where `keyhold key list`'s time goes, for cli-compare.ts: the CLI runs with a preload (plain
// JavaScript: the built CLI runs on plain Node) that notes, on the process's own clock
// (performance.now() counts from its start), when the CLI's entry file loads, when Argon2id starts
// and ends, how long the first load of each chunk and package takes, and when the process exits.
// The timings bend a little under the hooks; they say where the time goes, the plain runs say how
// much there is.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from './percentile';

const PRELOAD = String.raw`
const Module = require('module');
const t = { loads: 0 };
let depth = 0;
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const start = performance.now();
  if (isMain) t.entry = start;
  depth++;
  let out;
  try {
    out = load.apply(this, arguments);
    return out;
  } finally {
    depth--;
    // the top-level loads of the CLI's chunks and packages, nested ones counted once
    if (depth === 1 && !request.startsWith('node:')) t.loads += performance.now() - start;
    if (request === '@node-rs/argon2' && out && !out.__timed) {
      const hashRaw = out.hashRaw;
      Object.defineProperty(out, 'hashRaw', {
        configurable: true,
        value: async function (...args) {
          t.kdfStart ??= performance.now();
          try { return await hashRaw.apply(this, args); } finally { t.kdfEnd = performance.now(); }
        },
      });
      Object.defineProperty(out, '__timed', { value: true });
    }
  }
};
process.on('exit', () => {
  t.exit = performance.now();
  require('fs').writeSync(2, '\nKEYHOLD_PHASES ' + JSON.stringify(t) + '\n');
});
`;

interface Phases {
  entry: number;
  kdfStart: number;
  kdfEnd: number;
  exit: number;
  loads: number;
}

function once(node: string, args: string[], input: string): Promise<Phases> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = /KEYHOLD_PHASES (.*)/.exec(err)?.[1];
      if (code !== 0 || !line) return reject(new Error(`instrumented run exited ${code}: ${err.slice(0, 300)}`));
      resolve(JSON.parse(line) as Phases);
    });
    child.stdin.end(input);
  });
}

/** Medians over `runs` instrumented runs of `node <cli> <args>`, in ms, by phase. */
export async function cliPhases(node: string, cli: string, args: string[], input: string, workDir: string, runs: number) {
  const preload = join(workDir, 'phases-preload.js');
  writeFileSync(preload, PRELOAD);
  const all: Phases[] = [];
  for (let i = 0; i < runs; i++) all.push(await once(node, ['-r', preload, cli, ...args], input));
  const med = (f: (p: Phases) => number) => percentile(all.map(f), 50);
  return {
    /** Node's own start, until the CLI's entry file loads */
    boot: med((p) => p.entry),
    /** the entry until Argon2id starts (the header, the password, what loads first) */
    toKdf: med((p) => p.kdfStart - p.entry),
    kdf: med((p) => p.kdfEnd - p.kdfStart),
    /** Argon2id's end until the process exits (opening the index, the listing, the output) */
    afterKdf: med((p) => p.exit - p.kdfEnd),
    /** all module loading (chunks and packages), wherever it fell */
    loads: med((p) => p.loads),
  };
}
