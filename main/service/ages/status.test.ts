import { describe, expect, it } from 'vitest';
import type { KeyRecord, Policy } from '../../vault/types';
import { AGE_META, keyDates } from './key-dates';
import { DAY_MS, keyAge, policyFor } from './status';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (days: number, ms = 0) => new Date(T0 + days * DAY_MS + ms);

function key(over: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id: 'k1',
    workspaceId: 'w1',
    environmentId: null,
    kind: 'api_key',
    name: 'n',
    description: '',
    state: 'active',
    remoteId: '1',
    flags: {},
    role: null,
    publicPart: null,
    fingerprint: null,
    meta: {},
    remoteMissing: false,
    createdAt: at(0).toISOString(),
    updatedAt: at(0).toISOString(),
    rotatedAt: null,
    hasSecret: true,
    ...over,
  };
}
const policy = (over: Partial<Policy> = {}): Policy => ({
  id: 'p1',
  workspaceId: 'w1',
  environmentId: null,
  maxAgeDays: 90,
  warnDays: 14,
  createdAt: '',
  updatedAt: '',
  ...over,
});

describe('key status at the edges of its policy (injected clock)', () => {
  it('is ok until the warning window, warn from max-age minus warn days, due from max-age on', () => {
    const k = key();
    expect(keyAge(k, policy(), at(76, -1)).status).toBe('ok');
    expect(keyAge(k, policy(), at(76)).status).toBe('warn');
    expect(keyAge(k, policy(), at(90, -1)).status).toBe('warn');
    const due = keyAge(k, policy(), at(90));
    expect(due).toMatchObject({ status: 'due', ageDays: 90, dueAt: at(90).toISOString(), ageSource: 'keyhold' });
  });

  it('has no due date and stays ok without a policy', () => {
    expect(keyAge(key(), null, at(5000))).toMatchObject({ status: 'ok', dueAt: null, ageDays: 5000 });
  });

  it("counts from the platform's creation date over the vault's, and from a later rotation over both", () => {
    const synced = key({ createdAt: at(300).toISOString(), meta: { [AGE_META.platformCreatedAt]: at(0).toISOString() } });
    expect(keyAge(synced, policy(), at(301))).toMatchObject({ ageSource: 'platform', ageDays: 301, status: 'due' });
    const rotated = { ...synced, rotatedAt: at(300).toISOString() };
    expect(keyAge(rotated, policy(), at(301))).toMatchObject({ ageSource: 'keyhold', ageDays: 1, status: 'ok' });
  });

  it('says a hand-added key counts from the time given (manual) or the time added (added)', () => {
    expect(keyDates(key({ meta: { [AGE_META.addedBy]: 'hand', [AGE_META.givenCreatedAt]: at(-10).toISOString() } }))).toMatchObject({
      source: 'manual',
      since: at(-10).toISOString(),
    });
    expect(keyDates(key({ meta: { [AGE_META.addedBy]: 'hand' } }))).toMatchObject({ source: 'added', since: at(0).toISOString() });
    expect(keyDates(key({ meta: { source: 'keepassxc-xml' } }))).toMatchObject({ source: 'added' });
    expect(keyDates(key())).toMatchObject({ source: 'keyhold' });
  });

  it('makes an expiring token due one warning window before it expires, with or without a policy', () => {
    const token = key({ meta: { [AGE_META.expiresAt]: at(30).toISOString() } });
    expect(keyAge(token, null, at(2, -1)).status).toBe('ok');
    expect(keyAge(token, null, at(2)).status).toBe('warn');
    expect(keyAge(token, null, at(16))).toMatchObject({ status: 'due', dueAt: at(16).toISOString() });
    expect(keyAge(token, policy({ warnDays: 3 }), at(27))).toMatchObject({ status: 'due', dueAt: at(27).toISOString() });
  });

  it('leaves a revoked key ok whatever its age', () => {
    expect(keyAge(key({ state: 'revoked' }), policy(), at(1000)).status).toBe('ok');
  });

  it("takes the environment's policy over its workspace's", () => {
    const ps = [policy(), policy({ id: 'p2', environmentId: 'e1', maxAgeDays: 30 })];
    expect(policyFor({ workspaceId: 'w1', environmentId: 'e1' }, ps)?.id).toBe('p2');
    expect(policyFor({ workspaceId: 'w1', environmentId: 'e2' }, ps)?.id).toBe('p1');
    expect(policyFor({ workspaceId: 'w2', environmentId: null }, ps)).toBeNull();
  });
});
