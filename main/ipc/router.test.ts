import { describe, expect, it } from 'vitest';
import { KeyholdError } from '../errors';
import { createMemoryPlatform } from '../platform/memory';
import { createHandlers } from '../service/handlers';
import { createRouter, type Handlers } from './router';

const ctx = { vaultPath: '/nonexistent/vault.keyhold', harness: 'cli' as const, platform: createMemoryPlatform(), emit: () => undefined };

describe('router', () => {
  it('answers a valid call with the handler value', async () => {
    const router = createRouter(createHandlers(ctx));
    const res = await router.invoke('vault.status', {});
    expect(res).toEqual({ ok: true, value: { state: 'absent', path: '/nonexistent/vault.keyhold' } });
  });

  it('refuses a payload that breaks the input schema with INVALID_INPUT and no values in the message', async () => {
    const router = createRouter(createHandlers(ctx));
    const res = await router.invoke('app.info', { password: 'hunter2-secret' });
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('INVALID_INPUT');
      expect(res.error.message).not.toContain('hunter2');
    }
  });

  it('refuses an unknown channel with USAGE', async () => {
    const res = await createRouter(createHandlers(ctx)).invoke('__proto__', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('passes a KeyholdError through as its code and message', async () => {
    const handlers: Handlers = { ...createHandlers(ctx), 'vault.status': () => { throw new KeyholdError('INTEGRITY', 'The vault file is corrupt.'); } };
    const res = await createRouter(handlers).invoke('vault.status', {});
    expect(res).toEqual({ ok: false, error: { code: 'INTEGRITY', message: 'The vault file is corrupt.' } });
  });

  it('hides an unexpected error behind INTERNAL without its message or stack', async () => {
    const seen: string[] = [];
    const handlers: Handlers = { ...createHandlers(ctx), 'vault.status': () => { throw new Error('secret=abc123 at /home/x'); } };
    const res = await createRouter(handlers, { onInternalError: (c) => seen.push(c) }).invoke('vault.status', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(res)).not.toContain('abc123');
    expect(seen).toEqual(['vault.status']);
  });

  it('treats a handler answer that breaks the output schema as INTERNAL', async () => {
    const handlers = { ...createHandlers(ctx), 'vault.status': () => ({ state: 'open-sesame', path: 1 }) } as unknown as Handlers;
    const res = await createRouter(handlers).invoke('vault.status', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
