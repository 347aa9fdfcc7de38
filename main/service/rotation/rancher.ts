// Rancher's rotation: creating -> (POST new key) -> stored{new secret} (the shown-once secret and
// the new version are written in one transaction) -> verify with the new pair -> retire the old
// (deactivate, wait until inactive, delete, read back removed) -> done. A new pair that does not authenticate is rolled back
// (rolling_back): the old pair becomes current again and the new key is deleted.
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import { hasStatus } from '../../providers/http';
import type { RancherProvider } from '../../providers/rancher';
import { environmentRemoteId, rancherFor } from '../remote';
import { ROTATION, createNew, readJournal, unknownStep, type RotationContext, type RotationStrategy } from './journal';

const RancherData = z.object({
  provider: z.literal('rancher'),
  projectId: z.string().nullable(),
  oldRemoteId: z.string(),
  oldPublic: z.string(),
  oldSecret: z.string(),
  name: z.string(),
  description: z.string(),
  newRemoteId: z.string().optional(),
  newPublic: z.string().optional(),
  newSecret: z.string().optional(),
});
type RancherData = z.output<typeof RancherData>;
/** the new key's fields, present from 'stored' on */
const Created = RancherData.required({ newRemoteId: true, newPublic: true, newSecret: true });

export const RANCHER_STEPS = ['creating', 'stored', 'rolling_back'] as const;
export const RancherJournal = z.discriminatedUnion('step', [
  z.object({ provider: z.literal('rancher'), step: z.literal('creating'), data: RancherData }),
  z.object({ provider: z.literal('rancher'), step: z.enum(['stored', 'rolling_back']), data: Created }),
]);
export type RancherJournal = z.output<typeof RancherJournal>;
type Step = (typeof RANCHER_STEPS)[number];

/** One provider per workspace for the whole run, rebuilt after its credential is rotated. */
const managers = new WeakMap<object, Map<string, RancherProvider>>();

function manager(ctx: RotationContext): RancherProvider {
  let byWorkspace = managers.get(ctx.batch);
  if (!byWorkspace) managers.set(ctx.batch, (byWorkspace = new Map()));
  let p = byWorkspace.get(ctx.ws.id);
  if (!p) byWorkspace.set(ctx.ws.id, (p = rancherFor(ctx.session, ctx.ws, ctx.opts)));
  return p;
}

async function store(ctx: RotationContext, data: RancherData & z.output<typeof Created>): Promise<void> {
  await ctx.store('stored' satisfies Step, data, data.newSecret, { publicPart: data.newPublic, remoteId: data.newRemoteId });
  if (ctx.ws.credentialKeyId === ctx.keyId) managers.get(ctx.batch)?.delete(ctx.ws.id);
}

/** A create whose answer was lost left a key we have no secret for: remove it before creating
 * again (a key that any vault key or journal entry knows is never an orphan). */
async function removeOrphans(ctx: RotationContext, data: RancherData): Promise<void> {
  const since = Date.parse(ctx.op.createdAt) - 60_000;
  const candidates = (await manager(ctx).findByName(data.projectId, data.name)).filter(
    (k) =>
      k.id !== data.oldRemoteId && k.state !== 'removed' && k.state !== 'purged' && (k.created ? Date.parse(k.created) >= since : false),
  );
  if (!candidates.length) return;
  const known = new Set<string>();
  for (const k of ctx.session.listKeys({ workspaceId: ctx.ws.id }).items) if (k.remoteId) known.add(k.remoteId);
  for (const op of ctx.session.listPending(ROTATION)) {
    const d = RancherData.safeParse(op.data);
    if (d.success && d.data.newRemoteId) known.add(d.data.newRemoteId);
  }
  for (const k of candidates.filter((c) => !known.has(c.id)))
    await manager(ctx).deleteKey({ id: k.id, projectId: data.projectId }, { deactivateFirst: true });
}

async function rollback(ctx: RotationContext, entry: RancherJournal): Promise<void> {
  const data = entry.data;
  if (entry.step !== 'rolling_back') {
    ctx.session.transaction(() => {
      ctx.session.addVersion(ctx.keyId, data.oldSecret, { publicPart: data.oldPublic, remoteId: data.oldRemoteId });
      ctx.update('rolling_back' satisfies Step, data);
    });
  }
  if (data.newRemoteId)
    await rancherFor(ctx.session, ctx.ws, ctx.opts).deleteKey(
      { id: data.newRemoteId, projectId: data.projectId },
      { deactivateFirst: true },
    );
  ctx.abandon();
}

export const rancherRotation: RotationStrategy = {
  provider: 'rancher',
  waiting: [],

  async begin(session, key) {
    if (key.kind !== 'access_key_pair') return null;
    if (!key.remoteId || !key.publicPart)
      throw new KeyholdError('USAGE', `Key ${key.id} is not linked to a Rancher key (sync the workspace first).`);
    const data: RancherData = {
      provider: 'rancher',
      projectId: environmentRemoteId(session, key),
      oldRemoteId: key.remoteId,
      oldPublic: key.publicPart,
      oldSecret: session.readSecret(key.id),
      name: key.name,
      description: key.description,
    };
    return { step: 'creating' satisfies Step, data };
  },

  async step(ctx) {
    const entry = readJournal(RancherJournal, 'rancher', ctx.op);
    switch (entry.step) {
      case 'creating': {
        const data = entry.data;
        const created = await createNew(
          ctx,
          () => removeOrphans(ctx, data),
          () => manager(ctx).createKey({ projectId: data.projectId, name: data.name, description: data.description }),
        );
        await ctx.hook('answered');
        // the shown-once secret goes into the journal and the vault in one transaction
        await store(ctx, { ...data, newRemoteId: created.key.id, newPublic: created.key.publicValue, newSecret: created.secret });
        await ctx.hook('created');
        await ctx.hook('stored');
        return false;
      }
      case 'stored': {
        const data = entry.data;
        // Rancher answers a create with "registering": the new key is used once it shows active
        const settled = await manager(ctx).settle({ id: data.newRemoteId, projectId: data.projectId });
        let works = settled?.state === 'active';
        if (works) {
          try {
            await manager(ctx).checkKeyPair(data.newPublic, data.newSecret, { waitMs: 5_000 });
          } catch (e) {
            if (!hasStatus(e, 401)) throw e;
            works = false;
          }
        }
        if (!works) {
          await rollback(ctx, entry);
          throw new KeyholdError(
            'REMOTE',
            `Rancher: the new key ${settled ? `is ${settled.state} and ` : ''}did not authenticate; the old key was kept.`,
          );
        }
        await ctx.hook('verified');
        // the manager's credential is read now: if this key manages the workspace, it is the new one
        await manager(ctx).deleteKey({ id: data.oldRemoteId, projectId: data.projectId }, { deactivateFirst: true });
        await ctx.hook('retired');
        await ctx.finish(`rotated: new access key ${data.newPublic}, old ${data.oldPublic} deactivated and deleted`);
        await ctx.hook('recorded');
        return true;
      }
      case 'rolling_back':
        await rollback(ctx, entry);
        throw new KeyholdError('REMOTE', 'Rancher: the rotation was rolled back; the old key was kept.', { status: 401 });
      default:
        return unknownStep(entry);
    }
  },
};
