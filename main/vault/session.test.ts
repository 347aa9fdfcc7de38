import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVault } from './index';
import { TEST_PASSWORD, fileBytes, newTestVault, tamper } from './test-vault.testkit';
import type { VaultSession, Workspace } from './types';

describe('a vault session: workspaces, environments, keys', () => {
  let path: string;
  let s: VaultSession;
  let ws: Workspace;
  beforeAll(async () => {
    ({ path, session: s } = await newTestVault());
    ws = s.addWorkspace({ name: 'Rancher prod', provider: 'rancher', url: 'https://r.example' });
  });
  afterAll(() => s.lock());

  it('keeps what it was given across lock and unlock', async () => {
    const env = s.addEnvironment({ workspaceId: ws.id, name: 'Default', remoteId: '1a5' });
    const k = s.addKey({
      workspaceId: ws.id,
      environmentId: env.id,
      kind: 'access_key_pair',
      name: 'deployer',
      description: 'CI',
      publicPart: 'AK1',
      secret: 'SK1',
      flags: { ignore_acl: true },
      meta: { bits: '256' },
    });
    s.lock();
    s = await openVault(path, TEST_PASSWORD);
    expect(s.getWorkspace('rancher PROD')).toEqual(ws);
    expect(s.getEnvironment('Default')).toMatchObject({ id: env.id, remoteId: '1a5' });
    expect(s.getKey(k.id)).toEqual(k);
    expect(s.readSecret(k.id)).toBe('SK1');
  });

  it('refuses duplicate names (CONFLICT) and unknown ids (NOT_FOUND)', () => {
    expect(() => s.addWorkspace({ name: ' Rancher Prod ', provider: 'local' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => s.getWorkspace('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => s.getKey('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => s.addKey({ workspaceId: 'nope', kind: 'api_key', name: 'x' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => s.addKey({ kind: 'bogus' as 'api_key', name: 'x' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses empty names, empty secrets and broken Unicode (INVALID_INPUT); keeps 1 MiB and emoji', () => {
    expect(() => s.addKey({ kind: 'api_key', name: '' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => s.addKey({ kind: 'api_key', name: 'x', secret: '' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => s.addKey({ kind: 'api_key', name: 'bad \ud800 surrogate' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => s.addKey({ kind: 'api_key', name: 'n'.repeat(1024 * 1024) })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const big = '秘'.repeat(1024 * 1024);
    const k = s.addKey({ kind: 'api_key', name: '🔑 ключ \u202e', secret: big });
    expect(s.readSecret(k.id)).toBe(big);
    expect(s.listKeys({ search: 'КЛЮЧ' }).items.map((x) => x.id)).toEqual([k.id]);
    s.removeKey(k.id);
  });

  it('lists with search, filters, sorting and paging', () => {
    const names = ['charlie', 'Alpha', 'bravo', 'delta', 'echo'];
    const made = s.addKeys(
      names.map((name, i) => ({
        workspaceId: ws.id,
        kind: i % 2 ? 'api_key' : 'user_key',
        name,
        description: `desc ${name}`,
        publicPart: i === 4 ? 'PUB-XYZ' : null,
      })),
    );
    const all = s.listKeys({ workspaceId: ws.id, kind: 'api_key' });
    expect(all.items.map((k) => k.name)).toEqual(['Alpha', 'delta']);
    const page = s.listKeys({ search: 'desc', limit: 2, offset: 1 });
    expect(page.total).toBe(5);
    expect(page.items.map((k) => k.name)).toEqual(['bravo', 'charlie']);
    expect(s.listKeys({ search: 'DESC', order: 'desc', limit: 1 }).items[0]!.name).toBe('echo');
    expect(s.listKeys({ search: 'pub-xyz' }).items.map((k) => k.name)).toEqual(['echo']);
    expect(s.listKeys({ search: 'zzz-nothing' })).toEqual({ total: 0, items: [] });
    expect(s.listKeys({ provider: 'rancher', search: 'desc' }).total).toBe(5);
    expect(s.listKeys({ provider: 'github' }).total).toBe(0);
    const byKind = s.listKeys({ search: 'desc', sort: 'kind' }).items.map((k) => k.kind);
    expect(byKind).toEqual([...byKind].sort());
    for (const k of made) s.removeKey(k.id);
  });

  it('edits, rotates (versions kept) and removes keys', () => {
    const k = s.addKey({ workspaceId: ws.id, kind: 'api_key', name: 'rot', secret: 'v1', publicPart: 'p1' });
    const edited = s.updateKey(k.id, { name: 'rot2', state: 'inactive' });
    expect(edited).toMatchObject({ name: 'rot2', state: 'inactive', rotatedAt: null });
    const rotated = s.addVersion(k.id, 'v2', { publicPart: 'p2' });
    expect(rotated.rotatedAt).not.toBeNull();
    expect(s.readSecret(k.id)).toBe('v2');
    expect(s.listVersions(k.id)).toEqual([
      expect.objectContaining({ version: 1, publicPart: 'p1', current: false }),
      expect.objectContaining({ version: 2, publicPart: 'p2', current: true }),
    ]);
    s.removeKey(k.id);
    expect(() => s.getKey(k.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(s.listKeys({ search: 'rot2' }).total).toBe(0);
  });

  it('rolls a failed transaction back in the file and in the decrypted index', () => {
    const before = s.listKeys().total;
    expect(() =>
      s.transaction(() => {
        s.addKey({ workspaceId: ws.id, kind: 'api_key', name: 'ghost' });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(s.listKeys().total).toBe(before);
    expect(s.listKeys({ search: 'ghost' }).total).toBe(0);
  });

  it('keeps pending operations and settings, sealed', () => {
    const p = s.addPending({ type: 'rotation', keyId: null, step: 'created', data: { newSecret: 'NEWSECRET' } });
    expect(s.updatePending(p.id, 'stored').step).toBe('stored');
    expect(s.listPending('rotation')).toEqual([expect.objectContaining({ id: p.id, step: 'stored', data: { newSecret: 'NEWSECRET' } })]);
    s.removePending(p.id);
    expect(s.listPending()).toEqual([]);
    s.setSetting('theme', 'dark');
    expect(s.getSetting('theme')).toBe('dark');
    expect(s.getSetting('nothing')).toBeNull();
  });

  it('removing a workspace that holds keys is CONFLICT; an environment removal keeps its keys', () => {
    const env = s.addEnvironment({ workspaceId: ws.id, name: 'tmp' });
    const k = s.addKey({ environmentId: env.id, kind: 'api_key', name: 'in-env' });
    expect(s.getKey(k.id).workspaceId).toBe(ws.id);
    s.removeEnvironment(env.id);
    expect(s.getKey(k.id).environmentId).toBeNull();
    expect(() => s.removeWorkspace(ws.id)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    s.removeKey(k.id);
  });

  it('after lock every call is LOCKED', async () => {
    const { session } = await newTestVault();
    session.lock();
    expect(() => session.listKeys()).toThrow(expect.objectContaining({ code: 'LOCKED' }));
    expect(() => session.addWorkspace({ name: 'x', provider: 'local' })).toThrow(expect.objectContaining({ code: 'LOCKED' }));
  });
});

describe('listing across many index segments', () => {
  it('pages in name order (asc and desc) match a plain sort of the matches', async () => {
    const { session } = await newTestVault();
    const names = Array.from({ length: 1300 }, (_, i) => `${['beta', 'Alpha', 'gamma', 'delta'][i % 4]}-${(i * 7919) % 1300}`);
    session.addKeys(names.map((name, i) => ({ kind: i % 3 ? 'api_key' : 'user_key', name })));
    const ref = (pred: (n: string) => boolean) =>
      names
        .filter(pred)
        .map((n) => n.toLowerCase())
        .sort();
    for (const [search, kind] of [
      ['', undefined],
      ['ta-1', undefined],
      ['a-', 'user_key'],
    ] as const) {
      const all = session.listKeys({ search, kind, limit: 5000 }).items;
      const want = ref((n) => n.toLowerCase().includes(search) && names.indexOf(n) >= 0);
      if (!kind) expect(all.map((k) => k.name.toLowerCase())).toEqual(want);
      const total = session.listKeys({ search, kind }).total;
      expect(total).toBe(all.length);
      const page = session.listKeys({ search, kind, offset: 37, limit: 25 }).items.map((k) => k.id);
      expect(page).toEqual(all.slice(37, 62).map((k) => k.id));
      const back = session.listKeys({ search, kind, order: 'desc', offset: 10, limit: 30 }).items.map((k) => k.id);
      expect(back).toEqual(
        [...all]
          .reverse()
          .slice(10, 40)
          .map((k) => k.id),
      );
    }
    session.lock();
  });
});

describe('what is on disk', () => {
  it('holds no name, description, public part, fingerprint, setting or secret in clear', async () => {
    const { path, session } = await newTestVault();
    const ws = session.addWorkspace({ name: 'WorkspaceNameXyz', provider: 'github', url: 'https://ghe.example.internal' });
    session.addEnvironment({ workspaceId: ws.id, name: 'EnvNameXyz' });
    const k = session.addKey({
      workspaceId: ws.id,
      kind: 'ssh_key_pair',
      name: 'KeyNameXyz',
      description: 'DescriptionXyz',
      publicPart: 'ssh-ed25519 AAAAPublicXyz',
      fingerprint: 'SHA256:FingerprintXyz',
      secret: 'SecretValueXyz',
      meta: { comment: 'CommentXyz' },
    });
    session.audit({ action: 'revealed', keyId: k.id, detail: 'DetailXyz' });
    session.setSetting('theme', 'SettingXyz');
    session.addPending({ type: 'rotation', step: 'x', data: { s: 'PendingXyz' } });
    const check = () => {
      const bytes = fileBytes(path);
      for (const word of [
        'WorkspaceNameXyz',
        'ghe.example',
        'EnvNameXyz',
        'KeyNameXyz',
        'DescriptionXyz',
        'PublicXyz',
        'FingerprintXyz',
        'SecretValueXyz',
        'CommentXyz',
        'DetailXyz',
        'SettingXyz',
        'PendingXyz',
        'ssh_key_pair',
        'github',
      ]) {
        expect(bytes.includes(Buffer.from(word)), word).toBe(false);
      }
    };
    check(); // with the WAL
    session.lock();
    check(); // checkpointed
  });
});

describe('ciphertexts moved between rows', () => {
  it('a secret copied onto another key does not open (INTEGRITY)', async () => {
    const { path, session } = await newTestVault();
    const a = session.addKey({ kind: 'api_key', name: 'a', secret: 'secret-a' });
    const b = session.addKey({ kind: 'api_key', name: 'b', secret: 'secret-b' });
    session.lock();
    tamper(path, (db) => {
      const sa = db.prepare('SELECT secret FROM key_versions WHERE key_id = ?').pluck().get(a.id);
      db.prepare('UPDATE key_versions SET secret = ? WHERE key_id = ?').run(sa, b.id);
    });
    const s = await openVault(path, TEST_PASSWORD);
    expect(s.readSecret(a.id)).toBe('secret-a');
    expect(() => s.readSecret(b.id)).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    s.lock();
  });

  it('a workspace record copied onto another row, or an index segment onto another, is INTEGRITY', async () => {
    const { path, session } = await newTestVault();
    session.addWorkspace({ name: 'one', provider: 'local' });
    session.addWorkspace({ name: 'two', provider: 'local' });
    session.lock();
    tamper(path, (db) => {
      const [x, y] = db.prepare('SELECT id, data FROM workspaces').all() as Array<{ id: string; data: Buffer }>;
      db.prepare('UPDATE workspaces SET data = ? WHERE id = ?').run(x!.data, y!.id);
    });
    const s = await openVault(path, TEST_PASSWORD);
    expect(() => s.listWorkspaces()).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    s.lock();

    const v2 = await newTestVault();
    v2.session.addKeys(Array.from({ length: 600 }, (_, i) => ({ kind: 'api_key' as const, name: `k${i}` })));
    v2.session.lock();
    tamper(v2.path, (db) => {
      const first = db.prepare('SELECT data FROM index_segments WHERE seg = 0').pluck().get();
      db.prepare('UPDATE index_segments SET data = ? WHERE seg = 1').run(first);
    });
    await expect(openVault(v2.path, TEST_PASSWORD)).rejects.toMatchObject({ code: 'INTEGRITY' });
  });
});

describe('two processes on one vault (the app and the CLI)', () => {
  it("each sees the other's commits and neither loses the other's writes", async () => {
    const { path, session: a } = await newTestVault();
    const b = await openVault(path, TEST_PASSWORD);
    const ka = a.addKey({ kind: 'api_key', name: 'from-a' });
    expect(b.listKeys({ search: 'from-a' }).items.map((k) => k.id)).toEqual([ka.id]);
    const kb = b.addKey({ kind: 'api_key', name: 'from-b' }); // same index segment as ka
    a.updateKey(ka.id, { description: 'edited by a' });
    expect(a.listKeys().items.map((k) => k.name)).toEqual(['from-a', 'from-b']);
    expect(b.getKey(ka.id).description).toBe('edited by a');
    b.removeKey(kb.id);
    expect(a.listKeys().total).toBe(1);
    a.lock();
    b.lock();
    const c = await openVault(path, TEST_PASSWORD);
    expect(c.listKeys().items.map((k) => [k.name, k.description])).toEqual([['from-a', 'edited by a']]);
    expect(c.verifyAudit().events).toBeGreaterThan(0);
    c.lock();
  });
});

describe('audit trail', () => {
  it('is hash-chained: an edited, removed, reordered or truncated event is INTEGRITY', async () => {
    const { path, session } = await newTestVault();
    for (let i = 0; i < 5; i++) session.audit({ action: 'revealed', detail: `event ${i}` });
    expect(session.verifyAudit()).toEqual({ events: 6 });
    expect(session.listAudit({ limit: 2 }).map((e) => e.detail)).toEqual(['event 3', 'event 4']);
    session.lock();
    const original = fileBytes(path);
    const attacks: Array<[string, (db: import('better-sqlite3').Database) => void]> = [
      ['edited', (db) => db.prepare("UPDATE audit_events SET at = '2001-01-01T00:00:00.000Z' WHERE seq = 3").run()],
      [
        'sealed content swapped',
        (db) => {
          const d = db.prepare('SELECT data FROM audit_events WHERE seq = 2').pluck().get();
          db.prepare('UPDATE audit_events SET data = ? WHERE seq = 4').run(d);
        },
      ],
      ['removed', (db) => db.prepare('DELETE FROM audit_events WHERE seq = 3').run()],
      [
        'reordered',
        (db) => {
          db.prepare('UPDATE audit_events SET seq = 100 WHERE seq = 2').run();
          db.prepare('UPDATE audit_events SET seq = 2 WHERE seq = 3').run();
          db.prepare('UPDATE audit_events SET seq = 3 WHERE seq = 100').run();
        },
      ],
      ['last removed', (db) => db.prepare('DELETE FROM audit_events WHERE seq = 6').run()],
    ];
    for (const [what, attack] of attacks) {
      const copy = `${path}.${what.replace(/ /g, '-')}`;
      writeFileSync(copy, original);
      tamper(copy, attack);
      // a cut tail is refused at unlock already (the sealed manifest holds the chain's head)
      const outcome = await openVault(copy, TEST_PASSWORD).then(
        (s) => {
          try {
            s.verifyAudit();
            return 'intact';
          } catch (e) {
            return (e as { code?: string }).code;
          } finally {
            s.lock();
          }
        },
        (e: { code?: string }) => e.code,
      );
      expect(outcome, what).toBe('INTEGRITY');
    }
  });
});

describe('nested writes', () => {
  it('a failed inner write leaves nothing behind while the outer one commits (SAVEPOINT)', async () => {
    const { path, session } = await newTestVault();
    let s = session;
    const ws = s.addWorkspace({ name: 'w', provider: 'local' });
    const kept = s.addKey({ workspaceId: ws.id, kind: 'api_key', name: 'kept', secret: 'v1' });
    const outcomes: string[] = [];
    s.transaction(() => {
      for (const item of ['good', 'bad']) {
        try {
          s.transaction(() => {
            s.addKey({ workspaceId: ws.id, kind: 'api_key', name: `${item}-key`, secret: 's' });
            s.addVersion(kept.id, `${item}-secret`, { description: item });
            s.addPending({ type: 'test', step: item, data: {} });
            if (item === 'bad') throw new Error('this item fails after its writes');
          });
          outcomes.push(`${item}: ok`);
        } catch {
          outcomes.push(`${item}: failed`);
        }
      }
    });
    expect(outcomes).toEqual(['good: ok', 'bad: failed']);
    const check = (v: VaultSession) => {
      expect(v.listKeys({ search: '-key' }).items.map((k) => k.name)).toEqual(['good-key']);
      expect(v.readSecret(kept.id)).toBe('good-secret');
      expect(v.getKey(kept.id).description).toBe('good');
      expect(v.listVersions(kept.id).map((x) => x.version)).toEqual([1, 2]);
      expect(v.listPending('test').map((p) => p.step)).toEqual(['good']);
      expect(v.stats().keys).toBe(2);
    };
    check(s);
    s.lock();
    s = await openVault(path, TEST_PASSWORD);
    try {
      check(s);
    } finally {
      s.lock();
    }
  });
});
