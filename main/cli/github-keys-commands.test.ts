// `keyhold key create --kind deploy_key|signing_key` and the commands around it, run as a real
// process against the GitHub emulator; each result compared with the emulator's own state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGithub, type GithubEmulator } from '../../emulators/github';
import { runKeyhold } from './harness.testkit';

const PW = 'pw-github-keys-cli';
const FLOOR = ['--kdf-memory', '64', '--kdf-iterations', '3', '--kdf-parallelism', '1'];
let dir: string;
let vault: string;
let emu: GithubEmulator;
const kh = (args: string[], stdin?: string) =>
  runKeyhold(['--vault', vault, '--json', ...args], { env: { KEYHOLD_PASSWORD: PW }, ...(stdin !== undefined ? { stdin } : {}) });

interface KeyJson {
  id: string;
  kind: string;
  state: string;
  environment: string | null;
  remoteId: string;
  public: string;
  readOnly?: boolean;
  publicKey?: string;
}

beforeAll(async () => {
  emu = await startGithub();
});
afterAll(() => emu.close());
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-ghkeys-cli-'));
  vault = join(dir, 'v.keyhold');
  expect((await kh(['init', ...FLOOR])).code).toBe(0);
  expect((await kh(['workspace', 'add', '--provider', 'github', '--name', 'gh', '--url', emu.url])).code).toBe(0);
  expect((await kh(['workspace', 'connect', 'gh', '--secret-stdin'], `${emu.demo.keysToken}\n`)).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const body = (line: string) => line.split(' ').slice(0, 2).join(' ');

describe('keyhold with GitHub deploy keys and signing keys', () => {
  it("key create --kind deploy_key --env OWNER/REPO --read-only, list, show, rotate, revoke; the same key again is exit 6 with GitHub's message", async () => {
    const created = await kh([
      'key',
      'create',
      '--workspace',
      'gh',
      '--kind',
      'deploy_key',
      '--env',
      'keyhold-demo/app',
      '--read-only',
      '--name',
      'ci',
    ]);
    expect(created.code).toBe(0);
    const key = created.json<KeyJson>();
    expect(key).toMatchObject({ kind: 'deploy_key', environment: 'keyhold-demo/app', readOnly: true, state: 'active' });
    expect(emu.state.deployKeys.get(Number(key.remoteId))).toMatchObject({
      repo: 'keyhold-demo/app',
      read_only: true,
      key: body(key.public),
    });
    expect(key.publicKey).toBe(key.public);
    expect((await kh(['key', 'list', '--kind', 'deploy_key'])).json<KeyJson[]>().map((k) => k.id)).toEqual([key.id]);
    expect((await kh(['env', 'list', '--workspace', 'gh'])).json<{ name: string; remoteId: string }[]>()).toEqual([
      expect.objectContaining({ name: 'keyhold-demo/app', remoteId: 'keyhold-demo/app' }),
    ]);

    const again = await kh(['key', 'create', '--workspace', 'gh', '--kind', 'signing_key', '--name', 'x', '--key', key.id]);
    expect(again.code).toBe(0); // a signing key is another list: the same key may sign
    const user = (await kh(['key', 'create', '--workspace', 'gh', '--kind', 'ssh_key_pair', '--name', 'laptop'])).json<KeyJson>();
    const dup = await kh([
      'key',
      'create',
      '--workspace',
      'gh',
      '--kind',
      'deploy_key',
      '--env',
      'keyhold-demo/app',
      '--name',
      'dup',
      '--key',
      user.id,
    ]);
    expect(dup.code).toBe(6);
    expect(JSON.parse(dup.stderr).error).toMatchObject({
      code: 'CONFLICT',
      message: 'GitHub: Validation Failed: key is already in use (HTTP 422)',
    });
    expect((await kh(['key', 'list', '--kind', 'deploy_key'])).json<KeyJson[]>()).toHaveLength(1);

    const rotated = await kh(['key', 'rotate', key.id]);
    expect(rotated.json<{ rotated: number }>().rotated).toBe(1);
    expect(emu.state.deployKeys.has(Number(key.remoteId))).toBe(false);
    const now = (await kh(['key', 'show', key.id])).json<KeyJson>();
    expect(emu.state.deployKeys.get(Number(now.remoteId))).toMatchObject({ read_only: true, key: body(now.public) });
    expect((await kh(['key', 'revoke', key.id])).json<KeyJson>().state).toBe('revoked');
    expect(emu.state.deployKeys.has(Number(now.remoteId))).toBe(false);
  });

  it('a vault key that signs commits is registered as a signing key in one step; a token that cannot delete it exits 5 and the key stays', async () => {
    const gen = (await kh(['gen', 'ed25519', '--name', 'commit signer'])).json<{ id: string; publicKey: string }>();
    expect((await kh(['workspace', 'connect', 'gh', '--secret-stdin'], `${emu.demo.signingAddOnlyToken}\n`)).code).toBe(0);
    const created = await kh(['key', 'create', '--workspace', 'gh', '--kind', 'signing_key', '--name', 'commit signer', '--key', gen.id]);
    expect(created.code).toBe(0);
    const key = created.json<KeyJson>();
    expect(emu.state.signingKeys.get(Number(key.remoteId))!.key).toBe(body(gen.publicKey));
    const revoke = await kh(['key', 'revoke', key.id]);
    expect(revoke.code).toBe(5);
    expect(JSON.parse(revoke.stderr).error.message).toContain('admin:ssh_signing_key');
    expect(emu.state.signingKeys.has(Number(key.remoteId))).toBe(true);
    expect((await kh(['key', 'show', key.id])).json<KeyJson>().state).toBe('active');
  });

  it('--read-only on a signing key and a deploy key without --env are usage errors (exit 1)', async () => {
    expect((await kh(['key', 'create', '--workspace', 'gh', '--kind', 'signing_key', '--read-only', '--name', 'x'])).code).toBe(1);
    expect((await kh(['key', 'create', '--workspace', 'gh', '--kind', 'deploy_key', '--name', 'x'])).code).toBe(1);
  });
});
