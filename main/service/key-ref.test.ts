import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestVault } from '../vault/test-vault.testkit';
import type { KeyRecord, VaultSession } from '../vault/types';
import { KeyResolver, resolveKeyIds, resolveKeyRef } from './key-ref';
import { addKey, editKey, removeKey } from './keys';

describe('key references', () => {
  let s: VaultSession;
  let deploy: KeyRecord;
  let prodToken: KeyRecord;
  let stagingToken: KeyRecord;
  let repoKey: KeyRecord;
  let loose: KeyRecord;

  beforeAll(async () => {
    ({ session: s } = await newTestVault());
    const acme = s.addWorkspace({ name: 'acme', provider: 'local' });
    const gh = s.addWorkspace({ name: 'gh', provider: 'github' });
    const prod = s.addEnvironment({ workspaceId: acme.id, name: 'prod' });
    const staging = s.addEnvironment({ workspaceId: acme.id, name: 'staging' });
    const repo = s.addEnvironment({ workspaceId: gh.id, name: 'octo/app' });
    deploy = addKey(s, { workspaceId: acme.id, kind: 'api_key', name: 'deploy-key', secret: 's1' });
    prodToken = addKey(s, { environmentId: prod.id, kind: 'api_key', name: 'token', secret: 's2' });
    stagingToken = addKey(s, { environmentId: staging.id, kind: 'api_key', name: 'token', secret: 's3' });
    repoKey = addKey(s, { environmentId: repo.id, kind: 'api_key', name: 'deploy', secret: 's4' });
    loose = addKey(s, { kind: 'api_key', name: 'loose one', secret: 's5' });
  });
  afterAll(() => s.lock());

  it('takes the id, a unique prefix of 6+ characters, the exact name, WORKSPACE/NAME and WORKSPACE/ENV/NAME', () => {
    expect(resolveKeyRef(s, deploy.id).id).toBe(deploy.id);
    // ids start with a timestamp: the random tail makes a prefix unique
    expect(resolveKeyRef(s, deploy.id.slice(0, 18)).id).toBe(deploy.id);
    expect(resolveKeyRef(s, 'deploy-key').id).toBe(deploy.id);
    expect(resolveKeyRef(s, 'loose one').id).toBe(loose.id);
    expect(resolveKeyRef(s, 'acme/deploy-key').id).toBe(deploy.id);
    expect(resolveKeyRef(s, 'ACME/deploy-key').id).toBe(deploy.id);
    expect(resolveKeyRef(s, 'acme/prod/token').id).toBe(prodToken.id);
    expect(resolveKeyRef(s, 'acme/staging/token').id).toBe(stagingToken.id);
    expect(resolveKeyRef(s, 'gh/octo/app/deploy').id).toBe(repoKey.id);
    expect(resolveKeyRef(s, `${s.getWorkspace('acme').id}/prod/token`).id).toBe(prodToken.id);
  });

  it('answers an ambiguous name with CONFLICT listing id and path of each candidate, never a secret', () => {
    let err: unknown;
    try {
      resolveKeyRef(s, 'token');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'CONFLICT' });
    const message = (err as Error).message;
    expect(message).toContain(`${prodToken.id}  acme/prod/token`);
    expect(message).toContain(`${stagingToken.id}  acme/staging/token`);
    expect(message).not.toMatch(/s2|s3/);
    // a prefix shared by several ids is ambiguous too (ids begin with the creation time)
    expect(() => resolveKeyRef(s, deploy.id.slice(0, 6))).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('does not take a prefix shorter than 6 characters or a name that is not exact', () => {
    expect(() => resolveKeyRef(s, deploy.id.slice(0, 5))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => resolveKeyRef(s, 'deploy-ke')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => resolveKeyRef(s, 'acme/nope/token')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => resolveKeyRef(s, '')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('follows a rename: the new name finds the key, the old one no longer does', () => {
    const k = addKey(s, { kind: 'api_key', name: 'before-rename', secret: 'x' });
    editKey(s, k.id, { name: 'after-rename' });
    expect(resolveKeyRef(s, 'after-rename').id).toBe(k.id);
    expect(() => resolveKeyRef(s, 'before-rename')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('reports a deleted key as NOT_FOUND by every form', () => {
    const k = addKey(s, { workspaceId: s.getWorkspace('acme').id, kind: 'api_key', name: 'doomed', secret: 'x' });
    removeKey(s, k.id);
    for (const ref of [k.id, k.id.slice(0, 20), 'doomed', 'acme/doomed']) {
      expect(() => resolveKeyRef(s, ref)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    }
  });

  it('resolves several references before acting on any, and lists candidates with their paths', () => {
    expect(resolveKeyIds(s, ['deploy-key', 'acme/prod/token'])).toEqual([deploy.id, prodToken.id]);
    expect(() => resolveKeyIds(s, ['deploy-key', 'missing'])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(
      new KeyResolver(s)
        .candidates('token')
        .map((k) => k.id)
        .sort(),
    ).toEqual([prodToken.id, stagingToken.id].sort());
  });
});
