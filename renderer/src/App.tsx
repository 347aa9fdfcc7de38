// Top level: which screen the vault's state calls for. Locking (button, Ctrl/Cmd+L, auto-lock
// via the 'vault.locked' event) unmounts the main screen, so nothing it held survives.
import { useCallback, useEffect, useState } from 'react';
import type { ChannelOutput } from '../../main/api';
import { call, onEvent } from './api';
import { ErrorNotice } from './components/ErrorNotice';
import { CliApproval } from './dialogs/CliApproval';
import { ToastProvider } from './components/Toasts';
import { AgentApprovals, AgentUnlockNotice } from './dialogs/AgentApproval';
import { MainScreen } from './screens/MainScreen';
import { CreateVault, Unlock } from './screens/Welcome';

type Info = ChannelOutput<'app.info'>;
type Phase =
  { kind: 'loading' } | { kind: 'absent' } | { kind: 'locked'; reason?: string } | { kind: 'unlocked' } | { kind: 'error'; error: unknown };

export function App() {
  const [info, setInfo] = useState<Info>();
  const [path, setPath] = useState<string>();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });

  const refresh = useCallback(() => {
    Promise.all([call('app.info', {}), call('vault.status', {})])
      .then(([i, s]) => {
        setInfo(i);
        setPath(s.path);
        setPhase(s.state === 'absent' ? { kind: 'absent' } : s.state === 'locked' ? { kind: 'locked' } : { kind: 'unlocked' });
      })
      .catch((error: unknown) => setPhase({ kind: 'error', error }));
  }, []);

  useEffect(refresh, [refresh]);

  useEffect(() => onEvent('vault.locked', (p) => setPhase({ kind: 'locked', reason: p.reason })), []);

  const lock = useCallback(() => {
    call('vault.lock', {})
      .catch(() => undefined)
      .finally(() => setPhase({ kind: 'locked', reason: 'explicit' }));
  }, []);

  useEffect(() => {
    if (phase.kind !== 'unlocked') return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        lock();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [phase.kind, lock]);

  const unlocked = () => setPhase({ kind: 'unlocked' });

  return (
    <ToastProvider>
      {phase.kind === 'loading' && (
        <main className="welcome" aria-busy="true">
          <p className="muted">Opening Keyhold…</p>
        </main>
      )}
      {phase.kind === 'error' && (
        <main className="welcome">
          <div className="welcome-card">
            <h1>Keyhold cannot start</h1>
            <ErrorNotice error={phase.error} />
            <button type="button" className="btn" onClick={refresh}>
              Try again
            </button>
          </div>
        </main>
      )}
      {phase.kind === 'absent' && <CreateVault version={info?.version} path={path} onUnlocked={unlocked} onRestored={refresh} />}
      {phase.kind === 'locked' && <AgentUnlockNotice />}
      {phase.kind === 'locked' && <Unlock version={info?.version} path={path} onUnlocked={unlocked} reason={phase.reason} />}
      {phase.kind === 'unlocked' && <MainScreen version={info?.version ?? ''} vaultPath={path ?? ''} onLock={lock} />}
      {phase.kind === 'unlocked' && <AgentApprovals />}
      <CliApproval />
    </ToastProvider>
  );
}
