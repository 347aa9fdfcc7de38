// docs/ARCHITECTURE.md: migrate knows nothing of the vault (nor of the service layer that owns it): its
// readers only turn files into items, so they can be tested and reused without a vault.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('main/migrate', () => {
  it('imports nothing of main/vault, main/service, main/api, main/ipc or main/cli, nor electron', () => {
    const bad: string[] = [];
    for (const file of readdirSync(__dirname).filter((f) => /\.ts$/.test(f) && f !== 'layering.test.ts')) {
      const text = readFileSync(join(__dirname, file), 'utf8');
      for (const m of text.matchAll(/(?:from\s+|import\(\s*|require\(\s*)['"]([^'"]+)['"]/g)) {
        if (/^\.\.\/(vault|service|api|ipc|cli|providers|platform)(\/|$)/.test(m[1]!) || m[1] === 'electron')
          bad.push(`${file} -> ${m[1]}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
