import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../api';
import { explain } from './errors';

type Failure = NonNullable<ConstructorParameters<typeof ApiCallError>[0]['remote']>;
const remote = (message: string, failure: Failure) => new ApiCallError({ code: 'REMOTE', message, remote: failure });

describe('explain', () => {
  it('names rate limiting, refused credentials, a platform failure and an unreachable platform, keeping the platform message', () => {
    expect(explain(remote('Rancher: Request was throttled. (HTTP 429)', { status: 429, reason: 'rate_limited' })).title).toMatch(
      /limiting how fast/,
    );
    expect(explain(remote('Syncano: No such API Key. (HTTP 403)', { status: 403, reason: 'scope' })).title).toMatch(
      /refused the stored credential/,
    );
    expect(explain(remote('Syncano: Invalid password. (HTTP 401)', { status: 401, reason: 'auth' }), 'connect').title).toMatch(
      /did not accept these credentials/,
    );
    expect(explain(remote('GitHub: the platform failed (HTTP 502)', { status: 502, reason: 'server' })).title).toMatch(
      /failed on its side/,
    );
    const down = explain(remote('Rancher: could not reach 127.0.0.1:1: the connection failed', { status: null, reason: 'unreachable' }));
    expect(down.title).toMatch(/did not answer/);
    expect(down.detail).toBe('Rancher: could not reach 127.0.0.1:1: the connection failed');
  });
  it('goes by the reason main gave, not by the wording of the message', () => {
    expect(
      explain(remote('Rancher: too many requests, connection unauthorized (HTTP 429)', { status: 500, reason: 'server' })).title,
    ).toMatch(/failed on its side/);
    expect(explain(remote('GitHub: Validation Failed (HTTP 422)', { status: 422, reason: 'refused' })).title).toMatch(
      /refused the request/,
    );
    expect(explain(new ApiCallError({ code: 'REMOTE', message: 'Rancher: rate limit, 429' })).title).toMatch(/refused the request/);
  });
  it('explains vault errors without technical detail', () => {
    expect(explain(new ApiCallError({ code: 'WRONG_PASSWORD', message: 'x' })).title).toMatch(/does not open/);
    expect(explain(new ApiCallError({ code: 'LOCKED', message: 'x' })).title).toMatch(/locked/);
  });
  it('treats anything that is not a coded error as a broken bridge', () => {
    expect(explain(new Error('boom')).code).toBe('INTERNAL');
  });
});
