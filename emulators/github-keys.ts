// GitHub emulator, the keys beside /user/keys (PLATFORMS.md "GitHub"): a repository's deploy keys
// (/repos/{owner}/{repo}/keys[/{key_id}]) and the user's SSH signing keys
// (/user/ssh_signing_keys[/{id}]). Keys are immutable (no PATCH or PUT: 404). Who may do what:
// - deploy keys: a classic token needs the repo scope and its user an admin of the repository; a
//   fine-grained token "Administration" read (list, get) or write (create, delete); otherwise 404,
//   as GitHub hides a repository a token cannot administer. A GitHub App token without the
//   permission gets 403 "Resource not accessible by integration" instead.
// - signing keys: read:/write:/admin:ssh_signing_key (a broader scope covering the narrower), or
//   fine-grained "SSH signing keys" read/write; otherwise 404, so DELETE without
//   admin:ssh_signing_key is 404 and the key stays.
// - "key is already in use": authentication keys (user keys and deploy keys of any repository)
//   are one pool, a key serves one place only; signing keys are a separate list (GitHub's docs let
//   the same key be uploaded as an authentication key and again as a signing key), unique among
//   signing keys of every account.
import type { EmuRequest, EmuResponse } from './server';
import { jsonBody } from './server';

export interface RepoKey {
  id: number;
  repo: string;
  key: string;
  title: string;
  read_only: boolean;
  created_at: string;
  added_by: string;
  last_used: string | null;
  enabled: boolean;
}

export interface SigningKey {
  id: number;
  owner: string;
  key: string;
  title: string;
  created_at: string;
}

export interface Repository {
  /** OWNER/REPO */
  fullName: string;
  /** logins with admin rights (they may manage deploy keys) */
  admins: Set<string>;
}

/** The parts of a token these routes look at. */
export interface KeyToken {
  login: string;
  /** classic scopes; null: fine-grained or app token (no X-OAuth-Scopes) */
  scopes: string[] | null;
  /** fine-grained / app permissions */
  administration?: 'read' | 'write';
  signing?: 'read' | 'write';
  /** a GitHub App installation token (refusals are 403 "Resource not accessible by integration") */
  app?: boolean;
}

export interface KeyStore {
  repos: Map<string, Repository>;
  deployKeys: Map<number, RepoKey>;
  signingKeys: Map<number, SigningKey>;
  /** is the key already an authentication key (a user key or a deploy key) anywhere? */
  authKeyInUse(key: string): boolean;
  nextKeyId(): number;
}

export const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const DEPLOY_DOCS = 'https://docs.github.com/rest/deploy-keys/deploy-keys';
const SIGNING_DOCS = 'https://docs.github.com/rest/users/ssh-signing-keys';
const gh = (status: number, message: string, docs: string): EmuResponse => ({ status, body: { message, documentation_url: docs } });

const SIGNING_LEVEL = { 'read:ssh_signing_key': 1, 'write:ssh_signing_key': 2, 'admin:ssh_signing_key': 3 } as const;

export function signingLevel(t: KeyToken): number {
  if (t.scopes === null) return t.signing === 'write' ? 3 : t.signing === 'read' ? 1 : 0;
  return Math.max(0, ...t.scopes.map((s) => (s in SIGNING_LEVEL ? SIGNING_LEVEL[s as keyof typeof SIGNING_LEVEL] : 0)));
}

/** 0 nothing, 1 read, 2 write, on a repository's deploy keys. */
function repoLevel(t: KeyToken, repo: Repository): number {
  if (t.scopes === null) return t.administration === 'write' ? 2 : t.administration === 'read' ? 1 : 0;
  return t.scopes.includes('repo') && repo.admins.has(t.login) ? 2 : 0;
}

/** "ssh-ed25519 AAAA... comment" -> "ssh-ed25519 AAAA..." when the blob names the same type. */
export function normalizeKey(text: string, allowSecurityKeys = true): string | null {
  const m =
    /^(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)\s+([A-Za-z0-9+/]+={0,2})(\s.*)?$/.exec(
      text.trim(),
    );
  if (!m || (!allowSecurityKeys && m[1]!.startsWith('sk-'))) return null;
  const blob = Buffer.from(m[2]!, 'base64');
  if (blob.length < 4) return null;
  const len = blob.readUInt32BE(0);
  if (blob.subarray(4, 4 + len).toString() !== m[1]) return null;
  return `${m[1]} ${m[2]}`;
}

export function validationFailed(errors: Record<string, unknown>[], docs: string): EmuResponse {
  return { status: 422, body: { message: 'Validation Failed', errors, documentation_url: docs } };
}

export const inUse = (resource: string, docs: string) =>
  validationFailed([{ resource, code: 'custom', field: 'key', message: 'key is already in use' }], docs);

/** A page of `all` with GitHub's Link header (rel prev/first/next/last). */
export function paged<T>(req: EmuRequest, all: T[], view: (t: T) => unknown): EmuResponse {
  const perPage = Math.min(Math.max(Number(req.query.get('per_page') ?? '30') || 30, 1), 100);
  const page = Math.max(Number(req.query.get('page') ?? '1') || 1, 1);
  const lastPage = Math.max(1, Math.ceil(all.length / perPage));
  const link = (p: number, rel: string) => `<${req.base}${req.path}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
  if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
  return {
    status: 200,
    headers: links.length ? { Link: links.join(', ') } : {},
    body: all.slice((page - 1) * perPage, page * perPage).map(view),
  };
}

type Body = { ok: true; value: Record<string, unknown> } | { ok: false; answer: EmuResponse };
function readBody(req: EmuRequest, docs: string): Body {
  try {
    const b = jsonBody(req);
    return { ok: true, value: typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as Record<string, unknown>) : {} };
  } catch {
    return { ok: false, answer: gh(400, 'Problems parsing JSON', docs) };
  }
}

const deployView = (base: string, k: RepoKey) => ({
  id: k.id,
  key: k.key,
  url: `${base}/repos/${k.repo}/keys/${k.id}`,
  title: k.title,
  verified: true,
  created_at: k.created_at,
  read_only: k.read_only,
  added_by: k.added_by,
  last_used: k.last_used,
  enabled: k.enabled,
});

/** /repos/{owner}/{repo}/keys[/{key_id}]; parts: the path split on "/". */
export function deployKeyRoute(store: KeyStore, req: EmuRequest, token: KeyToken, parts: string[]): EmuResponse {
  const docs = DEPLOY_DOCS;
  const notFound = () => gh(404, 'Not Found', docs);
  const repo = store.repos.get(`${parts[1]}/${parts[2]}`.toLowerCase());
  const level = repo ? repoLevel(token, repo) : 0;
  // an app token is told it lacks the permission; a user token cannot see the repository at all
  const refuse = (need: number) =>
    level >= need ? null : token.app ? gh(403, 'Resource not accessible by integration', docs) : notFound();
  if (!repo || parts.length > 5) return notFound();
  const own = () => [...store.deployKeys.values()].filter((k) => k.repo === repo.fullName).sort((a, b) => a.id - b.id);
  if (parts.length === 4) {
    if (req.method === 'GET') return refuse(1) ?? paged(req, own(), (k) => deployView(req.base, k));
    if (req.method !== 'POST') return notFound();
    const refused = refuse(2);
    if (refused) return refused;
    const body = readBody(req, docs);
    if (!body.ok) return body.answer;
    const b = body.value;
    if (typeof b.key !== 'string' || !b.key.trim())
      return validationFailed([{ resource: 'PublicKey', code: 'missing_field', field: 'key' }], docs);
    const key = normalizeKey(b.key);
    if (!key)
      return validationFailed(
        [
          {
            resource: 'PublicKey',
            code: 'custom',
            field: 'key',
            message:
              "key is invalid. It must begin with 'ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'sk-ecdsa-sha2-nistp256@openssh.com', or 'sk-ssh-ed25519@openssh.com'. Check that you're copying the public half of the key",
          },
        ],
        docs,
      );
    if (b.read_only !== undefined && typeof b.read_only !== 'boolean')
      return validationFailed([{ resource: 'PublicKey', code: 'invalid', field: 'read_only' }], docs);
    if (store.authKeyInUse(key)) return inUse('PublicKey', docs);
    const k: RepoKey = {
      id: store.nextKeyId(),
      repo: repo.fullName,
      key,
      title: typeof b.title === 'string' ? b.title : '',
      read_only: b.read_only === true,
      created_at: now(),
      added_by: token.login,
      last_used: null,
      enabled: true,
    };
    store.deployKeys.set(k.id, k);
    return { status: 201, headers: { Location: `${req.base}/repos/${repo.fullName}/keys/${k.id}` }, body: deployView(req.base, k) };
  }
  const id = Number(parts[4]);
  const k = Number.isInteger(id) ? store.deployKeys.get(id) : undefined;
  if (req.method === 'GET')
    return refuse(1) ?? (k && k.repo === repo.fullName ? { status: 200, body: deployView(req.base, k) } : notFound());
  if (req.method === 'DELETE') {
    const refused = refuse(2);
    if (refused) return refused; // the key stays, and still works
    if (!k || k.repo !== repo.fullName) return notFound();
    store.deployKeys.delete(k.id);
    return { status: 204 };
  }
  return notFound();
}

const signingView = (k: SigningKey) => ({ key: k.key, id: k.id, title: k.title, created_at: k.created_at });

/** /user/ssh_signing_keys[/{id}] */
export function signingKeyRoute(store: KeyStore, req: EmuRequest, token: KeyToken, parts: string[]): EmuResponse {
  const docs = SIGNING_DOCS;
  const notFound = () => gh(404, 'Not Found', docs);
  const level = signingLevel(token);
  if (parts.length > 3) return notFound();
  if (parts.length === 2) {
    if (req.method === 'GET') {
      if (level < 1) return notFound();
      return paged(
        req,
        [...store.signingKeys.values()].filter((k) => k.owner === token.login).sort((a, b) => a.id - b.id),
        signingView,
      );
    }
    if (req.method !== 'POST' || level < 2) return notFound();
    const body = readBody(req, docs);
    if (!body.ok) return body.answer;
    const b = body.value;
    if (typeof b.key !== 'string' || !b.key.trim())
      return validationFailed([{ resource: 'SshSigningKey', code: 'missing_field', field: 'key' }], docs);
    const key = normalizeKey(b.key);
    if (!key)
      return validationFailed(
        [
          {
            resource: 'SshSigningKey',
            code: 'custom',
            field: 'key',
            message:
              "key is invalid. It must begin with 'ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'sk-ssh-ed25519@openssh.com' or 'sk-ecdsa-sha2-nistp256@openssh.com'",
          },
        ],
        docs,
      );
    if ([...store.signingKeys.values()].some((k) => k.key === key)) return inUse('SshSigningKey', docs);
    const k: SigningKey = {
      id: store.nextKeyId(),
      owner: token.login,
      key,
      title: typeof b.title === 'string' ? b.title : '',
      created_at: now(),
    };
    store.signingKeys.set(k.id, k);
    return { status: 201, body: signingView(k) };
  }
  const id = Number(parts[2]);
  const k = Number.isInteger(id) ? store.signingKeys.get(id) : undefined;
  if (!k || k.owner !== token.login) return notFound();
  if (req.method === 'GET') return level >= 1 ? { status: 200, body: signingView(k) } : notFound();
  if (req.method === 'DELETE') {
    if (level < 3) return notFound(); // the key stays, and still signs
    store.signingKeys.delete(k.id);
    return { status: 204 };
  }
  return notFound();
}

/** What the action checks for (X-Accepted-OAuth-Scopes) on these routes. */
export function acceptedScopes(parts: string[], method: string): string {
  if (parts[0] === 'repos') return 'repo';
  if (method === 'DELETE') return 'admin:ssh_signing_key';
  if (method === 'POST') return 'admin:ssh_signing_key, write:ssh_signing_key';
  return 'admin:ssh_signing_key, read:ssh_signing_key, write:ssh_signing_key';
}

/** "ssh-ed25519 <base64>" of a fresh key, for seeding the demo (node's own ed25519). */
export function demoPublicKey(raw: Buffer): string {
  const len = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  return `ssh-ed25519 ${Buffer.concat([len(11), Buffer.from('ssh-ed25519'), len(32), raw]).toString('base64')}`;
}
