// A key's metadata as one positional tuple, as it lies inside a sealed index segment, and the
// conversion from and to a KeyRecord.
import { z } from 'zod';
import { KEY_KINDS, KEY_STATES, type KeyRecord } from './types';

/** A key's metadata as one positional tuple inside an index segment (compact: 100,000 of them). */
export const KeyTuple = z.tuple([
  z.string(), // 0 id
  z.string().nullable(), // 1 workspaceId
  z.string().nullable(), // 2 environmentId
  z.enum(KEY_KINDS), // 3 kind
  z.string(), // 4 name
  z.string(), // 5 description
  z.enum(KEY_STATES), // 6 state
  z.string().nullable(), // 7 remoteId
  z.record(z.string(), z.boolean()), // 8 flags
  z.string().nullable(), // 9 role
  z.string().nullable(), // 10 publicPart
  z.string().nullable(), // 11 fingerprint
  z.record(z.string(), z.string()), // 12 meta
  z.union([z.literal(0), z.literal(1)]), // 13 remoteMissing
  z.number(), // 14 createdAt (ms)
  z.number(), // 15 updatedAt (ms)
  z.number().nullable(), // 16 rotatedAt (ms)
  z.union([z.literal(0), z.literal(1)]), // 17 hasSecret
]);
export type KeyTuple = z.infer<typeof KeyTuple>;

export function toTuple(r: KeyRecord): KeyTuple {
  return [
    r.id,
    r.workspaceId,
    r.environmentId,
    r.kind,
    r.name,
    r.description,
    r.state,
    r.remoteId,
    r.flags,
    r.role,
    r.publicPart,
    r.fingerprint,
    r.meta,
    r.remoteMissing ? 1 : 0,
    Date.parse(r.createdAt),
    Date.parse(r.updatedAt),
    r.rotatedAt === null ? null : Date.parse(r.rotatedAt),
    r.hasSecret ? 1 : 0,
  ];
}

export function fromTuple(t: KeyTuple): KeyRecord {
  return {
    id: t[0],
    workspaceId: t[1],
    environmentId: t[2],
    kind: t[3],
    name: t[4],
    description: t[5],
    state: t[6],
    remoteId: t[7],
    flags: { ...t[8] },
    role: t[9],
    publicPart: t[10],
    fingerprint: t[11],
    meta: { ...t[12] },
    remoteMissing: t[13] === 1,
    createdAt: new Date(t[14]).toISOString(),
    updatedAt: new Date(t[15]).toISOString(),
    rotatedAt: t[16] === null ? null : new Date(t[16]).toISOString(),
    hasSecret: t[17] === 1,
  };
}
