// Rotation of one key or a selection: confirm, then a progress bar fed by main's events, then
// a per-key report that says what failed and what the journal does about it.
import { useEffect, useState } from 'react';
import { ApiCallError, call, onEvent } from '../api';
import { AccessWarning } from '../components/AccessWarning';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { ProgressBar } from '../components/ProgressBar';
import { refusalFor } from '../lib/access';
import { explain } from '../lib/errors';
import { plural } from '../lib/format';
import type { RotateOut, WorkspaceRow } from '../lib/model';

type Phase =
  | { kind: 'confirm' }
  | { kind: 'running'; done: number; total: number }
  | { kind: 'done'; results: RotateOut['results'] }
  | { kind: 'error'; error: unknown };

export function RotateDialog({ ids, workspaces, onClose }: { ids: string[]; workspaces?: Map<string, WorkspaceRow>; onClose(): void }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'confirm' });
  const [names, setNames] = useState<Map<string, string>>(new Map());
  /** keys whose platform will refuse part of the rotation, with why */
  const [refusals, setRefusals] = useState<{ name: string; reason: string }[]>([]);

  useEffect(() => {
    let stop = false;
    const details = ids.slice(0, 200).map((id) =>
      call('keys.get', { id })
        .then((d) => ({ id, name: d.name, reason: refusalFor(workspaces?.get(d.workspaceId ?? ''), 'rotate', d.environment, d.kind) }))
        .catch(() => ({ id, name: id, reason: null })),
    );
    void Promise.all(details).then((all) => {
      if (stop) return;
      setNames(new Map(all.map((d) => [d.id, d.name] as const)));
      setRefusals(all.flatMap((d) => (d.reason ? [{ name: d.name, reason: d.reason }] : [])));
    });
    return () => {
      stop = true;
    };
  }, [ids, workspaces]);

  const start = async () => {
    setPhase({ kind: 'running', done: 0, total: ids.length });
    const off = onEvent('keys.rotation.progress', (p) =>
      setPhase((ph) => (ph.kind === 'running' ? { ...ph, done: p.done, total: p.total } : ph)),
    );
    try {
      const r = await call('keys.rotate', { ids });
      setPhase({ kind: 'done', results: r.results });
    } catch (e) {
      setPhase({ kind: 'error', error: e });
    } finally {
      off();
    }
  };

  const busy = phase.kind === 'running';
  const name = (id: string) => names.get(id) ?? id;
  let footer: React.ReactNode;
  if (phase.kind === 'confirm')
    footer = (
      <>
        <button type="button" className="btn" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button type="button" className="btn primary" onClick={start}>
          Rotate {ids.length > 1 ? plural(ids.length, 'key') : 'key'}
        </button>
      </>
    );
  else
    footer = (
      <button type="button" className="btn primary" onClick={onClose} disabled={busy}>
        {busy ? 'Rotating…' : 'Close'}
      </button>
    );

  const failed = phase.kind === 'done' ? phase.results.filter((r) => !r.ok) : [];

  return (
    <Dialog
      title={ids.length > 1 ? `Rotate ${plural(ids.length, 'key')}` : `Rotate “${name(ids[0]!)}”`}
      onClose={onClose}
      busy={busy}
      footer={footer}
      testId="rotate-dialog"
    >
      {phase.kind === 'confirm' && (
        <>
          <p>
            For each key, Keyhold asks the platform for a new secret, stores it in your vault, checks that it works with a real call, and
            only then retires the old one.
          </p>
          <p className="muted">
            If anything fails on the way, the old secret stays stored and working; an interrupted rotation resumes (or rolls back) the next
            time the vault is unlocked.
          </p>
          {refusals.length > 0 && (
            <AccessWarning
              platform="The platform"
              reason={
                refusals.length === 1
                  ? `${refusals[0]!.name}: ${refusals[0]!.reason}`
                  : `${plural(refusals.length, 'key')}: ${refusals[0]!.reason}`
              }
              consequence="Such a key is not recorded as rotated: the old one stays on the platform, and Keyhold says what is left to do."
            />
          )}
        </>
      )}
      {phase.kind === 'running' && (
        <>
          <p id="rotate-progress-label">
            Rotated {phase.done} of {phase.total}…
          </p>
          <ProgressBar labelledBy="rotate-progress-label" done={phase.done} total={phase.total} />
        </>
      )}
      {phase.kind === 'error' && <ErrorNotice error={phase.error} doing="rotate" />}
      {phase.kind === 'done' && (
        <>
          <div className={`notice ${failed.length ? 'warn' : 'ok'}`} role="status" data-testid="rotate-summary">
            <span className="title">
              {failed.length === 0
                ? `All ${plural(phase.results.length, 'key')} rotated.`
                : `${phase.results.length - failed.length} of ${phase.results.length} rotated; ${failed.length} failed.`}
            </span>
            {failed.length > 0 &&
              'For the failed keys the previous secret is still stored and still works. Unfinished steps are kept in the journal and resume the next time the vault is unlocked; or try again later.'}
          </div>
          <ul className="results" data-testid="rotate-results">
            {phase.results.map((r) => (
              <li key={r.id} data-ok={r.ok}>
                <span className={r.ok ? 'ok' : 'fail'} aria-hidden="true">
                  {r.ok ? '✓' : '✕'}
                </span>
                <span>
                  {name(r.id)} <span className="visually-hidden">{r.ok ? 'rotated' : 'failed'}</span>
                </span>
                {!r.ok && r.error && (
                  <span className="msg">
                    {explain(errorOf(r.error)).title} <span className="mono">{r.error.message}</span>
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </Dialog>
  );
}

/** A per-key failure (the same shape as a failed call's error), as the error type explain() reads. */
function errorOf(e: NonNullable<RotateOut['results'][number]['error']>): ApiCallError {
  return new ApiCallError(e);
}
