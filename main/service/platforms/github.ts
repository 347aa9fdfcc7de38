// GitHub: connects with a token; its keys are the account's SSH public keys, the deploy keys of
// repositories (OWNER/REPO: the workspace's environments) and the user's SSH signing keys, each
// registered by API from a vault key pair; nothing can be edited or deactivated (keys are
// immutable). What the token may do is read from X-OAuth-Scopes at connect (docs/PLATFORMS.md).
import { KeyholdError } from '../../errors';
import { GithubProvider, SIGNING_SCOPE } from '../../providers/github';
import { hasStatus } from '../../providers/http';
import { CAPABILITIES } from '../../providers/types';
import { githubFor, httpOptions } from '../remote';
import { githubRotation } from '../rotation/github';
import { resolveEnvironment } from '../identifiers';
import { storeCredential } from './credential';
import { createGithubKey, targetOfKey } from './github-keys';
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
    const record = session.transaction(() =>
      storeCredential(session, ws, token, { kind: 'api_key', name: 'GitHub token', meta: { type: 'token' } }),
    );
    return { record, identity, access };
  },

  // the user's keys, the signing keys, and each repository's deploy keys
  syncScopes: (environments) => [null, SIGNING_SCOPE, ...environments.map((e) => e.remoteId)],
  scopeOf: (key, repo) => (key.kind === 'signing_key' ? SIGNING_SCOPE : repo),
  hidesWith404: true,

  environmentFor(session, ws, ref) {
    try {
      return resolveEnvironment(session, ref, ws.id);
    } catch (e) {
      // a repository the vault does not know yet: added with its first deploy key
      if (e instanceof KeyholdError && e.code === 'NOT_FOUND') return null;
      throw e;
    }
  },

  async create(session, ws, env, input, opts) {
    if (input.kind === 'deploy_key' || input.kind === 'signing_key') return { key: await createGithubKey(session, ws, env, input, opts) };
    if (env)
      throw new KeyholdError(
        'USAGE',
        'A GitHub SSH key belongs to the user, not to a repository: leave out --env (or create a deploy_key).',
      );
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
      const k = session.updateKey(pair.id, {
        remoteId: String(registered.id),
        meta: { ...pair.meta, registeredAt: new Date().toISOString() },
      });
      session.audit({
        action: 'registered',
        keyId: k.id,
        workspaceId: ws.id,
        detail: `public key registered on GitHub (${k.fingerprint ?? ''})`,
      });
      return k;
    });
    return { key };
  },

  async check(session, ws, key, opts) {
    if (key.id === ws.credentialKeyId) await githubFor(session, ws, opts).check();
    else await githubFor(session, ws, opts).getKey(key.remoteId ?? '', targetOfKey(session, key));
    return null;
  },

  async setActive() {
    throw noActiveState('github');
  },

  async revoke(session, ws, key, opts) {
    if (!key.remoteId) throw new KeyholdError('USAGE', `Key ${key.id} is not registered on GitHub.`);
    // a 404 is believed only when a lookup shows the key gone (a token without admin:public_key gets 404 too)
    await githubFor(session, ws, opts).deleteKey(key.remoteId, targetOfKey(session, key));
  },

  // nothing to edit on GitHub: the name and description are the vault's
  edit: async () => ({}),
};
