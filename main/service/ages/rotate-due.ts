// Rotate what is due: every due key its platform can rotate goes through the rotation engine (the
// same journal, concurrency and progress as `key rotate`); the others are listed with the reason
// and the steps to do by hand (Encord keys are registered by hand; a local key has no platform).
import { isRemoteProvider } from '../../providers/types';
import type { KeyRecord, VaultSession } from '../../vault/types';
import { PLATFORMS } from '../platforms';
import { rotateKeys, rotationSummary, type RotationOptions, type RotationResult } from '../rotation';
import { needsAttention } from './attention';
import { systemClock, type Clock } from './status';

export interface ManualRotation {
  id: string;
  name: string;
  workspace: string | null;
  reason: string;
  steps: string[];
}

export interface DueRotationPlan {
  /** ids the engine will rotate */
  rotate: string[];
  manual: ManualRotation[];
}

export interface DueRotationResult {
  rotated: number;
  failed: number;
  results: RotationResult[];
  manual: ManualRotation[];
}

function manualSteps(key: KeyRecord, workspace: string | null): string[] {
  const ws = workspace ?? 'W';
  if (key.kind === 'ssh_key_pair')
    return [
      `keyhold key create --workspace ${ws} --kind ssh_key_pair --name "${key.name} (new)"`,
      "register the new public key in the platform's web app as the create command shows",
      'keyhold key check NEW_ID',
      `remove the old key in the platform's web app, then keyhold key rm ${key.id}`,
    ];
  return [
    'make a new secret where this key is issued',
    'store it in Keyhold (keyhold key add) where the old one is used',
    `revoke the old one there, then keyhold key rm ${key.id}`,
  ];
}

/** Splits the due keys (of one workspace, or all) into those the engine rotates and those it cannot. */
export function planDueRotation(session: VaultSession, scope: { workspace?: string } = {}, clock: Clock = systemClock): DueRotationPlan {
  const plan: DueRotationPlan = { rotate: [], manual: [] };
  for (const v of needsAttention(session, scope, clock).due) {
    const key = session.getKey(v.id);
    const provider = v.provider;
    const rotation = provider && isRemoteProvider(provider) ? PLATFORMS[provider].rotation : null;
    if (rotation && 'step' in rotation) plan.rotate.push(v.id);
    else
      plan.manual.push({
        id: v.id,
        name: v.name,
        workspace: v.workspace,
        reason: rotation ? rotation.refused : 'This key is on no platform Keyhold manages.',
        steps: manualSteps(key, v.workspace),
      });
  }
  return plan;
}

/** Rotates the due keys the platforms can rotate. A key whose platform turns this kind down
 * (USAGE before anything was journaled) joins the keys to do by hand. */
export async function rotateDue(
  session: VaultSession,
  scope: { workspace?: string } = {},
  opts: RotationOptions & { clock?: Clock } = {},
): Promise<DueRotationResult> {
  const plan = planDueRotation(session, scope, opts.clock);
  const results = plan.rotate.length ? await rotateKeys(session, plan.rotate, opts) : [];
  const manual = [...plan.manual];
  const engineResults: RotationResult[] = [];
  for (const r of results) {
    if (!r.ok && r.error?.code === 'USAGE') {
      const key = session.getKey(r.id);
      const ws = key.workspaceId ? session.getWorkspace(key.workspaceId).name : null;
      manual.push({ id: key.id, name: key.name, workspace: ws, reason: r.error.message, steps: manualSteps(key, ws) });
    } else engineResults.push(r);
  }
  return { ...rotationSummary(engineResults), manual };
}
