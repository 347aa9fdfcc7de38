// First run (create the vault) and every later start (unlock it). The footer keeps the version
// and the vault's state in view.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { call } from '../api';
import { BrandMark } from '../components/icons';
import { ErrorNotice } from '../components/ErrorNotice';
import { NewPasswordFields } from '../components/NewPasswordFields';
import { PathField } from '../components/PathField';
import { SecretField } from '../components/SecretField';
import { StrengthMeter } from '../components/StrengthMeter';
import { BACKUP_FILTERS, withToken } from '../lib/desktop';
import { isCode } from '../lib/errors';
import { useAction } from '../lib/hooks';
import { estimateStrength } from '../lib/strength';

const STATE_TEXT: Record<string, string> = { absent: 'not created yet', locked: 'locked', unlocked: 'unlocked' };

function Shell({ children, version, state, path }: { children: ReactNode; version?: string; state?: string; path?: string }) {
  return (
    <main className="welcome">
      <div className="welcome-card">{children}</div>
      <footer className="welcome-footer">
        <dl>
          <dt>Version</dt>
          <dd data-testid="app-version">{version ?? '…'}</dd>
        </dl>
        <dl>
          <dt>Vault</dt>
          <dd data-testid="vault-state" data-state={state}>
            {state ? (STATE_TEXT[state] ?? state) : '…'}
          </dd>
        </dl>
        {path && (
          <span className="mono" title="Vault file">
            {path}
          </span>
        )}
      </footer>
    </main>
  );
}

export interface WelcomeProps {
  version?: string;
  path?: string;
  onUnlocked(): void;
}

export function CreateVault(props: WelcomeProps & { onRestored(): void }) {
  const [restoring, setRestoring] = useState(false);
  return restoring ? (
    <RestoreVault {...props} onBack={() => setRestoring(false)} />
  ) : (
    <NewVault {...props} onRestore={() => setRestoring(true)} />
  );
}

function NewVault({ version, path, onUnlocked, onRestore }: WelcomeProps & { onRestore(): void }) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [understood, setUnderstood] = useState(false);
  const { busy, error, run } = useAction();
  const [touched, setTouched] = useState(false);
  const meterId = useId();
  const mismatchId = useId();
  const mismatch = touched && confirm.length > 0 && password !== confirm;
  const tooShort = password.length > 0 && password.length < 8;
  const canSubmit = password.length >= 8 && password === confirm && understood && !busy;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!canSubmit) return;
    void run(async () => {
      await call('vault.create', { password });
      performance.mark('keyhold:unlock-answer');
      onUnlocked();
    });
  };

  return (
    <Shell version={version} state="absent" path={path}>
      <div className="brand">
        <BrandMark />
      </div>
      <h1>Create your vault</h1>
      <p className="lead">
        Keyhold keeps every key you hold in one encrypted file on this computer. Choose the master password that opens it.
      </p>
      <form onSubmit={submit} noValidate aria-label="Create vault">
        <div className="field">
          <label htmlFor="new-password">Master password</label>
          <input
            id="new-password"
            className="input"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby={meterId}
            autoFocus
          />
          <StrengthMeter password={password} id={meterId} />
          {tooShort && <span className="hint">Use at least 8 characters.</span>}
        </div>
        <div className="field">
          <label htmlFor="confirm-password">Type it again</label>
          <input
            id="confirm-password"
            className="input"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            onBlur={() => setTouched(true)}
            aria-invalid={mismatch}
            aria-describedby={mismatch ? mismatchId : undefined}
          />
          {mismatch && (
            <span id={mismatchId} className="error">
              The two passwords are not the same.
            </span>
          )}
        </div>
        <div className="notice warn loss">
          <span className="title">If you lose this password, your keys are gone.</span>
          Nobody can recover it, not even Keyhold: the vault is encrypted with it and nothing else. Write it down somewhere safe, and keep
          an encrypted backup (Settings → Backup).
        </div>
        <label className="check">
          <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
          <span>I understand that a lost master password cannot be recovered.</span>
        </label>
        <ErrorNotice error={error} doing="create the vault" />
        <button type="submit" className="btn primary" disabled={!canSubmit} style={{ width: '100%', marginTop: 8 }}>
          {busy ? 'Creating… (deriving the key)' : 'Create vault'}
        </button>
        {password.length >= 8 && estimateStrength(password).score < 2 && (
          <p className="hint small" style={{ marginTop: 8 }}>
            This password is weak; anyone who gets the file could guess it.
          </p>
        )}
      </form>
      <p className="small" style={{ marginTop: 14, marginBottom: 0 }}>
        Moving from another computer?{' '}
        <button type="button" className="link-button" onClick={onRestore}>
          Restore from a backup
        </button>
      </p>
    </Shell>
  );
}

function RestoreVault({ version, path, onRestored, onBack }: WelcomeProps & { onRestored(): void; onBack(): void }) {
  const [file, setFile] = useState('');
  const [token, setToken] = useState<string>();
  const [passphrase, setPassphrase] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const { busy, error, wrong, setWrong, submit: action } = useAction({ inline: 'WRONG_PASSWORD' });
  const submit = action(async () => {
    await call('vault.restore', { file: file.trim(), ...withToken(token), passphrase, password });
    setPassphrase('');
    setPassword('');
    setConfirm('');
    onRestored();
  });
  return (
    <Shell version={version} state="absent" path={path}>
      <div className="brand">
        <BrandMark />
      </div>
      <h1>Restore from a backup</h1>
      <p className="lead">Keyhold makes a new vault on this computer from a backup file, under a master password you choose now.</p>
      <form onSubmit={submit} noValidate aria-label="Restore vault">
        <PathField
          id="rs-file"
          label="Backup file"
          value={file}
          onChange={(v, t) => {
            setFile(v);
            setToken(t);
          }}
          placeholder="/media/usb/keyhold-backup.khb"
          autoFocus
          dialog={{ mode: 'open', title: 'Restore from the backup', filters: BACKUP_FILTERS }}
        />
        <SecretField
          id="rs-pass"
          label="Backup passphrase"
          autoComplete="off"
          value={passphrase}
          onChange={setPassphrase}
          wrong={wrong}
          onWrongChange={setWrong}
          wrongText="That passphrase does not open this backup."
        />
        <NewPasswordFields
          ids={['rs-new', 'rs-new2']}
          labels={['New master password', 'Type it again']}
          value={password}
          onChange={setPassword}
          again={confirm}
          onAgainChange={setConfirm}
          mismatchText="The two passwords are not the same."
        />
        <ErrorNotice error={error} doing="restore the backup" />
        <div className="row">
          <button type="button" className="btn" onClick={onBack} disabled={busy}>
            Back
          </button>
          <button
            type="submit"
            className="btn primary spacer"
            disabled={busy || !file.trim() || !passphrase || password.length < 8 || password !== confirm}
          >
            {busy ? 'Restoring…' : 'Restore vault'}
          </button>
        </div>
      </form>
    </Shell>
  );
}

const LOCK_REASONS: Record<string, string> = {
  idle: 'Keyhold locked itself after a while without use.',
  suspend: 'Keyhold locked when the computer went to sleep.',
  'screen-lock': 'Keyhold locked when the screen was locked.',
  explicit: 'The vault is locked.',
};

export function Unlock({ version, path, onUnlocked, reason }: WelcomeProps & { reason?: string }) {
  const [password, setPassword] = useState('');
  // the file is older than one this computer has opened: the user may open it on purpose
  const [rolledBack, setRolledBack] = useState(false);
  const { busy, error, wrong, setWrong, run } = useAction({ inline: 'WRONG_PASSWORD' });
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!busy) input.current?.focus();
  }, [busy]);

  const unlock = (acceptRollback: boolean) => {
    if (!password || busy) return;
    void run(async () => {
      try {
        await call('vault.unlock', acceptRollback ? { password, acceptRollback } : { password });
      } catch (err) {
        if (isCode(err, 'WRONG_PASSWORD')) setPassword('');
        setRolledBack(isCode(err, 'INTEGRITY') && err instanceof Error && err.message.includes('--accept-rollback'));
        throw err;
      }
      setRolledBack(false);
      performance.mark('keyhold:unlock-answer');
      setPassword('');
      onUnlocked();
    });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    unlock(false);
  };

  return (
    <Shell version={version} state="locked" path={path}>
      <div className="brand">
        <BrandMark />
      </div>
      <h1>Unlock Keyhold</h1>
      <p className="lead">{reason ? (LOCK_REASONS[reason] ?? LOCK_REASONS.explicit) : 'Enter your master password to open the vault.'}</p>
      <form onSubmit={submit} noValidate aria-label="Unlock vault">
        <SecretField
          inputRef={input}
          id="master-password"
          label="Master password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          wrong={wrong}
          onWrongChange={setWrong}
          wrongText="That password does not open this vault. Check Caps Lock and try again."
          wrongTestId="wrong-password"
          autoFocus
          disabled={busy}
        />
        <ErrorNotice error={error} doing="unlock the vault" />
        {rolledBack && (
          <button
            type="button"
            className="btn danger"
            data-testid="accept-rollback"
            disabled={!password || busy}
            onClick={() => unlock(true)}
            style={{ width: '100%', marginBottom: 8 }}
          >
            I restored this older copy on purpose: open it
          </button>
        )}
        <button type="submit" className="btn primary" disabled={!password || busy} style={{ width: '100%' }}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
    </Shell>
  );
}
