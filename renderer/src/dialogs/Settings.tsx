// Settings: locking, clipboard, the KDF (with a measured unlock time), the master password,
// backup / restore and the theme.
import { useCallback, useEffect, useState } from 'react';
import { call } from '../api';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { NewPasswordFields } from '../components/NewPasswordFields';
import { PathField } from '../components/PathField';
import { SecretField } from '../components/SecretField';
import { Tabs } from '../components/Tabs';
import { useToast } from '../components/Toasts';
import { BACKUP_FILTERS, withToken } from '../lib/desktop';
import { useAction } from '../lib/hooks';
import type { KdfOut, SettingsOut } from '../lib/model';
import { THEMES, currentTheme, setTheme, type Theme } from '../lib/theme';

type Tab = 'general' | 'security' | 'backup' | 'appearance';

export function SettingsDialog({ vaultPath, version, onClose }: { vaultPath: string; version: string; onClose(): void }) {
  const [tab, setTab] = useState<Tab>('general');
  const tabs: [Tab, string][] = [
    ['general', 'General'],
    ['security', 'Security'],
    ['backup', 'Backup'],
    ['appearance', 'Appearance'],
  ];
  return (
    <Dialog title="Settings" onClose={onClose} wide testId="settings-dialog">
      <Tabs<Tab> tabs={tabs} value={tab} onChange={setTab} label="Settings sections" ids={{ tab: 'st-', panel: 'sp-' }}>
        {tab === 'general' && <General vaultPath={vaultPath} version={version} />}
        {tab === 'security' && <Security />}
        {tab === 'backup' && <Backup />}
        {tab === 'appearance' && <Appearance />}
      </Tabs>
    </Dialog>
  );
}

function General({ vaultPath, version }: { vaultPath: string; version: string }) {
  const toast = useToast();
  const [settings, setSettings] = useState<SettingsOut>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    call('vault.settings.get', {}).then(setSettings).catch(setError);
  }, []);
  const save = async (patch: Partial<Pick<SettingsOut, 'autoLockMinutes' | 'clipboardClearSeconds' | 'agentEnabled'>>) => {
    setError(undefined);
    try {
      setSettings(await call('vault.settings.set', patch));
      toast('Saved.');
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <div className="settings-section">
        <h3>Locking</h3>
        <div className="field">
          <label htmlFor="set-autolock">Lock after this long without use</label>
          <select
            id="set-autolock"
            className="input"
            value={settings?.autoLockMinutes ?? ''}
            onChange={(e) => save({ autoLockMinutes: Number(e.target.value) })}
            disabled={!settings}
          >
            {[1, 2, 5, 10, 15, 30, 60, 240, 0].map((m) => (
              <option key={m} value={m}>
                {m === 0 ? 'Never (not recommended)' : m < 60 ? `${m} minute${m > 1 ? 's' : ''}` : `${m / 60} hour${m > 60 ? 's' : ''}`}
              </option>
            ))}
          </select>
          <span className="hint">
            The vault also locks when the computer sleeps or the screen locks. Lock at any time with Ctrl+L (⌘L).
          </span>
        </div>
      </div>
      <div className="settings-section">
        <h3>Clipboard</h3>
        <div className="field">
          <label htmlFor="set-clip">Clear a copied secret after</label>
          <select
            id="set-clip"
            className="input"
            value={settings?.clipboardClearSeconds ?? ''}
            onChange={(e) => save({ clipboardClearSeconds: Number(e.target.value) })}
            disabled={!settings}
          >
            {[10, 20, 30, 45, 60, 90, 120].map((s) => (
              <option key={s} value={s}>
                {s} seconds
              </option>
            ))}
          </select>
          <span className="hint">Only if the clipboard still holds that secret.</span>
        </div>
      </div>
      <div className="settings-section">
        <h3>SSH agent</h3>
        <label className="check">
          <input
            type="checkbox"
            data-testid="settings-agent"
            checked={settings?.agentEnabled ?? true}
            onChange={(e) => save({ agentEnabled: e.target.checked })}
            disabled={!settings}
          />
          Serve SSH key pairs to ssh and git while Keyhold is open
        </label>
        <span className="hint">
          Each key decides in its own page whether the agent may use it, for which hosts, and whether each use asks you first.
        </span>
      </div>
      <div className="settings-section">
        <h3>About</h3>
        <dl className="props">
          <dt>Version</dt>
          <dd data-testid="settings-version">{version}</dd>
          <dt>Vault</dt>
          <dd>
            <span data-testid="settings-vault-state">unlocked</span> — <span className="mono">{vaultPath}</span>
          </dd>
        </dl>
      </div>
      <ErrorNotice error={error} doing="save the settings" />
    </>
  );
}

function Security() {
  const toast = useToast();
  const [kdf, setKdf] = useState<KdfOut>();
  const [memory, setMemory] = useState(64);
  const [iterations, setIterations] = useState(3);
  const [parallelism, setParallelism] = useState(1);
  const [password, setPassword] = useState('');
  const [measured, setMeasured] = useState<number>();
  const { busy, error, setError, wrong, setWrong, run, submit } = useAction({ inline: 'WRONG_PASSWORD' });
  const load = useCallback(
    () =>
      call('vault.kdf', {})
        .then((k) => {
          setKdf(k);
          setMemory(Math.round(k.kdf.memoryKiB / 1024));
          setIterations(k.kdf.iterations);
          setParallelism(k.kdf.parallelism);
        })
        .catch(setError),
    [setError],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const params = { memoryKiB: memory * 1024, iterations, parallelism };
  const floorMiB = kdf ? Math.round(kdf.floor.memoryKiB / 1024) : 64;
  const floorT = kdf?.floor.iterations ?? 3;
  const below = memory < floorMiB || iterations < floorT || parallelism < 1;
  const measure = () => run(async () => setMeasured((await call('vault.kdf.measure', params)).ms));
  const apply = submit(async () => {
    const r = await call('vault.kdf.set', { password, kdf: params });
    setPassword('');
    setMeasured(r.ms);
    toast('Key derivation updated; the next unlock uses it.');
    void load();
  });
  const changed =
    kdf !== undefined &&
    (params.memoryKiB !== kdf.kdf.memoryKiB || iterations !== kdf.kdf.iterations || parallelism !== kdf.kdf.parallelism);
  return (
    <>
      <form className="settings-section" onSubmit={apply} aria-label="Key derivation">
        <h3>Key derivation (Argon2id)</h3>
        <p className="muted small">
          Every guess at your master password costs an attacker one run of Argon2id with these parameters. Keyhold calibrated them to this
          computer when the vault was made and never goes below {floorMiB} MiB and {floorT} passes.
        </p>
        {kdf && (
          <p className="small" data-testid="kdf-params">
            Now: {Math.round(kdf.kdf.memoryKiB / 1024)} MiB, {kdf.kdf.iterations} passes, parallelism {kdf.kdf.parallelism}.
          </p>
        )}
        <div className="row" style={{ alignItems: 'flex-start' }}>
          <div className="field spacer">
            <label htmlFor="kdf-m">Memory (MiB)</label>
            <input
              id="kdf-m"
              className="input"
              type="number"
              min={floorMiB}
              step={16}
              value={memory}
              onChange={(e) => {
                setMemory(Number(e.target.value));
                setMeasured(undefined);
              }}
              aria-invalid={memory < floorMiB}
            />
          </div>
          <div className="field spacer">
            <label htmlFor="kdf-t">Passes</label>
            <input
              id="kdf-t"
              className="input"
              type="number"
              min={floorT}
              value={iterations}
              onChange={(e) => {
                setIterations(Number(e.target.value));
                setMeasured(undefined);
              }}
              aria-invalid={iterations < floorT}
            />
          </div>
          <div className="field spacer">
            <label htmlFor="kdf-p">Parallelism</label>
            <input
              id="kdf-p"
              className="input"
              type="number"
              min={1}
              max={16}
              value={parallelism}
              onChange={(e) => {
                setParallelism(Number(e.target.value));
                setMeasured(undefined);
              }}
            />
          </div>
        </div>
        {below && (
          <p className="form-error">
            Below the floor of {floorMiB} MiB and {floorT} passes.
          </p>
        )}
        <div className="row" style={{ marginBottom: 10 }}>
          <button type="button" className="btn" onClick={() => void measure()} disabled={busy || below}>
            {busy ? 'Measuring…' : 'Measure unlock time'}
          </button>
          {measured !== undefined && (
            <span role="status" data-testid="kdf-measured">
              Unlocking takes about <strong>{Math.round(measured)} ms</strong> on this computer.
            </span>
          )}
        </div>
        {changed && (
          <div className="row" style={{ alignItems: 'flex-end' }}>
            <div className="field spacer" style={{ marginBottom: 0 }}>
              <label htmlFor="kdf-password">Master password, to apply</label>
              <input
                id="kdf-password"
                className="input"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => {
                  setPassword(e.target.value);
                  setWrong(false);
                }}
                aria-invalid={wrong}
              />
            </div>
            <button type="submit" className="btn primary" disabled={busy || below || !password}>
              Apply
            </button>
          </div>
        )}
        {wrong && (
          <p className="form-error" role="alert">
            That is not the master password.
          </p>
        )}
        <ErrorNotice error={error} doing="change the key derivation" />
      </form>
      <ChangePassword />
    </>
  );
}

function ChangePassword() {
  const toast = useToast();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [rekey, setRekey] = useState(false);
  const { busy, error, wrong, setWrong, submit: action } = useAction({ inline: 'WRONG_PASSWORD' });
  const submit = action(async () => {
    await call(
      'vault.changePassword',
      rekey ? { currentPassword: current, newPassword: next, rekey } : { currentPassword: current, newPassword: next },
    );
    setCurrent('');
    setNext('');
    setAgain('');
    setRekey(false);
    toast(rekey ? 'Master password changed and every value re-sealed under a new vault key.' : 'Master password changed.');
  });
  return (
    <form className="settings-section" onSubmit={submit} aria-label="Change master password">
      <h3>Change master password</h3>
      <SecretField
        id="cp-current"
        label="Current password"
        autoComplete="current-password"
        value={current}
        onChange={setCurrent}
        wrong={wrong}
        onWrongChange={setWrong}
        wrongText="That is not the current master password."
      />
      <NewPasswordFields
        ids={['cp-new', 'cp-again']}
        labels={['New password', 'New password again']}
        value={next}
        onChange={setNext}
        again={again}
        onAgainChange={setAgain}
        mismatchText="The two new passwords are not the same."
      />
      <p className="muted small" data-testid="passwd-note">
        A new password rewraps the same vault key: the old password no longer opens this file, but it still opens any copy made before (a
        backup, a synced or stolen copy), and a copy of the old file with the old password gives the key that also opens what you write
        later.
      </p>
      <label className="row small" style={{ gap: 6, marginBottom: 10 }}>
        <input type="checkbox" data-testid="passwd-rekey" checked={rekey} onChange={(e) => setRekey(e.target.checked)} />
        Also replace the vault key and re-seal every value, so an old copy and the old password reveal nothing written from now on (takes
        longer on a large vault).
      </label>
      <ErrorNotice error={error} doing="change the password" />
      <button type="submit" className="btn primary" disabled={busy || !current || next.length < 8 || next !== again}>
        Change password
      </button>
    </form>
  );
}

function Backup() {
  const toast = useToast();
  const [path, setPath] = useState('');
  const [token, setToken] = useState<string>();
  const [pass, setPass] = useState('');
  const [pass2, setPass2] = useState('');
  const { busy, error, submit } = useAction();
  const backup = submit(async () => {
    const r = await call('vault.backup', { path: path.trim(), ...withToken(token), passphrase: pass });
    setPass('');
    setPass2('');
    toast(`Backup written to ${r.path}.`);
  });
  return (
    <>
      <form className="settings-section" onSubmit={backup} aria-label="Write a backup">
        <h3>Write a backup</h3>
        <p className="muted small">
          One file with everything in the vault, sealed under its own passphrase (Argon2id). Keep it somewhere other than this computer.
        </p>
        <PathField
          id="bk-path"
          label="Backup file"
          value={path}
          onChange={(v, t) => {
            setPath(v);
            setToken(t);
          }}
          placeholder="/media/usb/keyhold-backup.khb"
          dialog={{ mode: 'save', title: 'Write the backup to', defaultPath: 'keyhold-backup.khb', filters: BACKUP_FILTERS }}
        />
        <div className="row" style={{ alignItems: 'flex-start' }}>
          <div className="field spacer">
            <label htmlFor="bk-pass">Backup passphrase</label>
            <input
              id="bk-pass"
              className="input"
              type="password"
              autoComplete="new-password"
              value={pass}
              onChange={(e) => setPass(e.target.value)}
            />
          </div>
          <div className="field spacer">
            <label htmlFor="bk-pass2">Passphrase again</label>
            <input
              id="bk-pass2"
              className="input"
              type="password"
              autoComplete="new-password"
              value={pass2}
              onChange={(e) => setPass2(e.target.value)}
              aria-invalid={pass2.length > 0 && pass !== pass2}
            />
          </div>
        </div>
        <ErrorNotice error={error} doing="write the backup" />
        <button type="submit" className="btn primary" disabled={busy || !path.trim() || pass.length < 8 || pass !== pass2}>
          Write backup
        </button>
      </form>
      <div className="settings-section">
        <h3>Restore a backup</h3>
        <p className="muted small">
          A backup is restored as a new vault: start Keyhold with no vault (or another vault file) and choose “Restore from a backup” on the
          first screen.
        </p>
      </div>
    </>
  );
}

function Appearance() {
  const [theme, set] = useState<Theme>(currentTheme());
  return (
    <fieldset className="settings-section" style={{ border: 0, padding: 0 }}>
      <legend>Theme</legend>
      {THEMES.map((t) => (
        <label key={t} className="check">
          <input
            type="radio"
            name="theme"
            value={t}
            checked={theme === t}
            onChange={() => {
              set(t);
              setTheme(t);
              void call('vault.settings.set', { theme: t }).catch(() => undefined);
            }}
          />
          <span>{t === 'system' ? 'Same as the system' : t === 'light' ? 'Light' : 'Dark'}</span>
        </label>
      ))}
    </fieldset>
  );
}
