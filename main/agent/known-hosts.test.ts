// known_hosts matching: plain names, [host]:port, wildcards and negation, hashed names as
// ssh-keygen -H writes them, @revoked keys that match nothing, @cert-authority lines ignored.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEd25519 } from '../keys/ed25519';
import { makeTempDir, sshKeygen } from '../keys/openssh-tools.testkit';
import { publicKeyLine } from '../keys/public-key';
import { hostHasKey, knownHostsName, parseKnownHosts, plainNamesForKey, readKnownHosts } from './known-hosts';

const tmp = makeTempDir('keyhold-kh-');
afterAll(() => tmp.cleanup());
const a = generateEd25519().publicKey;
const b = generateEd25519().publicKey;
const line = (hosts: string, key = a) => `${hosts} ${publicKeyLine(key)}`;

describe('known_hosts matching', () => {
  it('matches a plain name list and a [host]:port entry only with the listed key', () => {
    const lines = parseKnownHosts([line('git.example.com,10.0.0.1'), line('[build.example]:2222', b), '# comment', ''].join('\n'));
    expect(hostHasKey(lines, 'git.example.com', a.blob)).toBe(true);
    expect(hostHasKey(lines, 'GIT.example.com', a.blob)).toBe(true);
    expect(hostHasKey(lines, '10.0.0.1', a.blob)).toBe(true);
    expect(hostHasKey(lines, 'git.example.com', b.blob)).toBe(false);
    expect(hostHasKey(lines, knownHostsName('build.example', 2222), b.blob)).toBe(true);
    expect(hostHasKey(lines, 'build.example', b.blob)).toBe(false);
    expect(plainNamesForKey(lines, b.blob)).toEqual(['[build.example]:2222']);
  });

  it('honours wildcards and negated patterns', () => {
    const lines = parseKnownHosts(line('*.example.com,!secret.example.com'));
    expect(hostHasKey(lines, 'web.example.com', a.blob)).toBe(true);
    expect(hostHasKey(lines, 'secret.example.com', a.blob)).toBe(false);
    expect(hostHasKey(lines, 'example.org', a.blob)).toBe(false);
  });

  it('matches hashed names written by ssh-keygen -H', async () => {
    const path = join(tmp.dir, 'hashed');
    writeFileSync(path, `${line('git.example.com')}\n${line('[build.example]:2222', b)}\n`);
    sshKeygen(['-H', '-f', path]);
    expect(readFileSync(path, 'utf8')).not.toContain('example');
    const lines = await readKnownHosts([path, join(tmp.dir, 'missing')]);
    expect(hostHasKey(lines, 'git.example.com', a.blob)).toBe(true);
    expect(hostHasKey(lines, '[build.example]:2222', b.blob)).toBe(true);
    expect(hostHasKey(lines, 'other.example.com', a.blob)).toBe(false);
  });

  it('never matches a revoked key and ignores @cert-authority lines', () => {
    const lines = parseKnownHosts(
      [line('git.example.com'), `@revoked * ${publicKeyLine(a)}`, `@cert-authority *.example.com ${publicKeyLine(b)}`].join('\n'),
    );
    expect(hostHasKey(lines, 'git.example.com', a.blob)).toBe(false);
    expect(hostHasKey(lines, 'x.example.com', b.blob)).toBe(false);
  });

  it('skips malformed lines instead of failing the file', () => {
    const lines = parseKnownHosts(
      ['garbage', 'host ssh-ed25519 !!notbase64', '|1|bad|hash ssh-ed25519 AAAA', line('ok.example')].join('\n'),
    );
    expect(lines).toHaveLength(1);
    expect(hostHasKey(lines, 'ok.example', a.blob)).toBe(true);
  });
});
