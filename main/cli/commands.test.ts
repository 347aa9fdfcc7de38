import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { allCommands } from './commands';
import { Cli } from './io';
import { commandNameOf, modulesFor, type CommandModule, type LazyCommands } from './program';

function topLevelNames(register: CommandModule): string[] {
  const program = new Command('keyhold');
  const streams = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: {} };
  register(program, new Cli(streams, () => ({})));
  return program.commands.map((c) => c.name());
}

describe('command registry (modules loaded on demand)', () => {
  it('declares, for every module, exactly the top-level commands it adds to', async () => {
    for (const entry of allCommands) {
      expect(topLevelNames(await entry.load()).sort()).toEqual([...entry.names].sort());
    }
  });

  it('finds the command past the global options, --vault taking a value', () => {
    expect(commandNameOf(['--vault', 'key', '--json', 'key', 'list'])).toBe('key');
    expect(commandNameOf(['--json', '--vault=x', 'status'])).toBe('status');
    expect(commandNameOf(['--password-stdin', '--', 'exec'])).toBe('exec');
    expect(commandNameOf(['--version'])).toBeUndefined();
  });

  it('loads only the modules adding to the command that runs, none for --version, all for help or an unknown command', async () => {
    const loaded: string[] = [];
    const entry = (name: string, names: string[]): LazyCommands => ({
      names,
      load: () => {
        loaded.push(name);
        return Promise.resolve(() => undefined);
      },
    });
    const entries = [entry('a', ['key', 'init']), entry('b', ['gen']), entry('c', ['key', 'sync'])];
    const eager: CommandModule = () => undefined;

    expect(await modulesFor(['--json', 'key', 'list'], [...entries, eager])).toHaveLength(3);
    expect(loaded).toEqual(['a', 'c']);
    loaded.length = 0;
    expect(await modulesFor(['--version'], entries)).toHaveLength(0);
    expect(loaded).toEqual([]);
    for (const argv of [['--help'], ['help', 'key'], ['frobnicate'], [], ['--version', '--help']]) {
      loaded.length = 0;
      await modulesFor(argv, entries);
      expect(loaded).toEqual(['a', 'b', 'c']);
    }
  });
});
