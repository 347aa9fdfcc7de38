// What each platform's choices mean, in the platforms' own words (docs/PLATFORMS.md). The enums
// themselves come from main/api/constants.ts, which main validates against.
import { ENCORD_ROLE_INFO, ENCORD_ROLES, SYNCANO_FLAG_INFO, SYNCANO_FLAGS, type EncordHolder } from '../../../main/api/constants';

/** Syncano API key flags (seed 001, "API Key flags"): one definition, shared with main. */
export const FLAG_INFO: Readonly<Record<string, { what: string; why: string }>> = SYNCANO_FLAG_INFO;
export { SYNCANO_FLAGS };

/** Rancher: account vs environment API keys (seed 003). */
export const RANCHER_SCOPES = {
  account: {
    what: 'Account API key',
    why: 'Can add accounts and create, read, update and delete any environment this account can reach; what the Rancher CLI uses.',
  },
  environment: {
    what: 'Environment API key',
    why: 'Tied to one environment and can only change resources inside it; what Rancher Compose uses.',
  },
} as const;

/** Encord: who holds the access key (seed 004). */
export const ENCORD_HOLDERS: Record<EncordHolder, { what: string; why: string }> = {
  service_account: {
    what: 'Service account key',
    why: 'Tied to the workspace; grants what the service account can reach. Recommended. One service account per workspace.',
  },
  user: {
    what: 'User key',
    why: 'Tied to your user; grants what you can reach, and stops working when you leave the workspace.',
  },
};

/** Encord roles and what each grants. */
export { ENCORD_ROLE_INFO, ENCORD_ROLES };

/** What each state action does on each platform, for the confirmation text. */
export function stateActionEffect(provider: string, action: 'activate' | 'deactivate' | 'revoke'): string {
  if (provider === 'rancher') {
    if (action === 'activate') return 'Rancher will accept this access key and secret again.';
    if (action === 'deactivate') return 'Rancher will refuse these credentials until you activate the key again. Nothing is deleted.';
    return 'Rancher will deactivate the key if it is still active, then delete it. The credentials stop working for good; Keyhold keeps the stored secret as a revoked version.';
  }
  if (provider === 'syncano') {
    if (action === 'revoke')
      return 'Syncano will delete this API key. Applications using it stop working at once. Keyhold keeps the stored value, marked revoked.';
    return 'Syncano has no way to switch a key off and on; reset or delete it instead.';
  }
  if (provider === 'rancher2') {
    if (action === 'revoke')
      return 'Rancher will delete this API token. Anything using it gets 401 at once. Keyhold keeps the stored value, marked revoked.';
    return 'Rancher 2 tokens cannot be disabled or enabled through its API (no update: 404 "no store found"); delete the token instead.';
  }
  if (provider === 'github') {
    if (action === 'revoke')
      return 'GitHub will delete this public key from your account. SSH logins with it stop working. The key pair stays in your vault.';
    return 'GitHub keys cannot be switched off; remove the key instead.';
  }
  if (provider === 'encord') {
    if (action === 'revoke')
      return 'The key is marked revoked in your vault. Remove its public key in Encord (Settings → API keys) as well: Encord has no public API for that.';
    return 'Encord keys have no on/off switch.';
  }
  return action === 'revoke' ? 'The key is marked revoked in your vault.' : 'The key state changes in your vault.';
}
