import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVault } from '../../vault';
import type { KeyRecord, VaultSession } from '../../vault/types';
import { ROTATION, resumeRotations, rotateKey } from '.';

const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };
let dir: string;
let session: VaultSession;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-journal-'));
  session = await createVault(join(dir, 'v.keyhold'), 'pw-journal-test', { kdf: KDF });
});
afterEach(() => {
  session.lock();
  rmSync(dir, { recursive: true, force: true });
});

/** A Rancher key with a journal entry as given (no platform is reached: the entry is refused first). */
function journaled(step: string, data: Record<string, unknown>): KeyRecord {
  // an address nothing listens on: a call would fail as unreachable, not as INTEGRITY
  const ws = session.addWorkspace({ name: 'ra', provider: 'rancher', url: 'http://127.0.0.1:9' });
  const key = session.addKey({
    workspaceId: ws.id,
    kind: 'access_key_pair',
    name: 'k',
    remoteId: '1a1',
    publicPart: 'OLDPUBLIC',
    secret: 'OLDSECRET',
  });
  session.addPending({ type: ROTATION, keyId: key.id, step, data });
  return key;
}

const rancherData = {
  provider: 'rancher',
  projectId: null,
  oldRemoteId: '1a1',
  oldPublic: 'OLDPUBLIC',
  oldSecret: 'OLDSECRET',
  name: 'k',
  description: '',
};

describe('rotation journal', () => {
  it('refuses a step its platform does not have, as INTEGRITY, and keeps the entry and the secret', async () => {
    const key = journaled('created', { ...rancherData, newRemoteId: '1a2', newPublic: 'NEWPUBLIC', newSecret: 'NEWSECRET' });
    const result = await rotateKey(session, key.id, { stepAttempts: 1 });
    expect(result).toMatchObject({ id: key.id, ok: false, error: { code: 'INTEGRITY' } });
    expect(result.error?.message).not.toContain('NEWSECRET');
    expect(session.listPending(ROTATION).map((op) => op.step)).toEqual(['created']);
    expect(session.readSecret(key.id)).toBe('OLDSECRET');
  });

  it('refuses a stored entry that lacks the new key it must verify', async () => {
    const key = journaled('stored', rancherData);
    const [result] = await resumeRotations(session, { stepAttempts: 1 });
    expect(result).toMatchObject({ id: key.id, ok: false, error: { code: 'INTEGRITY' } });
    expect(session.listPending(ROTATION)).toHaveLength(1);
  });

  it("refuses data of another platform than the key's", async () => {
    const key = journaled('creating', { provider: 'syncano', kind: 'account_key', instance: null, remoteId: null, oldSecret: 'OLDSECRET' });
    expect(await rotateKey(session, key.id, { stepAttempts: 1 })).toMatchObject({ ok: false, error: { code: 'INTEGRITY' } });
  });
});
