import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultNetrcPath, maskNetrc, mergeNetrc, netrcToken, parseNetrc } from './netrc';
import { applyNetrcPlan, MAX_NETRC_BYTES, planNetrcMerge } from './netrc-file';
import { startBasicAuthServer } from './basic-auth-server.testkit';

const run = promisify(execFile);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kh-netrc-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** What Python's netrc module reads: {host: [login, account, password]}. */
async function pythonNetrc(path: string): Promise<Record<string, [string, string, string]>> {
  const { stdout } = await run('python3', ['-c', 'import json,netrc,sys; print(json.dumps(netrc.netrc(sys.argv[1]).hosts))', path]);
  return JSON.parse(stdout) as Record<string, [string, string, string]>;
}

async function curlStatus(netrcPath: string, url: string): Promise<string> {
  const { stdout } = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--netrc-file', netrcPath, url]);
  return stdout;
}

// A netrc with everything a hand-kept file has: comments, a multi-line entry, a quoted password,
// an account, a macdef (ended by an empty line), tabs, CRLF, and a default entry at the end.
const RICH = [
  '# my netrc -- hand kept',
  'machine ftp.example.org',
  '\tlogin alice',
  '\tpassword "s3cret with spaces"   # quoted',
  '\taccount acct1',
  '',
  'machine git.example.com login bob password hunter2\r',
  'macdef init',
  'cd /pub',
  'bin',
  '',
  '  # indented comment',
  'machine h3 login "x y" password "a\\"b\\\\c"',
  'default login anonymous password user@example.org',
  '',
].join('\n');

describe('parseNetrc', () => {
  it('reads machines, logins, quoted values, accounts, macdef and default the way curl and Python do', () => {
    const p = parseNetrc(RICH);
    expect(p.entries.map((e) => [e.kind, e.name?.value ?? null, e.pairs.map((x) => `${x.keyword.value}=${x.value.value}`)])).toEqual([
      ['machine', 'ftp.example.org', ['login=alice', 'password=s3cret with spaces', 'account=acct1']],
      ['machine', 'git.example.com', ['login=bob', 'password=hunter2']],
      ['machine', 'h3', ['login=x y', 'password=a"b\\c']],
      ['default', null, ['login=anonymous', 'password=user@example.org']],
    ]);
    expect(p.macros.map((m) => m.name)).toEqual(['init']);
    expect(p.openMacdef).toBe(false);
  });

  it('does not read a macdef body as entries (it ends only at an empty line)', () => {
    const p = parseNetrc('macdef m\nmachine fake login x password y\n\nmachine real login a password b\n');
    expect(p.entries.map((e) => e.name?.value)).toEqual(['real']);
  });

  it.each([
    ['an unknown word at the top', 'hostname foo login a password b\n', 'line 1'],
    ['an unknown word in an entry', 'machine a login b pasword c\n', 'line 1'],
    ['a keyword without its value', 'machine a\nlogin b\npassword', 'line 3'],
    ['a machine without a name', 'machine\n', 'line 1'],
    ['an unterminated quote', 'machine a login b password "abc\n', 'line 1'],
    ['a quote ending in a backslash', 'machine a login b password "abc\\', 'line 1'],
    ['macdef without a name', 'macdef\n', 'line 1'],
    ['NUL bytes', 'machine a\0 login b password c', 'line 1'],
  ])('refuses %s with INVALID_INPUT naming the line, never a value', (_what, text, line) => {
    expect(() => parseNetrc(text)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(line) }));
    try {
      parseNetrc(text);
    } catch (e) {
      expect((e as Error).message).not.toMatch(/abc|pasword c|password b/);
    }
  });
});

describe('netrcToken', () => {
  it('leaves plain values bare and quotes spaces, quotes, backslashes, a leading #, and empty', () => {
    expect(netrcToken('abc-DEF_123@x.y:z')).toBe('abc-DEF_123@x.y:z');
    expect(netrcToken('a#b')).toBe('a#b');
    expect(netrcToken('#ab')).toBe('"#ab"');
    expect(netrcToken('a b')).toBe('"a b"');
    expect(netrcToken('a"b')).toBe('"a\\"b"');
    expect(netrcToken('a\\b')).toBe('"a\\\\b"');
    expect(netrcToken('')).toBe('""');
  });

  it('refuses control characters (curl and Python disagree on \\n, \\t escapes)', () => {
    for (const v of ['a\nb', 'a\tb', 'a\rb', 'a\u007fb'])
      expect(() => netrcToken(v)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('mergeNetrc', () => {
  const cred = { machine: 'rancher.example.com', login: 'AK1', password: 'SK1' };

  it('adds an entry to an empty file', () => {
    const m = mergeNetrc('', [cred]);
    expect(m.after).toBe('machine rancher.example.com login AK1 password SK1\n');
    expect(m.changes).toEqual([{ machine: 'rancher.example.com', login: 'AK1', change: 'added' }]);
  });

  it('adds a newline first when the file does not end with one', () => {
    expect(mergeNetrc('machine a login b password c', [cred]).after).toBe(
      'machine a login b password c\nmachine rancher.example.com login AK1 password SK1\n',
    );
  });

  it('closes a macdef that runs to the end of the file before adding (or it would swallow the entry)', () => {
    const m = mergeNetrc('macdef m\nls\n', [cred]);
    expect(m.after).toBe('macdef m\nls\n\nmachine rancher.example.com login AK1 password SK1\n');
    expect(parseNetrc(m.after).entries).toHaveLength(1);
  });

  it('adds before a default entry, keeping the default line as it was', () => {
    const m = mergeNetrc('machine a login b password c\n  default login anon password x\n', [cred]);
    expect(m.after).toBe(
      'machine a login b password c\nmachine rancher.example.com login AK1 password SK1\n  default login anon password x\n',
    );
    expect(m.warnings.join(' ')).toContain('default');
  });

  it('updates only the password token of an entry with the same machine (any case) and login', () => {
    const before = 'machine RANCHER.example.com\n  login AK1\n  password   old-secret   # rotated monthly\n';
    const m = mergeNetrc(before, [{ ...cred, password: 'new secret' }]);
    expect(m.after).toBe('machine RANCHER.example.com\n  login AK1\n  password   "new secret"   # rotated monthly\n');
    expect(m.changes[0]!.change).toBe('updated');
  });

  it('adds a password to a matching entry that has none', () => {
    expect(mergeNetrc('machine rancher.example.com login AK1\n', [cred]).after).toBe(
      'machine rancher.example.com login AK1 password SK1\n',
    );
  });

  it('merging the same credential twice leaves one entry and reports unchanged', () => {
    const once = mergeNetrc(RICH, [cred]);
    const twice = mergeNetrc(once.after, [cred]);
    expect(twice.after).toBe(once.after);
    expect(twice.changes[0]!.change).toBe('unchanged');
    expect(parseNetrc(twice.after).entries.filter((e) => e.name?.value === cred.machine)).toHaveLength(1);
  });

  it('adds a second entry for another login of the same machine, with a warning', () => {
    const m = mergeNetrc('machine rancher.example.com login OTHER password p\n', [cred]);
    expect(parseNetrc(m.after).entries).toHaveLength(2);
    expect(m.warnings.join(' ')).toContain('another login');
  });

  it('refuses two credentials for the same machine and login', () => {
    expect(() => mergeNetrc('', [cred, { ...cred, password: 'x' }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses unusable machine names and empty logins or passwords', () => {
    for (const bad of [
      { ...cred, machine: 'a b' },
      { ...cred, machine: '' },
      { ...cred, login: '' },
      { ...cred, password: '' },
    ]) {
      expect(() => mergeNetrc('', [bad])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });

  it('keeps every byte outside the changed tokens of a rich file', () => {
    const m = mergeNetrc(RICH, [
      { machine: 'git.example.com', login: 'bob', password: 'p@ss word#1' },
      { machine: 'new.example.net', login: 'carol', password: 'c' },
    ]);
    // the update replaced exactly the token, the addition went before `default`
    const expected = RICH.replace('password hunter2\r', 'password "p@ss word#1"\r').replace(
      'default login anonymous',
      'machine new.example.net login carol password c\ndefault login anonymous',
    );
    expect(m.after).toBe(expected);
  });
});

describe('previewNetrcMerge / maskNetrc', () => {
  it('shows a unified diff of the change with every password masked, old and new', async () => {
    const path = join(dir, '.netrc');
    writeFileSync(path, 'machine a login b password OLDSECRET\nmachine c login d password OTHERSECRET\n');
    const plan = await planNetrcMerge(path, [
      { machine: 'a', login: 'b', password: 'NEWSECRET' },
      { machine: 'e', login: 'f', password: 'ADDEDSECRET' },
    ]);
    expect(plan.preview).toBe(
      [
        `--- ${path}`,
        `+++ ${path}`,
        '@@ -1,2 +1,3 @@',
        '-machine a login b password ********',
        '+machine a login b password ********',
        ' machine c login d password ********',
        '+machine e login f password ********',
        '',
      ].join('\n'),
    );
    expect(plan.preview).not.toMatch(/SECRET/);
    expect(maskNetrc('machine a login b account ACC password P\n')).toBe('machine a login b account ******** password ********\n');
  });

  it('masks comments and macro bodies too (they can hold a password), keeping every line and the rest', async () => {
    const text = [
      '# old password: COMMENTSECRET',
      'machine a login b password P1 # was TRAILSECRET',
      'macdef init extra MACROLINESECRET',
      'echo MACROSECRET',
      '\tcd /x',
      '',
      'machine c login d',
      '',
    ].join('\n');
    expect(maskNetrc(text)).toBe(
      [
        '# ********',
        'machine a login b password ******** # ********',
        'macdef init ********',
        '********',
        '********',
        '',
        'machine c login d',
        '',
      ].join('\n'),
    );
    const path = join(dir, '.netrc');
    writeFileSync(path, text);
    const plan = await planNetrcMerge(path, [{ machine: 'c', login: 'd', password: 'NEWSECRET' }]);
    expect(plan.preview).toContain('+machine c login d password ********');
    expect(plan.preview).not.toMatch(/SECRET|P1/);
    // a macro left open at the end of the file is masked to the end
    expect(maskNetrc('macdef m\nOPENSECRET\n')).toBe('macdef m\n********\n');
  });

  it('is empty when nothing would change', async () => {
    const path = join(dir, '.netrc');
    writeFileSync(path, 'machine a login b password c\n');
    expect((await planNetrcMerge(path, [{ machine: 'a', login: 'b', password: 'c' }])).preview).toBe('');
  });
});

describe('netrc files on disk, read by the real readers', () => {
  it('after the merge curl --netrc-file is authorized by a Basic-auth server and Python finds the entry', async () => {
    const server = await startBasicAuthServer('AK-9 1', 'S"k\\#2 x');
    try {
      const path = join(dir, '.netrc');
      writeFileSync(path, RICH, { mode: 0o644 });
      expect(await curlStatus(path, server.url)).toBe('401');
      const plan = await planNetrcMerge(path, [{ machine: '127.0.0.1', login: 'AK-9 1', password: 'S"k\\#2 x' }]);
      const written = await applyNetrcPlan(plan);
      expect(written?.backupPath).toBe(`${path}.bak`);
      expect(await curlStatus(path, server.url)).toBe('200');
      expect(server.seen.at(-1)).toBe('AK-9 1:S"k\\#2 x');
      const hosts = await pythonNetrc(path);
      expect(hosts['127.0.0.1']).toEqual(['AK-9 1', '', 'S"k\\#2 x']);
      expect(hosts['ftp.example.org']).toEqual(['alice', 'acct1', 's3cret with spaces']);
      expect(hosts['h3']).toEqual(['x y', '', 'a"b\\c']);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(`${path}.bak`, 'utf8')).toBe(RICH);
    } finally {
      await server.close();
    }
  });

  it('the rest of a rich file survives byte for byte, and a second merge changes nothing', async () => {
    const path = join(dir, '.netrc');
    writeFileSync(path, RICH);
    const cred = { machine: 'api.example.io', login: 'AK', password: 'SK' };
    await applyNetrcPlan(await planNetrcMerge(path, [cred]));
    const after = readFileSync(path, 'utf8');
    expect(after.replace('machine api.example.io login AK password SK\n', '')).toBe(RICH);
    const again = await planNetrcMerge(path, [cred]);
    expect(again.changes[0]!.change).toBe('unchanged');
    expect(await applyNetrcPlan(again)).toBeNull();
    expect(readFileSync(path, 'utf8')).toBe(after);
    const hosts = await pythonNetrc(path);
    expect(Object.keys(hosts).sort()).toEqual(['api.example.io', 'default', 'ftp.example.org', 'git.example.com', 'h3']);
  });

  it('an updated password is what curl sends afterwards (in place, still one entry)', async () => {
    const server = await startBasicAuthServer('AK', 'new-secret');
    try {
      const path = join(dir, 'netrc');
      writeFileSync(path, '# mine\nmachine 127.0.0.1\n    login AK\n    password old-secret\n');
      await applyNetrcPlan(await planNetrcMerge(path, [{ machine: '127.0.0.1', login: 'AK', password: 'new-secret' }]));
      expect(readFileSync(path, 'utf8')).toBe('# mine\nmachine 127.0.0.1\n    login AK\n    password new-secret\n');
      expect(await curlStatus(path, server.url)).toBe('200');
    } finally {
      await server.close();
    }
  });

  it('an unparsable netrc is left untouched (INVALID_INPUT naming the file and line)', async () => {
    const path = join(dir, '.netrc');
    const broken = 'machine a login b password "unterminated\nmachine c login d password e\n';
    writeFileSync(path, broken, { mode: 0o640 });
    await expect(planNetrcMerge(path, [{ machine: 'x', login: 'y', password: 'z' }])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/\.netrc cannot be read as a netrc file \(line 1: .*left untouched/),
    });
    expect(readFileSync(path, 'utf8')).toBe(broken);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['.netrc']);
  });

  it('a netrc over the size cap is refused unparsed and left untouched', async () => {
    const path = join(dir, '.netrc');
    const big = `${'machine a login b password c\n'.repeat(Math.ceil(MAX_NETRC_BYTES / 29) + 1)}`;
    writeFileSync(path, big);
    await expect(planNetrcMerge(path, [{ machine: 'x', login: 'y', password: 'z' }])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/too large/),
    });
    expect(readFileSync(path, 'utf8')).toBe(big);
  });

  it('a netrc that is not UTF-8 text is left untouched', async () => {
    const path = join(dir, '.netrc');
    const bytes = Buffer.from([0x6d, 0x61, 0x63, 0x68, 0x69, 0x6e, 0x65, 0x20, 0xff, 0xfe, 0x0a]);
    writeFileSync(path, bytes);
    await expect(planNetrcMerge(path, [{ machine: 'x', login: 'y', password: 'z' }])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('a netrc that is a symbolic link is refused before anything is shown or written', async () => {
    const real = join(dir, 'dotfiles-netrc');
    writeFileSync(real, 'machine a login b password c\n');
    symlinkSync(real, join(dir, '.netrc'));
    await expect(planNetrcMerge(join(dir, '.netrc'), [{ machine: 'x', login: 'y', password: 'z' }])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(readFileSync(real, 'utf8')).toBe('machine a login b password c\n');
  });

  it('refuses to write if the file changed after the preview (CONFLICT), keeping the other change', async () => {
    const path = join(dir, '.netrc');
    writeFileSync(path, 'machine a login b password c\n');
    const plan = await planNetrcMerge(path, [{ machine: 'x', login: 'y', password: 'z' }]);
    writeFileSync(path, 'machine a login b password CHANGED\n');
    await expect(applyNetrcPlan(plan)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(readFileSync(path, 'utf8')).toBe('machine a login b password CHANGED\n');
  });

  it('creates a missing netrc with mode 0600', async () => {
    const path = join(dir, '.netrc');
    await applyNetrcPlan(await planNetrcMerge(path, [{ machine: 'x', login: 'y', password: 'z' }]));
    expect(readFileSync(path, 'utf8')).toBe('machine x login y password z\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe('defaultNetrcPath', () => {
  it('is ~/.netrc, and %USERPROFILE%\\_netrc on Windows', () => {
    expect(defaultNetrcPath({ HOME: '/home/ann' }, 'linux')).toBe(join('/home/ann', '.netrc'));
    expect(defaultNetrcPath({ USERPROFILE: 'C:/Users/ann' }, 'win32')).toBe(join('C:/Users/ann', '_netrc'));
  });
});
