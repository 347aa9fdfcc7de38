import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEncord, type EncordEmulator } from '../../emulators/encord';
import { EncordProvider, signatureBase } from './encord';
import { failure } from '../errors.testkit';

let emu: EncordEmulator;
beforeAll(async () => {
  emu = await startEncord({ projects: 130 });
});
afterAll(() => emu.close());

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    hex: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'),
    signer: (b: Uint8Array) => new Uint8Array(sign(null, b, privateKey)),
  };
}
const register = (hex: string) => fetch(emu.adminUrl, { method: 'POST', body: JSON.stringify({ publicKey: hex }) });

describe('EncordProvider against the emulator', () => {
  it('builds the signature base exactly as documented', () => {
    expect(signatureBase('POST', '/v2/public/projects?pageSize=10', 'sha-256=:X:', '("@method");created=1')).toBe(
      '"@method": POST\n"@request-target": /v2/public/projects?pageSize=10\n"content-digest": sha-256=:X:\n"@signature-params": ("@method");created=1',
    );
  });

  it('checks a registered key with a signed request and pages projects', async () => {
    const k = keyPair();
    await register(k.hex);
    const p = new EncordProvider(k.hex, k.signer, { baseUrl: emu.url });
    expect(await p.check()).toEqual({ identity: k.hex });
    expect((await p.listEnvironments()).length).toBe(130);
    expect(emu.state.uses.get(k.hex)).toBeGreaterThanOrEqual(3);
  });

  it('an unregistered key or a bad signature is 401', async () => {
    const k = keyPair();
    const unregistered = await failure(new EncordProvider(k.hex, k.signer, { baseUrl: emu.url }).check());
    expect(unregistered).toMatchObject({ code: 'REMOTE', status: 401, message: 'Encord: Unknown access key. (HTTP 401)' });
    await register(k.hex);
    const other = keyPair();
    const bad = await failure(new EncordProvider(k.hex, other.signer, { baseUrl: emu.url }).check());
    expect(bad).toMatchObject({ status: 401, message: 'Encord: Invalid signature. (HTTP 401)' });
  });

  it('retries a signed read after a 500 with a fresh signature', async () => {
    const k = keyPair();
    await register(k.hex);
    emu.setFaults({ queue: ['error500'] });
    await new EncordProvider(k.hex, k.signer, { baseUrl: emu.url, backoffMs: 5 }).check();
  });
});
