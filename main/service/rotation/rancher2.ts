// Rancher 2's rotation (docs/PLATFORMS.md: no rotate action, the access key changes with the
// secret): creating -> (POST /v3/tokens with the old description, ttl and clusterId) ->
// stored{new bearer} (the shown-once value and the new version in one transaction; a workspace
// credential is switched by this very write) -> verify with a real call of the new token ->
// DELETE the old, read back that it is gone -> done. A new token that does not authenticate is
// rolled back (rolling_back): the old bearer becomes current again and the new token is deleted.
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import { hasStatus } from '../../providers/http';
import { isApiKey, withTokenMeta } from '../../providers/rancher2';
import { environmentRemoteId, rancher2For } from '../remote';
import { ROTATION, createNew, readJournal, unknownStep, type RotationContext, type RotationStrategy } from './journal';

const Rancher2Data = z.object({
  provider: z.literal('rancher2'),
  clusterId: z.string().nullable(),
  description: z.string(),
  ttl: z.number().int().nonnegative(),
  oldName: z.string(),
  /** null: a synced token whose value the vault never had (the rotation gives it one) */
  oldBearer: z.string().nullable(),
  newName: z.string().optional(),
  newBearer: z.string().optional(),
});
type Rancher2Data = z.output<typeof Rancher2Data>;
/** the new token's fields, present from 'stored' on */
const Created = Rancher2Data.required({ newName: true, newBearer: true });

export const RANCHER2_STEPS = ['creating', 'stored', 'rolling_back'] as const;
type Step = (typeof RANCHER2_STEPS)[number];
export const Rancher2Journal = z.discriminatedUnion('step', [
  z.object({ provider: z.literal('rancher2'), step: z.literal('creating'), data: Rancher2Data }),
  z.object({ provider: z.literal('rancher2'), step: z.enum(['stored', 'rolling_back']), data: Created }),
]);
export type Rancher2Journal = z.output<typeof Rancher2Journal>;

/** A client with the workspace's credential as it is now (the rotated key may be it). */
const manager = (ctx: RotationContext) => rancher2For(ctx.session, ctx.ws, ctx.opts);

/** A create whose answer was lost left a token nobody has the value of: delete it before creating
 * again (a token any vault key or journal entry knows is never an orphan). */
async function removeOrphans(ctx: RotationContext, data: Rancher2Data): Promise<void> {
  const since = Date.parse(ctx.op.createdAt) - 60_000;
  const candidates = (await manager(ctx).listTokens()).filter(
    (t) =>
      isApiKey(t) &&
      t.name !== data.oldName &&
      (t.description ?? '') === data.description &&
      (t.clusterId || null) === data.clusterId &&
      (t.created ? Date.parse(t.created) >= since : false),
  );
  if (!candidates.length) return;
  const known = new Set<string>();
  for (const k of ctx.session.listKeys({ workspaceId: ctx.ws.id }).items) if (k.remoteId) known.add(k.remoteId);
  for (const op of ctx.session.listPending(ROTATION)) {
    const d = Rancher2Data.safeParse(op.data);
    if (d.success && d.data.newName) known.add(d.data.newName);
  }
  for (const t of candidates.filter((c) => !known.has(c.name))) await manager(ctx).deleteToken(t.name);
}

async function rollback(ctx: RotationContext, entry: Rancher2Journal): Promise<void> {
  const data = entry.data;
  if (entry.step !== 'rolling_back') {
    const old = data.oldBearer;
    ctx.session.transaction(() => {
      if (old !== null) ctx.session.addVersion(ctx.keyId, old, { publicPart: data.oldName, remoteId: data.oldName });
      else ctx.session.updateKey(ctx.keyId, { publicPart: data.oldName, remoteId: data.oldName });
      ctx.update('rolling_back' satisfies Step, data);
    });
  }
  if (data.newName) await manager(ctx).deleteToken(data.newName);
  ctx.abandon();
}

export const rancher2Rotation: RotationStrategy = {
  provider: 'rancher2',
  waiting: [],

  async begin(session, key) {
    if (key.kind !== 'token') return null;
    if (!key.remoteId) throw new KeyholdError('USAGE', `Key ${key.id} is not linked to a Rancher 2 token (sync the workspace first).`);
    const ttl = Number(key.meta.ttl ?? '0');
    const data: Rancher2Data = {
      provider: 'rancher2',
      clusterId: environmentRemoteId(session, key),
      description: key.description,
      ttl: Number.isInteger(ttl) && ttl >= 0 ? ttl : 0,
      oldName: key.remoteId,
      oldBearer: key.hasSecret ? session.readSecret(key.id) : null,
    };
    return { step: 'creating' satisfies Step, data };
  },

  async step(ctx) {
    const entry = readJournal(Rancher2Journal, 'rancher2', ctx.op);
    switch (entry.step) {
      case 'creating': {
        const data = entry.data;
        const created = await createNew(
          ctx,
          () => removeOrphans(ctx, data),
          () => manager(ctx).createToken({ description: data.description, ttlMs: data.ttl, clusterId: data.clusterId }),
        );
        await ctx.hook('answered');
        // the shown-once value goes into the journal and the vault in one transaction
        const next = { ...data, newName: created.token.name, newBearer: created.bearer };
        const key = ctx.session.getKey(ctx.keyId);
        await ctx.store('stored' satisfies Step, next, created.bearer, {
          publicPart: next.newName,
          remoteId: next.newName,
          meta: withTokenMeta(key.meta, created.token),
        });
        await ctx.hook('created');
        await ctx.hook('stored');
        return false;
      }
      case 'stored': {
        const data = entry.data;
        try {
          await manager(ctx).checkBearer(data.newBearer, data.clusterId);
        } catch (e) {
          if (!hasStatus(e, 401)) throw e;
          await rollback(ctx, entry);
          throw new KeyholdError('REMOTE', 'Rancher 2: the new token did not authenticate; the old token was kept.', { status: 401 });
        }
        await ctx.hook('verified');
        // the manager reads the credential now: if this key manages the workspace, it is the new one
        const rancher = manager(ctx);
        await rancher.deleteToken(data.oldName);
        if (await rancher.findToken(data.oldName))
          throw new KeyholdError('REMOTE', `Rancher 2 still lists token ${data.oldName} after deleting it.`);
        await ctx.hook('retired');
        const fresh = await rancher.findToken(data.newName).catch(() => null);
        if (fresh) ctx.session.updateKey(ctx.keyId, { meta: withTokenMeta(ctx.session.getKey(ctx.keyId).meta, fresh) });
        await ctx.finish(`rotated: new token ${data.newName}, old ${data.oldName} deleted`);
        await ctx.hook('recorded');
        return true;
      }
      case 'rolling_back':
        await rollback(ctx, entry);
        throw new KeyholdError('REMOTE', 'Rancher 2: the rotation was rolled back; the old token was kept.', { status: 401 });
      default:
        return unknownStep(entry);
    }
  },
};
