// migrate.*: the import wizard's preview and apply. The path must be absolute (it comes from main's
// file dialog or is typed in full): there is no working directory to resolve against.
import { isAbsolute } from 'node:path';
import { KeyholdError } from '../../errors';
import { migrate } from '../../service/migrate';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

function absolute(path: string): string {
  if (!isAbsolute(path)) throw new KeyholdError('INVALID_INPUT', 'Give the full path of the file (or choose it).');
  return path;
}

export function migrateHandlers({ vault }: HandlerDeps): HandlersFor<'migrate'> {
  return {
    'migrate.preview': (input) => migrate(vault.session(), { ...input, path: absolute(input.path), dryRun: true }),
    'migrate.apply': (input) => migrate(vault.session(), { ...input, path: absolute(input.path), dryRun: false }),
  };
}
