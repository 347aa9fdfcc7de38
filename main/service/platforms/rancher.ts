// Rancher: connects with an account API key pair; keys live on the account or in a project;
// a new key's secret is shown once (straight into the vault); keys can be deactivated, and
// must be before they are deleted (docs/PLATFORMS.md).
import { KeyholdError } from '../../errors';
import { RancherProvider } from '../../providers/rancher';
import { CAPABILITIES } from '../../providers/types';
import type { KeyRecord, VaultSession } from '../../vault/types';
import { environmentRemoteId, httpOptions, rancherFor } from '../remote';
import { rancherRotation } from '../rotation/rancher';
import { storeCredential } from './credential';
import { need, type PlatformService } from './types';

/** The key as Rancher addresses it (it must be linked to a Rancher key). */
function rancherRef(session: VaultSession, key: KeyRecord): { id: string; projectId: string | null } {
  if (!key.remoteId) throw new KeyholdError('USAGE', `Key ${key.id} is not linked to a Rancher key (sync the workspace first).`);
  return { id: key.remoteId, projectId: environmentRemoteId(session, key) };
}

export const rancher: PlatformService<'rancher'> = {
  provider: 'rancher',
  label: 'Rancher',
  capabilities: CAPABILITIES.rancher,
  listsCredential: true,
  rotation: rancherRotation,

  client: rancherFor,

  async connect(session, ws, input, opts) {
    const http = httpOptions(ws, opts);
    const accessKey = need(input.accessKey, 'The access key (--public)');
    const provider = new RancherProvider(http.baseUrl!, accessKey, need(input.secretKey, 'The secret key'), http);
    const identity = (await provider.check()).identity;
    const own = await provider.findByPublicValue(null, accessKey);
    const record = session.transaction(() =>
      storeCredential(session, ws, input.secretKey!, {
        kind: 'access_key_pair',
        name: own?.name || `Rancher account key ${accessKey}`,
        description: own?.description ?? '',
        publicPart: accessKey,
        remoteId: own?.id ?? null,
      }),
    );
    return { record, identity };
  },

  syncScopes: (environments) => [null, ...environments.map((e) => e.remoteId)],

  async create(session, ws, env, input, opts) {
    const provider = rancherFor(session, ws, opts);
    const projectId = env ? (env.remoteId ?? env.name) : null;
    const created = await provider.createKey({ projectId, name: input.name, description: input.description ?? '' });
    // shown once: into the vault before anything else can fail
    const key = session.transaction(() => {
      const k = session.addKey({
        workspaceId: ws.id,
        environmentId: env?.id ?? null,
        kind: 'access_key_pair',
        name: input.name,
        description: input.description ?? '',
        remoteId: created.key.id,
        publicPart: created.key.publicValue,
        secret: created.secret,
      });
      session.audit({
        action: 'created',
        keyId: k.id,
        workspaceId: ws.id,
        detail: `${env ? 'environment' : 'account'} API key created on Rancher`,
      });
      return k;
    });
    // Rancher answers "registering": the key is reported created once Rancher shows it active
    try {
      await provider.waitActive({ id: created.key.id, projectId });
    } catch (e) {
      if (!(e instanceof KeyholdError)) throw e;
      throw new KeyholdError(
        'REMOTE',
        `${e.message} The key is stored as ${key.id}; run \`keyhold key check ${key.id}\` once Rancher shows it active.`,
        e.status !== undefined ? { status: e.status } : {},
      );
    }
    return { key };
  },

  async check(session, ws, key, opts) {
    if (!key.publicPart) throw new KeyholdError('INVALID_INPUT', `Key ${key.id} has no access key.`);
    await rancherFor(session, ws, opts).checkKeyPair(key.publicPart, session.readSecret(key.id), { waitMs: 0 });
    return null;
  },

  async setActive(session, ws, key, active, opts) {
    const ref = rancherRef(session, key);
    if (!active && key.id === ws.credentialKeyId)
      throw new KeyholdError(
        'CONFLICT',
        `Key ${key.id} manages workspace ${ws.name}: deactivating it would lock Keyhold out. Connect another key first.`,
      );
    const provider = rancherFor(session, ws, opts);
    if (active) await provider.activate(ref);
    else await provider.deactivate(ref);
  },

  async revoke(session, ws, key, opts) {
    // deactivate, wait until inactive, DELETE, then read back: it must be removed and unlisted
    await rancherFor(session, ws, opts).deleteKey(rancherRef(session, key), { deactivateFirst: true });
  },

  async edit(session, ws, key, input, opts) {
    const ref = { id: key.remoteId!, projectId: environmentRemoteId(session, key) };
    await rancherFor(session, ws, opts).editKey(ref, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
    });
    return {};
  },
};
