// "Needs attention": keys due or warned by their rotation policy, tokens about to expire, keys
// not used for a long time, keys registered outside Keyhold; the button that rotates what is due;
// and the policy form.
import { useState } from 'react';
import { call } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { RotateDueDialog } from '../dialogs/RotateDue';
import { ageSourceLabel, formatDate, kindLabel, plural } from '../lib/format';
import type { AttentionOut, EnvironmentRow, KeyRow, WorkspaceRow } from '../lib/model';
import { PolicyForm } from './PolicyForm';

const SECTIONS = [
  { name: 'due', title: 'Due for rotation', hint: 'Older than their policy allows, or tokens about to expire.' },
  { name: 'warn', title: 'Due soon', hint: "Within their policy's warning window." },
  { name: 'expiring', title: 'Tokens about to expire', hint: 'The platform says they stop working soon.' },
  { name: 'unused', title: 'Not used for a long time', hint: 'The platform last saw them more than 90 days ago.' },
  { name: 'unknown', title: 'Registered outside Keyhold', hint: 'A sync found them on the platform; nobody made them here.' },
] as const;

export interface AttentionProps {
  attention: AttentionOut | null;
  error: unknown;
  workspaces: WorkspaceRow[];
  environments: EnvironmentRow[];
  onOpen(id: string): void;
  onChanged(): void;
}

function KeyList({ keys, onOpen, action }: { keys: KeyRow[]; onOpen(id: string): void; action?: (k: KeyRow) => React.ReactNode }) {
  return (
    <table className="attention-table">
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Where</th>
          <th scope="col">Age</th>
          <th scope="col">Due</th>
          <th scope="col">Last used</th>
          {action && (
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => (
          <tr key={k.id} data-testid="attention-row" data-status={k.status}>
            <td>
              <button type="button" className="link" onClick={() => onOpen(k.id)}>
                {k.name}
              </button>{' '}
              <span className="muted small">{kindLabel(k.kind)}</span>
            </td>
            <td>
              {k.workspace ?? '—'}
              {k.environment ? ` / ${k.environment}` : ''}
            </td>
            <td title={ageSourceLabel(k.ageSource)}>
              {plural(k.ageDays, 'day')} <span className="muted small">({ageSourceLabel(k.ageSource)})</span>
            </td>
            <td>
              {k.dueAt ? formatDate(k.dueAt) : '—'}
              {k.expiresAt ? <span className="muted small"> expires {formatDate(k.expiresAt)}</span> : null}
            </td>
            <td>{formatDate(k.lastUsedAt)}</td>
            {action && <td>{action(k)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AttentionScreen({ attention, error, workspaces, environments, onOpen, onChanged }: AttentionProps) {
  const [rotating, setRotating] = useState(false);
  const [ackError, setAckError] = useState<unknown>();
  const acknowledge = async (id: string) => {
    setAckError(undefined);
    try {
      await call('attention.acknowledge', { id });
      onChanged();
    } catch (e) {
      setAckError(e);
    }
  };
  const total = attention ? Object.values(attention.counts).reduce((a, b) => a + b, 0) : 0;
  return (
    <main className="content attention" aria-label="Needs attention" data-testid="attention-view">
      <div className="toolbar">
        <h1 className="attention-title">Needs attention</h1>
        <span className="count" data-testid="attention-total">
          {attention ? plural(total, 'item') : '…'}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="btn primary"
          disabled={!attention || attention.counts.due === 0}
          onClick={() => setRotating(true)}
          data-testid="rotate-due"
        >
          Rotate what is due{attention?.counts.due ? ` (${attention.counts.due})` : ''}
        </button>
      </div>
      <div className="attention-body">
        <ErrorNotice error={error} doing="find what needs attention" />
        <ErrorNotice error={ackError} doing="acknowledge the key" />
        {attention && total === 0 && (
          <div className="notice ok" role="status">
            <span className="title">Nothing needs attention.</span>No key is due, about to expire, long unused or unknown.
          </div>
        )}
        {attention &&
          SECTIONS.filter((s) => attention[s.name].length > 0).map((s) => (
            <section key={s.name} className="attention-section" aria-labelledby={`attention-${s.name}`} data-testid={`attention-${s.name}`}>
              <h2 id={`attention-${s.name}`}>
                {s.title} <span className="badge neutral">{attention[s.name].length}</span>
              </h2>
              <p className="muted small">{s.hint}</p>
              <KeyList
                keys={attention[s.name]}
                onOpen={onOpen}
                {...(s.name === 'unknown'
                  ? {
                      action: (k: KeyRow) => (
                        <button type="button" className="btn small" onClick={() => void acknowledge(k.id)}>
                          I know this key
                        </button>
                      ),
                    }
                  : {})}
              />
            </section>
          ))}
        <PolicyForm workspaces={workspaces} environments={environments} onChanged={onChanged} />
      </div>
      {rotating && attention && (
        <RotateDueDialog
          due={attention.due}
          onClose={() => {
            setRotating(false);
            onChanged();
          }}
        />
      )}
    </main>
  );
}
