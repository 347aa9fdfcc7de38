// IPC handlers of the key-pair domain: each calls the use case in keypairs.ts on the unlocked
// vault. Exports go to a file only: private key text never crosses into the renderer.
import { isAbsolute } from 'node:path';
import { KeyholdError } from '../errors';
import type { Handlers } from '../ipc/router';
import { decodeStrictBase64 } from '../keys/strict-base64';
import type { ServiceContext } from './context';
import { exportKeyPair, generateKeyPair, importKeyPair, keyPairRandomart, readKeyFile } from './keypairs';
import { keyDetail } from './keys';
import type { VaultManager } from './vault-manager';

export function keyPairHandlers(_ctx: ServiceContext, vault: VaultManager): Pick<Handlers, 'keys.generate' | 'keys.import' | 'keys.export' | 'keys.randomart'> {
  return {
    'keys.generate': async (input) => {
      const s = vault.session();
      const rec = await generateKeyPair(s, input);
      return keyDetail(s, rec);
    },
    'keys.import': async (input) => {
      const s = vault.session();
      let content: string | Buffer;
      if (input.path !== undefined) {
        if (!isAbsolute(input.path)) throw new KeyholdError('INVALID_INPUT', 'Give the key file as an absolute path.');
        content = readKeyFile(input.path);
      } else {
        const text = input.content ?? '';
        content = input.encoding === 'base64' ? decodeStrictBase64(text, 'key file (base64)') : text;
      }
      const rec = await importKeyPair(s, {
        name: input.name,
        content,
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.passphrase ? { passphrase: input.passphrase } : {}),
        ...(input.path ? { origin: input.path } : input.fileName ? { origin: input.fileName } : {}),
        workspaceId: input.workspaceId ?? null,
        environmentId: input.environmentId ?? null,
      });
      return keyDetail(s, rec);
    },
    'keys.export': async (input) => {
      if (!isAbsolute(input.path)) throw new KeyholdError('INVALID_INPUT', 'Give the export file as an absolute path.');
      const res = await exportKeyPair(vault.session(), { ...input, out: input.path });
      if (res.path === null || res.mode === null) throw new Error('file export without a path');
      return {
        id: res.id,
        format: res.format,
        path: res.path,
        mode: res.mode,
        replaced: res.replaced,
        passphraseProtected: res.passphraseProtected,
        ...(res.note ? { note: res.note } : {}),
      };
    },
    'keys.randomart': ({ id }) => keyPairRandomart(vault.session(), id),
  };
}
