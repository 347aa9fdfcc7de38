import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-file';
import { curlConfig } from './curl-config';
import { startBasicAuthServer } from './basic-auth-server.testkit';

const run = promisify(execFile);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kh-curlrc-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('curlConfig', () => {
  it('writes user = "PUBLIC:SECRET" with quotes and backslashes escaped', () => {
    expect(curlConfig('AK', 'S"e\\c:ret', { comment: 'rancher\nprod' })).toBe('# rancher prod\nuser = "AK:S\\"e\\\\c:ret"\n');
  });

  it('is what curl -K sends as HTTP Basic, even for an awkward secret', async () => {
    const secret = 'p a"s\\s:#w$rd\\n';
    const server = await startBasicAuthServer('AK-1', secret);
    try {
      const file = join(dir, 'rancher.curlrc');
      await writeFileAtomic(file, curlConfig('AK-1', secret));
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const { stdout } = await run('curl', ['-s', '-K', file, server.url]);
      expect(stdout).toBe('authorized');
      expect(server.seen).toEqual([`AK-1:${secret}`]);
    } finally {
      await server.close();
    }
  });

  it('refuses a login with a colon, an empty login and control characters', () => {
    expect(() => curlConfig('a:b', 's')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => curlConfig('', 's')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => curlConfig('a', 's\nurl = "http://evil"')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
