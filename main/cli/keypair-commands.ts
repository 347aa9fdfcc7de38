// `keyhold gen ed25519`, `keyhold import FILE`, `keyhold export ID` (CLI.md): key pairs the way
// ssh-keygen makes them, files in and out. The use cases are main/service/keypairs.ts.
import { Argument, Option, type Command } from 'commander';
import { EXPORT_FORMATS, type ExportFormat } from '../keys/export-formats';
import { keyFileNeedsPassphrase, parseKeyFile } from '../keys/parse-key-file';
import { exportKeyPair, generateKeyPair, importKeyPair, readKeyFile } from '../service/keypairs';
import { resolveKeyRef } from '../service/key-ref';
import { keyDetail, resolveScope, type KeyView } from '../service/keys';
import type { Cli } from './io';
import type { CommandModule } from './program';
import { withVault } from './with-vault';

/** The lines ssh-keygen prints about a key pair: public line, fingerprint, randomart (for `key show` too). */
export function keyPairText(view: Pick<KeyView, 'publicKey' | 'fingerprint' | 'randomart' | 'meta'>): string[] {
  const lines: string[] = [];
  if (view.publicKey) lines.push(view.publicKey);
  if (view.fingerprint) lines.push('The key fingerprint is:', `${view.fingerprint}${view.meta.comment ? ` ${view.meta.comment}` : ''}`);
  if (view.randomart) lines.push("The key's randomart image is:", view.randomart);
  return lines;
}

interface ScopeOptions {
  workspace?: string;
  env?: string;
}

export const keyPairCommands: CommandModule = (program: Command, cli: Cli) => {
  program
    .command('gen')
    .description('generate a key pair, like ssh-keygen -t ed25519')
    .addArgument(new Argument('<type>', 'key type').choices(['ed25519']))
    .requiredOption('--name <name>', 'its name in the vault')
    .option('--comment <comment>', 'the public key comment (default: user@host, as ssh-keygen)')
    .option('--description <text>', 'a description')
    .option('--workspace <workspace>', 'workspace (name or id)')
    .option('--env <environment>', 'environment (name or id)')
    .action(async (_type: string, o: ScopeOptions & { name: string; comment?: string; description?: string }) => {
      const view = await withVault(cli, async (s) => {
        const rec = await generateKeyPair(s, {
          name: o.name,
          ...(o.comment !== undefined ? { comment: o.comment } : {}),
          ...(o.description !== undefined ? { description: o.description } : {}),
          ...resolveScope(s, o),
        });
        return keyDetail(s, rec);
      });
      cli.print(view, () => [`Generated ed25519 key pair ${view.name} (${view.id})`, ...keyPairText(view)].join('\n'));
    });

  program
    .command('import')
    .description('import a key file: OpenSSH or PKCS#8 / PKCS#1 private key, or a public key line ("-": standard input)')
    .argument('<file>', 'the key file')
    .requiredOption('--name <name>', 'its name in the vault')
    .option('--description <text>', 'a description')
    .option('--workspace <workspace>', 'workspace (name or id)')
    .option('--env <environment>', 'environment (name or id)')
    .option('--passphrase-stdin', "read the key file's passphrase from the next line of standard input")
    .action(async (file: string, o: ScopeOptions & { name: string; description?: string; passphraseStdin?: boolean }) => {
      // a file that is no key is reported before the master password is asked for
      const fromFile = file === '-' ? undefined : readKeyFile(cli.path(file));
      if (fromFile && !keyFileNeedsPassphrase(fromFile)) await parseKeyFile(fromFile);
      const view = await withVault(cli, async (s) => {
        let passphrase: string | undefined;
        if (o.passphraseStdin) passphrase = await cli.secret(true, 'the passphrase of the key file');
        const content = fromFile ?? Buffer.from(await cli.stdinLines.rest(), 'utf8');
        if (passphrase === undefined && keyFileNeedsPassphrase(content)) passphrase = await cli.secret(false, 'passphrase of the key file');
        const rec = await importKeyPair(s, {
          name: o.name,
          content,
          ...(passphrase ? { passphrase } : {}),
          ...(o.description !== undefined ? { description: o.description } : {}),
          origin: file === '-' ? 'standard input' : file,
          ...resolveScope(s, o),
        });
        return keyDetail(s, rec);
      });
      const what = view.hasSecret ? 'key pair' : 'public key';
      cli.print(view, () => [`Imported ${what} ${view.name} (${view.id})`, ...keyPairText(view)].join('\n'));
    });

  program
    .command('export')
    .description('write a key pair to a file (private keys 0600, atomically) or to standard output ("-")')
    .argument('<key>', 'the key (id, id prefix, name, WORKSPACE/NAME)')
    .addOption(new Option('--format <format>', 'openssh, pkcs8, pub, or txt (Encord)').choices(EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption('--out <file>', 'the file, or - for standard output')
    .option('--passphrase-stdin', 'protect the private key with a passphrase read from the next line of standard input')
    .option('--force', 'replace an existing file')
    .action(async (id: string, o: { format: ExportFormat; out: string; passphraseStdin?: boolean; force?: boolean }) => {
      const res = await withVault(cli, async (s) => {
        const passphrase = o.passphraseStdin ? await cli.secret(true, 'the passphrase for the exported key') : undefined;
        return exportKeyPair(s, {
          id: resolveKeyRef(s, id).id,
          format: o.format,
          out: o.out === '-' ? '-' : cli.path(o.out),
          ...(passphrase ? { passphrase } : {}),
          force: Boolean(o.force),
        });
      });
      if (res.note && !cli.json) cli.streams.stderr.write(`keyhold: ${res.note}\n`);
      if (res.path === null) {
        // `--out -` exists to print the key: as itself, or inside the JSON document
        if (cli.json) cli.print(res, '');
        else cli.streams.stdout.write(res.content ?? '');
        return;
      }
      const mode = res.mode === null ? '' : `, mode ${res.mode.toString(8).padStart(4, '0')}`;
      cli.print(res, `Wrote ${res.path} (${res.format}${res.passphraseProtected ? ', passphrase-protected' : ''}${mode})`);
    });
};
