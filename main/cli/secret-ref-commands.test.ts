import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addKey } from '../service/keys';
import { TEST_PASSWORD, newTestVault } from '../vault/test-vault.testkit';
import type { KeyRecord } from '../vault/types';
import { runKeyhold } from './harness.testkit';

const env = { KEYHOLD_PASSWORD: TEST_PASSWORD };

describe('key references and secret references on the command line', () => {
  let dir: string;
  let vault: string;
  let deploy: KeyRecord;
  let prodToken: KeyRecord;
  let stagingToken: KeyRecord;
  let pair: KeyRecord;
  const kh = (argv: string[], stdin?: string) =>
    runKeyhold(['--vault', vault, ...argv], { env, ...(stdin !== undefined ? { stdin } : {}) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyhold-refs-'));
    const { path, session: s } = await newTestVault(dir);
    vault = path;
    const acme = s.addWorkspace({ name: 'acme', provider: 'local' });
    const prod = s.addEnvironment({ workspaceId: acme.id, name: 'prod' });
    const staging = s.addEnvironment({ workspaceId: acme.id, name: 'staging' });
    deploy = addKey(s, { workspaceId: acme.id, kind: 'api_key', name: 'deploy-key', description: 'CI deploys', secret: 'dk-sécret-1' });
    prodToken = addKey(s, {
      environmentId: prod.id,
      kind: 'access_key_pair',
      name: 'token',
      publicPart: 'AKIAPROD',
      secret: 'prod "quoted" $secret',
    });
    stagingToken = addKey(s, {
      environmentId: staging.id,
      kind: 'access_key_pair',
      name: 'token',
      publicPart: 'AKIASTAGING',
      secret: 'staging-secret',
    });
    pair = addKey(s, { workspaceId: acme.id, kind: 'api_key', name: 'with space', secret: 'spaced-secret' });
    s.lock();
  });

  it('`key show NAME` finds the key that `key list` shows by that name', async () => {
    const run = await kh(['--json', 'key', 'show', 'deploy-key']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ id: deploy.id, name: 'deploy-key', workspace: 'acme' });
    const byPath = await kh(['--json', 'key', 'show', 'acme/staging/token']);
    expect(byPath.json()).toMatchObject({ id: stagingToken.id });
    const byPrefix = await kh(['--json', 'key', 'show', prodToken.id.slice(0, 20)]);
    expect(byPrefix.json()).toMatchObject({ id: prodToken.id });
  });

  it('answers an ambiguous name with CONFLICT (exit 6) naming the candidates and no secret', async () => {
    const run = await kh(['--json', 'key', 'show', '--reveal', 'token']);
    expect(run.code).toBe(6);
    const { error } = JSON.parse(run.stderr) as { error: { code: string; message: string } };
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(`${prodToken.id}  acme/prod/token`);
    expect(error.message).toContain(`${stagingToken.id}  acme/staging/token`);
    expect(run.stderr).not.toContain('secret');
    expect(run.stdout).toBe('');
  });

  it('inject renders a template with ten references byte-exact, to a 0600 file', async () => {
    const template = Buffer.concat([
      Buffer.from(
        [
          '# config for acme — ünïcode stays',
          'a={{ keyhold://acme/deploy-key }}',
          'b={{keyhold://acme/deploy-key/secret}}\r',
          'c={{   keyhold://acme/prod/token/public   }}',
          'd={{ keyhold://acme/staging/token/public }} e={{ keyhold://acme/staging/token }}',
          `f={{ keyhold://${deploy.id}/id }}`,
          'g={{ keyhold://acme/deploy-key/description }}',
          'h={{ keyhold://acme/with%20space }}',
          'i={{ keyhold://acme/prod/token/environment }}',
          'j={{ keyhold://acme/prod/token/kind }}',
          'left alone: {{ other.template }} {{ keyhold:/not-a-ref }}',
          '',
        ].join('\n'),
        'utf8',
      ),
      Buffer.from([0xff, 0x00, 0x7b, 0x7b, 0x0a]),
    ]);
    const expected = Buffer.concat([
      Buffer.from(
        [
          '# config for acme — ünïcode stays',
          'a=dk-sécret-1',
          'b=dk-sécret-1\r',
          'c=AKIAPROD',
          'd=AKIASTAGING e=staging-secret',
          `f=${deploy.id}`,
          'g=CI deploys',
          'h=spaced-secret',
          'i=prod',
          'j=access_key_pair',
          'left alone: {{ other.template }} {{ keyhold:/not-a-ref }}',
          '',
        ].join('\n'),
        'utf8',
      ),
      Buffer.from([0xff, 0x00, 0x7b, 0x7b, 0x0a]),
    ]);
    const tpl = join(dir, 'app.conf.tpl');
    writeFileSync(tpl, template);
    const out = join(dir, 'app.conf');
    const run = await kh(['--json', 'inject', '-i', tpl, '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toEqual({ path: out, references: 10 });
    expect(readFileSync(out).equals(expected)).toBe(true);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const toStdout = await kh(['inject', '-i', tpl]);
    expect(toStdout.code, toStdout.stderr).toBe(0);
    expect(Buffer.from(toStdout.stdout, 'utf8').equals(Buffer.from(expected.toString('utf8'), 'utf8'))).toBe(true);
    expect(toStdout.stderr).toBe('');
  });

  it('inject with an unknown reference fails NOT_FOUND and writes nothing', async () => {
    const tpl = join(dir, 'bad.tpl');
    writeFileSync(tpl, 'ok={{ keyhold://acme/deploy-key }}\nbad={{ keyhold://acme/no-such-key }}\n');
    const before = readdirSync(dir).sort();
    const out = join(dir, 'bad.out');
    const run = await kh(['--json', 'inject', '-i', tpl, '-o', out]);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(before);
    const toStdout = await kh(['inject', '-i', tpl]);
    expect(toStdout.code).toBe(3);
    expect(toStdout.stdout).toBe('');
  });

  it('inject refuses an existing output file without --force (CONFLICT) and replaces it with --force', async () => {
    const tpl = join(dir, 'one.tpl');
    writeFileSync(tpl, 'k={{ keyhold://acme/deploy-key }}\n');
    const out = join(dir, 'exists.conf');
    writeFileSync(out, 'keep me\n', { mode: 0o644 });
    const refused = await kh(['--json', 'inject', '-i', tpl, '-o', out]);
    expect(refused.code).toBe(6);
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: { code: 'CONFLICT' } });
    expect(readFileSync(out, 'utf8')).toBe('keep me\n');
    const forced = await kh(['inject', '-i', tpl, '-o', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('k=dk-sécret-1\n');
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('inject names the candidates of an ambiguous reference and writes nothing', async () => {
    const tpl = join(dir, 'amb.tpl');
    writeFileSync(tpl, 'x={{ keyhold://token }}\n');
    const out = join(dir, 'amb.out');
    const run = await kh(['inject', '-i', tpl, '-o', out]);
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('acme/prod/token');
    expect(existsSync(out)).toBe(false);
  });

  it('exec resolves --env references and a .env file of references into the command environment only', async () => {
    const envFile = join(dir, 'refs.env');
    writeFileSync(
      envFile,
      [
        '# references',
        'export DEPLOY=keyhold://acme/deploy-key',
        'ACCESS="keyhold://acme/prod/token/public"',
        'PLAIN=just a value # comment',
        '',
      ].join('\n'),
    );
    const run = await kh([
      'exec',
      '--env',
      'SECRET=keyhold://acme/prod/token',
      '--env-file',
      envFile,
      '--',
      'sh',
      '-c',
      'printf "%s|%s|%s|%s" "$SECRET" "$DEPLOY" "$ACCESS" "$PLAIN"',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('prod "quoted" $secret|dk-sécret-1|AKIAPROD|just a value');
  });

  it('exec with an unknown reference fails NOT_FOUND before the command runs', async () => {
    const marker = join(dir, 'ran');
    const run = await kh(['exec', '--env', 'X=keyhold://acme/missing', '--', 'sh', '-c', `touch ${marker}`]);
    expect(run.code).toBe(3);
    expect(existsSync(marker)).toBe(false);
    const bad = await kh(['exec', '--env', 'X=not-a-reference', '--', 'true']);
    expect(bad.code).toBe(1);
  });

  it('a key given by name works in the other commands that take a key (export, dotenv, audit)', async () => {
    const run = await kh(['dotenv', 'with space', '--name', 'acme/with space=SPACED']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("SPACED='spaced-secret'");
    const audit = await kh(['--json', 'audit', '--key', 'with space']);
    expect(audit.code, audit.stderr).toBe(0);
    expect(JSON.stringify(audit.json())).toContain(pair.id);
  });
});
