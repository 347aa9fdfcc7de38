// Key rotation: the journaled engine, and the journal entries of every platform's strategy.
import type { GithubJournal } from './github';
import type { RancherJournal } from './rancher';
import type { Rancher2Journal } from './rancher2';
import type { SyncanoJournal } from './syncano';

export { DEFAULT_CONCURRENCY, pendingRotations, resumeRotations, rotateKey, rotateKeys, rotationSummary } from './engine';
export { ROTATION, ROTATION_POINTS, type RotationOptions, type RotationPoint, type RotationProgress, type RotationResult } from './journal';
export { settleAfterLogin } from './syncano';
export { WriteBatcher } from './write-batcher';

/** Every rotation journal entry, by platform and step. */
export type RotationJournal = RancherJournal | SyncanoJournal | GithubJournal | Rancher2Journal;
