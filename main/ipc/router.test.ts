import { describe, expect, it } from 'vitest';
import { KeyholdError } from '../errors';
import { createMemoryPlatform } from '../platform/memory';
import { createHandlers } from './handlers';
import { channels } from '../api';
import { createRouter, type Handlers, type HandlersFor } from './router';
import { createRouter as createTestRouter } from './router.testkit';

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
    const handlers: Handlers = {
      ...createHandlers(ctx),
      'vault.status': () => {
        throw new KeyholdError('INTEGRITY', 'The vault file is corrupt.');
      },
    };
    const res = await createRouter(handlers).invoke('vault.status', {});
    expect(res).toEqual({ ok: false, error: { code: 'INTEGRITY', message: 'The vault file is corrupt.' } });
  });

  it('hides an unexpected error behind INTERNAL without its message or stack', async () => {
    const seen: string[] = [];
    const handlers: Handlers = {
      ...createHandlers(ctx),
      'vault.status': () => {
        throw new Error('secret=abc123 at /home/x');
      },
    };
    const res = await createRouter(handlers, { onInternalError: (c) => seen.push(c) }).invoke('vault.status', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(res)).not.toContain('abc123');
    expect(seen).toEqual(['vault.status']);
  });

  it('carries a remote failure across as its status and reason', async () => {
    const failing = new KeyholdError('REMOTE', 'Rancher: Unauthorized (HTTP 401)', { remote: { status: 401, reason: 'auth' } });
    const handlers: Handlers = {
      ...createHandlers(ctx),
      'keys.check': () => {
        throw failing;
      },
    };
    const res = await createRouter(handlers).invoke('keys.check', { id: 'k' });
    expect(res).toEqual({
      ok: false,
      error: { code: 'REMOTE', message: 'Rancher: Unauthorized (HTTP 401)', remote: { status: 401, reason: 'auth' } },
    });
  });

  it('tells of a code the channel does not list, and still answers it', async () => {
    const seen: string[] = [];
    const handlers: Handlers = {
      ...createHandlers(ctx),
      'vault.lock': () => {
        throw new KeyholdError('REMOTE', 'nope');
      },
    };
    const res = await createRouter(handlers, { onUndeclaredError: (c, code) => seen.push(`${c} ${code}`) }).invoke('vault.lock', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'REMOTE' } });
    expect(seen).toEqual(['vault.lock REMOTE']);
    const listed: Handlers = {
      ...createHandlers(ctx),
      'vault.info': () => {
        throw new KeyholdError('LOCKED', 'locked');
      },
    };
    await createRouter(listed, { onUndeclaredError: (c, code) => seen.push(`${c} ${code}`) }).invoke('vault.info', {});
    expect(seen).toEqual(['vault.lock REMOTE']);
  });

  it('makes a test fail when a handler raises a code its channel does not list', async () => {
    const handlers: Handlers = {
      ...createHandlers(ctx),
      'vault.lock': () => {
        throw new KeyholdError('NOT_FOUND', 'gone');
      },
    };
    await expect(createTestRouter(handlers).invoke('vault.lock', {})).rejects.toThrow(
      'vault.lock raised NOT_FOUND, which main/api does not list for it',
    );
  });

  it('treats a handler answer that breaks the output schema as INTERNAL', async () => {
    const handlers = { ...createHandlers(ctx), 'vault.status': () => ({ state: 'open-sesame', path: 1 }) } as unknown as Handlers;
    const res = await createRouter(handlers).invoke('vault.status', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it("is given one handler per channel, no more (the namespaces' slices are checked by tsc)", () => {
    expect(Object.keys(createHandlers(ctx)).sort()).toEqual(Object.keys(channels).sort());
    // @ts-expect-error a namespace's handlers must serve every channel of it
    const missing: HandlersFor<'audit'> = { 'audit.list': () => [] };
    const foreign: HandlersFor<'audit'> = {
      'audit.list': () => [],
      'audit.verify': () => ({ ok: true as const, events: 0 }),
      // @ts-expect-error and no channel of another namespace
      'vault.lock': () => ({ state: 'locked' as const, path: '' }),
    };
    expect(Object.keys(missing)).toEqual(['audit.list']);
    expect(Object.keys(foreign)).toHaveLength(3);
  });
});
