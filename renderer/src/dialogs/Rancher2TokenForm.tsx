// A Rancher 2 API token: description, time to live in days and an optional cluster scope (the
// workspace's environments are its clusters). Rancher shows the token once; Keyhold stores it
// straight away, so the confirmation offers a copy from the vault, never the value itself.
import { useState } from 'react';
import { call } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { FormFoot, SubmitFoot } from '../components/FormFoot';
import { useToast } from '../components/Toasts';
import { formatDateTime, ttlText } from '../lib/format';
import { useAction } from '../lib/hooks';
import type { KeyRow, WorkspaceRow } from '../lib/model';
import type { NewKeyProps } from './NewKey';

export function Rancher2TokenForm(props: NewKeyProps & { workspace: WorkspaceRow }) {
  const toast = useToast();
  const clusters = props.environments.filter((e) => e.workspaceId === props.workspace.id);
  const [cluster, setCluster] = useState(props.environment?.id ?? '');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [days, setDays] = useState('30');
  const { busy, error, run, submit: action } = useAction();
  const [made, setMade] = useState<{ key: KeyRow; askedDays: number }>();
  const ttlDays = /^\d{1,5}$/.test(days) ? Number(days) : null;
  const submit = action(async () => {
    const r = await call('keys.create', {
      workspaceId: props.workspace.id,
      ...(cluster ? { environmentId: cluster } : {}),
      kind: 'token',
      name: name.trim(),
      ...(description ? { description } : {}),
      ttlDays: ttlDays ?? 0,
    });
    setMade({ key: r.key, askedDays: ttlDays ?? 0 });
    props.onCreated(r.key.id);
  });
  const copy = (id: string) =>
    run(async () => {
      const r = await call('keys.copy', { id });
      toast(`Token copied. The clipboard clears itself in ${r.clearAfterSeconds} s.`);
    });
  if (made) {
    const ttl = Number(made.key.meta.ttl ?? 0);
    const cut = made.askedDays > 0 && ttl < made.askedDays * 86_400_000;
    return (
      <div data-testid="rancher2-created">
        <div className="notice ok" role="status">
          <span className="title">Stored in your vault.</span>
          Rancher shows a new token only once. Keyhold took it straight into the vault: copy it from the key whenever you need it.
        </div>
        <dl className="props">
          <dt>Token</dt>
          <dd className="mono">{made.key.public}</dd>
          <dt>Time to live</dt>
          <dd data-testid="created-ttl">
            {ttlText(ttl)}
            {cut ? ' (cut to the server’s maximum)' : ''}
          </dd>
          <dt>Expires</dt>
          <dd data-testid="created-expiry">{made.key.meta.expiresAt ? formatDateTime(made.key.meta.expiresAt) : 'never'}</dd>
          {made.key.environment && (
            <>
              <dt>Cluster</dt>
              <dd>{made.key.environment}</dd>
            </>
          )}
        </dl>
        <FormFoot>
          <button type="button" className="btn" onClick={() => void copy(made.key.id)}>
            Copy token
          </button>
          <button type="button" className="btn primary" onClick={props.onClose} data-autofocus>
            Done
          </button>
        </FormFoot>
        <ErrorNotice error={error} />
      </div>
    );
  }
  return (
    <form onSubmit={submit}>
      <p className="muted">
        An API token for scripts and CI. It works until it expires or is deleted; Rancher cannot disable or edit a token through its API.
      </p>
      <div className="field">
        <label htmlFor="r2-name">Name in Keyhold</label>
        <input id="r2-name" className="input" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="r2-desc">Description (sent to Rancher)</label>
        <input
          id="r2-desc"
          className="input"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          placeholder="the name when empty"
        />
      </div>
      <div className="field">
        <label htmlFor="r2-ttl">Time to live (days)</label>
        <input
          id="r2-ttl"
          className="input"
          inputMode="numeric"
          value={days}
          onChange={(e) => setDays(e.target.value.trim())}
          aria-invalid={ttlDays === null}
        />
        <span className="hint">0 takes the server’s default. Rancher cuts a longer one to its maximum (90 days unless changed).</span>
      </div>
      <div className="field">
        <label htmlFor="r2-cluster">Scope</label>
        <select id="r2-cluster" className="input" value={cluster} onChange={(e) => setCluster(e.target.value)}>
          <option value="">No scope: every cluster and the Rancher API</option>
          {clusters.map((c) => (
            <option key={c.id} value={c.id}>
              Only cluster {c.name}
              {c.remoteId && c.remoteId !== c.name ? ` (${c.remoteId})` : ''}
            </option>
          ))}
        </select>
        <span className="hint">
          {clusters.length === 0
            ? 'No clusters yet: sync the workspace to list them.'
            : 'A cluster-scoped token works only with that cluster’s Kubernetes API.'}
        </span>
      </div>
      <ErrorNotice error={error} doing="create the API token" />
      <SubmitFoot busy={busy} label="Create API token" onCancel={props.onClose} disabled={!name.trim() || ttlDays === null} />
    </form>
  );
}
