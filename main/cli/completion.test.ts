// The completion scripts, generated from the command tree, in a real interactive bash in a tmux pty.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeyhold } from './harness.testkit';

const TMUX_SOCKET = `keyhold-completion-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', TMUX_SOCKET, ...args], { encoding: 'utf8' });

/** Waits until the pane shows `wanted` (polling the screen, up to 10 s). */
async function screenShows(wanted: RegExp): Promise<string> {
  const until = Date.now() + 10_000;
  let screen = '';
  while (Date.now() < until) {
    screen = tmux('capture-pane', '-p', '-t', 'c');
    if (wanted.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the pane never showed ${wanted}:\n${screen}`);
}

describe('keyhold completion', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyhold-completion-'));
    const run = await runKeyhold(['completion', 'bash'], { env: { KEYHOLD_NO_APP: '1' } });
    expect(run.code, run.stderr).toBe(0);
    writeFileSync(join(dir, 'keyhold.bash'), run.stdout);
    tmux(
      'new-session',
      '-d',
      '-s',
      'c',
      '-x',
      '200',
      '-y',
      '40',
      'env -i PATH=/usr/bin:/bin HOME=' + dir + ' TERM=xterm bash --norc --noprofile',
    );
    tmux('send-keys', '-t', 'c', `source '${join(dir, 'keyhold.bash')}'; PS1='$ '; clear`, 'Enter');
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  });

  it('completes `keyhold key sh<TAB>` to `keyhold key show` in a real bash', async () => {
    tmux('send-keys', '-t', 'c', 'keyhold key sh', 'Tab');
    // (tmux trims the space completion adds after the word)
    const screen = await screenShows(/keyhold key show\s*$/m);
    expect(screen).toMatch(/^\$ keyhold key show\s*$/m);
    tmux('send-keys', '-t', 'c', 'C-u');
  });

  it('completes flags of the command the line is in, taken from the program', async () => {
    tmux('send-keys', '-t', 'c', 'keyhold key list --wor', 'Tab');
    await screenShows(/keyhold key list --workspace\s*$/m);
    tmux('send-keys', '-t', 'c', 'C-u');
    tmux('send-keys', '-t', 'c', 'keyhold --vault /tmp/x inj', 'Tab');
    await screenShows(/keyhold --vault \/tmp\/x inject\s*$/m);
    tmux('send-keys', '-t', 'c', 'C-u');
  });

  it('lists every command, and every flag, of the program in each script', async () => {
    const scripts = await Promise.all(['bash', 'zsh', 'fish'].map((s) => runKeyhold(['completion', s], { env: { KEYHOLD_NO_APP: '1' } })));
    for (const s of scripts) {
      expect(s.code).toBe(0);
      for (const word of ['inject', 'rotate', 'deactivate', 'env-file', 'reveal']) expect(s.stdout).toContain(word);
      expect(s.stdout).not.toContain('__names keys|');
    }
    expect(scripts[1]!.stdout).toMatch(/^#compdef keyhold\n/);
    expect(scripts[2]!.stdout).toContain("complete -c keyhold -n 'test (__keyhold_path) = \\'key\\'' -a 'add list show");
    // bash itself accepts the script
    execFileSync('bash', ['-n', join(dir, 'keyhold.bash')]);
    const bad = await runKeyhold(['completion', 'tcsh']);
    expect(bad.code).toBe(1);
  });
});
