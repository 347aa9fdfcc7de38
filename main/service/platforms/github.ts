// GitHub: connects with a token; its keys are the account's SSH public keys, registered by API
// from a vault key pair; nothing can be edited or deactivated. What the token may do is read
// from X-OAuth-Scopes at connect (docs/PLATFORMS.md).
import { KeyholdError } from '../../errors';
import { GithubProvider } from '../../providers/github';
import { hasStatus } from '../../providers/http';
import { CAPABILITIES } from '../../providers/types';
import { githubFor, httpOptions } from '../remote';
import { githubRotation } from '../rotation/github';
import { storeCredential } from './credential';
import { keyPairFor } from './key-pair';
import { need, noActiveState, type PlatformService } from './types';

export const github: PlatformService<'github'> = {
  provider: 'github',
  label: 'GitHub',
  capabilities: CAPABILITIES.github,
  listsCredential: false,
  rotation: githubRotation,

  client: githubFor,

  async connect(session, ws, input, opts) {
    const token = need(input.token, 'The token');
    const { identity, access } = await new GithubProvider(token, httpOptions(ws, opts)).check();
    const record = session.transaction(() => storeCredential(session, ws, token, { kind: 'api_key', name: 'GitHub token', meta: { type: 'token' } }));
    return { record, identity, access };
  },

  syncScopes: () => [null],

  async create(session, ws, _env, input, opts) {
    const pair = await keyPairFor(session, input, ws.id, null);
    const client = githubFor(session, ws, opts);
    let registered;
    try {
      registered = await client.registerKey(input.name, pair.publicPart!);
    } catch (e) {
      // a lost answer: the key may be registered all the same
      const found = hasStatus(e, 409, 422) ? null : await client.findByKey(pair.publicPart!).catch(() => null);
      if (!found) throw e;
      registered = found;
    }
    const key = session.transaction(() => {
      const k = session.updateKey(pair.id, { remoteId: String(registered.id), meta: { ...pair.meta, registeredAt: new Date().toISOString() } });
      session.audit({ action: 'registered', keyId: k.id, workspaceId: ws.id, detail: `public key registered on GitHub (${k.fingerprint ?? ''})` });
      return k;
    });
    return { key };
  },

  async check(session, ws, key, opts) {
    if (key.id === ws.credentialKeyId) await githubFor(session, ws, opts).check();
    else await githubFor(session, ws, opts).getKey(key.remoteId ?? '');
    return null;
  },

  async setActive() {
    throw noActiveState('github');
  },

  async revoke(session, ws, key, opts) {
    if (!key.remoteId) throw new KeyholdError('USAGE', `Key ${key.id} is not registered on GitHub.`);
    // a 404 is believed only when a lookup shows the key gone (a token without admin:public_key gets 404 too)
    await githubFor(session, ws, opts).deleteKey(key.remoteId);
  },

  // nothing to edit on GitHub: the name and description are the vault's
  edit: async () => ({}),
};
