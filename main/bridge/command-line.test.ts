import { describe, expect, it } from 'vitest';
import { maskedCommandLine } from './command-line';

describe('the command line shown in the approval', () => {
  it('shows an ordinary command as typed', () => {
    expect(maskedCommandLine(['key', 'list', '--json'])).toBe('keyhold key list --json');
  });

  it('masks the values of password-, secret- and token-like options, in both spellings', () => {
    const line = maskedCommandLine(['key', 'add', '--secret', 'hunter2', '--api-token=abc123', '--password', 'pw']);
    expect(line).toBe('keyhold key add --secret •••••• --api-token=•••••• --password ••••••');
    expect(line).not.toMatch(/hunter2|abc123|pw$/);
  });

  it('keeps flags that take no secret (--password-stdin) and the argument after them', () => {
    expect(maskedCommandLine(['--password-stdin', 'key', 'list'])).toBe('keyhold --password-stdin key list');
  });

  it('masks literal --env values but shows keyhold:// references', () => {
    expect(maskedCommandLine(['exec', '--env', 'A=keyhold://acme/deploy', '--env', 'B=plain-secret', '-e=C=x', '--', 'env'])).toBe(
      'keyhold exec --env A=keyhold://acme/deploy --env B=•••••• -e=C=•••••• -- env',
    );
  });

  it('quotes arguments with spaces or quotes', () => {
    expect(maskedCommandLine(['key', 'show', "my key's name"])).toBe(`keyhold key show 'my key'\\''s name'`);
  });
});
