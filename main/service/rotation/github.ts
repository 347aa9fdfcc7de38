// GitHub's rotation, for a user key, a deploy key (same repository, same read_only) or a signing
// key: registering{new key pair} -> (POST) -> stored -> verify (GET the new key) -> delete the
// old -> done. The new pair is generated before the journal entry is
// written, so a resume registers the very same public key (or finds it registered). A token
// without the right to delete (admin:public_key, admin:ssh_signing_key, admin rights on the
// repository) cannot delete the old key (GitHub answers 404 and keeps it): the
// rotation then stops at old_kept, never recorded as rotated, until `key rotate` is run again
// once the old key was removed by hand or a stronger token connected (docs/PLATFORMS.md).
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import { generateEd25519Async } from '../../keys/ed25519';
import { fingerprint } from '../../keys/fingerprint';
import { encodeOpenSshPrivateKey } from '../../keys/openssh-private';
import { publicKeyLine } from '../../keys/public-key';
import { targetOf, type GithubTarget } from '../../providers/github-targets';
import { hasStatus, isTransient } from '../../providers/http';
import { targetOfKey } from '../platforms/github-keys';
import { githubFor } from '../remote';
import { readJournal, unknownStep, type RotationContext, type RotationStrategy } from './journal';

const GithubData = z.object({
  provider: z.literal('github'),
  title: z.string(),
  oldRemoteId: z.string(),
  oldPublic: z.string(),
  oldSecret: z.string(),
  oldFingerprint: z.string().nullable(),
  newPrivate: z.string(),
  newPublic: z.string(),
  newFingerprint: z.string(),
  newRemoteId: z.string().optional(),
  /** where the key lives (absent in entries written before deploy and signing keys: a user key) */
  target: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('user') }),
      z.object({ type: z.literal('signing') }),
      z.object({ type: z.literal('deploy'), repo: z.string() }),
    ])
    .optional(),
  /** a deploy key's read_only, kept by the new key */
  readOnly: z.boolean().optional(),
});
const targetIn = (data: GithubData): GithubTarget => data.target ?? { type: 'user' };
type GithubData = z.output<typeof GithubData>;

export const GITHUB_STEPS = ['registering', 'stored', 'old_kept'] as const;
type Step = (typeof GITHUB_STEPS)[number];
export const GithubJournal = z.discriminatedUnion('step', [
  z.object({ provider: z.literal('github'), step: z.literal('registering'), data: GithubData }),
  z.object({ provider: z.literal('github'), step: z.enum(['stored', 'old_kept']), data: GithubData.required({ newRemoteId: true }) }),
]);
export type GithubJournal = z.output<typeof GithubJournal>;

async function register(ctx: RotationContext, data: GithubData): Promise<void> {
  const github = githubFor(ctx.session, ctx.ws, ctx.opts);
  let registered = ctx.uncertain ? await github.findByKey(data.newPublic, targetIn(data)) : null;
  ctx.uncertain = false;
  if (!registered) {
    try {
      registered = await github.registerKey(data.title, data.newPublic, targetIn(data), data.readOnly ?? false);
    } catch (e) {
      if (!isTransient(e)) ctx.abandon();
      throw e;
    }
    await ctx.hook('answered');
  }
  const next = { ...data, newRemoteId: String(registered.id) };
  await ctx.store('stored' satisfies Step, next, data.newPrivate, {
    publicPart: data.newPublic,
    fingerprint: data.newFingerprint,
    remoteId: next.newRemoteId,
  });
  await ctx.hook('created');
  await ctx.hook('stored');
}

async function verifyAndRetire(ctx: RotationContext, data: GithubData & { newRemoteId: string }): Promise<void> {
  const github = githubFor(ctx.session, ctx.ws, ctx.opts);
  try {
    await github.getKey(data.newRemoteId, targetIn(data));
  } catch (e) {
    if (!hasStatus(e, 404)) throw e;
    // the new registration is gone: go back to the old key, which is still registered
    ctx.session.transaction(() => {
      ctx.session.addVersion(ctx.keyId, data.oldSecret, {
        publicPart: data.oldPublic,
        fingerprint: data.oldFingerprint,
        remoteId: data.oldRemoteId,
      });
      ctx.abandon();
    });
    throw new KeyholdError('REMOTE', 'GitHub: the new key vanished after registration; the old key was kept.', { status: 404 });
  }
  await ctx.hook('verified');
  await retireOld(ctx, data);
}

/** Deletes the old key; GitHub refusing (a token without admin:public_key) parks the rotation. */
async function retireOld(ctx: RotationContext, data: GithubData & { newRemoteId: string }): Promise<void> {
  try {
    // deleteKey believes a 404 only once a lookup shows the key gone
    await githubFor(ctx.session, ctx.ws, ctx.opts).deleteKey(data.oldRemoteId, targetIn(data));
  } catch (e) {
    if (isTransient(e) || !hasStatus(e, 404)) throw e;
    const first = ctx.op.step !== ('old_kept' satisfies Step);
    ctx.session.transaction(() => {
      if (first) {
        ctx.update('old_kept' satisfies Step, data);
        ctx.session.audit({
          action: 'registered',
          keyId: ctx.keyId,
          workspaceId: ctx.ws.id,
          detail: `rotation: new key ${data.newFingerprint} registered on GitHub; the old key ${data.oldRemoteId} is still registered (GitHub refused to delete it)`,
        });
      }
    });
    const info = targetOf(targetIn(data));
    throw new KeyholdError(
      'REMOTE',
      `GitHub: the new key is registered and stored (key ${ctx.keyId} now uses it), but the old ${info.noun} ${data.oldRemoteId} is still registered and still works: ` +
        `the token lacks ${info.missingClassic}. Remove the old key by hand at ${info.page} or connect a token with ${info.needed}, then run \`keyhold key rotate ${ctx.keyId}\` to finish. Not rotated yet.`,
      { remote: { status: 404, reason: 'scope' } },
    );
  }
  await ctx.hook('retired');
}

export const githubRotation: RotationStrategy = {
  provider: 'github',
  // the user removes the old key by hand (or connects a stronger token), then runs key rotate
  waiting: ['old_kept' satisfies Step],

  async begin(session, key) {
    if (key.kind !== 'ssh_key_pair' && key.kind !== 'deploy_key' && key.kind !== 'signing_key') return null;
    if (!key.remoteId || !key.publicPart) throw new KeyholdError('USAGE', `Key ${key.id} is not registered on GitHub.`);
    const comment = key.meta.comment ?? '';
    const fresh = await generateEd25519Async(comment);
    const data: GithubData = {
      provider: 'github',
      title: key.name,
      oldRemoteId: key.remoteId,
      oldPublic: key.publicPart,
      oldSecret: session.readSecret(key.id),
      oldFingerprint: key.fingerprint,
      newPrivate: encodeOpenSshPrivateKey(fresh),
      newPublic: publicKeyLine(fresh.publicKey, comment),
      newFingerprint: fingerprint(fresh.publicKey),
      ...(key.kind !== 'ssh_key_pair' ? { target: targetOfKey(session, key) } : {}),
      ...(key.kind === 'deploy_key' ? { readOnly: key.meta.readOnly === 'true' } : {}),
    };
    return { step: 'registering' satisfies Step, data };
  },

  async step(ctx) {
    const entry = readJournal(GithubJournal, 'github', ctx.op);
    switch (entry.step) {
      case 'registering':
        await register(ctx, entry.data);
        return false;
      case 'stored':
      case 'old_kept':
        if (entry.step === 'stored') await verifyAndRetire(ctx, entry.data);
        else await retireOld(ctx, entry.data);
        await ctx.finish(`rotated: new key ${entry.data.newFingerprint} registered, old ${entry.data.oldFingerprint ?? ''} deleted`);
        await ctx.hook('recorded');
        return true;
      default:
        return unknownStep(entry);
    }
  },
};
