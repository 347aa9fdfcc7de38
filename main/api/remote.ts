// remote.*: what each platform can do, and the journal of interrupted rotations.
import { z } from 'zod';
import { def, Empty, KeyKindName, type NamespaceChannels } from './common';
import { KeyRotateOutput } from './keys';

export const RemoteCapabilities = z.record(
  z.string(),
  z.object({
    connect: z.string(),
    create: z.array(KeyKindName),
    reset: z.boolean(),
    activate: z.boolean(),
    deactivate: z.boolean(),
    deleteRequiresInactive: z.boolean(),
    edit: z.boolean(),
    registration: z.string(),
    signedRequests: z.boolean(),
    environments: z.boolean(),
  }),
);
export const PendingRotationView = z.object({
  id: z.string(),
  keyId: z.string().nullable(),
  step: z.string(),
  createdAt: z.string(),
  /** the step waits for the user (e.g. GitHub kept the old key): resuming does not end it, `key rotate` does */
  waiting: z.boolean().optional(),
});

export const remoteChannels = {
  'remote.capabilities': def(Empty, RemoteCapabilities, []),
  'remote.pending': def(Empty, z.array(PendingRotationView), ['LOCKED']),
  'remote.resume': def(Empty, KeyRotateOutput, ['LOCKED', 'REMOTE']),
} as const satisfies NamespaceChannels<'remote'>;
