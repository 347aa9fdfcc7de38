import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKeyhold } from './harness.testkit';

const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };

describe('keyhold CLI frame', () => {
  it('prints the package version with --version', async () => {
    const run = await runKeyhold(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });

  it('prints usage with --help and exits 0', async () => {
    const run = await runKeyhold(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: keyhold');
    expect(run.stdout).toContain('--vault');
  });

  it('answers an unknown command with USAGE (exit 1), as JSON on stderr with --json', async () => {
    const run = await runKeyhold(['--json', 'frobnicate']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: 'USAGE' } });
    expect(run.stdout).toBe('');
  });
});
