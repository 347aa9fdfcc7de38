// A key pair's SSH agent section: whether the agent serves it (on / off / ask each time), the
// hosts it may sign for, forwarding, and its recent uses from the audit trail.
import { useCallback, useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../main/api';
import { call, onEvent } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useToast } from '../components/Toasts';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/hooks';

type AgentKey = ChannelOutput<'agent.key'>;
type Mode = AgentKey['settings']['agent'];

const MODES: { value: Mode; label: string }[] = [
  { value: 'confirm', label: 'Ask before each use' },
  { value: 'on', label: 'Serve without asking' },
  { value: 'off', label: 'Not served' },
];

export function KeyAgent({ id, revision }: { id: string; revision: number }) {
  const toast = useToast();
  const [info, setInfo] = useState<AgentKey>();
  const [mode, setMode] = useState<Mode>('confirm');
  const [hosts, setHosts] = useState('');
  const [forwarding, setForwarding] = useState(false);
  const [loadError, setLoadError] = useState<unknown>();
  const { busy, error, submit } = useAction();

  const show = useCallback((k: AgentKey) => {
    setInfo(k);
    setMode(k.settings.agent);
    setHosts(k.settings.agentHosts.join(', '));
    setForwarding(k.settings.agentForwarding === 'allow');
  }, []);
  useEffect(() => {
    call('agent.key', { id }).then(show).catch(setLoadError);
  }, [id, revision, show]);
  // a use was audited: reload the uses only, so that an edit in progress is kept
  useEffect(
    () =>
      onEvent('agent.used', ({ keyIds }) => {
        if (!keyIds.includes(id)) return;
        call('agent.key', { id })
          .then((k) => setInfo((old) => (old ? { ...old, uses: k.uses } : k)))
          .catch(() => undefined);
      }),
    [id],
  );

  const save = submit(async () => {
    const agentHosts = hosts.split(/[\s,]+/).filter((h) => h !== '');
    show(await call('agent.key.set', { id, agent: mode, agentHosts, agentForwarding: forwarding ? 'allow' : 'deny' }));
    toast('Agent settings saved.');
  });

  if (loadError) return <ErrorNotice error={loadError} doing="read the agent settings" />;
  return (
    <section aria-label="SSH agent" data-testid="key-agent">
      <h3>SSH agent</h3>
      <form onSubmit={save}>
        <div className="field">
          <label htmlFor="agent-mode">Use by ssh and git</label>
          <select id="agent-mode" className="input" value={mode} onChange={(e) => setMode(e.target.value as Mode)} disabled={!info}>
            {MODES.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="agent-hosts">Only for these hosts</label>
          <input
            id="agent-hosts"
            className="input mono"
            value={hosts}
            onChange={(e) => setHosts(e.target.value)}
            placeholder="any host (e.g. github.com, [10.0.0.5]:2222)"
            disabled={!info}
          />
          <span className="hint">Names as known_hosts lists them; the key then signs only logins to those hosts.</span>
        </div>
        <label className="check">
          <input type="checkbox" checked={forwarding} onChange={(e) => setForwarding(e.target.checked)} disabled={!info} />
          <span>Allow through a forwarded agent (ssh -A)</span>
        </label>
        <ErrorNotice error={error} doing="save the agent settings" />
        <div className="row end">
          <button type="submit" className="btn small primary" disabled={busy || !info}>
            Save agent settings
          </button>
        </div>
      </form>
      <h4>Recent uses</h4>
      <ol className="agent-uses" data-testid="agent-uses">
        {info?.uses.map((u, i) => (
          <li key={`${u.at}-${i}`}>
            <span className={u.decision === 'refused' ? 'refused' : ''}>{u.decision === 'allowed' ? 'Signed' : 'Refused'}</span>{' '}
            <span className="mono">{u.program ?? 'unknown program'}</span>
            {u.host && <> for {u.host}</>}
            {u.forwarded && <> (forwarded)</>}{' '}
            <span className="muted">
              — {u.reason}, {formatDateTime(u.at)}
            </span>
          </li>
        ))}
        {info && info.uses.length === 0 && <li className="muted">Not used through the agent yet.</li>}
      </ol>
    </section>
  );
}
