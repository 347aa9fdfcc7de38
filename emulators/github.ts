// GitHub REST emulator for /user/keys (PLATFORMS.md "GitHub"; deploy and signing keys in
// ./github-keys): Bearer (or token) auth; classic
// tokens with scopes (X-OAuth-Scopes on every answer, a broader scope covering the narrower:
// admin:public_key > write:public_key > read:public_key) and fine-grained tokens (no scope header,
// "Git SSH keys" read or write); an operation the token may not do is 404, as GitHub hides what
// a token cannot reach (so DELETE without admin:public_key is 404 and the key stays); list with
// Link-header paging, create / get / delete, and the exact 422 body for a key already in use.
import { generateKeyPairSync } from 'node:crypto';
import {
  acceptedScopes,
  demoPublicKey,
  deployKeyRoute,
  normalizeKey,
  now,
  signingKeyRoute,
  type KeyStore,
  type KeyToken,
  type RepoKey,
  type Repository,
  type SigningKey,
} from './github-keys';
import { jsonBody, randomFrom, startEmulator, type EmuRequest, type EmuResponse, type EmulatorServer, type StartOptions } from './server';

export { normalizeKey };

const DOCS = 'https://docs.github.com/rest/users/keys';

interface GithubUser {
  login: string;
  token: string;
  /** classic token scopes; null for a fine-grained token (no X-OAuth-Scopes header) */
  scopes: string[] | null;
  /** fine-grained "Git SSH keys" permission */
  permission?: 'read' | 'write';
  /** fine-grained / app: "Administration" (deploy keys) and "SSH signing keys" */
  administration?: 'read' | 'write';
  signing?: 'read' | 'write';
  app?: boolean;
}

/** Fine-grained permissions of a token (or, with app, a GitHub App installation token). */
export interface FineGrained {
  fineGrained: 'read' | 'write' | null;
  administration?: 'read' | 'write';
  signing?: 'read' | 'write';
  app?: boolean;
}

const LEVEL = { 'read:public_key': 1, 'write:public_key': 2, 'admin:public_key': 3 } as const;

/** What the token may do on /user/keys: 0 nothing, 1 read, 2 add, 3 delete (classic scopes). */
function level(user: GithubUser): number {
  if (user.scopes === null) return user.permission === 'write' ? 3 : user.permission === 'read' ? 1 : 0;
  return Math.max(0, ...user.scopes.map((s) => (s in LEVEL ? LEVEL[s as keyof typeof LEVEL] : 0)));
}

/** Scopes as GitHub normalizes them: a broader one hides those it includes. */
function normalized(scopes: string[]): string[] {
  const top = Math.max(0, ...scopes.map((s) => (s in LEVEL ? LEVEL[s as keyof typeof LEVEL] : 0)));
  return [...new Set(scopes.filter((s) => !(s in LEVEL) || LEVEL[s as keyof typeof LEVEL] === top))];
}

interface PublicKey {
  id: number;
  owner: string;
  /** "type base64", the comment dropped as GitHub does */
  key: string;
  title: string;
  created_at: string;
  /** GitHub's last_used (null: never, or not reported) */
  last_used?: string | null;
}

export class GithubState implements KeyStore {
  users: GithubUser[] = [];
  keys = new Map<number, PublicKey>();
  repos = new Map<string, Repository>();
  deployKeys = new Map<number, RepoKey>();
  signingKeys = new Map<number, SigningKey>();
  private nextId = 1000;

  /** A token of `login` (a user may hold several): classic scopes, or fine-grained permissions. */
  addUser(login: string, scopes: string[] | FineGrained = ['admin:public_key']): GithubUser {
    const fine = !Array.isArray(scopes);
    const prefix = fine ? (scopes.app ? 'ghs_' : 'github_pat_') : 'ghp_';
    const user: GithubUser = {
      login,
      token: `${prefix}${randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 36)}`,
      scopes: fine ? null : normalized(scopes),
      ...(fine
        ? {
            ...(scopes.fineGrained ? { permission: scopes.fineGrained } : {}),
            ...(scopes.administration ? { administration: scopes.administration } : {}),
            ...(scopes.signing ? { signing: scopes.signing } : {}),
            ...(scopes.app ? { app: true } : {}),
          }
        : {}),
    };
    this.users.push(user);
    return user;
  }

  /** `at`: a seeded key's creation time (tests of key ages); now by default */
  addKey(owner: string, key: string, title: string, at: { createdAt?: Date; lastUsed?: Date } = {}): PublicKey {
    const iso = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');
    const k: PublicKey = {
      id: this.nextId++,
      owner,
      key,
      title,
      created_at: iso(at.createdAt ?? new Date()),
      last_used: at.lastUsed ? iso(at.lastUsed) : null,
    };
    this.keys.set(k.id, k);
    return k;
  }

  /** A repository; admins may manage its deploy keys. */
  addRepo(fullName: string, admins: string[]): Repository {
    const repo: Repository = { fullName, admins: new Set(admins) };
    this.repos.set(fullName.toLowerCase(), repo);
    return repo;
  }

  addDeployKey(repo: string, key: string, title: string, readOnly: boolean, addedBy: string): RepoKey {
    const k: RepoKey = {
      id: this.nextId++,
      repo,
      key,
      title,
      read_only: readOnly,
      created_at: now(),
      added_by: addedBy,
      last_used: null,
      enabled: true,
    };
    this.deployKeys.set(k.id, k);
    return k;
  }

  authKeyInUse(key: string): boolean {
    return [...this.keys.values()].some((k) => k.key === key) || [...this.deployKeys.values()].some((k) => k.key === key);
  }

  nextKeyId(): number {
    return this.nextId++;
  }
}

const gh = (status: number, message: string, extra: Record<string, unknown> = {}): EmuResponse => ({
  status,
  body: { message, ...extra, documentation_url: DOCS },
});
const NOT_FOUND = () => gh(404, 'Not Found');

function view(base: string, k: PublicKey) {
  return {
    id: k.id,
    key: k.key,
    url: `${base}/user/keys/${k.id}`,
    title: k.title,
    created_at: k.created_at,
    verified: true,
    read_only: false,
    last_used: k.last_used ?? null,
  };
}

function validationFailed(errors: Record<string, unknown>[]): EmuResponse {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors,
      documentation_url: 'https://docs.github.com/rest/users/keys#create-a-public-ssh-key-for-the-authenticated-user',
    },
  };
}

export function githubHandler(state: GithubState) {
  return (req: EmuRequest): EmuResponse => {
    const auth = req.headers.authorization;
    const token = typeof auth === 'string' ? /^(?:Bearer|token)\s+(\S+)$/i.exec(auth)?.[1] : undefined;
    if (!token) return gh(401, 'Requires authentication');
    const user = state.users.find((u) => u.token === token);
    if (!user) return gh(401, 'Bad credentials');
    const answer = route(state, req, user);
    // classic tokens only: a fine-grained token's answers carry no scope headers
    const parts = req.path.split('/').filter(Boolean);
    const others = parts[0] === 'repos' || (parts[0] === 'user' && parts[1] === 'ssh_signing_keys');
    const scopeHeaders: Record<string, string> =
      user.scopes === null
        ? {}
        : {
            'X-OAuth-Scopes': user.scopes.join(', '),
            'X-Accepted-OAuth-Scopes': others ? acceptedScopes(parts, req.method) : accepted(req.method),
          };
    answer.headers = { ...scopeHeaders, ...(answer.headers ?? {}) };
    return answer;
  };
}

/** What the action checks for (X-Accepted-OAuth-Scopes). */
function accepted(method: string): string {
  if (method === 'DELETE') return 'admin:public_key';
  if (method === 'POST') return 'admin:public_key, write:public_key';
  return 'admin:public_key, read:public_key, write:public_key';
}

function route(state: GithubState, req: EmuRequest, user: GithubUser): EmuResponse {
  const parts = req.path.split('/').filter(Boolean);
  const token: KeyToken = {
    login: user.login,
    scopes: user.scopes,
    ...(user.administration ? { administration: user.administration } : {}),
    ...(user.signing ? { signing: user.signing } : {}),
    ...(user.app ? { app: true } : {}),
  };
  if (parts[0] === 'repos' && parts[3] === 'keys') return deployKeyRoute(state, req, token, parts);
  if (parts[0] === 'user' && parts[1] === 'ssh_signing_keys') return signingKeyRoute(state, req, token, parts);
  if (parts[0] !== 'user' || parts[1] !== 'keys' || parts.length > 3) return NOT_FOUND();
  const may = level(user);
  const canRead = may >= 1;
  const canWrite = may >= 2;
  const canDelete = may >= 3;
  const own = () => [...state.keys.values()].filter((k) => k.owner === user.login).sort((a, b) => a.id - b.id);

  if (parts.length === 2) {
    if (req.method === 'GET') {
      if (!canRead) return NOT_FOUND();
      const perPage = Math.min(Math.max(Number(req.query.get('per_page') ?? '30') || 30, 1), 100);
      const page = Math.max(Number(req.query.get('page') ?? '1') || 1, 1);
      const all = own();
      const lastPage = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number, rel: string) => `<${req.base}/user/keys?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      const links: string[] = [];
      if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
      if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
      return {
        status: 200,
        headers: links.length ? { Link: links.join(', ') } : {},
        body: all.slice((page - 1) * perPage, page * perPage).map((k) => view(req.base, k)),
      };
    }
    if (req.method === 'POST') {
      if (!canWrite) return NOT_FOUND(); // GitHub hides what a token may not touch
      let b: unknown;
      try {
        b = jsonBody(req);
      } catch {
        return gh(400, 'Problems parsing JSON');
      }
      const body = (typeof b === 'object' && b !== null ? b : {}) as Record<string, unknown>;
      if (typeof body.key !== 'string' || !body.key.trim())
        return validationFailed([{ resource: 'PublicKey', code: 'missing_field', field: 'key' }]);
      const key = normalizeKey(body.key);
      if (!key)
        return validationFailed([
          {
            resource: 'PublicKey',
            code: 'custom',
            field: 'key',
            message: 'key is invalid. You must supply a key in OpenSSH public key format',
          },
        ]);
      if (state.authKeyInUse(key)) {
        return validationFailed([{ resource: 'PublicKey', code: 'custom', field: 'key', message: 'key is already in use' }]);
      }
      const title = typeof body.title === 'string' ? body.title : '';
      return { status: 201, body: view(req.base, state.addKey(user.login, key, title)) };
    }
    return gh(404, 'Not Found');
  }
  const id = Number(parts[2]);
  const key = Number.isInteger(id) ? state.keys.get(id) : undefined;
  if (!key || key.owner !== user.login) return NOT_FOUND();
  if (req.method === 'GET') return canRead ? { status: 200, body: view(req.base, key) } : NOT_FOUND();
  if (req.method === 'DELETE') {
    if (!canDelete) return NOT_FOUND(); // the key stays, and still works

    state.keys.delete(key.id);
    return { status: 204 };
  }
  return NOT_FOUND();
}

export interface GithubEmulator extends EmulatorServer {
  state: GithubState;
  /** token: classic with admin:public_key (may delete); addOnlyToken: write:public_key (adding
   * works, DELETE is 404 and the key stays) and repo; fineGrainedToken: "Git SSH keys: write", no
   * scope header; keysToken: admin:public_key, admin:ssh_signing_key and repo (every key kind);
   * signingAddOnlyToken: write:ssh_signing_key (DELETE of a signing key is 404, the key stays);
   * appToken: a GitHub App token with "Administration: read" (creating a deploy key is 403);
   * repo: keyhold-demo/app, administered by the demo user, with one deploy key */
  demo: {
    login: string;
    token: string;
    addOnlyToken: string;
    fineGrainedToken: string;
    keysToken: string;
    signingAddOnlyToken: string;
    appToken: string;
    repo: string;
  };
}

export async function startGithub(options: StartOptions = {}): Promise<GithubEmulator> {
  const state = new GithubState();
  const user = state.addUser('keyhold-demo', ['admin:public_key']);
  const addOnly = state.addUser('keyhold-demo', ['write:public_key', 'read:public_key', 'repo']);
  const fine = state.addUser('keyhold-demo', { fineGrained: 'write' });
  const keys = state.addUser('keyhold-demo', ['admin:public_key', 'admin:ssh_signing_key', 'repo']);
  const signingAddOnly = state.addUser('keyhold-demo', ['write:ssh_signing_key', 'read:public_key']);
  const app = state.addUser('keyhold-demo', { fineGrained: null, administration: 'read', app: true });
  state.addUser('someone-else');
  const repo = state.addRepo('keyhold-demo/app', ['keyhold-demo']).fullName;
  state.addRepo('someone-else/private', ['someone-else']);
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  state.addDeployKey(repo, demoPublicKey(raw), 'CI deploy', true, 'keyhold-demo');
  const server = await startEmulator('github', githubHandler(state), {
    faultBody: (_s, message) => ({ message, documentation_url: DOCS }),
    ...options,
  });
  return Object.assign(server, {
    state,
    demo: {
      login: user.login,
      token: user.token,
      addOnlyToken: addOnly.token,
      fineGrainedToken: fine.token,
      keysToken: keys.token,
      signingAddOnlyToken: signingAddOnly.token,
      appToken: app.token,
      repo,
    },
  });
}
