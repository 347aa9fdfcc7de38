// `keyhold inject -i TEMPLATE [-o FILE] [--force]` (docs/CLI.md "Secret references"): a text file
// with every {{ keyhold://... }} replaced, as `op inject` renders it. Every reference is resolved
// before anything is written; the output file is 0600 and written atomically.
import { lstatSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { KeyholdError, systemErrorCode } from '../errors';
import { fileError, writeFileAtomic } from '../export/atomic-file';
import { renderTemplate } from '../service/secret-ref';
import type { Cli } from './io';
import type { CommandModule } from './program';
import { withVault } from './with-vault';

const MAX_TEMPLATE = 16 * 1024 * 1024;

function readTemplate(path: string): Buffer {
  try {
    if (statSync(path).size > MAX_TEMPLATE) throw new KeyholdError('INVALID_INPUT', `${path} is over 16 MiB; not a template.`);
    return readFileSync(path);
  } catch (e) {
    throw fileError(e, path, 'read');
  }
}

/** Refuses an existing output file before the vault is opened (the writer checks again). */
function checkOutput(path: string, force: boolean): void {
  try {
    lstatSync(path);
  } catch (e) {
    if (systemErrorCode(e) === 'ENOENT') return;
    throw fileError(e, path, 'inspect');
  }
  if (!force) throw new KeyholdError('CONFLICT', `${path} already exists (use --force to replace it).`);
}

export const injectCommands: CommandModule = (program: Command, cli: Cli) => {
  program
    .command('inject')
    .description('render {{ keyhold://WORKSPACE/NAME[/FIELD] }} references in a text file, to standard output or FILE (0600, atomic)')
    .requiredOption('-i, --in-file <template>', 'the template')
    .option('-o, --out-file <file>', 'write here (mode 0600, atomically) instead of standard output')
    .option('--force', 'replace an existing output file')
    .action(async (o: { inFile: string; outFile?: string; force?: boolean }) => {
      const template = readTemplate(cli.path(o.inFile));
      const out = o.outFile === undefined ? null : cli.path(o.outFile);
      if (out) checkOutput(out, Boolean(o.force));
      const { data, refs } = await withVault(cli, (s) => renderTemplate(s, template, out ? `inject ${out}` : 'inject stdout'));
      if (!out) {
        cli.streams.stdout.write(data);
        return;
      }
      await writeFileAtomic(out, data, { mode: 0o600, overwrite: Boolean(o.force) });
      cli.print({ path: out, references: refs }, `Wrote ${out} (${refs} reference(s) rendered, mode 0600)`);
    });
};
