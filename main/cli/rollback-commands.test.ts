// passwd --rekey and --accept-rollback through the CLI, on real vault files (the rollback
// records go to a temporary config folder through $XDG_CONFIG_HOME).
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKeyhold } from './harness.testkit';

const FLOOR = ['--kdf-memory', '64', '--kdf-iterations', '3', '--kdf-parallelism', '4'];
const PW = 'correct horse battery staple';

describe('keyhold passwd --rekey and --accept-rollback', () => {
  it('an older copy of the vault is INTEGRITY (exit 4) until --accept-rollback; rekey keeps every value readable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-cli-rollback-'));
    const vault = join(dir, 'v.keyhold');
    const env = { XDG_CONFIG_HOME: join(dir, 'config') };
    const kh = (args: string[], stdin: string) => runKeyhold(['--vault', vault, '--json', '--password-stdin', ...args], { stdin, env });
    expect((await kh(['init', ...FLOOR], `${PW}\n`)).code).toBe(0);
    expect((await kh(['status'], `${PW}\n`)).code).toBe(0);
    const old = join(dir, 'old.keyhold');
    copyFileSync(vault, old);

    const rekey = await kh(['passwd', '--rekey', '--new-password-stdin'], `${PW}\nnew words\n`);
    expect(rekey.code, rekey.stderr).toBe(0);
    expect(rekey.json()).toEqual({ changed: true, rekeyed: true });
    const after = await kh(['status'], 'new words\n');
    expect(after.code, after.stderr).toBe(0);
    expect((await kh(['audit', '--verify'], 'new words\n')).code).toBe(0);

    copyFileSync(old, vault);
    const refused = await kh(['status'], `${PW}\n`);
    expect(refused.code).toBe(4);
    expect(JSON.parse(refused.stderr)).toMatchObject({
      error: { code: 'INTEGRITY', message: expect.stringContaining('--accept-rollback') },
    });
    const accepted = await kh(['--accept-rollback', 'status'], `${PW}\n`);
    expect(accepted.code, accepted.stderr).toBe(0);
  });
});
