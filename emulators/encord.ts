// Encord public API v2 emulator (PLATFORMS.md "Encord"): every request is signed with an ed25519
// access key (Content-Digest, Signature-Input, Signature over a four-line signature base) and
// verified exactly; keys are registered through a test-only admin route (Encord has no public API
// for it), a duplicate public key is refused; GET /v2/public/projects pages with pageToken.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { isResponse, startEmulator, type EmuRequest, type EmuResponse, type EmulatorServer, type StartOptions } from './server';

export const ADMIN_PATH = '/__admin/keys';
/** how far `created` may be from the server's clock, seconds */
const CLOCK_SKEW = 300;

interface RegisteredKey {
  /** raw public key, hex (64 characters): the key id */
  keyId: string;
  title: string;
  holder: 'service_account' | 'user';
  role: 'Admin' | 'Member';
  workspace: string;
  createdAt: string;
}

interface Project {
  projectHash: string;
  title: string;
  description: string;
  createdAt: string;
  lastEditedAt: string;
  workspace: string;
}

export class EncordState {
  keys = new Map<string, RegisteredKey>();
  projects: Project[] = [];
  /** signature checks that passed, per key id (tests check a key was really used) */
  uses = new Map<string, number>();

  seedProjects(workspace: string, count: number): void {
    for (let i = 1; i <= count; i++) {
      const at = new Date(Date.UTC(2026, 0, i)).toISOString();
      this.projects.push({
        projectHash: globalThis.crypto.randomUUID(),
        title: `Project ${i}`,
        description: `Demo project ${i}`,
        createdAt: at,
        lastEditedAt: at,
        workspace,
      });
    }
  }
}

const message = (status: number, text: string): EmuResponse => ({ status, body: { message: text } });

/** The raw 32-byte key from 64 hex characters or an OpenSSH "ssh-ed25519 AAAA..." line. */
export function rawPublicKey(input: string): Buffer | null {
  const text = input.trim();
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  const m = /^ssh-ed25519\s+([A-Za-z0-9+/=]+)/.exec(text);
  if (!m) return null;
  const blob = Buffer.from(m[1]!, 'base64');
  // string "ssh-ed25519" then string key(32)
  if (
    blob.length !== 4 + 11 + 4 + 32 ||
    blob.readUInt32BE(0) !== 11 ||
    blob.subarray(4, 15).toString() !== 'ssh-ed25519' ||
    blob.readUInt32BE(15) !== 32
  )
    return null;
  return blob.subarray(19);
}

function publicKeyObject(raw: Buffer) {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

const SIG_INPUT = /^encord-sig=\("@method" "@request-target" "content-digest"\);created=(\d+);keyid="([0-9a-f]{64})";alg="ed25519"$/;

/** Checks a request's signature as PLATFORMS.md describes; gives the key or the 401 answer. */
export function verifySignedRequest(state: EncordState, req: EmuRequest, target: string): RegisteredKey | EmuResponse {
  const digest = req.headers['content-digest'];
  const input = req.headers['signature-input'];
  const signature = req.headers.signature;
  if (typeof digest !== 'string' || typeof input !== 'string' || typeof signature !== 'string')
    return message(401, 'Request is not signed.');
  const expectedDigest = `sha-256=:${createHash('sha256').update(req.raw).digest('base64')}:`;
  if (digest !== expectedDigest) return message(401, 'Content-Digest does not match the body.');
  const m = SIG_INPUT.exec(input);
  if (!m) return message(401, 'Malformed Signature-Input.');
  const created = Number(m[1]);
  if (Math.abs(Date.now() / 1000 - created) > CLOCK_SKEW) return message(401, 'Signature has expired.');
  const key = state.keys.get(m[2]!);
  if (!key) return message(401, 'Unknown access key.');
  const sig = /^encord-sig=:([A-Za-z0-9+/=]+):$/.exec(signature);
  if (!sig) return message(401, 'Malformed Signature.');
  const params = input.slice('encord-sig='.length);
  const base = [
    `"@method": ${req.method}`,
    `"@request-target": ${target}`,
    `"content-digest": ${digest}`,
    `"@signature-params": ${params}`,
  ].join('\n');
  const ok = verify(null, Buffer.from(base), publicKeyObject(Buffer.from(key.keyId, 'hex')), Buffer.from(sig[1]!, 'base64'));
  if (!ok) return message(401, 'Invalid signature.');
  state.uses.set(key.keyId, (state.uses.get(key.keyId) ?? 0) + 1);
  return key;
}

function admin(state: EncordState, req: EmuRequest, workspace: string): EmuResponse {
  const rest = req.path.slice(ADMIN_PATH.length).split('/').filter(Boolean);
  if (rest.length === 0 && req.method === 'GET') return { status: 200, body: { results: [...state.keys.values()] } };
  if (rest.length === 0 && req.method === 'POST') {
    let b: Record<string, unknown>;
    try {
      b = JSON.parse(req.raw.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return message(400, 'Body is not JSON.');
    }
    const raw = typeof b.publicKey === 'string' ? rawPublicKey(b.publicKey) : null;
    if (!raw) return message(400, 'publicKey must be an ed25519 public key (64 hex characters or an ssh-ed25519 line).');
    const keyId = raw.toString('hex');
    if (state.keys.has(keyId)) return message(409, 'This public key is already registered.');
    const holder = b.holder === 'user' ? 'user' : 'service_account';
    const role = b.role === 'Member' ? 'Member' : 'Admin';
    const key: RegisteredKey = {
      keyId,
      title: typeof b.title === 'string' ? b.title : '',
      holder,
      role,
      workspace,
      createdAt: new Date().toISOString(),
    };
    state.keys.set(keyId, key);
    return { status: 201, body: key };
  }
  if (rest.length === 1 && req.method === 'DELETE') {
    return state.keys.delete(String(rest[0]).toLowerCase()) ? { status: 204 } : message(404, 'Not found.');
  }
  return message(405, 'Method not allowed.');
}

export function encordHandler(state: EncordState, workspace: string) {
  return (req: EmuRequest): EmuResponse => {
    if (req.path === ADMIN_PATH || req.path.startsWith(`${ADMIN_PATH}/`)) return admin(state, req, workspace);
    if (!req.path.startsWith('/v2/public/')) return message(404, 'Not found.');
    const key = verifySignedRequest(state, req, req.target);
    if (isResponse(key)) return key;
    if (req.path === '/v2/public/projects' || req.path === '/v2/public/projects/') {
      if (req.method !== 'GET') return message(405, 'Method not allowed.');
      const sizeParam = Number(req.query.get('pageSize') ?? '100');
      if (!Number.isInteger(sizeParam) || sizeParam < 1 || sizeParam > 1000)
        return { status: 400, body: { detail: 'pageSize must be between 1 and 1000.' } };
      const token = req.query.get('pageToken');
      const start = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(start) || start < 0) return { status: 400, body: { detail: 'Invalid pageToken.' } };
      // members see what they created or were invited to; the demo gives them none of the admin's
      const visible = key.role === 'Admin' ? state.projects.filter((p) => p.workspace === key.workspace) : [];
      const page = visible.slice(start, start + sizeParam);
      const next = start + sizeParam < visible.length ? Buffer.from(String(start + sizeParam)).toString('base64url') : null;
      return { status: 200, body: { results: page.map(({ workspace: _w, ...p }) => p), nextPageToken: next } };
    }
    return message(404, 'Not found.');
  };
}

export interface EncordEmulator extends EmulatorServer {
  state: EncordState;
  adminUrl: string;
}

export async function startEncord(options: StartOptions & { projects?: number } = {}): Promise<EncordEmulator> {
  const state = new EncordState();
  state.seedProjects('demo-workspace', options.projects ?? 3);
  const server = await startEmulator('encord', encordHandler(state, 'demo-workspace'), {
    faultBody: (_s, text) => ({ message: text }),
    ...options,
  });
  return Object.assign(server, { state, adminUrl: `${server.url}${ADMIN_PATH}` });
}
