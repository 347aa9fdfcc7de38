// What one key pair's page shows beyond the list view: the OpenSSH public line and the randomart
// picture (computed from the stored public part; nothing secret is read).
import { randomart } from '../keys/fingerprint';
import { parsePublicKeyLine } from '../keys/public-key';
import { isKeyPairKind } from '../api/constants';
import type { KeyRecord } from '../vault/types';

export function keyPairDetails(record: Pick<KeyRecord, 'kind' | 'publicPart'>): { publicKey?: string; randomart?: string } {
  if (!isKeyPairKind(record.kind) || !record.publicPart) return {};
  try {
    return { publicKey: record.publicPart, randomart: randomart(parsePublicKeyLine(record.publicPart).key) };
  } catch {
    // a public part that no longer parses is still shown as stored; only the picture is left out
    return { publicKey: record.publicPart };
  }
}
