import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEncord, type EncordEmulator } from './encord';

let emu: EncordEmulator;
beforeAll(async () => {
  emu = await startEncord({ projects: 5 });
});
afterAll(() => emu.close());

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { hex: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'), privateKey };
}

async function signed(
  method: string,
  target: string,
  key: { hex: string; privateKey: KeyObject },
  opts: { body?: string; created?: number; tamper?: boolean } = {},
) {
  const body = opts.body ?? '';
  const digest = `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
  const created = opts.created ?? Math.floor(Date.now() / 1000) - 30;
  const params = `("@method" "@request-target" "content-digest");created=${created};keyid="${key.hex}";alg="ed25519"`;
  const base = [
    `"@method": ${method}`,
    `"@request-target": ${opts.tamper ? `${target}x` : target}`,
    `"content-digest": ${digest}`,
    `"@signature-params": ${params}`,
  ].join('\n');
  const sig = sign(null, Buffer.from(base), key.privateKey).toString('base64');
  const res = await fetch(`${emu.url}${target}`, {
    method,
    headers: { 'Content-Digest': digest, 'Signature-Input': `encord-sig=${params}`, Signature: `encord-sig=:${sig}:` },
    body: method === 'GET' ? undefined : body,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function register(publicKey: string) {
  const res = await fetch(emu.adminUrl, { method: 'POST', body: JSON.stringify({ publicKey, title: 't' }) });
  return { status: res.status, body: (await res.json()) as any };
}

describe('Encord emulator', () => {
  it("accepts a registered key's signed request and pages projects", async () => {
    const k = keyPair();
    expect((await register(k.hex)).status).toBe(201);
    const first = await signed('GET', '/v2/public/projects?pageSize=2', k);
    expect(first.status).toBe(200);
    expect(first.body.results).toHaveLength(2);
    expect(first.body.results[0]).toHaveProperty('projectHash');
    const rest = await signed('GET', `/v2/public/projects?pageSize=10&pageToken=${first.body.nextPageToken}`, k);
    expect(rest.body.results).toHaveLength(3);
    expect(rest.body.nextPageToken).toBeNull();
  });

  it('401 for an unregistered key, a tampered base, an old timestamp, a missing signature', async () => {
    const k = keyPair();
    expect((await signed('GET', '/v2/public/projects', k)).status).toBe(401);
    await register(k.hex);
    expect((await signed('GET', '/v2/public/projects', k, { tamper: true })).body).toEqual({ message: 'Invalid signature.' });
    expect((await signed('GET', '/v2/public/projects', k, { created: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
    expect((await fetch(`${emu.url}/v2/public/projects`)).status).toBe(401);
  });

  it('refuses a duplicate public key, given as hex or as an ssh-ed25519 line', async () => {
    const k = keyPair();
    expect((await register(k.hex)).status).toBe(201);
    const blob = Buffer.concat([
      Buffer.from([0, 0, 0, 11]),
      Buffer.from('ssh-ed25519'),
      Buffer.from([0, 0, 0, 32]),
      Buffer.from(k.hex, 'hex'),
    ]);
    const dup = await register(`ssh-ed25519 ${blob.toString('base64')} me`);
    expect(dup.status).toBe(409);
    expect(dup.body.message).toMatch(/already registered/);
  });
});
