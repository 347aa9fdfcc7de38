import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../keys/openssh-tools.testkit';
import { readKeepassXml } from './keepassxc-xml';
import { writeKeepassXmlFixture } from './keepassxc-xml-fixture.testkit';

const tmp = makeTempDir('keyhold-migrate-big-');
afterAll(() => tmp.cleanup());

describe('a 10,000-entry KeePassXC XML export', () => {
  it('is read entry for entry, secrets byte for byte, history left out', async () => {
    const path = join(tmp.dir, 'big.xml');
    const passwords = await writeKeepassXmlFixture(path, { entries: 10_000, keyEvery: 100 });
    const r = await readKeepassXml(path);
    const logins = r.items.filter((i) => i.kind === 'login');
    expect(logins.map((i) => (i.kind === 'login' ? i.secret : ''))).toEqual(passwords);
    expect(r.items.filter((i) => i.kind === 'ssh_key_pair')).toHaveLength(100);
    expect(logins[10_000 - 1]).toMatchObject({
      groupPath: ['Team 19'],
      name: 'service 9999',
      login: 'user9999',
      url: 'https://s9999.example/login?a=1&b=2',
    });
    expect(r.skipped).toEqual([]);
  });
});
