// Syncano: connects by logging in (email and password give the account key); API and user keys
// live in instances and are readable with the account key; an API key carries flags; a key is
// rotated by resetting it, and only API keys can be deleted (docs/PLATFORMS.md).
import { KeyholdError } from '../../errors';
import { hasStatus } from '../../providers/http';
import { SYNCANO_FLAGS, SyncanoProvider, syncanoAccess, syncanoFlags, syncanoLogin, type SyncanoFlag } from '../../providers/syncano';
import { CAPABILITIES } from '../../providers/types';
import { environmentRemoteId, httpOptions, syncanoFor } from '../remote';
import { settleAfterLogin, syncanoRotation } from '../rotation/syncano';
import { storeCredential } from './credential';
import { need, noActiveState, type PlatformService } from './types';

function isFlag(f: string): f is SyncanoFlag {
  return (SYNCANO_FLAGS as readonly string[]).includes(f);
}

/** The flags asked for, each checked (an unknown one is USAGE). */
function parseFlags(flags: string[] | undefined): Partial<Record<SyncanoFlag, boolean>> {
  const out: Partial<Record<SyncanoFlag, boolean>> = {};
  for (const f of flags ?? []) {
    if (!isFlag(f)) throw new KeyholdError('USAGE', `Unknown flag ${f}: use ${SYNCANO_FLAGS.join(', ')}.`);
    out[f] = true;
  }
  return out;
}

export const syncano: PlatformService<'syncano'> = {
  provider: 'syncano',
  label: 'Syncano',
  capabilities: CAPABILITIES.syncano,
  listsCredential: false,
  rotation: syncanoRotation,

  client: syncanoFor,

  async connect(session, ws, input, opts) {
    const http = httpOptions(ws, opts);
    const email = need(input.email, 'An email (--email)');
    const login = await syncanoLogin(email, need(input.password, 'The password'), http);
    const provider = new SyncanoProvider(login.accountKey, http);
    const identity = (await provider.check()).identity;
    // the role on each instance (shared ones may be write or read: no API keys there)
    const access = syncanoAccess(await provider.listEnvironments());
    const record = session.transaction(() =>
      storeCredential(session, ws, login.accountKey, {
        kind: 'account_key',
        name: `Syncano account key (${login.email})`,
        meta: { email: login.email },
      }),
    );
    return { record, identity: `${identity} (${access.summary})`, access };
  },

  accessOf: syncanoAccess,

  // a reset whose answer was lost left the account key unknown: this login fetched it
  afterConnect: (session, credential) => settleAfterLogin(session, credential.id),

  syncScopes: (environments) => environments.map((e) => e.remoteId),

  async create(session, ws, env, input, opts) {
    if (!env) throw new KeyholdError('USAGE', 'A Syncano API key lives in an instance: give --env.');
    const created = await syncanoFor(session, ws, opts).createApiKey(env.remoteId ?? env.name, {
      description: input.description ?? input.name,
      flags: parseFlags(input.flags),
    });
    const key = session.transaction(() => {
      const k = session.addKey({
        workspaceId: ws.id,
        environmentId: env.id,
        kind: 'api_key',
        name: input.name,
        description: created.description ?? '',
        remoteId: String(created.id),
        flags: syncanoFlags(created),
        secret: created.api_key,
      });
      session.audit({ action: 'created', keyId: k.id, workspaceId: ws.id, detail: `API key created on Syncano in ${env.name}` });
      return k;
    });
    return { key };
  },

  async check(session, ws, key, opts) {
    if (key.kind === 'account_key') await syncanoFor(session, ws, opts).check();
    else if (key.kind === 'api_key')
      await syncanoFor(session, ws, opts).checkApiKey(environmentRemoteId(session, key) ?? '', session.readSecret(key.id));
    else if (key.kind === 'user_key') {
      const user = await syncanoFor(session, ws, opts).getUser(environmentRemoteId(session, key) ?? '', key.remoteId ?? '');
      if (user.user_key !== session.readSecret(key.id))
        return { works: false, detail: 'the platform has another user key (sync or rotate)' };
    }
    return null;
  },

  async setActive() {
    throw noActiveState('syncano', ' (reset or delete instead)');
  },

  async revoke(session, ws, key, opts) {
    if (key.kind !== 'api_key')
      throw new KeyholdError('USAGE', `A Syncano ${key.kind.replace('_', ' ')} cannot be deleted; rotate it (reset) instead.`);
    await syncanoFor(session, ws, opts)
      .deleteApiKey(environmentRemoteId(session, key) ?? '', key.remoteId ?? '')
      .catch((e: unknown) => {
        if (!hasStatus(e, 404)) throw e;
      });
  },

  async edit(session, ws, key, input, opts) {
    if (key.kind !== 'api_key') return {};
    const wanted = input.flags !== undefined ? Object.fromEntries(SYNCANO_FLAGS.map((f) => [f, input.flags!.includes(f)])) : undefined;
    if (input.flags) parseFlags(input.flags);
    const edited = await syncanoFor(session, ws, opts).editApiKey(environmentRemoteId(session, key) ?? '', key.remoteId!, {
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(wanted ? { flags: wanted } : {}),
    });
    return { flags: syncanoFlags(edited) };
  },
};
