import { describe, expect, it } from 'vitest';
import { openVault } from '../index';
import type { VaultStore } from '../session';
import { TEST_PASSWORD, newTestVault, tamper } from '../test-vault.testkit';

describe('policies table', () => {
  it('keeps one policy per scope (setting it again replaces the days), an environment apart from its workspace', async () => {
    const { session } = await newTestVault();
    try {
      const ws = session.addWorkspace({ name: 'w', provider: 'local' });
      const env = session.addEnvironment({ workspaceId: ws.id, name: 'prod' });
      const a = session.setPolicy({ workspaceId: 'w', maxAgeDays: 90, warnDays: 14 });
      const b = session.setPolicy({ workspaceId: ws.id, environmentId: 'prod', maxAgeDays: 30, warnDays: 7 });
      const a2 = session.setPolicy({ workspaceId: ws.id, maxAgeDays: 60, warnDays: 10 });
      expect(a2).toMatchObject({ id: a.id, createdAt: a.createdAt, maxAgeDays: 60, warnDays: 10 });
      expect(session.listPolicies().map((p) => [p.id, p.environmentId, p.maxAgeDays])).toEqual([
        [a.id, null, 60],
        [b.id, env.id, 30],
      ]);
      expect(() => session.setPolicy({ workspaceId: ws.id, maxAgeDays: 0, warnDays: 1 })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
      expect(() => session.setPolicy({ workspaceId: 'nope', maxAgeDays: 5, warnDays: 1 })).toThrow(
        expect.objectContaining({ code: 'NOT_FOUND' }),
      );
      session.removeEnvironment(env.id);
      expect(session.listPolicies().map((p) => p.id)).toEqual([a.id]);
      session.removePolicy(a.id);
      expect(() => session.removePolicy(a.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    } finally {
      session.lock();
    }
  });

  it('goes with its workspace, travels in a dump, and a row moved to another workspace is INTEGRITY', async () => {
    const { path, session } = await newTestVault();
    const w1 = session.addWorkspace({ name: 'w1', provider: 'local' });
    const w2 = session.addWorkspace({ name: 'w2', provider: 'local' });
    const p = session.setPolicy({ workspaceId: w1.id, maxAgeDays: 90, warnDays: 14 });
    session.setPolicy({ workspaceId: w2.id, maxAgeDays: 10, warnDays: 1 });
    const dump = (session as VaultStore).dump();
    expect(dump.policies).toHaveLength(2);
    const copy = await newTestVault();
    (copy.session as VaultStore).load(dump);
    expect(copy.session.listPolicies()).toEqual(session.listPolicies());
    copy.session.lock();
    session.removeWorkspace(w2.id);
    expect(session.listPolicies().map((x) => x.id)).toEqual([p.id]);
    const w3 = session.addWorkspace({ name: 'w3', provider: 'local' });
    session.lock();
    tamper(path, (db) => db.prepare('UPDATE policies SET workspace_id = ? WHERE id = ?').run(w3.id, p.id));
    const again = await openVault(path, TEST_PASSWORD);
    try {
      expect(() => again.listPolicies()).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    } finally {
      again.lock();
    }
  });
});
