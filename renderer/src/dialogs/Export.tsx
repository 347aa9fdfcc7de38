// Export: a key file, a netrc merge (with a preview of exactly what changes), .env lines or a
// curl config. Shows the target and what will happen before anything is written.
import { useEffect, useState } from 'react';
import { call } from '../api';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { SubmitFoot } from '../components/FormFoot';
import { PathField } from '../components/PathField';
import { withToken } from '../lib/desktop';
import { Tabs } from '../components/Tabs';
import { useToast } from '../components/Toasts';
import { plural } from '../lib/format';
import { useAction } from '../lib/hooks';
import type { ExportPreviewOut } from '../lib/model';

type Tab = 'file' | 'netrc' | 'dotenv' | 'curl';
const TABS: [Tab, string][] = [
  ['file', 'Key file'],
  ['netrc', 'netrc'],
  ['dotenv', '.env'],
  ['curl', 'curl config'],
];

export function ExportDialog({ ids, onClose }: { ids: string[]; onClose(): void }) {
  const [tab, setTab] = useState<Tab>(ids.length === 1 ? 'file' : 'netrc');
  const tabs = ids.length === 1 ? TABS : TABS.filter(([t]) => t === 'netrc' || t === 'dotenv');
  return (
    <Dialog title={ids.length === 1 ? 'Export key' : `Export ${plural(ids.length, 'key')}`} onClose={onClose} wide testId="export-dialog">
      <Tabs<Tab> tabs={tabs} value={tab} onChange={setTab} label="Export format" ids={{ tab: 'tab-', panel: 'panel-' }}>
        {tab === 'file' && <FileExport id={ids[0]!} onClose={onClose} />}
        {tab === 'netrc' && <NetrcExport ids={ids} onClose={onClose} />}
        {tab === 'dotenv' && <DotenvExport ids={ids} onClose={onClose} />}
        {tab === 'curl' && <CurlExport id={ids[0]!} onClose={onClose} />}
      </Tabs>
    </Dialog>
  );
}

function Overwrite({ force, setForce }: { force: boolean; setForce(v: boolean): void }) {
  return (
    <label className="check">
      <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
      <span>Replace the file if it exists</span>
    </label>
  );
}

const SECRET_FILE_HINT = 'Written atomically with mode 0600.';

/** The target file of a written export, its overwrite choice and the write action: the part every
 * file-writing tab has. */
function useFileTarget() {
  const [path, setPathOnly] = useState('');
  const [token, setToken] = useState<string>();
  const [force, setForce] = useState(false);
  const setPath = (value: string, chosen?: string) => {
    setPathOnly(value);
    setToken(chosen);
  };
  return { path, setPath, target: path.trim(), token, grant: withToken(token), force, setForce, action: useAction() };
}

function FileExport({ id, onClose }: { id: string; onClose(): void }) {
  const toast = useToast();
  const [format, setFormat] = useState('openssh');
  const [passphrase, setPassphrase] = useState('');
  const { path, setPath, target, grant, force, setForce, action } = useFileTarget();
  const submit = action.submit(async () => {
    const r = await call('keys.export', {
      id,
      format: format as 'openssh',
      path: target,
      ...grant,
      ...(passphrase && format === 'openssh' ? { passphrase } : {}),
      force,
    });
    setPassphrase('');
    toast(`Written to ${r.path} (mode ${r.mode.toString(8)}).${r.note ? ` ${r.note}` : ''}`);
    onClose();
  });
  return (
    <form onSubmit={submit}>
      <div className="field">
        <label htmlFor="ex-format">Format</label>
        <select id="ex-format" className="input" value={format} onChange={(e) => setFormat(e.target.value)}>
          <option value="openssh">OpenSSH private key (as ssh-keygen writes it)</option>
          <option value="pkcs8">PKCS#8 PEM private key</option>
          <option value="pub">Public key line (.pub)</option>
          <option value="txt">Encord key file (.txt)</option>
        </select>
        {format === 'txt' && (
          <span className="hint">Encord's docs say to leave the passphrase blank (its SDK can still load a protected key).</span>
        )}
      </div>
      <PathField
        id="ex-path"
        label="File"
        value={path}
        onChange={setPath}
        placeholder="/home/you/.ssh/id_ed25519"
        dialog={{
          mode: 'save',
          title: 'Export the key to',
          defaultPath:
            format === 'pub'
              ? 'id_ed25519.pub'
              : format === 'txt'
                ? 'encord-key.txt'
                : format === 'pkcs8'
                  ? 'id_ed25519.pem'
                  : 'id_ed25519',
        }}
        hint={format === 'pub' ? 'Written with mode 0644.' : 'Written atomically with mode 0600 (only you can read it).'}
      />
      {format === 'openssh' && (
        <div className="field">
          <label htmlFor="ex-pass">Passphrase (optional)</label>
          <input
            id="ex-pass"
            className="input"
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoComplete="new-password"
          />
          <span className="hint">
            Protects the file with bcrypt and aes256-ctr, as ssh-keygen does. Leave empty for a key meant for Encord.
          </span>
        </div>
      )}
      <Overwrite force={force} setForce={setForce} />
      <ErrorNotice error={action.error} doing="export the key" />
      <SubmitFoot busy={action.busy} label="Export" busyLabel="Writing…" onCancel={onClose} disabled={!target} />
    </form>
  );
}

function DiffView({ diff }: { diff: string }) {
  return (
    <pre className="diff" data-testid="netrc-diff" aria-label="What will change">
      {diff.split('\n').map((line, i) => (
        <span
          key={i}
          className={
            line.startsWith('+++') || line.startsWith('---') || line.startsWith('@@')
              ? 'ctx'
              : line.startsWith('+')
                ? 'add'
                : line.startsWith('-')
                  ? 'del'
                  : 'ctx'
          }
        >
          {line || ' '}
        </span>
      ))}
    </pre>
  );
}

function NetrcExport({ ids, onClose }: { ids: string[]; onClose(): void }) {
  const toast = useToast();
  const [path, setPath] = useState('');
  const [token, setToken] = useState<string>();
  const [host, setHost] = useState('');
  const [preview, setPreview] = useState<ExportPreviewOut>();
  const { busy, error, submit } = useAction();
  const input = {
    keyIds: ids,
    ...(path.trim() ? { path: path.trim(), ...withToken(token) } : {}),
    ...(host.trim() ? { host: host.trim() } : {}),
  };
  const onSubmit = submit(async () => {
    // the first submit shows what would change; the second writes it
    if (!preview) return setPreview(await call('export.preview', { format: 'netrc', ...input }));
    const r = await call('export.netrc', input);
    toast(r.written ? `Merged into ${r.path}.` : `${r.path} already had these entries; nothing was written.`);
    onClose();
  });
  return (
    <form onSubmit={onSubmit}>
      <p className="muted">
        Adds or updates a <code>machine … login … password …</code> entry per key, keeping every other entry, comment and macro of the file
        exactly as it is. The previous file is kept as a backup.
      </p>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <div className="spacer" style={{ flex: 2 }}>
          <PathField
            id="nr-path"
            label="netrc file"
            value={path}
            onChange={(v, t) => {
              setPath(v);
              setToken(t);
              setPreview(undefined);
            }}
            placeholder="~/.netrc (default)"
            dialog={{ mode: 'save', title: 'Merge into the netrc file', defaultPath: '.netrc' }}
          />
        </div>
        <div className="field spacer">
          <label htmlFor="nr-host">Machine (optional)</label>
          <input
            id="nr-host"
            className="input mono"
            value={host}
            onChange={(e) => {
              setHost(e.target.value);
              setPreview(undefined);
            }}
            placeholder="from the workspace's address"
            spellCheck={false}
          />
        </div>
      </div>
      {preview && (
        <>
          <p className="small">
            {preview.exists ? 'Changes to' : 'A new file'} <span className="mono">{preview.path}</span>
            {preview.changes.length > 0 && <> — {preview.changes.map((c) => `${c.machine} (${c.login}): ${c.change}`).join(', ')}</>}.
            Passwords are masked here.
          </p>
          {preview.diff ? <DiffView diff={preview.diff} /> : <p className="muted">Nothing changes: the entries are already there.</p>}
          {preview.warnings.map((w) => (
            <p key={w} className="notice warn small">
              {w}
            </p>
          ))}
        </>
      )}
      <ErrorNotice error={error} doing="prepare the netrc" />
      <SubmitFoot
        busy={busy}
        label={preview ? 'Write netrc' : 'Preview changes'}
        busyLabel={preview ? 'Writing…' : 'Reading…'}
        onCancel={onClose}
      />
    </form>
  );
}

const dotenvInput = (keyIds: string[], path: string, grant: { token?: string }, prefix: string, force: boolean) => ({
  keyIds,
  path,
  ...grant,
  ...(prefix.trim() ? { prefix: prefix.trim() } : {}),
  force,
});

function DotenvExport({ ids, onClose }: { ids: string[]; onClose(): void }) {
  const toast = useToast();
  const [prefix, setPrefix] = useState('');
  const { path, setPath, target, token, grant, force, setForce, action } = useFileTarget();
  const [preview, setPreview] = useState<ExportPreviewOut>();
  const input = dotenvInput(ids, target, grant, prefix, force);
  useEffect(() => {
    if (!target.startsWith('/')) {
      setPreview(undefined);
      return;
    }
    let stale = false;
    const t = setTimeout(() => {
      call('export.preview', { format: 'dotenv', ...dotenvInput(ids, target, withToken(token), prefix, force) })
        .then((p) => !stale && setPreview(p))
        .catch(() => !stale && setPreview(undefined));
    }, 200);
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [ids, target, token, prefix, force]);
  const submit = action.submit(async () => {
    const r = await call('export.dotenv', input);
    toast(`Written to ${r.path}: ${r.names.join(', ')}.`);
    onClose();
  });
  return (
    <form onSubmit={submit}>
      <p className="muted">
        One <code>NAME=value</code> line per key, quoted the way dotenv reads it. Names come from the key names.
      </p>
      <PathField
        id="de-path"
        label="File"
        value={path}
        onChange={setPath}
        placeholder="/path/to/project/.env"
        hint={SECRET_FILE_HINT}
        dialog={{ mode: 'save', title: 'Write the .env file', defaultPath: '.env' }}
      />
      <div className="field">
        <label htmlFor="de-prefix">Name prefix (optional)</label>
        <input
          id="de-prefix"
          className="input mono"
          value={prefix}
          onChange={(e) => setPrefix(e.target.value)}
          placeholder="e.g. RANCHER_"
          spellCheck={false}
        />
      </div>
      <Overwrite force={force} setForce={setForce} />
      {preview && (
        <p className="small" data-testid="dotenv-preview">
          {preview.exists
            ? preview.conflict
              ? 'The file exists: tick “Replace” to overwrite it.'
              : 'The file will be replaced.'
            : 'A new file.'}{' '}
          Variables: <span className="mono">{preview.names.join(', ')}</span>
        </p>
      )}
      <ErrorNotice error={action.error} doing="write the .env file" />
      <SubmitFoot busy={action.busy} label="Write .env" busyLabel="Writing…" onCancel={onClose} disabled={!target} />
    </form>
  );
}

function CurlExport({ id, onClose }: { id: string; onClose(): void }) {
  const toast = useToast();
  const { path, setPath, target, grant, force, setForce, action } = useFileTarget();
  const submit = action.submit(async () => {
    const r = await call('export.curl', { keyId: id, path: target, ...grant, force });
    toast(`Written to ${r.path}. Use it with curl -K ${r.path}`);
    onClose();
  });
  return (
    <form onSubmit={submit}>
      <p className="muted">
        A curl config file with <code>user = "ACCESS:SECRET"</code>, for <code>curl -K FILE</code>, so the secret never appears on a command
        line.
      </p>
      <PathField
        id="cu-path"
        label="File"
        value={path}
        onChange={setPath}
        placeholder="/home/you/.config/rancher.curl"
        hint={SECRET_FILE_HINT}
        dialog={{ mode: 'save', title: 'Write the curl config', defaultPath: 'keyhold.curl' }}
      />
      <Overwrite force={force} setForce={setForce} />
      <ErrorNotice error={action.error} doing="write the curl config" />
      <SubmitFoot busy={action.busy} label="Write curl config" busyLabel="Writing…" onCancel={onClose} disabled={!target} />
    </form>
  );
}
