// Encord: requests are signed with an ed25519 key pair of the vault; a public key is registered
// by hand in Encord's web app (guided, then checked with a signed request), and removed there
// too; it lists no keys, so a sync brings its projects only (docs/PLATFORMS.md).
import { KeyholdError } from '../../errors';
import { EncordProvider } from '../../providers/encord';
import { hasStatus } from '../../providers/http';
import { CAPABILITIES } from '../../providers/types';
import type { VaultSession } from '../../vault/types';
import { encordFor, encordWithKey, type RemoteOptions, type RemoteWorkspace } from '../remote';
import { keyPairFor } from './key-pair';
import { need, noActiveState, type PlatformService } from './types';

const REGISTERED = 'public key registered on Encord (checked with a signed request)';

/** Does Encord accept a request signed with this key? */
async function registered(session: VaultSession, ws: RemoteWorkspace, keyId: string, opts: RemoteOptions): Promise<boolean> {
  try {
    await encordWithKey(session, ws, keyId, opts).check();
    return true;
  } catch (e) {
    if (hasStatus(e, 401, 403)) return false;
    throw e;
  }
}

export const encord: PlatformService<'encord'> = {
  provider: 'encord',
  label: 'Encord',
  capabilities: CAPABILITIES.encord,
  listsCredential: false,
  rotation: { refused: 'Encord keys are registered by hand: create a new key pair (key create), register it, then revoke the old one.' },

  client: encordFor,

  async connect(session, ws, input, opts) {
    const keyId = need(input.keyId, 'A key pair of the vault (--key)');
    const key = session.getKey(keyId);
    if (key.kind !== 'ssh_key_pair')
      throw new KeyholdError('INVALID_INPUT', `Key ${key.id} is not a key pair: Encord signs with an ed25519 key pair.`);
    const identity = (await encordWithKey(session, ws, key.id, opts).check()).identity;
    const record = session.updateKey(key.id, {
      meta: { ...key.meta, registeredAt: key.meta.registeredAt ?? new Date().toISOString(), encordKeyId: identity },
    });
    return { record, identity };
  },

  // Encord lists no keys
  syncScopes: () => [],

  async create(session, ws, env, input, opts) {
    const pair = await keyPairFor(session, input, ws.id, env?.id ?? null);
    const holder = input.role === 'user' ? 'user' : 'service_account';
    const guide = EncordProvider.registrationGuide(pair.publicPart!, holder);
    const found = await registered(session, ws, pair.id, opts);
    const key = session.updateKey(pair.id, {
      role: input.role ?? pair.role ?? 'Admin',
      meta: { ...pair.meta, registration: found ? 'checked' : 'guided', ...(found ? { registeredAt: new Date().toISOString() } : {}) },
    });
    if (found) session.audit({ action: 'registered', keyId: key.id, workspaceId: ws.id, detail: REGISTERED });
    return { key, registration: { ...guide, registered: found } };
  },

  // a check that finds the key registered records the registration
  async check(session, ws, key, opts) {
    const works = await registered(session, ws, key.id, opts);
    if (works && !key.meta.registeredAt) {
      session.updateKey(key.id, { meta: { ...key.meta, registration: 'checked', registeredAt: new Date().toISOString() } });
      session.audit({ action: 'registered', keyId: key.id, workspaceId: ws.id, detail: REGISTERED });
    }
    return { works, detail: works ? 'a signed request was accepted' : 'Encord does not know this key: register it (see key create)' };
  },

  async setActive() {
    throw noActiveState('encord');
  },

  async revoke() {
    throw new KeyholdError(
      'USAGE',
      "Encord keys are removed in Encord's web app (Service accounts or User settings > API keys); then `key rm` it here.",
    );
  },

  edit: async () => ({}),
};
