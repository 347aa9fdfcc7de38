// Rancher 2: connects with an API token (bearer token-xxxxx:<secret>, stored as the workspace's
// credential); clusters are environments; tokens are created with a description, a TTL and an
// optional cluster scope, their value shown once (straight into the vault); delete is the only
// revocation: /v3 has no update, so no enable/disable and no remote edit (docs/PLATFORMS.md).
import { KeyholdError } from '../../errors';
import { hasStatus } from '../../providers/http';
import { Rancher2Provider, tokenMeta, tokenName, ttlMs, withTokenMeta, type Rancher2Token } from '../../providers/rancher2';
import { CAPABILITIES } from '../../providers/types';
import type { Environment, KeyRecord, VaultSession } from '../../vault/types';
import { environmentRemoteId, httpOptions, rancher2For, type RemoteWorkspace } from '../remote';
import { rancher2Rotation } from '../rotation/rancher2';
import { storeCredential } from './credential';
import { need, type PlatformService } from './types';

/** Why enable/disable and edit cannot be done here, in the platform's terms. */
export const NO_UPDATE =
  'Rancher 2 has no update for tokens through its API: PUT /v3/tokens/<name> answers 404 "no store found", so enabled and the description change only on the Kubernetes object (kubectl edit tokens.management.cattle.io <name>). Revoke (delete) the token instead';

function tokenOf(key: KeyRecord): string {
  if (!key.remoteId) throw new KeyholdError('USAGE', `Key ${key.id} is not linked to a Rancher 2 token (sync the workspace first).`);
  return key.remoteId;
}

/** The cluster a new token is scoped to: --cluster ID or the environment (a cluster); the
 * environment is added from the platform's cluster list when the vault does not have it yet. */
async function clusterScope(
  session: VaultSession,
  ws: RemoteWorkspace,
  env: Environment | null,
  cluster: string | undefined,
  provider: Rancher2Provider,
): Promise<Environment | null> {
  if (!cluster) return env;
  const local = session.listEnvironments(ws.id).find((e) => e.remoteId === cluster || e.name === cluster);
  if (env && local?.id !== env.id)
    throw new KeyholdError('USAGE', 'Give the cluster either as --env or as --cluster, not two different ones.');
  if (local) return local;
  const remote = (await provider.listEnvironments()).find((c) => c.remoteId === cluster);
  if (!remote) throw new KeyholdError('NOT_FOUND', `Rancher 2 has no cluster ${cluster} that this token can see.`);
  const taken = new Set(session.listEnvironments(ws.id).map((e) => e.name.toLowerCase()));
  return session.addEnvironment({
    workspaceId: ws.id,
    name: taken.has(remote.name.toLowerCase()) ? `${remote.name} (${remote.remoteId})` : remote.name,
    remoteId: remote.remoteId,
  });
}

export const rancher2: PlatformService<'rancher2'> = {
  provider: 'rancher2',
  label: 'Rancher 2',
  capabilities: CAPABILITIES.rancher2,
  listsCredential: true,
  rotation: rancher2Rotation,

  client: rancher2For,

  async connect(session, ws, input, opts) {
    const bearer = need(input.token, 'The API token (token-xxxxx:<secret>)');
    const http = httpOptions(ws, opts);
    const provider = new Rancher2Provider(http.baseUrl!, bearer, http);
    let own: Rancher2Token;
    try {
      own = await provider.getToken(tokenName(bearer));
    } catch (e) {
      if (hasStatus(e, 401) && e instanceof KeyholdError) {
        throw new KeyholdError(
          'REMOTE',
          `${e.message}. The token is wrong, expired or disabled, or scoped to a cluster (a cluster-scoped token cannot use /v3).`,
          { status: 401 },
        );
      }
      throw e;
    }
    const record = session.transaction(() =>
      storeCredential(session, ws, bearer, {
        kind: 'token',
        name: own.description || `Rancher 2 token ${own.name}`,
        description: own.description ?? '',
        publicPart: own.name,
        remoteId: own.name,
        meta: tokenMeta(own),
      }),
    );
    return { record, identity: own.userId ? `${own.name} (${own.userId})` : own.name };
  },

  // one listing of /v3/tokens, split by cluster scope (the provider reuses it)
  syncScopes: (environments) => [null, ...environments.map((e) => e.remoteId)],

  async create(session, ws, env, input, opts) {
    const provider = rancher2For(session, ws, opts);
    const ttl = ttlMs(input.ttlDays ?? 0);
    const scope = await clusterScope(session, ws, env, input.cluster, provider);
    const clusterId = scope ? (scope.remoteId ?? scope.name) : null;
    const description = input.description || input.name;
    const created = await provider.createToken({ description, ttlMs: ttl, clusterId });
    // shown once: into the vault before anything else can fail
    const key = session.transaction(() => {
      const k = session.addKey({
        workspaceId: ws.id,
        environmentId: scope?.id ?? null,
        kind: 'token',
        name: input.name,
        description,
        remoteId: created.token.name,
        publicPart: created.token.name,
        secret: created.bearer,
        meta: tokenMeta(created.token),
      });
      const clamped =
        ttl > 0 && (created.token.ttl ?? 0) < ttl
          ? ` (TTL cut by the server to ${Math.round((created.token.ttl ?? 0) / 86_400_000)} days)`
          : '';
      session.audit({
        action: 'created',
        keyId: k.id,
        workspaceId: ws.id,
        detail: `API token ${created.token.name} created on Rancher 2${clusterId ? ` for cluster ${clusterId}` : ''}${clamped}`,
      });
      return k;
    });
    // expiresAt is "" in the create answer: read it back (the key is stored whatever happens here)
    const read = await provider.findToken(created.token.name).catch(() => null);
    if (!read) return { key };
    return { key: session.updateKey(key.id, { meta: withTokenMeta(key.meta, read) }) };
  },

  async check(session, ws, key, opts) {
    await rancher2For(session, ws, opts).checkBearer(session.readSecret(key.id), environmentRemoteId(session, key));
    return null;
  },

  async setActive() {
    throw new KeyholdError('USAGE', `${NO_UPDATE}.`);
  },

  async revoke(session, ws, key, opts) {
    const provider = rancher2For(session, ws, opts);
    const name = tokenOf(key);
    await provider.deleteToken(name);
    // the truth rule: revoked only once the platform no longer has it
    if (await provider.findToken(name)) throw new KeyholdError('REMOTE', `Rancher 2 still lists token ${name} after deleting it.`);
  },

  async edit(_session, _ws, _key, input) {
    // the name is the vault's own; the description lives on the platform, which cannot change it
    if (input.description !== undefined) throw new KeyholdError('USAGE', `${NO_UPDATE}.`);
    return {};
  },
};
