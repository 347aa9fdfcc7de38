import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../main/api';
import { ApiCallError, call } from './api';

type Info = ChannelOutput<'app.info'>;
type Status = ChannelOutput<'vault.status'>;

export function App() {
  const [info, setInfo] = useState<Info>();
  const [status, setStatus] = useState<Status>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    Promise.all([call('app.info', {}), call('vault.status', {})])
      .then(([i, s]) => {
        setInfo(i);
        setStatus(s);
      })
      .catch((e: unknown) => setError(e instanceof ApiCallError ? `${e.code}: ${e.message}` : 'Keyhold could not reach its main process.'));
  }, []);

  return (
    <main className="shell">
      <h1>Keyhold</h1>
      {error && <p role="alert">{error}</p>}
      <dl>
        <dt>Version</dt>
        <dd data-testid="app-version">{info?.version ?? '…'}</dd>
        <dt>Vault</dt>
        <dd data-testid="vault-state">{status?.state ?? '…'}</dd>
      </dl>
    </main>
  );
}
