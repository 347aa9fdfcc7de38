// The vault-backed agent: desktop approvals (allow once / until lock / deny) with a fake
// approver answering the dialog events, the audit of every decision, and the locked vault.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chooseSocketPlace } from '../agent/socket-path';
import { run } from '../agent/ssh-tools.testkit';
import { makeTempDir, SSH_KEYGEN } from '../keys/openssh-tools.testkit';
import { createVault, openVault } from '../vault';
import type { VaultSession } from '../vault/types';
import { startVaultAgent, VaultKeySource, type VaultAgent } from './agent';
import { AgentApprovals, UnlockWaiter, type ApprovalChoice, type PendingApproval } from './agent-approvals';
import { setAgentSettings } from './agent-settings';
import { recentAgentUses } from './agent-uses';
import { generateKeyPair } from './keypairs';

const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };
const PASSWORD = 'correct horse';
const tmp = makeTempDir('kh-agent-service-');
const vaultPath = join(tmp.dir, 'vault.keyhold');
let session: VaultSession | null = null;
let agent: VaultAgent;
let approvals: AgentApprovals;
let unlocks: UnlockWaiter;
const asked: PendingApproval[] = [];
const unlockRequests: string[] = [];
/** what the fake approver answers next */
let nextChoice: ApprovalChoice = 'deny';
const ids: Record<string, string> = {};
const pubs: Record<string, string> = {};
let env: NodeJS.ProcessEnv;

async function sign(name: string): Promise<number> {
  const file = join(tmp.dir, `m-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, 'data\n');
  return (await run(SSH_KEYGEN, ['-Y', 'sign', '-n', 'file', '-f', pubs[name]!, file], env)).status;
}

function lockVault(): void {
  agent.source.refresh();
  session?.lock();
  session = null;
  agent.source.vaultLocked();
  approvals.vaultLocked();
}

async function unlockVault(): Promise<void> {
  session = await openVault(vaultPath, PASSWORD);
  unlocks.unlocked();
}

beforeAll(async () => {
  session = await createVault(vaultPath, PASSWORD, { kdf: KDF });
  for (const [name, mode] of [
    ['ask', 'confirm'],
    ['free', 'on'],
  ] as const) {
    const rec = await generateKeyPair(session, { name, comment: `${name}@keyhold` });
    setAgentSettings(session, rec.id, { agent: mode });
    ids[name] = rec.id;
    pubs[name] = join(tmp.dir, `${name}.pub`);
    writeFileSync(pubs[name], `${rec.publicPart}\n`);
  }
  approvals = new AgentApprovals((req) => {
    asked.push(req);
    // the renderer's dialog, answered a moment later
    setImmediate(() => approvals.answer(req.id, nextChoice));
  });
  unlocks = new UnlockWaiter(
    () => session !== null,
    (req) => unlockRequests.push(req.keyFingerprint),
    5_000,
  );
  agent = await startVaultAgent({
    access: { vaultPath, current: () => session, requestUnlock: unlocks.request },
    approve: approvals.approve,
    knownHostsFiles: [],
    place: await chooseSocketPlace({ XDG_RUNTIME_DIR: tmp.dir }),
  });
  env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp.dir, SSH_AUTH_SOCK: agent.server.path };
});

afterAll(async () => {
  await agent.stop();
  session?.lock();
  tmp.cleanup();
});

beforeEach(async () => {
  if (!session) await unlockVault();
  asked.length = 0;
});

describe('approvals of a confirm key', () => {
  it('deny refuses and allow once signs once: the next signature asks again', async () => {
    nextChoice = 'deny';
    expect(await sign('ask')).not.toBe(0);
    nextChoice = 'once';
    expect(await sign('ask')).toBe(0);
    expect(await sign('ask')).toBe(0);
    expect(asked).toHaveLength(3);
    expect(asked[0]).toMatchObject({ comment: 'ask@keyhold', forwarded: false });
    expect(asked[0]!.program).toMatch(/ssh-keygen$/);
  });

  it('allow until lock signs without asking again until the vault locks', async () => {
    nextChoice = 'untilLock';
    expect(await sign('ask')).toBe(0);
    nextChoice = 'deny';
    expect(await sign('ask')).toBe(0);
    expect(asked).toHaveLength(1);
    lockVault();
    await unlockVault();
    expect(await sign('ask')).not.toBe(0);
    expect(asked).toHaveLength(2);
  });

  it('an unanswered dialog refuses after its time', async () => {
    const slow = new AgentApprovals(() => undefined, 50);
    await expect(slow.approve({ keyFingerprint: 'SHA256:x', comment: 'c', forwarded: false })).resolves.toBe(false);
    expect(slow.waiting()).toEqual([]);
  });

  it('every decision is in the audit trail with program and outcome, never data', () => {
    agent.source.flush();
    const uses = recentAgentUses(session!, ids.ask!);
    expect(uses.map((u) => u.decision)).toEqual(['refused', 'allowed', 'allowed', 'allowed', 'allowed', 'refused']);
    expect(uses[0]).toMatchObject({ reason: 'not approved', forwarded: false, host: null });
    expect(uses.every((u) => /ssh-keygen$/.test(u.program ?? ''))).toBe(true);
  });
});

describe('the locked vault', () => {
  it('lists the keys from the last unlocked list, and a signature asks to unlock, then goes on', async () => {
    lockVault();
    const listed = await run('/usr/bin/ssh-add', ['-l'], env);
    expect(listed.stdout.trim().split('\n')).toHaveLength(2);
    const signing = sign('free');
    const deadline = Date.now() + 10_000;
    while (unlockRequests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(unlockRequests).toHaveLength(1);
    await unlockVault();
    expect(await signing).toBe(0);
  });

  it('without an unlock in time the signature is refused (LOCKED) and audited at the next unlock', async () => {
    lockVault();
    // a source without an unlock request refuses at once
    await expect(new VaultKeySource({ vaultPath, current: () => null }).sign(ids.free!, Buffer.from('x'), 0)).rejects.toMatchObject({
      code: 'LOCKED',
    });
    expect(await sign('free')).not.toBe(0); // the agent's own waiter gives up after 5 s
    await unlockVault();
    agent.source.refresh();
    agent.source.flush();
    expect(recentAgentUses(session!, ids.free!)[0]).toMatchObject({ decision: 'refused', reason: 'the vault is locked' });
  }, 20_000);

  it('forgets the public list when the vault file changes while locked', async () => {
    lockVault();
    expect(agent.source.list()).toHaveLength(2);
    const other = await openVault(vaultPath, PASSWORD);
    other.audit({ action: 'edited', detail: 'touched by another process' });
    other.lock();
    expect(agent.source.list()).toHaveLength(0);
  });
});
