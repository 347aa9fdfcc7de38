// Export: a key file, a netrc merge (with a preview of exactly what changes), .env lines or a
// curl config. Shows the target and what will happen before anything is written.
import { useEffect, useState, type FormEvent } from 'react';
import { call } from '../api';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { useToast } from '../components/Toasts';
import { plural } from '../lib/format';
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
      <div className="tabs" role="tablist" aria-label="Export format">
        {tabs.map(([t, label]) => (
          <button key={t} type="button" role="tab" id={`tab-${t}`} aria-controls={`panel-${t}`} aria-selected={tab === t} tabIndex={tab === t ? 0 : -1} onClick={() => setTab(t)}
            onKeyDown={(e) => {
              const i = tabs.findIndex(([x]) => x === tab);
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]![0];
                setTab(next);
                document.getElementById(`tab-${next}`)?.focus();
              }
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'file' && <FileExport id={ids[0]!} onClose={onClose} />}
        {tab === 'netrc' && <NetrcExport ids={ids} onClose={onClose} />}
        {tab === 'dotenv' && <DotenvExport ids={ids} onClose={onClose} />}
        {tab === 'curl' && <CurlExport id={ids[0]!} onClose={onClose} />}
      </div>
    </Dialog>
  );
}

function Foot({ busy, label, onClose, disabled }: { busy: boolean; label: string; onClose(): void; disabled?: boolean }) {
  return (
    <div className="dialog-foot" style={{ margin: '12px -18px -8px' }}>
      <button type="button" className="btn" onClick={onClose} disabled={busy}>Cancel</button>
      <button type="submit" className="btn primary" disabled={busy || disabled}>{busy ? 'Writing…' : label}</button>
    </div>
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

function FileExport({ id, onClose }: { id: string; onClose(): void }) {
  const toast = useToast();
  const [format, setFormat] = useState('openssh');
  const [path, setPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await call('keys.export', { id, format: format as 'openssh', path: path.trim(), ...(passphrase && format === 'openssh' ? { passphrase } : {}), force });
      setPassphrase('');
      toast(`Written to ${r.path} (mode ${r.mode.toString(8)}).${r.note ? ` ${r.note}` : ''}`);
      onClose();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
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
        {format === 'txt' && <span className="hint">Written without a passphrase: Encord cannot use protected keys.</span>}
      </div>
      <div className="field">
        <label htmlFor="ex-path">File</label>
        <input id="ex-path" className="input mono" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/you/.ssh/id_ed25519" spellCheck={false} />
        <span className="hint">{format === 'pub' ? 'Written with mode 0644.' : 'Written atomically with mode 0600 (only you can read it).'}</span>
      </div>
      {format === 'openssh' && (
        <div className="field">
          <label htmlFor="ex-pass">Passphrase (optional)</label>
          <input id="ex-pass" className="input" type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="new-password" />
          <span className="hint">Protects the file with bcrypt and aes256-ctr, as ssh-keygen does. Leave empty for a key meant for Encord.</span>
        </div>
      )}
      <Overwrite force={force} setForce={setForce} />
      <ErrorNotice error={error} doing="export the key" />
      <Foot busy={busy} label="Export" onClose={onClose} disabled={!path.trim()} />
    </form>
  );
}

function DiffView({ diff }: { diff: string }) {
  return (
    <pre className="diff" data-testid="netrc-diff" aria-label="What will change">
      {diff.split('\n').map((line, i) => (
        <span key={i} className={line.startsWith('+++') || line.startsWith('---') || line.startsWith('@@') ? 'ctx' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx'}>{line || ' '}</span>
      ))}
    </pre>
  );
}

function NetrcExport({ ids, onClose }: { ids: string[]; onClose(): void }) {
  const toast = useToast();
  const [path, setPath] = useState('');
  const [host, setHost] = useState('');
  const [preview, setPreview] = useState<ExportPreviewOut>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const input = { keyIds: ids, ...(path.trim() ? { path: path.trim() } : {}), ...(host.trim() ? { host: host.trim() } : {}) };
  const showPreview = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const p = await call('export.preview', { format: 'netrc', ...input });
      setPreview(p);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!preview) return void showPreview();
    setBusy(true);
    setError(undefined);
    try {
      const r = await call('export.netrc', input);
      toast(`Merged into ${r.path}.`);
      onClose();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit}>
      <p className="muted">Adds or updates a <code>machine … login … password …</code> entry per key, keeping every other entry, comment and macro of the file exactly as it is. The previous file is kept as a backup.</p>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <div className="field spacer">
          <label htmlFor="nr-path">netrc file</label>
          <input id="nr-path" className="input mono" value={path} onChange={(e) => { setPath(e.target.value); setPreview(undefined); }} placeholder="~/.netrc (default)" spellCheck={false} />
        </div>
        <div className="field spacer">
          <label htmlFor="nr-host">Machine (optional)</label>
          <input id="nr-host" className="input mono" value={host} onChange={(e) => { setHost(e.target.value); setPreview(undefined); }} placeholder="from the workspace's address" spellCheck={false} />
        </div>
      </div>
      {preview && (
        <>
          <p className="small">
            {preview.exists ? 'Changes to' : 'A new file'} <span className="mono">{preview.path}</span>
            {preview.changes.length > 0 && <> — {preview.changes.map((c) => `${c.machine} (${c.login}): ${c.change}`).join(', ')}</>}. Passwords are masked here.
          </p>
          {preview.diff ? <DiffView diff={preview.diff} /> : <p className="muted">Nothing changes: the entries are already there.</p>}
          {preview.warnings.map((w) => <p key={w} className="notice warn small">{w}</p>)}
        </>
      )}
      <ErrorNotice error={error} doing="prepare the netrc" />
      <div className="dialog-foot" style={{ margin: '12px -18px -8px' }}>
        <button type="button" className="btn" onClick={onClose} disabled={busy}>Cancel</button>
        {preview ? (
          <button type="submit" className="btn primary" disabled={busy}>{busy ? 'Writing…' : 'Write netrc'}</button>
        ) : (
          <button type="submit" className="btn primary" disabled={busy}>{busy ? 'Reading…' : 'Preview changes'}</button>
        )}
      </div>
    </form>
  );
}

function DotenvExport({ ids, onClose }: { ids: string[]; onClose(): void }) {
  const toast = useToast();
  const [path, setPath] = useState('');
  const [prefix, setPrefix] = useState('');
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [preview, setPreview] = useState<ExportPreviewOut>();
  useEffect(() => {
    if (!path.trim().startsWith('/')) {
      setPreview(undefined);
      return;
    }
    let stale = false;
    const t = setTimeout(() => {
      call('export.preview', { format: 'dotenv', keyIds: ids, path: path.trim(), ...(prefix.trim() ? { prefix: prefix.trim() } : {}), force })
        .then((p) => !stale && setPreview(p))
        .catch(() => !stale && setPreview(undefined));
    }, 200);
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [ids, path, prefix, force]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await call('export.dotenv', { keyIds: ids, path: path.trim(), ...(prefix.trim() ? { prefix: prefix.trim() } : {}), force });
      toast(`Written to ${r.path}: ${r.names.join(', ')}.`);
      onClose();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit}>
      <p className="muted">One <code>NAME=value</code> line per key, quoted the way dotenv reads it. Names come from the key names.</p>
      <div className="field"><label htmlFor="de-path">File</label><input id="de-path" className="input mono" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/project/.env" spellCheck={false} /><span className="hint">Written atomically with mode 0600.</span></div>
      <div className="field"><label htmlFor="de-prefix">Name prefix (optional)</label><input id="de-prefix" className="input mono" value={prefix} onChange={(e) => setPrefix(e.target.value)} placeholder="e.g. RANCHER_" spellCheck={false} /></div>
      <Overwrite force={force} setForce={setForce} />
      {preview && (
        <p className="small" data-testid="dotenv-preview">
          {preview.exists ? (preview.conflict ? 'The file exists: tick “Replace” to overwrite it.' : 'The file will be replaced.') : 'A new file.'} Variables: <span className="mono">{preview.names.join(', ')}</span>
        </p>
      )}
      <ErrorNotice error={error} doing="write the .env file" />
      <Foot busy={busy} label="Write .env" onClose={onClose} disabled={!path.trim()} />
    </form>
  );
}

function CurlExport({ id, onClose }: { id: string; onClose(): void }) {
  const toast = useToast();
  const [path, setPath] = useState('');
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await call('export.curl', { keyId: id, path: path.trim(), force });
      toast(`Written to ${r.path}. Use it with curl -K ${r.path}`);
      onClose();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit}>
      <p className="muted">A curl config file with <code>user = "ACCESS:SECRET"</code>, for <code>curl -K FILE</code>, so the secret never appears on a command line.</p>
      <div className="field"><label htmlFor="cu-path">File</label><input id="cu-path" className="input mono" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/you/.config/rancher.curl" spellCheck={false} /><span className="hint">Written atomically with mode 0600.</span></div>
      <Overwrite force={force} setForce={setForce} />
      <ErrorNotice error={error} doing="write the curl config" />
      <Foot busy={busy} label="Write curl config" onClose={onClose} disabled={!path.trim()} />
    </form>
  );
}
