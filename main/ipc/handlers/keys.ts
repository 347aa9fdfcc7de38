// keys.*: keys in the vault, key pairs (private key text never crosses into the renderer: exports
// go to a file only), and keys on their platform (create, rotate with progress events, activate,
// deactivate, revoke, check).
import { isAbsolute } from 'node:path';
import { KeyholdError } from '../../errors';
import { decodeStrictBase64 } from '../../keys/strict-base64';
import { exportKeyPair, generateKeyPair, importKeyPair, keyPairRandomart, readKeyFile } from '../../service/keypairs';
import { addKey, copySecret, editKey, keyDetail, keyHistory, keyView, listKeyViews, removeKey, revealSecret } from '../../service/keys';
import { checkRemoteKey, createRemoteKey, editRemoteKey, revokeRemoteKey, setRemoteKeyActive } from '../../service/remote-keys';
import { rotateKeys, rotationSummary } from '../../service/rotation';
import { readSettings } from '../../service/vault-settings';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

export function keysHandlers({ ctx, vault, remote, grants }: HandlerDeps): HandlersFor<'keys'> {
  return {
    'keys.list': (query) => listKeyViews(vault.session(), query),
    'keys.get': ({ id }) => {
      const s = vault.session();
      return keyDetail(s, s.getKey(id));
    },
    'keys.add': (input) => {
      const s = vault.session();
      return keyView(s, addKey(s, input));
    },
    'keys.edit': ({ id, ...patch }) => {
      const s = vault.session();
      return keyView(s, editKey(s, id, patch));
    },
    'keys.remove': ({ id }) => {
      removeKey(vault.session(), id);
      return { removed: id };
    },
    'keys.history': ({ id }) => keyHistory(vault.session(), id),
    'keys.reveal': ({ id }) => ({ id, secret: revealSecret(vault.session(), id) }),
    'keys.copy': ({ id }) => {
      const s = vault.session();
      return copySecret(s, ctx.platform.clipboard, id, readSettings(s).clipboardClearSeconds);
    },

    'keys.generate': async (input) => {
      const s = vault.session();
      const rec = await generateKeyPair(s, input);
      return keyDetail(s, rec);
    },
    'keys.import': async (input) => {
      const s = vault.session();
      let content: string | Buffer;
      const path = grants.path(input, 'open');
      if (path !== undefined) {
        if (!isAbsolute(path)) throw new KeyholdError('INVALID_INPUT', 'Give the key file as an absolute path.');
        content = readKeyFile(path);
      } else {
        const text = input.content ?? '';
        content = input.encoding === 'base64' ? decodeStrictBase64(text, 'key file (base64)') : text;
      }
      const rec = await importKeyPair(s, {
        name: input.name,
        content,
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.passphrase ? { passphrase: input.passphrase } : {}),
        ...(path ? { origin: path } : input.fileName ? { origin: input.fileName } : {}),
        workspaceId: input.workspaceId ?? null,
        environmentId: input.environmentId ?? null,
      });
      return keyDetail(s, rec);
    },
    'keys.export': async ({ token, ...input }) => {
      const path = grants.path({ path: input.path, token }, 'save')!;
      if (!isAbsolute(path)) throw new KeyholdError('INVALID_INPUT', 'Give the export file as an absolute path.');
      const res = await exportKeyPair(vault.session(), { ...input, out: path });
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

    'keys.create': async ({ workspaceId, environmentId, repository, ...rest }) => {
      const session = await remote.ready();
      const env = environmentId ?? repository;
      const created = await createRemoteKey(session, { workspace: workspaceId, ...(env ? { env } : {}), ...rest });
      return { key: keyDetail(session, created.key), ...(created.registration ? { registration: created.registration } : {}) };
    },
    'keys.rotate': async ({ ids, concurrency }) => {
      // an interrupted rotation of one of these keys is finished by this call, not started anew
      const session = vault.session();
      await remote.resume(session, ids);
      return rotationSummary(await rotateKeys(session, ids, { ...remote.progress, ...(concurrency ? { concurrency } : {}) }));
    },
    'keys.activate': async ({ id }) => {
      const session = await remote.ready();
      return keyDetail(session, await setRemoteKeyActive(session, id, true));
    },
    'keys.deactivate': async ({ id }) => {
      const session = await remote.ready();
      return keyDetail(session, await setRemoteKeyActive(session, id, false));
    },
    'keys.revoke': async ({ id }) => {
      const session = await remote.ready();
      return keyDetail(session, await revokeRemoteKey(session, id));
    },
    'keys.check': async ({ id }) => checkRemoteKey(await remote.ready(), id),
    'keys.editRemote': async ({ id, ...patch }) => {
      const session = await remote.ready();
      return keyDetail(session, await editRemoteKey(session, id, patch));
    },
  };
}
