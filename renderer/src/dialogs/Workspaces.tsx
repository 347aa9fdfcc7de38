// Workspaces: add, connect (each platform's credential), rename, remove, add an environment,
// and sync with progress.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { call, onEvent } from '../api';
import { ConfirmDialog, Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { ProgressBar } from '../components/ProgressBar';
import { SubmitFoot } from '../components/FormFoot';
import { PLATFORM_LABELS, PlatformIcon, type ProviderName } from '../components/icons';
import { useToast } from '../components/Toasts';
import { useAction } from '../lib/hooks';
import type { KeyRow, SyncOut, SyncProgressOut, WorkspaceRow } from '../lib/model';

const DEFAULT_URLS: Partial<Record<ProviderName, string>> = {
  syncano: 'https://api.syncano.io',
  github: 'https://api.github.com',
  encord: 'https://api.encord.com',
};

const PROVIDER_HINTS: Record<ProviderName, string> = {
  syncano: 'An administrator account: its Account Key manages instances and their API keys.',
  rancher: 'A Rancher server: an account API key pair manages environments and their keys.',
  encord: 'An Encord workspace: ed25519 access keys for its service account or users.',
  github: 'A GitHub account: its public SSH keys.',
  local: 'Keys that live only in this vault.',
  rancher2: 'A Rancher 2.x server: an API token manages its API tokens; clusters are environments.',
};

function FormDialog({
  title,
  submitLabel,
  busy,
  onClose,
  onSubmit,
  children,
  canSubmit = true,
  testId,
}: {
  title: string;
  submitLabel: string;
  busy: boolean;
  onClose(): void;
  onSubmit(): void;
  children: React.ReactNode;
  canSubmit?: boolean;
  testId?: string;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (canSubmit && !busy) onSubmit();
  };
  return (
    <Dialog title={title} onClose={onClose} busy={busy} testId={testId}>
      <form onSubmit={submit}>
        {children}
        <SubmitFoot busy={busy} label={submitLabel} onCancel={onClose} disabled={!canSubmit} />
      </form>
    </Dialog>
  );
}

export function AddWorkspaceDialog({ onClose, onDone }: { onClose(): void; onDone(w: WorkspaceRow): void }) {
  const [provider, setProvider] = useState<ProviderName>('syncano');
  const [name, setName] = useState('');
  const [url, setUrl] = useState(DEFAULT_URLS.syncano ?? '');
  const { busy, error, run } = useAction();
  const submit = () =>
    void run(async () => {
      const w = await call('workspaces.add', {
        name: name.trim(),
        provider,
        ...(provider !== 'local' && url.trim() ? { url: url.trim() } : {}),
      });
      onDone(w);
    });
  return (
    <FormDialog
      title="Add workspace"
      submitLabel="Add workspace"
      busy={busy}
      onClose={onClose}
      onSubmit={submit}
      canSubmit={Boolean(name.trim()) && (provider === 'local' || Boolean(url.trim()))}
      testId="add-workspace-dialog"
    >
      <fieldset>
        <legend>Platform</legend>
        <div className="radio-cards">
          {(Object.keys(PLATFORM_LABELS) as ProviderName[]).map((p) => (
            <label key={p} className="radio-card">
              <input
                type="radio"
                name="provider"
                value={p}
                checked={provider === p}
                onChange={() => {
                  setProvider(p);
                  setUrl(DEFAULT_URLS[p] ?? '');
                }}
              />
              <span>
                <span className="row what">
                  <PlatformIcon provider={p} /> {PLATFORM_LABELS[p]}
                </span>
                <span className="why">{PROVIDER_HINTS[p]}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor="ws-name">Name</label>
        <input
          id="ws-name"
          className="input"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder={provider === 'rancher' ? 'e.g. Production Rancher' : 'e.g. Acme'}
        />
      </div>
      {provider !== 'local' && (
        <div className="field">
          <label htmlFor="ws-url">API address</label>
          <input
            id="ws-url"
            className="input mono"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder={provider === 'rancher' ? 'https://rancher.example.com' : ''}
          />
          <span className="hint">HTTPS only (plain HTTP is allowed only to this computer, for the emulators).</span>
        </div>
      )}
      <ErrorNotice error={error} doing="add the workspace" />
    </FormDialog>
  );
}

/** What each platform's connect form asks for (Encord picks a key pair of the vault instead). */
interface ConnectCopy {
  hint: ReactNode;
  /** a field before the secret: the Syncano email, or the Rancher access key */
  identity?: { id: string; label: string; email: boolean };
  secretLabel: string;
}
const CONNECT_COPY: Partial<Record<ProviderName, ConnectCopy>> = {
  syncano: {
    hint: 'Keyhold signs in once with your Syncano email and password to obtain your Account Key, stores the key in the vault, and forgets the password.',
    identity: { id: 'c-email', label: 'Email', email: true },
    secretLabel: 'Password',
  },
  rancher: {
    hint: 'Use an account API key (API → Add Account API Key in Rancher). The access key is the user name, the secret key the password.',
    identity: { id: 'c-public', label: 'Access key', email: false },
    secretLabel: 'Secret key',
  },
  github: {
    hint: (
      <>
        A personal access token with the <code>write:public_key</code> scope.
      </>
    ),
    secretLabel: 'Token',
  },
  rancher2: {
    hint: (
      <>
        An unscoped API token (Account &amp; API Keys → Create API Key in Rancher, no cluster). Rancher shows it once, as{' '}
        <code>token-xxxxx:…</code>.
      </>
    ),
    secretLabel: 'API token',
  },
};

export function ConnectDialog({ workspace, onClose, onDone }: { workspace: WorkspaceRow; onClose(): void; onDone(): void }) {
  const toast = useToast();
  const provider = workspace.provider as ProviderName;
  const [email, setEmail] = useState('');
  const [publicValue, setPublicValue] = useState('');
  const [secret, setSecret] = useState('');
  const [keyId, setKeyId] = useState('');
  const [pairs, setPairs] = useState<KeyRow[]>([]);
  const { busy, error, setError, run } = useAction();
  const copy = CONNECT_COPY[provider];

  useEffect(() => {
    if (provider === 'encord')
      call('keys.list', { kind: 'ssh_key_pair', limit: 200, sort: 'name', order: 'asc' })
        .then((p) => setPairs(p.items))
        .catch(setError);
  }, [provider, setError]);

  const submit = () =>
    void run(async () => {
      const input =
        provider === 'syncano'
          ? { workspaceId: workspace.id, email: email.trim(), password: secret }
          : provider === 'rancher'
            ? { workspaceId: workspace.id, accessKey: publicValue.trim(), secretKey: secret }
            : provider === 'encord'
              ? { workspaceId: workspace.id, keyId }
              : { workspaceId: workspace.id, token: secret };
      const r = await call('workspaces.connect', input);
      toast(`Connected as ${r.identity}.`);
      setSecret('');
      onDone();
    });
  const canSubmit =
    provider === 'syncano'
      ? Boolean(email && secret)
      : provider === 'rancher'
        ? Boolean(publicValue && secret)
        : provider === 'encord'
          ? Boolean(keyId)
          : Boolean(secret);
  return (
    <FormDialog
      title={`Connect ${workspace.name}`}
      submitLabel="Connect"
      busy={busy}
      onClose={onClose}
      onSubmit={submit}
      canSubmit={canSubmit}
      testId="connect-dialog"
    >
      {copy && (
        <>
          <p className="muted">{copy.hint}</p>
          {copy.identity && (
            <div className="field">
              <label htmlFor={copy.identity.id}>{copy.identity.label}</label>
              <input
                id={copy.identity.id}
                className={copy.identity.email ? 'input' : 'input mono'}
                type={copy.identity.email ? 'email' : 'text'}
                autoComplete={copy.identity.email ? 'username' : 'off'}
                spellCheck={false}
                value={copy.identity.email ? email : publicValue}
                onChange={(e) => (copy.identity?.email ? setEmail : setPublicValue)(e.target.value)}
              />
            </div>
          )}
          <div className="field">
            <label htmlFor="c-secret">{copy.secretLabel}</label>
            <input
              id="c-secret"
              className={copy.identity?.email ? 'input' : 'input mono'}
              type="password"
              autoComplete={copy.identity?.email ? 'current-password' : 'off'}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
            />
          </div>
        </>
      )}
      {provider === 'encord' && (
        <>
          <p className="muted">
            Encord requests are signed with an ed25519 key pair of this vault whose public key is registered in Encord. Pick it; Keyhold
            checks it with a signed request.
          </p>
          <div className="field">
            <label htmlFor="c-key">Key pair</label>
            <select id="c-key" className="input" value={keyId} onChange={(e) => setKeyId(e.target.value)}>
              <option value="">Choose a key pair…</option>
              {pairs.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name} — {k.fingerprint}
                </option>
              ))}
            </select>
            {pairs.length === 0 && (
              <span className="hint">No key pairs yet: create one with New key → Create on Encord, which guides the registration.</span>
            )}
          </div>
        </>
      )}
      <ErrorNotice error={error} doing="connect" />
    </FormDialog>
  );
}

export function RenameWorkspaceDialog({ workspace, onClose, onDone }: { workspace: WorkspaceRow; onClose(): void; onDone(): void }) {
  const [name, setName] = useState(workspace.name);
  const { busy, error, run } = useAction();
  const submit = () =>
    void run(async () => {
      await call('workspaces.update', { id: workspace.id, name: name.trim() });
      onDone();
    });
  return (
    <FormDialog
      title={`Rename ${workspace.name}`}
      submitLabel="Rename"
      busy={busy}
      onClose={onClose}
      onSubmit={submit}
      canSubmit={Boolean(name.trim()) && name.trim() !== workspace.name}
    >
      <div className="field">
        <label htmlFor="ws-rename">New name</label>
        <input id="ws-rename" className="input" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <ErrorNotice error={error} doing="rename the workspace" />
    </FormDialog>
  );
}

export function RemoveWorkspaceDialog({ workspace, onClose, onDone }: { workspace: WorkspaceRow; onClose(): void; onDone(): void }) {
  const { busy, error, run } = useAction();
  const confirm = () =>
    void run(async () => {
      await call('workspaces.remove', { id: workspace.id });
      onDone();
    });
  return (
    <ConfirmDialog
      title={`Remove ${workspace.name}?`}
      confirmLabel="Remove workspace"
      danger
      busy={busy}
      onConfirm={confirm}
      onCancel={onClose}
      error={<ErrorNotice error={error} doing="remove the workspace" />}
    >
      <p>Keyhold removes this workspace, its environments and the keys stored under it from your vault.</p>
      <p className="muted">Nothing is deleted on {PLATFORM_LABELS[workspace.provider as ProviderName]}: keys there keep working.</p>
    </ConfirmDialog>
  );
}

export function AddEnvironmentDialog({ workspace, onClose, onDone }: { workspace: WorkspaceRow; onClose(): void; onDone(): void }) {
  const [name, setName] = useState('');
  const [remoteId, setRemoteId] = useState('');
  const { busy, error, run } = useAction();
  const label =
    workspace.provider === 'syncano'
      ? 'Instance name'
      : workspace.provider === 'rancher'
        ? 'Environment id (e.g. 1a5)'
        : workspace.provider === 'encord'
          ? 'Project id'
          : 'Remote id';
  const submit = () =>
    void run(async () => {
      await call('environments.add', {
        workspaceId: workspace.id,
        name: name.trim(),
        ...(remoteId.trim() ? { remoteId: remoteId.trim() } : {}),
      });
      onDone();
    });
  return (
    <FormDialog
      title={`Add environment to ${workspace.name}`}
      submitLabel="Add environment"
      busy={busy}
      onClose={onClose}
      onSubmit={submit}
      canSubmit={Boolean(name.trim())}
    >
      <div className="field">
        <label htmlFor="env-name">Name</label>
        <input id="env-name" className="input" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      {workspace.provider !== 'local' && (
        <div className="field">
          <label htmlFor="env-remote">{label}</label>
          <input id="env-remote" className="input mono" value={remoteId} onChange={(e) => setRemoteId(e.target.value)} />
          <span className="hint">Optional: a sync fills it in for environments that exist on the platform.</span>
        </div>
      )}
      <ErrorNotice error={error} doing="add the environment" />
    </FormDialog>
  );
}

function syncPhaseText(platform: string, p: SyncProgressOut | undefined): string {
  if (!p) return `Asking ${platform} for its environments and keys…`;
  if (p.phase === 'environments') return `Listing the environments on ${platform}…`;
  if (p.phase === 'keys')
    return p.total > 1 ? `Listing the keys on ${platform}: ${p.done} of ${p.total} scopes done…` : `Listing the keys on ${platform}…`;
  return 'Saving what changed to your vault…';
}

export function SyncDialog({ workspace, onClose }: { workspace: WorkspaceRow; onClose(): void }) {
  const [result, setResult] = useState<SyncOut>();
  const [error, setError] = useState<unknown>();
  const [progress, setProgress] = useState<SyncProgressOut>();
  useEffect(() => {
    let stale = false;
    const off = onEvent('workspaces.sync.progress', (p) => !stale && p.workspaceId === workspace.id && setProgress(p));
    call('workspaces.sync', { id: workspace.id })
      .then((r) => !stale && setResult(r))
      .catch((e: unknown) => !stale && setError(e))
      .finally(off);
    return () => {
      stale = true;
      off();
    };
  }, [workspace.id]);
  const running = !result && !error;
  const platform = PLATFORM_LABELS[workspace.provider as ProviderName];
  return (
    <Dialog
      title={`Sync ${workspace.name}`}
      onClose={onClose}
      busy={running}
      testId="sync-dialog"
      footer={
        <button type="button" className="btn primary" onClick={onClose} disabled={running}>
          {running ? 'Syncing…' : 'Close'}
        </button>
      }
    >
      {running && (
        <>
          <p id="sync-label" data-testid="sync-phase">
            {syncPhaseText(platform, progress)}
          </p>
          {/* only the key listings are counted work; one listing call or the save has no inner progress */}
          <ProgressBar labelledBy="sync-label" {...(progress?.phase === 'keys' ? { done: progress.done, total: progress.total } : {})} />
        </>
      )}
      {result && (
        <div className="notice ok" role="status" data-testid="sync-result">
          <span className="title">Sync finished.</span>
          {result.environments.total} environments ({result.environments.added} new) and {result.keys.total} keys ({result.keys.added} new,{' '}
          {result.keys.updated} updated) are up to date.
          {result.keys.missing > 0 &&
            ` ${result.keys.missing} keys were not found on the platform: their stored secrets are kept, marked “gone remotely”.`}
        </div>
      )}
      {result && result.skipped.length > 0 && (
        <div className="notice warn" role="status" data-testid="sync-skipped">
          <span className="title">Some environments could not be read; their keys were left as they were.</span>
          <ul>
            {result.skipped.map((s) => (
              <li key={s.environment ?? ''}>
                {s.name}: <span className="platform-message">{s.reason}</span>
              </li>
            ))}
          </ul>
          Ask the owner for a role that may manage API keys there, or leave it: the other environments are up to date.
        </div>
      )}
      <ErrorNotice error={error} doing="sync" />
    </Dialog>
  );
}
