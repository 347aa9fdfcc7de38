import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithub, type GithubEmulator } from '../../emulators/github';
import { GithubProvider } from './github';
import { failure } from '../errors.testkit';

let emu: GithubEmulator;
beforeAll(async () => {
  emu = await startGithub();
});
afterAll(() => emu.close());

function sshLine(comment: string): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), raw]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}

describe('GithubProvider against the emulator', () => {
  it('registers, lists, gets and deletes a public key', async () => {
    const p = new GithubProvider(emu.demo.token, { baseUrl: emu.url });
    await p.check();
    const line = sshLine('me@laptop');
    const k = await p.registerKey('laptop', line);
    expect(k.key).toBe(line.split(' ').slice(0, 2).join(' '));
    expect((await p.getKey(String(k.id))).title).toBe('laptop');
    expect((await p.findByKey(line))!.id).toBe(k.id);
    await p.deleteKey(String(k.id));
    expect(await failure(p.getKey(String(k.id)))).toMatchObject({ code: 'REMOTE', status: 404, message: 'GitHub: Not Found (HTTP 404)' });
  });

  it("a duplicate key is CONFLICT with GitHub's message, not success", async () => {
    const p = new GithubProvider(emu.demo.token, { baseUrl: emu.url });
    const line = sshLine('dup');
    await p.registerKey('one', line);
    const e = await failure(p.registerKey('two', line));
    expect(e).toMatchObject({ code: 'CONFLICT', status: 422, message: 'GitHub: Validation Failed: key is already in use (HTTP 422)' });
  });

  it('a bad token is 401 Bad credentials, the token kept out of the message', async () => {
    const e = await failure(new GithubProvider('ghp_wrongwrongwrong', { baseUrl: emu.url }).check());
    expect(e).toMatchObject({ code: 'REMOTE', status: 401, message: 'GitHub: Bad credentials (HTTP 401)' });
  });

  it('lists across Link-header pages', async () => {
    const p = new GithubProvider(emu.demo.token, { baseUrl: emu.url });
    const before = (await p.listKeys()).length;
    for (let i = 0; i < 101; i++) await p.registerKey(`k${i}`, sshLine(`k${i}`));
    expect((await p.listKeys()).length).toBe(before + 101);
  });

  it('says at connect what the token may do, from X-OAuth-Scopes; a fine-grained token is unknown', async () => {
    const strong = await new GithubProvider(emu.demo.token, { baseUrl: emu.url }).check();
    expect(strong.access).toMatchObject({ grants: ['admin:public_key'], summary: 'can list, add and delete keys', refuses: [] });
    const weak = await new GithubProvider(emu.demo.addOnlyToken, { baseUrl: emu.url }).check();
    expect(weak.access.summary).toBe('can add keys, cannot delete them (needs admin:public_key)');
    expect(weak.access.refuses.map((r) => r.operation)).toEqual(['revoke', 'rotate']);
    expect(weak.identity).toContain('cannot delete them');
    const fine = await new GithubProvider(emu.demo.fineGrainedToken, { baseUrl: emu.url }).check();
    expect(fine.access).toMatchObject({ grants: null, refuses: [] });
    expect(fine.access.summary).toMatch(/does not say/);
  });

  it('a 404 on DELETE is not believed: with a token lacking admin:public_key the key is still there, and it is REMOTE naming the scope', async () => {
    const weak = new GithubProvider(emu.demo.addOnlyToken, { baseUrl: emu.url });
    const k = await weak.registerKey('kept', sshLine('kept'));
    const e = await failure(weak.deleteKey(String(k.id)));
    expect(e).toMatchObject({ code: 'REMOTE', status: 404, remote: { status: 404, reason: 'scope' } });
    expect(e.message).toMatch(/still registered and still works; the token lacks the admin:public_key scope/);
    expect(e.message).toContain('https://github.com/settings/keys');
    // the platform still holds it
    expect(emu.state.keys.has(k.id)).toBe(true);
    // a token with the scope deletes it, and the platform shows it gone
    await new GithubProvider(emu.demo.token, { baseUrl: emu.url }).deleteKey(String(k.id));
    expect(emu.state.keys.has(k.id)).toBe(false);
    // gone already (removed by hand): the weak token's 404 is now the truth
    await weak.deleteKey(String(k.id));
  });
});
