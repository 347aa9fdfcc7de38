// GitHub deploy and signing key rotation killed with SIGKILL at every point of its journal (a
// child process, crash.testkit.ts), then resumed: at every moment the vault's key is the one
// GitHub has registered, and after resume exactly the new key is registered, at the same place
// (repository, read_only), the old one gone; read back from the emulator's state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGithub, type GithubEmulator } from '../../../emulators/github';
import { createVault, openVault } from '../../vault';
import type { VaultSession } from '../../vault/types';
import { connectWorkspace } from '../connect';
import { createRemoteKey } from '../remote-keys';
import { ROTATION, ROTATION_POINTS, resumeRotations } from '.';
import { killed, runCrashDriver } from './crash-driver.testkit';

const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };
const PASSWORD = 'pw-github-rotation';
const opts = { http: { backoffMs: 5 } };
let dir: string;
let vaultPath: string;
let session: VaultSession;
let emu: GithubEmulator;

beforeAll(async () => {
  emu = await startGithub();
});
afterAll(() => emu.close());
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-gh-rotation-'));
  vaultPath = join(dir, 'v.keyhold');
  session = await createVault(vaultPath, PASSWORD, { kdf: KDF });
  session.addWorkspace({ name: 'gh', provider: 'github', url: emu.url });
  await connectWorkspace(session, { workspace: 'gh', token: emu.demo.keysToken }, opts);
});
afterEach(() => {
  session.lock();
  rmSync(dir, { recursive: true, force: true });
});

const runDriver = (point: string, ids: string[]) => runCrashDriver(vaultPath, PASSWORD, point, ids);

const body = (line: string | null) => (line ?? '').split(' ').slice(0, 2).join(' ');
const POINTS = ROTATION_POINTS.filter((p) => p !== 'recorded');

describe('GitHub rotation killed with SIGKILL at every point, then resumed', () => {
  it.each(POINTS)(
    'deploy key, killed after %s: the stored key is registered on the repository throughout, exactly the new one after resume',
    async (point) => {
      const { key } = await createRemoteKey(
        session,
        { workspace: 'gh', kind: 'deploy_key', env: emu.demo.repo, name: `crash-${point}`, readOnly: true },
        opts,
      );
      const onRepo = (line: string | null) =>
        [...emu.state.deployKeys.values()].filter((k) => k.repo === emu.demo.repo && k.key === body(line));
      session.lock();
      expect(killed(await runDriver(point, [key.id]))).toBe(true);
      session = await openVault(vaultPath, PASSWORD);
      expect(onRepo(session.getKey(key.id).publicPart)).toHaveLength(1);
      expect((await resumeRotations(session, opts))[0]).toMatchObject({ id: key.id, ok: true, resumed: true });
      expect(session.listPending(ROTATION)).toEqual([]);
      const now = session.getKey(key.id);
      expect(now.publicPart).not.toBe(key.publicPart);
      expect(onRepo(now.publicPart)).toEqual([expect.objectContaining({ id: Number(now.remoteId), read_only: true })]);
      expect(onRepo(key.publicPart)).toHaveLength(0);
      expect([...emu.state.deployKeys.values()].filter((k) => k.title === key.name)).toHaveLength(1);
    },
  );

  it.each(['answered', 'stored', 'verified'] as const)(
    'signing key, killed after %s: exactly the new one is registered after resume',
    async (point) => {
      const { key } = await createRemoteKey(session, { workspace: 'gh', kind: 'signing_key', name: `crash-signing-${point}` }, opts);
      const registered = (line: string | null) => [...emu.state.signingKeys.values()].some((k) => k.key === body(line));
      session.lock();
      expect(killed(await runDriver(point, [key.id]))).toBe(true);
      session = await openVault(vaultPath, PASSWORD);
      expect(registered(session.getKey(key.id).publicPart)).toBe(true);
      expect((await resumeRotations(session, opts))[0]).toMatchObject({ ok: true });
      const now = session.getKey(key.id);
      expect(registered(now.publicPart)).toBe(true);
      expect(registered(key.publicPart)).toBe(false);
      expect([...emu.state.signingKeys.values()].filter((k) => k.title === key.name)).toHaveLength(1);
    },
  );
});
