// Rotation policies: one per workspace, optionally one per environment (which wins over its
// workspace's); setting a scope again replaces its policy.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { call } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import type { EnvironmentRow, PolicyRow, WorkspaceRow } from '../lib/model';

export function PolicyForm({
  workspaces,
  environments,
  onChanged,
}: {
  workspaces: WorkspaceRow[];
  environments: EnvironmentRow[];
  onChanged(): void;
}) {
  const [policies, setPolicies] = useState<PolicyRow[]>([]);
  const [workspaceId, setWorkspaceId] = useState('');
  const [environmentId, setEnvironmentId] = useState('');
  const [maxAge, setMaxAge] = useState('90');
  const [warn, setWarn] = useState('14');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    call('policies.list', {}).then(setPolicies).catch(setError);
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    if (!workspaceId && workspaces[0]) setWorkspaceId(workspaces[0].id);
  }, [workspaces, workspaceId]);
  const envs = environments.filter((e) => e.workspaceId === workspaceId);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      load();
      onChanged();
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!workspaceId || busy) return;
    // the main process checks the days (zero or negative is refused with a message)
    void run(() =>
      call('policies.set', { workspaceId, environmentId: environmentId || null, maxAgeDays: Number(maxAge), warnDays: Number(warn) }),
    );
  };

  return (
    <section className="attention-section" aria-labelledby="policies-title" data-testid="policy-form">
      <h2 id="policies-title">Rotation policies</h2>
      {policies.length === 0 ? (
        <p className="muted small">No policies yet: without one, keys have an age but are never due (an expiring token still is).</p>
      ) : (
        <ul className="results" data-testid="policy-list">
          {policies.map((p) => (
            <li key={p.id} data-testid="policy-item" style={{ gridTemplateColumns: 'minmax(0, 1fr) auto' }}>
              <span>
                <strong>
                  {p.workspace}
                  {p.environment ? ` / ${p.environment}` : ''}
                </strong>
                : due after {p.maxAgeDays} days, warned {p.warnDays} days before
              </span>
              <button
                type="button"
                className="btn ghost small"
                onClick={() => void run(() => call('policies.remove', { id: p.id }))}
                aria-label={`Remove the policy of ${p.workspace}${p.environment ? ` / ${p.environment}` : ''}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={submit} style={{ flexWrap: 'wrap', alignItems: 'end', gap: 8 }}>
        <div className="field">
          <label htmlFor="policy-workspace">Workspace</label>
          <select
            id="policy-workspace"
            className="input"
            value={workspaceId}
            onChange={(e) => {
              setWorkspaceId(e.target.value);
              setEnvironmentId('');
            }}
          >
            {workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="policy-environment">Environment</label>
          <select id="policy-environment" className="input" value={environmentId} onChange={(e) => setEnvironmentId(e.target.value)}>
            <option value="">Whole workspace</option>
            {envs.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="policy-max-age">Maximum age (days)</label>
          <input
            id="policy-max-age"
            className="input"
            type="number"
            value={maxAge}
            onChange={(e) => setMaxAge(e.target.value)}
            style={{ width: 110 }}
          />
        </div>
        <div className="field">
          <label htmlFor="policy-warn">Warn before (days)</label>
          <input
            id="policy-warn"
            className="input"
            type="number"
            value={warn}
            onChange={(e) => setWarn(e.target.value)}
            style={{ width: 110 }}
          />
        </div>
        <button type="submit" className="btn primary" disabled={busy || !workspaceId} style={{ marginBottom: 12 }}>
          Save policy
        </button>
      </form>
      <ErrorNotice error={error} doing="save the policy" />
    </section>
  );
}
