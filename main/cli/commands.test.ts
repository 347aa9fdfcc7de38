import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { allCommands } from './commands';
import { Cli } from './io';
import { commandPathOf, modulesFor, type CommandModule, type LazyCommands } from './program';

/** What a module adds: "name" for a command, "group sub" for each subcommand of a group. */
function addedCommands(register: CommandModule): string[] {
  const program = new Command('keyhold');
  const streams = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: {} };
  register(program, new Cli(streams, () => ({})));
  return program.commands.flatMap((c) => (c.commands.length ? c.commands.map((s) => `${c.name()} ${s.name()}`) : [c.name()]));
}

describe('command registry (modules loaded on demand)', () => {
  it('declares, for every module, exactly the commands it adds (a whole group by its name)', async () => {
    for (const entry of allCommands) {
      const added = addedCommands(await entry.load());
      const declared = added.filter((a) => entry.names.some((n) => a === n || a.startsWith(`${n} `)));
      expect(declared, `registry entry ${entry.names.join(', ')}`).toEqual(added);
      for (const n of entry.names)
        expect(
          added.some((a) => a === n || a.startsWith(`${n} `)),
          `declared but not added: ${n}`,
        ).toBe(true);
    }
  });

  it('finds the command path past the global options, --vault taking a value', () => {
    expect(commandPathOf(['--vault', 'key', '--json', 'key', 'list', 'x'])).toEqual(['key', 'list']);
    expect(commandPathOf(['--json', '--vault=x', 'status'])).toEqual(['status']);
    expect(commandPathOf(['key', '--json', 'list'])).toEqual(['key']);
    expect(commandPathOf(['--password-stdin', '--', 'exec', 'env'])).toEqual(['exec']);
    expect(commandPathOf(['--version'])).toEqual([]);
  });

  it('loads only the modules adding to the command that runs, none for --version, all for help, completion or an unknown command', async () => {
    const loaded: string[] = [];
    const entry = (name: string, names: string[]): LazyCommands => ({
      names,
      load: () => {
        loaded.push(name);
        return Promise.resolve(() => undefined);
      },
    });
    const entries = [entry('a', ['key list', 'init']), entry('b', ['gen']), entry('c', ['key rotate', 'sync']), entry('d', ['env'])];
    const eager: CommandModule = () => undefined;

    expect(await modulesFor(['--json', 'key', 'list'], [...entries, eager])).toHaveLength(2);
    expect(loaded).toEqual(['a']);
    loaded.length = 0;
    await modulesFor(['key', '--help'], entries);
    expect(loaded).toEqual(['a', 'c']);
    loaded.length = 0;
    await modulesFor(['key', 'frobnicate'], entries);
    expect(loaded).toEqual(['a', 'c']);
    loaded.length = 0;
    await modulesFor(['env', 'add'], entries);
    expect(loaded).toEqual(['d']);
    loaded.length = 0;
    const completion: LazyCommands = { ...entry('e', ['completion', '__names']), whole: ['completion'] };
    await modulesFor(['completion', 'bash'], [...entries, completion]);
    expect(loaded).toEqual(['a', 'b', 'c', 'd', 'e']);
    loaded.length = 0;
    await modulesFor(['__names', 'keys'], [...entries, completion]);
    expect(loaded).toEqual(['e']);
    loaded.length = 0;
    expect(await modulesFor(['--version'], entries)).toHaveLength(0);
    expect(loaded).toEqual([]);
    for (const argv of [['--help'], ['help', 'key'], ['frobnicate'], [], ['--version', '--help']]) {
      loaded.length = 0;
      await modulesFor(argv, entries);
      expect(loaded).toEqual(['a', 'b', 'c', 'd']);
    }
  });
});
