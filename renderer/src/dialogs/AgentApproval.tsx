// A confirm key's signature waits for the user: which key, which program (its executable, from
// the socket's peer), for which host, and whether through a forwarded agent. One request at a
// time; requests that time out in main close their dialog through 'agent.approvalClosed'.
import { useEffect, useState } from 'react';
import type { EventPayload } from '../../../main/api';
import { call, onEvent } from '../api';
import { Dialog } from '../components/Dialog';

type Request = EventPayload<'agent.approvalRequested'>;
type Choice = 'once' | 'untilLock' | 'deny';

export function AgentApprovals() {
  const [queue, setQueue] = useState<Request[]>([]);

  useEffect(() => {
    const add = (r: Request) => setQueue((q) => (q.some((x) => x.id === r.id) ? q : [...q, r]));
    const offAsk = onEvent('agent.approvalRequested', add);
    const offClosed = onEvent('agent.approvalClosed', ({ id }) => setQueue((q) => q.filter((x) => x.id !== id)));
    // requests made before this window listened (a reload)
    call('agent.pending', {})
      .then((list) => list.forEach(add))
      .catch(() => undefined);
    return () => {
      offAsk();
      offClosed();
    };
  }, []);

  const current = queue[0];
  if (!current) return null;
  const answer = (choice: Choice) => {
    setQueue((q) => q.filter((x) => x.id !== current.id));
    void call('agent.answer', { id: current.id, choice }).catch(() => undefined);
  };
  return <ApprovalDialog key={current.id} request={current} onAnswer={answer} />;
}

function ApprovalDialog({ request, onAnswer }: { request: Request; onAnswer(choice: Choice): void }) {
  return (
    <Dialog
      title="Allow use of an SSH key?"
      onClose={() => onAnswer('deny')}
      testId="agent-approval"
      footer={
        <>
          <button type="button" className="btn" onClick={() => onAnswer('deny')} data-autofocus>
            Deny
          </button>
          <button type="button" className="btn" onClick={() => onAnswer('untilLock')}>
            Allow until lock
          </button>
          <button type="button" className="btn primary" onClick={() => onAnswer('once')}>
            Allow once
          </button>
        </>
      }
    >
      {request.forwarded && (
        <p className="notice warn">This request came through a forwarded agent: a machine you logged in to is asking.</p>
      )}
      <dl className="props">
        <dt>Key</dt>
        <dd data-testid="agent-approval-key">
          {request.comment || '(no comment)'} <span className="mono muted">{request.keyFingerprint}</span>
        </dd>
        <dt>Program</dt>
        <dd className="mono" data-testid="agent-approval-program">
          {request.program ?? 'unknown (the system did not say)'}
        </dd>
        <dt>Host</dt>
        <dd data-testid="agent-approval-host">{request.host ?? 'not bound to a host (signing data, or an older ssh)'}</dd>
        <dt>Forwarded</dt>
        <dd data-testid="agent-approval-forwarded">{request.forwarded ? 'yes' : 'no'}</dd>
      </dl>
    </Dialog>
  );
}

/** While locked: an SSH client asked for a signature and waits (a bounded time) for an unlock. */
export function AgentUnlockNotice() {
  const [asked, setAsked] = useState<EventPayload<'agent.unlockRequested'>>();
  useEffect(() => onEvent('agent.unlockRequested', setAsked), []);
  if (!asked) return null;
  return (
    <p className="notice warn agent-unlock" role="status" data-testid="agent-unlock-request">
      An SSH client asks to sign with <strong>{asked.comment || asked.keyFingerprint}</strong>. Unlock the vault to let it go on; it waits
      half a minute.
    </p>
  );
}
