import { describe, expect, it } from 'vitest';
import { envRefRequests, parseEnvFile } from './env-refs';

describe('.env files of secret references', () => {
  it('reads NAME=VALUE lines with export, quotes and comments', () => {
    const text = [
      '# a comment',
      '',
      'export A=keyhold://acme/a',
      'B = "keyhold://acme/b/public"',
      "C='kept # as is'",
      'D=plain value # trailing comment',
      'E=',
    ].join('\r\n');
    expect(parseEnvFile(text, 'f').map((r) => [r.name, r.value])).toEqual([
      ['A', 'keyhold://acme/a'],
      ['B', 'keyhold://acme/b/public'],
      ['C', 'kept # as is'],
      ['D', 'plain value'],
      ['E', ''],
    ]);
  });

  it('refuses a line that is not NAME=VALUE, or a bad name, with INVALID_INPUT naming the line', () => {
    expect(() => parseEnvFile('A=1\njust words\n', 'refs.env')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('refs.env line 2') }),
    );
    expect(() => parseEnvFile('1BAD=x\n', 'f')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('takes --env only as VAR=keyhold://...', () => {
    expect(envRefRequests(['TOKEN=keyhold://acme/t'])).toEqual([{ name: 'TOKEN', value: 'keyhold://acme/t', origin: '--env' }]);
    for (const bad of ['TOKEN', 'TOKEN=plain', '=keyhold://x'])
      expect(() => envRefRequests([bad])).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
