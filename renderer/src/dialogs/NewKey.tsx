// Every way a key enters the vault: made on the platform (each platform's own form), generated
// here (ed25519), imported from a file (drag-and-drop or picker, passphrase when needed), or
// typed in from elsewhere.
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { call } from '../api';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { FormFoot, SubmitFoot } from '../components/FormFoot';
import { PLATFORM_LABELS, type ProviderName } from '../components/icons';
import { RadioCards } from '../components/RadioCards';
import { useToast } from '../components/Toasts';
import { baseName, chooseFile, useNativeDialogs, withToken } from '../lib/desktop';
import { isCode } from '../lib/errors';
import { useAction } from '../lib/hooks';
import { KIND_OPTIONS } from '../lib/format';
import { isEncryptedKey, nameFromFile, readKeyFile } from '../lib/keyFiles';
import type { EnvironmentRow, WorkspaceRow } from '../lib/model';
import type { SyncanoFlag } from '../../../main/api';
import { FLAG_INFO, RANCHER_SCOPES, SYNCANO_FLAGS } from '../lib/platforms';
import { EncordKeyForm } from './EncordKeyForm';
import { GithubKeyForm } from './GithubKeyForm';
import { Rancher2TokenForm } from './Rancher2TokenForm';

export type NewKeyMode = 'remote' | 'generate' | 'import' | 'existing';

export interface NewKeyProps {
  mode: NewKeyMode;
  workspaces: WorkspaceRow[];
  environments: EnvironmentRow[];
  workspace?: WorkspaceRow;
  environment?: EnvironmentRow;
  onClose(): void;
  onCreated(id: string): void;
}

const TITLES: Record<NewKeyMode, string> = {
  remote: 'Create key',
  generate: 'Generate ed25519 key pair',
  import: 'Import key file',
  existing: 'Add a key made elsewhere',
};

export function NewKeyDialog(props: NewKeyProps) {
  const { mode, workspace } = props;
  const title =
    mode === 'remote' && workspace ? `New ${PLATFORM_LABELS[workspace.provider as ProviderName]} key in ${workspace.name}` : TITLES[mode];
  return (
    <Dialog title={title} onClose={props.onClose} wide={mode === 'remote'} testId="new-key-dialog">
      {mode === 'generate' && <GenerateForm {...props} />}
      {mode === 'import' && <ImportForm {...props} />}
      {mode === 'existing' && <ExistingForm {...props} />}
      {mode === 'remote' && workspace?.provider === 'syncano' && <SyncanoForm {...props} workspace={workspace} />}
      {mode === 'remote' && workspace?.provider === 'rancher' && <RancherForm {...props} workspace={workspace} />}
      {mode === 'remote' && workspace?.provider === 'encord' && <EncordKeyForm {...props} workspace={workspace} />}
      {mode === 'remote' && workspace?.provider === 'github' && <GithubKeyForm {...props} workspace={workspace} />}
      {mode === 'remote' && workspace?.provider === 'rancher2' && <Rancher2TokenForm {...props} workspace={workspace} />}
    </Dialog>
  );
}

/** Where the key goes: a workspace and optionally an environment (local keys may go nowhere). */
function Placement({
  workspaces,
  environments,
  workspaceId,
  setWorkspaceId,
  environmentId,
  setEnvironmentId,
  required,
}: {
  workspaces: WorkspaceRow[];
  environments: EnvironmentRow[];
  workspaceId: string;
  setWorkspaceId(v: string): void;
  environmentId: string;
  setEnvironmentId(v: string): void;
  required?: boolean;
}) {
  const envs = environments.filter((e) => e.workspaceId === workspaceId);
  return (
    <div className="row" style={{ alignItems: 'flex-start' }}>
      <div className="field spacer">
        <label htmlFor="nk-ws">Workspace</label>
        <select
          id="nk-ws"
          className="input"
          value={workspaceId}
          onChange={(e) => {
            setWorkspaceId(e.target.value);
            setEnvironmentId('');
          }}
        >
          {!required && <option value="">None (only in this vault)</option>}
          {workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name} ({PLATFORM_LABELS[w.provider as ProviderName]})
            </option>
          ))}
        </select>
      </div>
      {envs.length > 0 && (
        <div className="field spacer">
          <label htmlFor="nk-env">Environment</label>
          <select id="nk-env" className="input" value={environmentId} onChange={(e) => setEnvironmentId(e.target.value)}>
            <option value="">None</option>
            {envs.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}

function usePlacement(props: NewKeyProps) {
  const [workspaceId, setWorkspaceId] = useState(props.workspace?.id ?? '');
  const [environmentId, setEnvironmentId] = useState(props.environment?.id ?? '');
  const placement = { ...(workspaceId ? { workspaceId } : {}), ...(environmentId ? { environmentId } : {}) };
  return { workspaceId, setWorkspaceId, environmentId, setEnvironmentId, placement };
}

/** A key is in the vault: tell the screen, close the dialog. */
function created(props: NewKeyProps, key: { id: string }) {
  props.onCreated(key.id);
  props.onClose();
}

function GenerateForm(props: NewKeyProps) {
  const [name, setName] = useState('');
  const [comment, setComment] = useState('');
  const { busy, error, submit: action } = useAction();
  const p = usePlacement(props);
  const submit = action(async () =>
    created(
      props,
      await call('keys.generate', { name: name.trim(), ...(comment.trim() ? { comment: comment.trim() } : {}), ...p.placement }),
    ),
  );
  return (
    <form onSubmit={submit}>
      <p className="muted">
        A new ed25519 key pair, made on this computer exactly as <code>ssh-keygen -t ed25519</code> makes it. The private key never leaves
        the vault unless you export it.
      </p>
      <div className="field">
        <label htmlFor="gen-name">Name</label>
        <input id="gen-name" className="input" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="gen-comment">Comment</label>
        <input
          id="gen-comment"
          className="input mono"
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          placeholder="you@host"
        />
        <span className="hint">Appended to the public key line, as ssh-keygen's -C.</span>
      </div>
      <Placement {...props} {...p} />
      <ErrorNotice error={error} doing="generate the key pair" />
      <SubmitFoot busy={busy} label="Generate" onCancel={props.onClose} disabled={!name.trim()} />
    </form>
  );
}

function ImportForm(props: NewKeyProps) {
  const [text, setText] = useState('');
  const [encoding, setEncoding] = useState<'text' | 'base64'>('text');
  /** a file chosen in the native dialog: main reads it, the key never passes through here */
  const [keyPath, setKeyPath] = useState('');
  const [keyToken, setKeyToken] = useState<string>();
  const native = useNativeDialogs();
  const [fileName, setFileName] = useState('');
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [over, setOver] = useState(false);
  const { busy, error, setError, submit: action } = useAction();
  const [readError, setReadError] = useState<string>();
  const [wrongPassphrase, setWrongPassphrase] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const passRef = useRef<HTMLInputElement>(null);
  const p = usePlacement(props);
  const [asked, setAsked] = useState(false);
  const encrypted = asked || (text && encoding === 'text' ? isEncryptedKey(text) : false);
  const hintId = useId();

  const chosen = (file: { name: string; text?: { content: string; encoding: 'text' | 'base64' }; path?: string; token?: string }) => {
    setKeyToken(file.token);
    setText(file.text?.content ?? '');
    setEncoding(file.text?.encoding ?? 'text');
    setKeyPath(file.path ?? '');
    setAsked(false);
    setWrongPassphrase(false);
    setFileName(file.name);
    if (!name) setName(nameFromFile(file.name));
  };
  const take = async (file: File | undefined) => {
    if (!file) return;
    setReadError(undefined);
    setError(undefined);
    try {
      chosen({ name: file.name, text: await readKeyFile(file) });
    } catch (e) {
      setReadError(e instanceof Error ? e.message : 'Could not read the file.');
    }
  };
  const pick = async () => {
    // Electron: the native dialog, and main reads the file; elsewhere the browser's file picker
    if (!native) return fileInput.current?.click();
    setReadError(undefined);
    try {
      const file = await chooseFile({ mode: 'open', title: 'Import a key file', filters: [{ name: 'Key files', extensions: ['*'] }] });
      if (file) chosen({ name: baseName(file.path), path: file.path, token: file.token });
    } catch {
      setReadError('The file dialog did not open.');
    }
  };
  useEffect(() => {
    if (encrypted) passRef.current?.focus();
  }, [encrypted]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void take(e.dataTransfer.files[0]);
  };

  const submit = action(async () => {
    setWrongPassphrase(false);
    try {
      const source = keyPath ? { path: keyPath, ...withToken(keyToken) } : { content: text, encoding };
      const r = await call('keys.import', {
        ...source,
        fileName,
        name: name.trim(),
        ...(encrypted && passphrase ? { passphrase } : {}),
        ...p.placement,
      });
      setPassphrase('');
      created(props, r);
    } catch (err) {
      if (!isCode(err, 'WRONG_PASSWORD')) throw err;
      // a protected key we did not recognise as such asks for its passphrase first
      if (!encrypted) setAsked(true);
      else setWrongPassphrase(true);
      setPassphrase('');
      passRef.current?.focus();
    }
  });

  return (
    <form onSubmit={submit}>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        {fileName ? (
          <p>
            <strong>{fileName}</strong> {encrypted ? '— protected by a passphrase' : ''}
          </p>
        ) : (
          <p>Drop a key file here: an OpenSSH or PKCS#8 private key, or a public key line.</p>
        )}
        <button type="button" className="btn" onClick={() => void pick()}>
          Choose file…
        </button>
        <input
          ref={fileInput}
          type="file"
          className="visually-hidden"
          aria-label="Key file"
          tabIndex={-1}
          onChange={(e) => void take(e.target.files?.[0])}
        />
      </div>
      {readError && (
        <p className="form-error" role="alert">
          {readError}
        </p>
      )}
      {(text || keyPath) && (
        <>
          <div className="field">
            <label htmlFor="imp-name">Name</label>
            <input id="imp-name" className="input" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          {encrypted && (
            <div className="field">
              <label htmlFor="imp-pass">Passphrase of this key file</label>
              <input
                ref={passRef}
                id="imp-pass"
                className="input"
                type="password"
                value={passphrase}
                onChange={(e) => {
                  setPassphrase(e.target.value);
                  setWrongPassphrase(false);
                }}
                aria-invalid={wrongPassphrase}
                aria-describedby={hintId}
                autoComplete="off"
              />
              <span
                id={hintId}
                className={wrongPassphrase ? 'error' : 'hint'}
                role={wrongPassphrase ? 'alert' : undefined}
                data-testid={wrongPassphrase ? 'wrong-passphrase' : undefined}
              >
                {wrongPassphrase
                  ? 'That passphrase does not open this key. Try again.'
                  : 'Keyhold opens the key with it once and stores the key sealed in the vault; the passphrase is not kept.'}
              </span>
            </div>
          )}
          <Placement {...props} {...p} />
        </>
      )}
      <ErrorNotice error={error} doing="import the key" />
      <SubmitFoot
        busy={busy}
        label="Import"
        onCancel={props.onClose}
        disabled={!(text || keyPath) || !name.trim() || (encrypted && !passphrase)}
      />
    </form>
  );
}

const EXISTING_KINDS = KIND_OPTIONS.filter(([k]) => k !== 'ssh_key_pair');

function ExistingForm(props: NewKeyProps) {
  const [kind, setKind] = useState('api_key');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [publicValue, setPublicValue] = useState('');
  const [secret, setSecret] = useState('');
  const { busy, error, submit: action } = useAction();
  const p = usePlacement(props);
  const needsPublic = kind === 'access_key_pair';
  const submit = action(async () => {
    const r = await call('keys.add', {
      kind: kind as 'api_key',
      name: name.trim(),
      description,
      ...(publicValue.trim() ? { publicPart: publicValue.trim() } : {}),
      secret,
      ...p.placement,
    });
    setSecret('');
    created(props, r);
  });
  return (
    <form onSubmit={submit}>
      <p className="muted">Store a key that already exists, for example one copied from a platform's dashboard.</p>
      <div className="field">
        <label htmlFor="ex-kind">Kind</label>
        <select id="ex-kind" className="input" value={kind} onChange={(e) => setKind(e.target.value)}>
          {EXISTING_KINDS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="ex-name">Name</label>
        <input id="ex-name" className="input" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="ex-desc">Description</label>
        <input id="ex-desc" className="input" value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      {needsPublic && (
        <div className="field">
          <label htmlFor="ex-public">Access key (public part)</label>
          <input
            id="ex-public"
            className="input mono"
            value={publicValue}
            onChange={(e) => setPublicValue(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor="ex-secret">{needsPublic ? 'Secret key' : 'Key value'}</label>
        <input
          id="ex-secret"
          className="input mono"
          type="password"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          autoComplete="off"
        />
      </div>
      <Placement {...props} {...p} required={false} />
      <ErrorNotice error={error} doing="store the key" />
      <SubmitFoot
        busy={busy}
        label="Add key"
        onCancel={props.onClose}
        disabled={!name.trim() || !secret || (needsPublic && !publicValue.trim())}
      />
    </form>
  );
}

type RemoteProps = NewKeyProps & { workspace: WorkspaceRow };

function EnvironmentPicker({
  environments,
  workspace,
  value,
  onChange,
  label,
}: {
  environments: EnvironmentRow[];
  workspace: WorkspaceRow;
  value: string;
  onChange(v: string): void;
  label: string;
}) {
  const envs = environments.filter((e) => e.workspaceId === workspace.id);
  return (
    <div className="field">
      <label htmlFor="rk-env">{label}</label>
      <select id="rk-env" className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        {envs.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
            {e.remoteId && e.remoteId !== e.name ? ` (${e.remoteId})` : ''}
          </option>
        ))}
      </select>
      {envs.length === 0 && <span className="hint">No environments yet: sync the workspace, or add one from the workspace's menu.</span>}
    </div>
  );
}

function SyncanoForm(props: RemoteProps) {
  const [env, setEnv] = useState(props.environment?.id ?? '');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [flags, setFlags] = useState<Set<string>>(new Set());
  const { busy, error, submit: action } = useAction();
  const submit = action(async () => {
    const r = await call('keys.create', {
      workspaceId: props.workspace.id,
      environmentId: env,
      kind: 'api_key',
      name: name.trim(),
      ...(description ? { description } : {}),
      flags: [...flags] as SyncanoFlag[],
    });
    created(props, r.key);
  });
  return (
    <form onSubmit={submit}>
      <p className="muted">
        An API key belongs to one instance and is what your application should use; unlike the Account Key it has no access to your account,
        billing or scripts.
      </p>
      <EnvironmentPicker {...props} value={env} onChange={setEnv} label="Instance" />
      <div className="field">
        <label htmlFor="sy-name">Name in Keyhold</label>
        <input id="sy-name" className="input" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="sy-desc">Description (sent to Syncano)</label>
        <input id="sy-desc" className="input" value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <fieldset>
        <legend>Flags</legend>
        {SYNCANO_FLAGS.map((f) => (
          <label key={f} className="check">
            <input
              type="checkbox"
              checked={flags.has(f)}
              onChange={(e) =>
                setFlags((s) => {
                  const n = new Set(s);
                  if (e.target.checked) n.add(f);
                  else n.delete(f);
                  return n;
                })
              }
            />
            <span>
              <span className="what">
                {FLAG_INFO[f]!.what} <code className="muted">{f}</code>
              </span>
              <span className="why" style={{ display: 'block' }}>
                {FLAG_INFO[f]!.why}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <ErrorNotice error={error} doing="create the API key" />
      <SubmitFoot busy={busy} label="Create API key" onCancel={props.onClose} disabled={!env || !name.trim()} />
    </form>
  );
}

function RancherForm(props: RemoteProps) {
  const toast = useToast();
  const [scope, setScope] = useState<'account' | 'environment'>(props.environment ? 'environment' : 'account');
  const [env, setEnv] = useState(props.environment?.id ?? '');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { busy, error, run, submit: action } = useAction();
  const [made, setMade] = useState<{ id: string; publicPart: string | null }>();
  const submit = action(async () => {
    const r = await call('keys.create', {
      workspaceId: props.workspace.id,
      ...(scope === 'environment' ? { environmentId: env } : {}),
      kind: 'access_key_pair',
      name: name.trim(),
      description,
    });
    setMade({ id: r.key.id, publicPart: r.key.public });
    props.onCreated(r.key.id);
  });
  const copy = (id: string) =>
    run(async () => {
      const r = await call('keys.copy', { id });
      toast(`Secret key copied. The clipboard clears itself in ${r.clearAfterSeconds} s.`);
    });
  if (made)
    return (
      <div data-testid="rancher-created">
        <div className="notice ok" role="status">
          <span className="title">Stored in your vault.</span>
          Rancher shows a new key's secret only once. Keyhold took it straight into the vault, so there is nothing to write down: reveal or
          copy it from the key whenever you need it.
        </div>
        <dl className="props">
          <dt>Access key</dt>
          <dd className="mono">{made.publicPart}</dd>
          <dt>Secret key</dt>
          <dd>Stored, sealed</dd>
        </dl>
        <FormFoot>
          <button type="button" className="btn" onClick={() => void copy(made.id)}>
            Copy secret key
          </button>
          <button type="button" className="btn primary" onClick={props.onClose} data-autofocus>
            Done
          </button>
        </FormFoot>
        <ErrorNotice error={error} />
      </div>
    );
  return (
    <form onSubmit={submit}>
      <RadioCards legend="Kind of key" name="rancher-scope" choices={RANCHER_SCOPES} value={scope} onChange={setScope} />
      {scope === 'environment' && <EnvironmentPicker {...props} value={env} onChange={setEnv} label="Environment" />}
      <div className="field">
        <label htmlFor="ra-name">Name</label>
        <input id="ra-name" className="input" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="ra-desc">Description</label>
        <input id="ra-desc" className="input" value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <ErrorNotice error={error} doing="create the API key" />
      <SubmitFoot
        busy={busy}
        label={`Create ${scope} API key`}
        onCancel={props.onClose}
        disabled={!name.trim() || (scope === 'environment' && !env)}
      />
    </form>
  );
}
