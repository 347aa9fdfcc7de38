import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../api';
import { explain } from './errors';

const remote = (message: string) => new ApiCallError({ code: 'REMOTE', message });

describe('explain', () => {
  it('names rate limiting, refused credentials, a platform failure and an unreachable platform, keeping the platform message', () => {
    expect(explain(remote('Rancher: Request was throttled. (HTTP 429)')).title).toMatch(/limiting how fast/);
    expect(explain(remote('Syncano: No such API Key. (HTTP 403)')).title).toMatch(/refused the stored credential/);
    expect(explain(remote('Syncano: Invalid password. (HTTP 401)'), 'connect').title).toMatch(/did not accept these credentials/);
    expect(explain(remote('GitHub: the platform failed (HTTP 502)')).title).toMatch(/failed on its side/);
    const down = explain(remote('Rancher: could not reach 127.0.0.1:1: the connection failed'));
    expect(down.title).toMatch(/did not answer/);
    expect(down.detail).toBe('Rancher: could not reach 127.0.0.1:1: the connection failed');
  });
  it('explains vault errors without technical detail', () => {
    expect(explain(new ApiCallError({ code: 'WRONG_PASSWORD', message: 'x' })).title).toMatch(/does not open/);
    expect(explain(new ApiCallError({ code: 'LOCKED', message: 'x' })).title).toMatch(/locked/);
  });
  it('treats anything that is not a coded error as a broken bridge', () => {
    expect(explain(new Error('boom')).code).toBe('INTERNAL');
  });
});
