import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../keys/openssh-tools.testkit';
import { readSource } from './index';
import { planImport } from './plan';

const tmp = makeTempDir('keyhold-migrate-plan-');
afterAll(() => tmp.cleanup());
const key = randomBytes(32);

describe('import plan', () => {
  it('a second run of the same import finds everything already present', async () => {
    const path = join(tmp.dir, '.env');
    writeFileSync(path, 'TOKEN=abc\nOTHER=def\n');
    const first = planImport(await readSource('dotenv', path), new Set(), key);
    expect(first.toImport.map((p) => p.item.name)).toEqual(['TOKEN', 'OTHER']);
    const stored = new Set(first.toImport.map((p) => p.hash));
    const second = planImport(await readSource('dotenv', path), stored, key);
    expect(second.toImport).toEqual([]);
    expect(second.duplicates.map((d) => d.sourceRef)).toEqual(['TOKEN (line 1)', 'OTHER (line 2)']);
  });

  it('recognises the same content twice in one file and names the first', async () => {
    const path = join(tmp.dir, 'netrc');
    writeFileSync(path, 'machine a login u password p\nmachine a login u password p\n');
    const plan = planImport(await readSource('netrc', path), new Set(), key);
    expect(plan.toImport).toHaveLength(1);
    expect(plan.duplicates).toEqual([
      { sourceRef: 'a (line 2)', name: 'a', kind: 'login', groupPath: [], login: 'u', url: 'a', of: 'a (line 1)' },
    ]);
  });

  it('the preview rows carry no secret', async () => {
    const path = join(tmp.dir, 'dup.env');
    writeFileSync(path, 'S=very-secret-value\nT=very-secret-value\n');
    const plan = planImport(await readSource('dotenv', path), new Set(), key);
    expect(JSON.stringify(plan.duplicates)).not.toContain('very-secret');
  });

  it('a missing file is NOT_FOUND', async () => {
    await expect(readSource('keepassxc-xml', join(tmp.dir, 'nope.xml'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(readSource('bitwarden-json', join(tmp.dir, 'nope.json'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
