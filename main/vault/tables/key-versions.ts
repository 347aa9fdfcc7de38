// The key_versions table: (key_id, version, created_at) in clear; the public part and remote id
// sealed with a copy of created_at (an edited clear time is INTEGRITY), the secret sealed apart.
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import type { Sealer } from '../crypto';
import { row, type ReadTx, type WriteTx } from '../store/tx';
import { openSealed } from './codec';

export const VersionData = z.object({ publicPart: z.string().nullable(), remoteId: z.string().nullable(), createdAt: z.string() });
const VersionRow = z.object({
  key_id: z.string(),
  version: z.number(),
  created_at: z.string(),
  data: z.instanceof(Buffer),
  secret: z.instanceof(Buffer).nullable(),
});
const SECRET = 'key_versions.secret';

export interface StoredVersion {
  keyId: string;
  version: number;
  createdAt: string;
  publicPart: string | null;
  remoteId: string | null;
}

const vid = (keyId: string, version: number) => `${keyId}/${version}`;

export const versionCodec = {
  label: 'key_versions.data',
  toRow(sealer: Sealer, v: StoredVersion, secret: string | null) {
    const id = vid(v.keyId, v.version);
    const sealed: z.input<typeof VersionData> = { publicPart: v.publicPart, remoteId: v.remoteId, createdAt: v.createdAt };
    return {
      key_id: v.keyId,
      version: v.version,
      created_at: v.createdAt,
      data: sealer.sealJson(this.label, id, sealed),
      secret: secret === null ? null : sealer.seal(SECRET, id, secret),
    };
  },
  fromRow(sealer: Sealer, raw: unknown): StoredVersion & { sealedSecret: Buffer | null } {
    const r = row(VersionRow, raw, 'key_versions');
    const d = openSealed(sealer, VersionData, this.label, vid(r.key_id, r.version), r.data);
    if (d.createdAt !== r.created_at)
      throw new KeyholdError('INTEGRITY', "The vault is damaged or tampered with: a key version's time was changed.");
    return {
      keyId: r.key_id,
      version: r.version,
      createdAt: r.created_at,
      publicPart: d.publicPart,
      remoteId: d.remoteId,
      sealedSecret: r.secret,
    };
  },
};

export function openSecret(sealer: Sealer, keyId: string, version: number, sealed: Buffer): string {
  return sealer.open(SECRET, vid(keyId, version), sealed);
}

export function insertVersion(tx: WriteTx, v: StoredVersion, secret: string | null): void {
  const r = versionCodec.toRow(tx.sealer, v, secret);
  tx.run(
    'INSERT INTO key_versions (key_id, version, created_at, data, secret) VALUES (?, ?, ?, ?, ?)',
    r.key_id,
    r.version,
    r.created_at,
    r.data,
    r.secret,
  );
}

export function readVersions(tx: ReadTx, keyId: string): Array<StoredVersion & { sealedSecret: Buffer | null }> {
  return tx
    .all('SELECT key_id, version, created_at, data, secret FROM key_versions WHERE key_id = ? ORDER BY version', keyId)
    .map((raw) => versionCodec.fromRow(tx.sealer, raw));
}

export function currentVersion(tx: ReadTx, keyId: string): number {
  return row(z.object({ current_version: z.number() }), tx.get('SELECT current_version FROM keys WHERE id = ?', keyId), 'keys')
    .current_version;
}
