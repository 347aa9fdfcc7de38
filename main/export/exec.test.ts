import { spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeOf, runExec } from './exec';

const SECRET = 'sk-live-3f9c Ünïcode $HOME "quoted"';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kh-exec-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function streams(input = '') {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = { stdout: '', stderr: '' };
  stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
  stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
  stdin.end(input);
  return { io: { stdin, stdout, stderr }, out };
}

function filesContaining(root: string, needle: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((p) => readFileSync(p, 'utf8').includes(needle));
}

describe('runExec', () => {
  it('gives the child the variable, passes stdin/stdout/stderr through, and returns its exit code', async () => {
    const { io, out } = streams('from stdin\n');
    const r = await runExec({
      command: 'sh',
      args: ['-c', 'read line; printf "%s|%s" "$KH_TOKEN" "$line"; echo oops >&2; exit 7'],
      vars: { KH_TOKEN: SECRET },
      stdio: io,
      cwd: dir,
    });
    expect(r).toEqual({ exitCode: 7, signal: null });
    expect(out.stdout).toBe(`${SECRET}|from stdin`);
    expect(out.stderr).toBe('oops\n');
  });

  it('leaves the secret out of our own environment and out of every file', async () => {
    const { io } = streams();
    const r = await runExec({
      command: 'sh',
      args: ['-c', 'test -n "$KH_TOKEN" && touch done'],
      vars: { KH_TOKEN: SECRET },
      stdio: io,
      cwd: dir,
    });
    expect(r.exitCode).toBe(0);
    expect(readdirSync(dir)).toEqual(['done']);
    expect(process.env.KH_TOKEN).toBeUndefined();
    expect(Object.values(process.env).some((v) => v?.includes(SECRET))).toBe(false);
    expect(filesContaining(dir, SECRET)).toEqual([]);
  });

  it('never passes KEYHOLD_PASSWORD on to the child, from the given or our own environment', async () => {
    for (const baseEnv of [{ PATH: process.env.PATH, KEYHOLD_PASSWORD: SECRET }, undefined]) {
      const { io, out } = streams();
      const saved = process.env.KEYHOLD_PASSWORD;
      process.env.KEYHOLD_PASSWORD = SECRET;
      try {
        // the child reads its whole environment as the kernel gave it
        const r = await runExec({
          command: 'sh',
          args: ['-c', 'cat /proc/$$/environ'],
          vars: { KH_TOKEN: 'x' },
          stdio: io,
          ...(baseEnv ? { baseEnv } : {}),
        });
        expect(r.exitCode).toBe(0);
      } finally {
        if (saved === undefined) delete process.env.KEYHOLD_PASSWORD;
        else process.env.KEYHOLD_PASSWORD = saved;
      }
      const names = out.stdout.split('\0').map((e) => e.slice(0, e.indexOf('=')));
      expect(names).toContain('KH_TOKEN');
      expect(names).not.toContain('KEYHOLD_PASSWORD');
      expect(out.stdout).not.toContain(SECRET);
    }
  });

  it('refuses to set KEYHOLD_PASSWORD for the child on request', async () => {
    const { io } = streams();
    await expect(runExec({ command: 'true', args: [], vars: { KEYHOLD_PASSWORD: 'x' }, stdio: io })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('replaces a variable of the same name only in the child', async () => {
    const { io, out } = streams();
    await runExec({ command: 'sh', args: ['-c', 'printf %s "$HOME"'], vars: { HOME: '/nowhere' }, stdio: io });
    expect(out.stdout).toBe('/nowhere');
    expect(process.env.HOME).not.toBe('/nowhere');
  });

  it('forwards SIGTERM, SIGINT and SIGHUP to the child and returns the code it exits with', async () => {
    for (const [sig, code] of [
      ['SIGTERM', 42],
      ['SIGINT', 43],
      ['SIGHUP', 44],
    ] as const) {
      const { io, out } = streams();
      const signals = new EventEmitter();
      // a node child: sh cannot trap a signal it inherited as ignored (the test runner ignores SIGINT)
      const script = `process.on('${sig}', () => process.exit(${code})); console.log('ready'); setTimeout(() => {}, 30000);`;
      const running = runExec({ command: process.execPath, args: ['-e', script], vars: {}, stdio: io, signals });
      while (!out.stdout.includes('ready')) await once(io.stdout, 'data');
      signals.emit(sig);
      expect((await running).exitCode).toBe(code);
      expect(signals.listenerCount(sig)).toBe(0);
    }
  });

  it('exits with 128 + the signal number when a signal ends the child', async () => {
    const { io } = streams();
    const r = await runExec({ command: 'sh', args: ['-c', 'kill -KILL $$'], vars: {}, stdio: io });
    expect(r).toEqual({ exitCode: 137, signal: 'SIGKILL' });
    expect(exitCodeOf(null, 'SIGTERM')).toBe(143);
  });

  it('answers a missing command with NOT_FOUND', async () => {
    const { io } = streams();
    await expect(runExec({ command: join(dir, 'no-such-command'), args: [], vars: {}, stdio: io })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('in a real process: a SIGTERM sent to us reaches the child, and our exit code is its', async () => {
    const fixture = join(__dirname, 'exec-fixture.testkit.ts');
    const script = `trap 'kill $! 2>/dev/null; echo "term:$KH_TOKEN"; exit 42' TERM; sleep 30 & echo ready; wait`;
    const proc = spawn(process.execPath, ['--import', 'tsx', fixture, `KH_TOKEN=${SECRET}`, 'sh', '-c', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, KH_TOKEN: undefined },
    });
    let stdout = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    while (!stdout.includes('ready')) await once(proc.stdout, 'data');
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    const [code] = (await once(proc, 'exit')) as [number | null];
    clearTimeout(timer);
    expect(code).toBe(42);
    expect(stdout).toBe(`ready\nterm:${SECRET}\n`);
  });
});
