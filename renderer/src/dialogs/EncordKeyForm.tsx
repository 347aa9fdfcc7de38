// An Encord key: Encord has no API for adding keys, so Keyhold makes the ed25519 pair, guides its
// registration in Encord's web app (who holds it, which role), then checks it with a signed request.
import { useState } from 'react';
import { call } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { FormFoot, SubmitFoot } from '../components/FormFoot';
import { RadioCards } from '../components/RadioCards';
import { useToast } from '../components/Toasts';
import { copyText } from '../lib/clipboard';
import { explain } from '../lib/errors';
import { useAction } from '../lib/hooks';
import type { WorkspaceRow } from '../lib/model';
import { ENCORD_HOLDERS, ENCORD_ROLE_INFO, ENCORD_ROLES } from '../lib/platforms';
import type { EncordHolder, EncordRole } from '../../../main/api';
import type { NewKeyProps } from './NewKey';

export function EncordKeyForm(props: NewKeyProps & { workspace: WorkspaceRow }) {
  const toast = useToast();
  const [holder, setHolder] = useState<EncordHolder>('service_account');
  const [role, setRole] = useState<EncordRole>('Member');
  const [name, setName] = useState('');
  const { busy, error, run, submit: action } = useAction();
  const [key, setKey] = useState<{ id: string; publicKey: string; url: string; steps: string[] }>();
  const [checked, setChecked] = useState<'ok' | 'failed' | null>(null);
  const [checkDetail, setCheckDetail] = useState('');
  const page =
    holder === 'service_account'
      ? 'Workspace Settings → Service Accounts → your service account → New API key'
      : 'User settings → API keys → New Key';

  const generate = action(async () => {
    const r = await call('keys.create', {
      workspaceId: props.workspace.id,
      kind: 'ssh_key_pair',
      name: name.trim(),
      role: holder === 'user' ? 'user' : role,
    });
    setKey({
      id: r.key.id,
      publicKey: r.key.publicKey ?? r.key.public ?? '',
      url: r.registration?.url ?? '',
      steps: r.registration?.steps ?? [],
    });
    if (r.registration?.registered) setChecked('ok');
    props.onCreated(r.key.id);
  });
  const copyPublic = async () => {
    if (!key) return;
    toast((await copyText(key.publicKey)) ? 'Public key copied.' : 'Could not use the clipboard; select the key and copy it.');
  };
  const check = (id: string) =>
    run(async () => {
      try {
        const r = await call('keys.check', { id });
        setChecked(r.works ? 'ok' : 'failed');
        setCheckDetail(r.detail);
      } catch (err) {
        setChecked('failed');
        throw err;
      }
    });
  const openEncord = async (url: string) => {
    try {
      await call('desktop.openExternal', { url });
    } catch (err) {
      toast(explain(err, 'open Encord in your browser').title);
    }
  };

  if (!key)
    return (
      <form onSubmit={generate}>
        <RadioCards legend="Who holds the key" name="encord-holder" choices={ENCORD_HOLDERS} value={holder} onChange={setHolder} />
        {holder === 'service_account' && (
          <fieldset>
            <legend>Role of the service account</legend>
            {ENCORD_ROLES.map((r) => (
              <label key={r} className="check">
                <input type="radio" name="encord-role" value={r} checked={role === r} onChange={() => setRole(r)} />
                <span>
                  <span className="what">{r}</span> <span className="why">— {ENCORD_ROLE_INFO[r]}</span>
                </span>
              </label>
            ))}
            <p className="hint small">The role is applied in Encord (Service Accounts page); Keyhold records it with the key.</p>
          </fieldset>
        )}
        <div className="field">
          <label htmlFor="en-name">Title of the key</label>
          <input id="en-name" className="input" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <p className="hint small">Keyhold makes an ed25519 key pair without a passphrase, as Encord's docs advise.</p>
        <ErrorNotice error={error} doing="create the key pair" />
        <SubmitFoot busy={busy} label="Generate key pair" onCancel={props.onClose} disabled={!name.trim()} />
      </form>
    );

  return (
    <div data-testid="encord-guide">
      <p>The key pair is in your vault. Encord has no API for adding keys, so register its public key in Encord's web app:</p>
      <ol className="steps">
        <li>
          Copy the public key.
          <p className="public-box" data-testid="encord-public-key">
            {key.publicKey}
          </p>
          <button type="button" className="btn small" onClick={copyPublic}>
            Copy public key
          </button>
        </li>
        <li>
          In Encord, open <strong>{page}</strong>, give it the title “{name}”, paste the public key and click <strong>Add API key</strong>.
          {key.url && (
            <>
              {' '}
              The page: <span className="mono">{key.url}</span>
              <span className="row" style={{ marginTop: 6 }}>
                <button type="button" className="btn small primary" onClick={() => void openEncord(key.url)} data-testid="open-encord">
                  Open Encord
                </button>
                <button
                  type="button"
                  className="btn small"
                  onClick={() => void copyText(key.url).then((ok) => toast(ok ? 'Address copied.' : 'Could not use the clipboard.'))}
                >
                  Copy address
                </button>
              </span>
            </>
          )}
        </li>
        {holder === 'service_account' && (
          <li>
            Back on the Service Accounts page, give the service account the <strong>{role}</strong> role.
          </li>
        )}
        <li>
          Then let Keyhold check it: it signs a request with the new key and asks Encord for your projects.
          <div className="row" style={{ marginTop: 6 }}>
            <button type="button" className="btn primary small" onClick={() => void check(key.id)} disabled={busy}>
              {busy ? 'Checking…' : 'Check registration'}
            </button>
            {checked === 'ok' && (
              <span className="badge state-active" role="status" data-testid="encord-check-ok">
                Registered: Encord accepted a signed request
              </span>
            )}
          </div>
        </li>
      </ol>
      {checked === 'failed' && (
        <div className="notice warn" role="alert" data-testid="encord-check-failed">
          <span className="title">Encord does not accept this key yet.</span>
          {checkDetail && <span className="platform-message">{checkDetail}</span>}
          If you have just added it, wait a moment and check again. Encord refuses a public key that is already registered elsewhere.
        </div>
      )}
      <ErrorNotice error={error} doing="check the registration" />
      <FormFoot>
        <button type="button" className="btn primary" onClick={props.onClose}>
          {checked === 'ok' ? 'Done' : 'Finish later'}
        </button>
      </FormFoot>
    </div>
  );
}
