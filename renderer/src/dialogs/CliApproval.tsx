// The question main asks when a program calls the app's CLI socket (docs/SECURITY.md "The CLI
// through the running app"): which program, started by which, wants to run which command line.
// Deny has the focus and is what Escape, closing, and silence mean; main refuses the request by
// itself when its time runs out or the vault locks, and then closes the question here.
import { useEffect, useId, useState } from 'react';
import type { BridgeAnswer, BridgeApprovalRequest } from '../../../main/api';
import { call, onEvent } from '../api';
import { Dialog } from '../components/Dialog';

function programText(p: { program: string; script: string | null; pid: number }): string {
  return `${p.script ? `${p.program} ${p.script}` : p.program} (pid ${p.pid})`;
}

function useSecondsLeft(expiresAt: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [expiresAt]);
  return Math.max(0, Math.ceil((expiresAt - now) / 1000));
}

function Question({
  request,
  waiting,
  onAnswer,
}: {
  request: BridgeApprovalRequest;
  waiting: number;
  onAnswer(answer: BridgeAnswer): void;
}) {
  const secondsLeft = useSecondsLeft(request.expiresAt);
  const introId = useId();
  return (
    <Dialog
      title="Allow a program to use the vault?"
      onClose={() => onAnswer('deny')}
      testId="cli-approval-dialog"
      describedBy={introId}
      wide
      footer={
        <>
          <button type="button" className="btn" onClick={() => onAnswer('deny')} data-autofocus>
            Deny
          </button>
          <button type="button" className="btn" onClick={() => onAnswer('allow-once')}>
            Allow once
          </button>
          <button type="button" className="btn primary" onClick={() => onAnswer('allow-until-lock')}>
            Allow until lock
          </button>
        </>
      }
    >
      <p id={introId}>
        A program asks Keyhold to run a command on your unlocked vault, without the master password. Allow it only if you just started it.
      </p>
      <dl className="approval-facts">
        <dt>Program</dt>
        <dd className="mono" data-testid="cli-approval-program">
          {programText(request.caller)}
        </dd>
        <dt>Started by</dt>
        <dd className="mono" data-testid="cli-approval-parent">
          {request.parent ? programText(request.parent) : 'unknown'}
        </dd>
        <dt>Command</dt>
        <dd className="mono" data-testid="cli-approval-command">
          {request.commandLine}
        </dd>
      </dl>
      <p className="muted">
        “Allow until lock” lets this program, started from this same shell, run commands until the vault locks. Denied automatically in{' '}
        {secondsLeft} s.
        {waiting > 0 && ` ${waiting} more ${waiting === 1 ? 'program waits' : 'programs wait'} after this one.`}
      </p>
    </Dialog>
  );
}

/** Shows the oldest open question; the others wait their turn. */
export function CliApproval() {
  const [queue, setQueue] = useState<BridgeApprovalRequest[]>([]);
  useEffect(() => {
    const offAsked = onEvent('bridge.approval.requested', (r) => setQueue((q) => [...q.filter((x) => x.id !== r.id), r]));
    const offClosed = onEvent('bridge.approval.closed', ({ id }) => setQueue((q) => q.filter((x) => x.id !== id)));
    const offLocked = onEvent('vault.locked', () => setQueue([]));
    return () => {
      offAsked();
      offClosed();
      offLocked();
    };
  }, []);
  const first = queue[0];
  if (!first) return null;
  const answer = (a: BridgeAnswer) => {
    setQueue((q) => q.filter((x) => x.id !== first.id));
    // a question main already closed (time ran out) answers accepted: false: nothing to show
    void call('bridge.answer', { id: first.id, answer: a }).catch(() => undefined);
  };
  return <Question key={first.id} request={first} waiting={queue.length - 1} onAnswer={answer} />;
}
