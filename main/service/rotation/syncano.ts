// Syncano's rotation: resetting -> (POST reset_key) -> stored -> verify -> done. Reset IS the
// rotation and kills the old value at once, so the journal is written before the call, and a
// resume re-reads the key's value from the platform (API and user keys are readable with the
// account key). The account key cannot be re-read: if its reset answer is lost, the entry waits
// in 'needs_login' until `workspace connect` logs in again (settleAfterLogin).
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import { hasStatus } from '../../providers/http';
import type { VaultSession } from '../../vault/types';
import { environmentRemoteId, syncanoFor } from '../remote';
import { ROTATION, readJournal, unknownStep, type RotationContext, type RotationStrategy } from './journal';

/** An API or user key lives in an instance; the account key is the workspace's own. */
const SyncanoData = z.discriminatedUnion('kind', [
  z.object({
    provider: z.literal('syncano'),
    kind: z.enum(['api_key', 'user_key']),
    instance: z.string(),
    remoteId: z.string(),
    oldSecret: z.string(),
  }),
  z.object({
    provider: z.literal('syncano'),
    kind: z.literal('account_key'),
    instance: z.string().nullable(),
    remoteId: z.string().nullable(),
    oldSecret: z.string(),
  }),
]);
type SyncanoData = z.output<typeof SyncanoData>;

export const SYNCANO_STEPS = ['resetting', 'stored', 'needs_login'] as const;
type Step = (typeof SYNCANO_STEPS)[number];
export const SyncanoJournal = z.object({ provider: z.literal('syncano'), step: z.enum(SYNCANO_STEPS), data: SyncanoData });
export type SyncanoJournal = z.output<typeof SyncanoJournal>;

function needsLogin(workspace: string): KeyholdError {
  return new KeyholdError(
    'REMOTE',
    `Syncano: the account key was reset but the answer was lost; run \`keyhold workspace connect ${workspace} --email ...\` to log in and fetch the new key.`,
    { status: 403 },
  );
}

/** The key's value on the platform now (null for the account key, which cannot be re-read). */
async function remoteValue(ctx: RotationContext, data: SyncanoData): Promise<string | null> {
  const syncano = syncanoFor(ctx.session, ctx.ws, ctx.opts);
  if (data.kind === 'account_key') return null;
  if (data.kind === 'api_key') return (await syncano.getApiKey(data.instance, data.remoteId)).api_key;
  return (await syncano.getUser(data.instance, data.remoteId)).user_key;
}

async function store(ctx: RotationContext, data: SyncanoData, value: string): Promise<void> {
  await ctx.store('stored' satisfies Step, data, value);
  await ctx.hook('stored');
}

/** After a reset whose answer may be lost: true when the platform already has a new value (now stored). */
async function alreadyReset(ctx: RotationContext, data: SyncanoData): Promise<boolean> {
  if (data.kind === 'account_key') {
    try {
      await syncanoFor(ctx.session, ctx.ws, ctx.opts).check();
    } catch (e) {
      if (!hasStatus(e, 403)) throw e;
      // the reset happened and its answer is lost: only a login can fetch the new key
      ctx.update('needs_login' satisfies Step, data);
      throw needsLogin(ctx.ws.name);
    }
    return false;
  }
  const now = await remoteValue(ctx, data);
  if (!now || now === data.oldSecret) return false;
  if (now !== ctx.session.readSecret(ctx.keyId)) await store(ctx, data, now);
  else {
    ctx.update('stored' satisfies Step, data);
    await ctx.hook('stored');
  }
  return true;
}

async function reset(ctx: RotationContext, data: SyncanoData): Promise<string> {
  const syncano = syncanoFor(ctx.session, ctx.ws, ctx.opts);
  if (data.kind === 'account_key') return syncano.resetAccountKey();
  if (data.kind === 'api_key') return (await syncano.resetApiKey(data.instance, data.remoteId)).api_key;
  return (await syncano.resetUserKey(data.instance, data.remoteId)).user_key;
}

/** Does the stored value work? (false: the platform has another value than the vault) */
async function verify(ctx: RotationContext, data: SyncanoData): Promise<boolean> {
  const stored = ctx.session.readSecret(ctx.keyId);
  const syncano = syncanoFor(ctx.session, ctx.ws, ctx.opts);
  try {
    if (data.kind === 'api_key') await syncano.checkApiKey(data.instance, stored);
    else if (data.kind === 'user_key') {
      if ((await remoteValue(ctx, data)) !== stored)
        throw new KeyholdError('REMOTE', 'Syncano: the user key changed on the platform.', { status: 403 });
    } else await syncano.check();
  } catch (e) {
    if (!hasStatus(e, 403) || data.kind === 'account_key') throw e;
    return false;
  }
  return true;
}

export const syncanoRotation: RotationStrategy = {
  provider: 'syncano',
  waiting: ['needs_login' satisfies Step],

  async begin(session, key, ws) {
    if (key.kind !== 'api_key' && key.kind !== 'user_key' && key.kind !== 'account_key') return null;
    const instance = environmentRemoteId(session, key);
    let data: SyncanoData;
    if (key.kind === 'account_key') {
      if (ws.credentialKeyId !== key.id)
        throw new KeyholdError('USAGE', `Key ${key.id} is not the account key that manages workspace ${ws.name}.`);
      data = { provider: 'syncano', kind: key.kind, instance, remoteId: key.remoteId, oldSecret: session.readSecret(key.id) };
    } else {
      if (!key.remoteId || !instance)
        throw new KeyholdError('USAGE', `Key ${key.id} is not linked to a Syncano key (sync the workspace first).`);
      data = { provider: 'syncano', kind: key.kind, instance, remoteId: key.remoteId, oldSecret: session.readSecret(key.id) };
    }
    return { step: 'resetting' satisfies Step, data };
  },

  async step(ctx) {
    const entry = readJournal(SyncanoJournal, 'syncano', ctx.op);
    const data = entry.data;
    switch (entry.step) {
      case 'resetting': {
        if (ctx.uncertain) {
          ctx.uncertain = false;
          if (await alreadyReset(ctx, data)) return false;
        }
        const value = await reset(ctx, data);
        await ctx.hook('answered');
        await store(ctx, data, value);
        return false;
      }
      case 'stored': {
        if (!(await verify(ctx, data))) {
          // re-read the platform's value
          ctx.update('resetting' satisfies Step, data);
          ctx.uncertain = true;
          return false;
        }
        await ctx.hook('verified');
        await ctx.hook('retired'); // reset already retired the old value
        await ctx.finish('rotated: key reset on Syncano, the old value no longer works');
        await ctx.hook('recorded');
        return true;
      }
      case 'needs_login':
        throw needsLogin(ctx.ws.name);
      default:
        return unknownStep(entry.step);
    }
  },
};

/** After a Syncano login stored the current account key: an entry stuck in needs_login is over. */
export function settleAfterLogin(session: VaultSession, keyId: string): void {
  for (const op of session.listPending(ROTATION)) {
    if (op.keyId !== keyId || (op.step !== ('needs_login' satisfies Step) && op.step !== ('resetting' satisfies Step))) continue;
    session.transaction(() => {
      session.audit({
        action: 'rotated',
        keyId,
        workspaceId: session.getKey(keyId).workspaceId,
        detail: 'rotated: account key reset on Syncano, fetched again by logging in',
      });
      session.removePending(op.id);
    });
  }
}
