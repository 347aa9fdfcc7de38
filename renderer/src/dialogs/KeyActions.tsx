// Confirmations that say what will happen, locally and on the platform.
import { useEffect, useState } from 'react';
import { call } from '../api';
import { AccessWarning } from '../components/AccessWarning';
import { ConfirmDialog } from '../components/Dialog';
import { PLATFORM_LABELS, type ProviderName } from '../components/icons';
import { ErrorNotice } from '../components/ErrorNotice';
import { plural } from '../lib/format';
import { useAction } from '../lib/hooks';
import { refusalFor } from '../lib/access';
import type { WorkspaceRow } from '../lib/model';
import { stateActionEffect } from '../lib/platforms';

export type StateAction = 'activate' | 'deactivate' | 'revoke';

export function DeleteKeysDialog({ ids, onClose, onDone }: { ids: string[]; onClose(): void; onDone(): void }) {
  const { busy, error, run } = useAction();
  const [name, setName] = useState<string>();
  const [onPlatform, setOnPlatform] = useState(ids.length > 1);
  useEffect(() => {
    if (ids.length === 1)
      call('keys.get', { id: ids[0]! })
        .then((d) => {
          setName(d.name);
          setOnPlatform(d.provider !== null && d.provider !== 'local');
        })
        .catch(() => undefined);
  }, [ids]);
  const confirm = () =>
    void run(async () => {
      for (const id of ids) await call('keys.remove', { id });
      onDone();
    });
  const what = ids.length === 1 ? (name ? `“${name}”` : 'this key') : plural(ids.length, 'key');
  return (
    <ConfirmDialog
      title={ids.length === 1 ? 'Delete this key?' : `Delete ${plural(ids.length, 'key')}?`}
      confirmLabel="Delete from vault"
      danger
      busy={busy}
      onConfirm={confirm}
      onCancel={onClose}
      error={<ErrorNotice error={error} doing="delete" />}
    >
      <p>Keyhold will erase {what} and every stored version of its secret from this vault. This cannot be undone (except from a backup).</p>
      {onPlatform && <p className="muted">Nothing changes on the platform: if the key should stop working there, revoke it first.</p>}
    </ConfirmDialog>
  );
}

const TITLES: Record<StateAction, string> = { activate: 'Activate', deactivate: 'Deactivate', revoke: 'Revoke' };

export function StateChangeDialog({
  ids,
  action,
  workspaces,
  onClose,
  onDone,
}: {
  ids: string[];
  action: StateAction;
  workspaces: Map<string, WorkspaceRow>;
  onClose(): void;
  onDone(): void;
}) {
  const { busy, error, run } = useAction();
  const [provider, setProvider] = useState('local');
  const [name, setName] = useState<string>();
  const [refusal, setRefusal] = useState<string | null>(null);
  useEffect(() => {
    call('keys.get', { id: ids[0]! })
      .then((d) => {
        if (ids.length === 1) setName(d.name);
        setProvider(d.provider ?? workspaces.get(d.workspaceId ?? '')?.provider ?? 'local');
        // what the platform showed of the credential: warn before it refuses
        if (action === 'revoke') setRefusal(refusalFor(workspaces.get(d.workspaceId ?? ''), 'revoke', d.environment, d.kind));
      })
      .catch(() => undefined);
  }, [ids, workspaces, action]);
  const confirm = () =>
    void run(async () => {
      for (const id of ids) await call(`keys.${action}`, { id });
      onDone();
    });
  return (
    <ConfirmDialog
      title={`${TITLES[action]} ${name ? `“${name}”` : ids.length === 1 ? 'this key' : plural(ids.length, 'key')}?`}
      confirmLabel={TITLES[action]}
      danger={action !== 'activate'}
      busy={busy}
      onConfirm={confirm}
      onCancel={onClose}
      error={<ErrorNotice error={error} doing={`${action} the key`} />}
    >
      <p data-testid="state-effect">{stateActionEffect(provider, action)}</p>
      <AccessWarning
        platform={PLATFORM_LABELS[provider as ProviderName] ?? provider}
        reason={refusal}
        consequence="If you go on, the key stays on the platform and keeps working, and Keyhold keeps it as it is."
      />
    </ConfirmDialog>
  );
}
