// The whole vault in the clear and back (only ever inside an encrypted backup): dump reads every
// table through its codec; load writes a dump into a new, empty vault, keeping ids and times, and
// re-chains the audit trail under this vault's key in its original order.
import { KeyholdError } from '../errors';
import { fromTuple } from './key-tuple';
import type { ReadTx, WriteTx } from './store/tx';
import { allAudit, appendAudit, clearAudit } from './tables/audit';
import { insertEnvironment, readEnvironments } from './tables/environments';
import { currentVersion, insertVersion, openSecret, readVersions } from './tables/key-versions';
import { insertKey } from './tables/keys';
import { writePending, listPending } from './tables/pending';
import { readPolicies, writePolicy } from './tables/policies';
import { allSettings, setSetting } from './tables/settings';
import { readWorkspaces, writeWorkspace } from './tables/workspaces';
import type { AuditEvent, Environment, KeyRecord, PendingOperation, Policy, Workspace } from './types';

export interface DumpKey {
  record: KeyRecord;
  currentVersion: number;
  versions: Array<{ version: number; createdAt: string; publicPart: string | null; remoteId: string | null; secret: string | null }>;
}

/** A whole vault in the clear (only ever inside an encrypted backup). */
export interface VaultDump {
  workspaces: Workspace[];
  environments: Environment[];
  keys: DumpKey[];
  settings: Record<string, string>;
  policies?: Policy[];
  pending: PendingOperation[];
  audit: AuditEvent[];
}

export function dumpVault(tx: ReadTx): VaultDump {
  const keys: DumpKey[] = [];
  for (const seg of tx.index.segmentIds()) {
    for (const t of tx.index.segmentTuples(seg)) {
      const id = t[0];
      keys.push({
        record: fromTuple(t),
        currentVersion: currentVersion(tx, id),
        versions: readVersions(tx, id).map((v) => ({
          version: v.version,
          createdAt: v.createdAt,
          publicPart: v.publicPart,
          remoteId: v.remoteId,
          secret: v.sealedSecret === null ? null : openSecret(tx.sealer, id, v.version, v.sealedSecret),
        })),
      });
    }
  }
  return {
    workspaces: readWorkspaces(tx),
    environments: readEnvironments(tx),
    keys,
    settings: allSettings(tx),
    policies: readPolicies(tx),
    pending: listPending(tx),
    audit: allAudit(tx),
  };
}

export function loadVault(tx: WriteTx, d: VaultDump): void {
  if (tx.index.size > 0 || readWorkspaces(tx).length > 0) throw new KeyholdError('CONFLICT', 'The vault to restore into is not empty.');
  for (const w of d.workspaces) writeWorkspace(tx, w);
  for (const e of d.environments) insertEnvironment(tx, e);
  for (const k of d.keys) {
    const r = k.record;
    insertKey(tx, r, k.currentVersion);
    for (const v of k.versions)
      insertVersion(
        tx,
        { keyId: r.id, version: v.version, createdAt: v.createdAt, publicPart: v.publicPart, remoteId: v.remoteId },
        v.secret,
      );
  }
  for (const [name, value] of Object.entries(d.settings)) setSetting(tx, name, value);
  for (const p of d.policies ?? []) writePolicy(tx, p);
  for (const p of d.pending) writePending(tx, p);
  clearAudit(tx);
  for (const e of d.audit) appendAudit(tx, e, e.at);
}
