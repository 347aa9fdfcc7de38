// The vault key pair a platform registers (GitHub, Encord): the one the user named, or a new one.
import { KeyholdError } from '../../errors';
import type { KeyRecord, VaultSession } from '../../vault/types';
import { generateKeyPair } from '../keypairs';
import type { CreateRemoteKeyInput } from './types';

export async function keyPairFor(
  session: VaultSession,
  input: CreateRemoteKeyInput,
  workspaceId: string,
  environmentId: string | null,
): Promise<KeyRecord> {
  if (input.keyId) {
    const key = session.getKey(input.keyId);
    if (key.kind !== 'ssh_key_pair' || !key.publicPart) throw new KeyholdError('INVALID_INPUT', `Key ${key.id} is not a key pair.`);
    if (key.workspaceId && key.workspaceId !== workspaceId)
      throw new KeyholdError('CONFLICT', `Key ${key.id} belongs to another workspace.`);
    return key;
  }
  return generateKeyPair(session, {
    name: input.name,
    workspaceId,
    environmentId,
    ...(input.description !== undefined ? { description: input.description } : {}),
  });
}
