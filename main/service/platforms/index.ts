// The registry of platforms: each provider's service module (connect, sync scopes, key create /
// check / activate / revoke / edit, rotation strategy) beside its capabilities. The one place in
// main/service that picks code by a provider's name.
import type { RemotePlatform, RemoteProvider } from '../../providers/types';
import type { VaultSession } from '../../vault/types';
import type { RemoteOptions, RemoteWorkspace } from '../remote';
import { encord } from './encord';
import { github } from './github';
import { rancher } from './rancher';
import { rancher2 } from './rancher2';
import { syncano } from './syncano';
import type { PlatformService } from './types';

export const PLATFORMS: { readonly [P in RemoteProvider]: PlatformService<P> } = { syncano, rancher, encord, github, rancher2 };

export function platformOf(ws: RemoteWorkspace): PlatformService {
  return PLATFORMS[ws.provider];
}

/** A client of the workspace's platform, signed in with its credential. */
export function platformFor(session: VaultSession, ws: RemoteWorkspace, opts: RemoteOptions = {}): RemotePlatform {
  return platformOf(ws).client(session, ws, opts);
}

export type { CheckOutcome, ConnectInput, CreateRemoteKeyInput, CreateRemoteKeyResult, PlatformService, RemoteEditInput } from './types';
