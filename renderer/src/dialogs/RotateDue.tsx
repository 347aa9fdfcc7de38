// Rotating what is due: confirm, progress from main's keys.rotation.progress events (the same as
// any bulk rotation), then what was rotated and what must be done by hand (with the steps).
import { useState } from 'react';
import { call, onEvent } from '../api';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { ProgressBar } from '../components/ProgressBar';
import { plural } from '../lib/format';
import type { KeyRow, RotateDueOut } from '../lib/model';

type Phase =
  | { kind: 'confirm' }
  | { kind: 'running'; done: number; total: number }
  | { kind: 'done'; out: RotateDueOut }
  | { kind: 'error'; error: unknown };

export function RotateDueDialog({ due, workspaceId, onClose }: { due: KeyRow[]; workspaceId?: string; onClose(): void }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'confirm' });
  const names = new Map(due.map((k) => [k.id, k.name]));
  const start = async () => {
    setPhase({ kind: 'running', done: 0, total: due.length });
    const off = onEvent('keys.rotation.progress', (p) =>
      setPhase((ph) => (ph.kind === 'running' ? { kind: 'running', done: p.done, total: p.total } : ph)),
    );
    try {
      setPhase({ kind: 'done', out: await call('attention.rotateDue', workspaceId ? { workspaceId } : {}) });
    } catch (e) {
      setPhase({ kind: 'error', error: e });
    } finally {
      off();
    }
  };
  const busy = phase.kind === 'running';
  const footer =
    phase.kind === 'confirm' ? (
      <>
        <button type="button" className="btn" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button type="button" className="btn primary" onClick={start}>
          Rotate {plural(due.length, 'due key')}
        </button>
      </>
    ) : (
      <button type="button" className="btn primary" onClick={onClose} disabled={busy}>
        {busy ? 'Rotating…' : 'Close'}
      </button>
    );
  return (
    <Dialog title="Rotate what is due" onClose={onClose} busy={busy} footer={footer} testId="rotate-due-dialog">
      {phase.kind === 'confirm' && (
        <p>
          Every due key its platform can rotate gets a new secret, stored and checked before the old one is retired, through the same
          journal as any rotation. Keys a platform cannot rotate are listed with the steps to do by hand.
        </p>
      )}
      {phase.kind === 'running' && (
        <>
          <p id="rotate-due-progress">
            Rotated {phase.done} of {phase.total}…
          </p>
          <ProgressBar labelledBy="rotate-due-progress" done={phase.done} total={phase.total} />
        </>
      )}
      {phase.kind === 'error' && <ErrorNotice error={phase.error} doing="rotate the due keys" />}
      {phase.kind === 'done' && (
        <>
          <div className={`notice ${phase.out.failed ? 'warn' : 'ok'}`} role="status" data-testid="rotate-due-summary">
            <span className="title">
              {phase.out.rotated} rotated, {phase.out.failed} failed
              {phase.out.manual.length ? `, ${phase.out.manual.length} to rotate by hand` : ''}.
            </span>
            {phase.out.failed > 0 && 'For the failed keys the previous secret is still stored and still works.'}
          </div>
          <ul className="results" data-testid="rotate-due-results">
            {phase.out.results.map((r) => (
              <li key={r.id} data-ok={r.ok}>
                <span className={r.ok ? 'ok' : 'fail'} aria-hidden="true">
                  {r.ok ? '✓' : '✕'}
                </span>
                <span>
                  {names.get(r.id) ?? r.id} {!r.ok && r.error && <span className="mono">{r.error.message}</span>}
                </span>
              </li>
            ))}
          </ul>
          {phase.out.manual.length > 0 && (
            <div data-testid="rotate-due-manual">
              <h3 className="small">To rotate by hand</h3>
              {phase.out.manual.map((m) => (
                <div key={m.id} className="notice">
                  <span className="title">{m.name}</span>
                  <span className="small">{m.reason}</span>
                  <ol className="small">
                    {m.steps.map((s) => (
                      <li key={s} className="mono">
                        {s}
                      </li>
                    ))}
                  </ol>
                </div>
              ))}
            </div>
          )}
        </>
      )}
    </Dialog>
  );
}
