// GitHub deploy keys and SSH signing keys (docs/PLATFORMS.md): a vault key pair (a new ed25519
// one, like `gen ed25519`, or with --key a copy of one the vault holds: the copy is what GitHub
// registers, the original stays as it is) registered on a repository (OWNER/REPO, an environment
// of the workspace, added with the key if the vault does not have it yet) or as the user's signing
// key. The record is stored before the registration, so a crash never loses the private key of a
// registered key; a refusal (422 key in use: CONFLICT; a missing right) removes it again.
import { KeyholdError } from '../../errors';
import { generateEd25519Async } from '../../keys/ed25519';
import { fingerprint } from '../../keys/fingerprint';
import { encodeOpenSshPrivateKey } from '../../keys/openssh-private';
import { publicKeyLine } from '../../keys/public-key';
import { checkRepository, type GithubTarget } from '../../providers/github-targets';
import { isTransient } from '../../providers/http';
import type { Environment, KeyRecord, NewKey, VaultSession } from '../../vault/types';
import { isKeyPairKind } from '../../api/constants';
import { defaultComment } from '../keypairs';
import { environmentRemoteId, githubFor, type RemoteOptions, type RemoteWorkspace } from '../remote';
import type { CreateRemoteKeyInput } from './types';

/** Where a vault key lives on GitHub, by its kind (a deploy key: its environment's repository). */
export function targetOfKey(session: VaultSession, key: KeyRecord): GithubTarget {
  if (key.kind === 'signing_key') return { type: 'signing' };
  if (key.kind !== 'deploy_key') return { type: 'user' };
  const repo = environmentRemoteId(session, key);
  if (!repo) throw new KeyholdError('INTEGRITY', `Deploy key ${key.id} has no repository (environment).`);
  return { type: 'deploy', repo };
}

/** The repository of a new deploy key: an environment of the workspace, or one to add. */
function repositoryOf(
  session: VaultSession,
  ws: RemoteWorkspace,
  env: Environment | null,
  ref: string | undefined,
): { env: Environment | null; repo: string } {
  if (env) return { env, repo: checkRepository(env.remoteId ?? env.name) };
  if (!ref) throw new KeyholdError('USAGE', 'A deploy key belongs to a repository: give --env OWNER/REPO.');
  const repo = checkRepository(ref);
  const known = session.listEnvironments(ws.id).find((e) => (e.remoteId ?? e.name).toLowerCase() === repo.toLowerCase());
  return { env: known ?? null, repo };
}

async function pairRecord(
  session: VaultSession,
  input: CreateRemoteKeyInput,
): Promise<Omit<NewKey, 'workspaceId' | 'environmentId' | 'kind' | 'name'>> {
  if (input.keyId) {
    const src = session.getKey(input.keyId);
    if (!isKeyPairKind(src.kind) || !src.publicPart) throw new KeyholdError('INVALID_INPUT', `Key ${src.id} is not a key pair.`);
    return {
      publicPart: src.publicPart,
      fingerprint: src.fingerprint,
      meta: { ...src.meta, pairOf: src.id },
      secret: src.hasSecret ? session.readSecret(src.id) : null,
    };
  }
  const comment = defaultComment();
  const fresh = await generateEd25519Async(comment);
  return {
    publicPart: publicKeyLine(fresh.publicKey, comment),
    fingerprint: fingerprint(fresh.publicKey),
    meta: { comment, algorithm: fresh.publicKey.algorithm.toLowerCase(), bits: String(fresh.publicKey.bits) },
    secret: encodeOpenSshPrivateKey(fresh),
  };
}

export async function createGithubKey(
  session: VaultSession,
  ws: RemoteWorkspace,
  env: Environment | null,
  input: CreateRemoteKeyInput,
  opts: RemoteOptions,
): Promise<KeyRecord> {
  const deploy = input.kind === 'deploy_key';
  if (!deploy && input.readOnly !== undefined) throw new KeyholdError('USAGE', '--read-only is for deploy keys.');
  if (!deploy && (env || input.env))
    throw new KeyholdError('USAGE', 'A signing key belongs to the user, not to a repository: leave out --env.');
  const where = deploy ? repositoryOf(session, ws, env, input.env) : { env: null, repo: null };
  const target: GithubTarget = where.repo ? { type: 'deploy', repo: where.repo } : { type: 'signing' };
  const readOnly = input.readOnly ?? false;
  const pair = await pairRecord(session, input);
  if (
    input.keyId &&
    session
      .listKeys({ workspaceId: ws.id, kind: input.kind })
      .items.some((k) => k.fingerprint === pair.fingerprint && k.state !== 'revoked' && k.remoteId)
  ) {
    throw new KeyholdError(
      'CONFLICT',
      `Key ${input.keyId} is already registered as a ${input.kind === 'deploy_key' ? 'deploy key' : 'signing key'} in this workspace.`,
    );
  }
  // stored first (unregistered): a crash after GitHub took it keeps the private key
  let added: Environment | null = null;
  const stored = session.transaction(() => {
    if (!where.env && where.repo) added = session.addEnvironment({ workspaceId: ws.id, name: where.repo, remoteId: where.repo });
    const envRec = where.env ?? added;
    return session.addKey({
      ...pair,
      workspaceId: ws.id,
      environmentId: envRec?.id ?? null,
      kind: input.kind,
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      meta: { ...pair.meta, ...(deploy ? { readOnly: String(readOnly) } : {}) },
    });
  });
  const client = githubFor(session, ws, opts);
  let registered;
  try {
    registered = await client.registerKey(input.name, pair.publicPart!, target, readOnly);
  } catch (e) {
    // a lost answer: the key may be registered all the same
    const found = isTransient(e) ? await client.findByKey(pair.publicPart!, target).catch(() => undefined) : null;
    // refused (or surely not there): nothing stays, as if registered or as a repository
    if (found === null) {
      session.transaction(() => {
        session.removeKey(stored.id);
        if (added) session.removeEnvironment(added.id);
      });
    }
    if (!found) throw e;
    registered = found;
  }
  const what = deploy ? `deploy key of ${where.repo}${readOnly ? ' (read-only)' : ' (read-write)'}` : 'SSH signing key';
  return session.transaction(() => {
    const k = session.updateKey(stored.id, {
      remoteId: String(registered.id),
      meta: {
        ...stored.meta,
        registeredAt: new Date().toISOString(),
        ...(deploy ? { readOnly: String(registered.read_only ?? readOnly) } : {}),
      },
    });
    session.audit({
      action: 'registered',
      keyId: k.id,
      workspaceId: ws.id,
      detail: `registered on GitHub as ${what} (${k.fingerprint ?? ''})${input.keyId ? `, a copy of key ${input.keyId}` : ''}`,
    });
    return k;
  });
}
