// Import from another manager: a wizard of four steps. Source and file; where the credentials go
// (a workspace, and what groups become); a review of exactly what will be imported, where, what is
// already in the vault and what is skipped and why (never a secret); then the counts once done.
// Nothing is written before the review's Import button, and then in one transaction.
import { useState } from 'react';
import { GROUP_MAPPINGS, MIGRATION_SOURCE_NAMES, type GroupMapping } from '../../../main/api/constants';
import { call } from '../api';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { FormFoot } from '../components/FormFoot';
import { PathField } from '../components/PathField';
import { kindLabel, plural } from '../lib/format';
import { useAction } from '../lib/hooks';
import type { MigrateIn, MigrateOut, WorkspaceRow } from '../lib/model';

type Source = (typeof MIGRATION_SOURCE_NAMES)[number];
type Step = 'source' | 'mapping' | 'review' | 'done';

const SOURCES: Record<Source, { label: string; workspace: string; hint: string; folder?: boolean; extensions: string[] }> = {
  'keepassxc-xml': {
    label: 'KeePassXC (XML export)',
    workspace: 'KeePassXC',
    hint: 'keepassxc-cli export --format xml, or Database › Export › XML.',
    extensions: ['xml'],
  },
  'keepassxc-csv': {
    label: 'KeePassXC (CSV export)',
    workspace: 'KeePassXC',
    hint: 'Database › Export › CSV. Key attachments need the XML export.',
    extensions: ['csv'],
  },
  'bitwarden-json': {
    label: 'Bitwarden (JSON export)',
    workspace: 'Bitwarden',
    hint: 'The unencrypted .json export: logins, secure notes and SSH keys.',
    extensions: ['json'],
  },
  '1password-csv': { label: '1Password (CSV export)', workspace: '1Password', hint: 'File › Export › CSV.', extensions: ['csv'] },
  netrc: { label: 'netrc file', workspace: 'netrc', hint: 'machine, login and password of each entry.', extensions: ['*'] },
  dotenv: { label: '.env file', workspace: '.env', hint: 'Each variable becomes a key.', extensions: ['env', '*'] },
  'ssh-dir': {
    label: 'SSH keys folder (~/.ssh)',
    workspace: 'SSH keys',
    hint: 'Every private key with its .pub; known_hosts and config are left alone. Type the folder’s path.',
    folder: true,
    extensions: ['*'],
  },
};

const GROUPS: Record<GroupMapping, { what: string; why: string }> = {
  environments: { what: 'Environments', why: 'Each group or folder becomes an environment of the workspace.' },
  workspaces: { what: 'Workspaces', why: 'Each top group becomes a workspace of its own; deeper groups its environments.' },
  flat: { what: 'Nothing', why: 'Everything goes into the workspace itself.' },
};

const where = (r: { workspace: string; environment: string | null }) => (r.environment ? `${r.workspace} / ${r.environment}` : r.workspace);

export function ImportDialog({ workspaces, onClose, onImported }: { workspaces: WorkspaceRow[]; onClose(): void; onImported(): void }) {
  const [step, setStep] = useState<Step>('source');
  const [source, setSource] = useState<Source>('keepassxc-xml');
  const [path, setPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [groups, setGroups] = useState<GroupMapping>('environments');
  const [preview, setPreview] = useState<MigrateOut>();
  const [result, setResult] = useState<MigrateOut>();
  const action = useAction();
  const spec = SOURCES[source];
  const target = workspace.trim() || spec.workspace;
  const input = (): MigrateIn => ({ source, path: path.trim(), workspace: target, groups, ...(passphrase ? { passphrase } : {}) });

  const review = action.submit(async () => {
    setPreview(await call('migrate.preview', input()));
    setStep('review');
  });
  const apply = action.submit(async () => {
    const r = await call('migrate.apply', input());
    setPassphrase('');
    setResult(r);
    setStep('done');
    onImported();
  });
  const back = (to: Step) => () => {
    action.setError(undefined);
    setStep(to);
  };

  return (
    <Dialog title="Import from another manager" onClose={onClose} wide busy={action.busy} testId="import-dialog">
      <ol className="wizard-steps" aria-label="Steps">
        {(['source', 'mapping', 'review', 'done'] as Step[]).map((s, i) => (
          <li key={s} aria-current={step === s ? 'step' : undefined}>
            {i + 1}. {{ source: 'File', mapping: 'Where', review: 'Review', done: 'Done' }[s]}
          </li>
        ))}
      </ol>
      {step === 'source' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setStep('mapping');
          }}
        >
          <div className="field">
            <label htmlFor="im-source">Import from</label>
            <select id="im-source" className="input" value={source} onChange={(e) => setSource(e.target.value as Source)}>
              {MIGRATION_SOURCE_NAMES.map((s) => (
                <option key={s} value={s}>
                  {SOURCES[s].label}
                </option>
              ))}
            </select>
            <span className="hint">{spec.hint}</span>
          </div>
          <PathField
            id="im-path"
            label={spec.folder ? 'Folder' : 'File'}
            value={path}
            onChange={setPath}
            placeholder={spec.folder ? '/home/you/.ssh' : '/home/you/export'}
            dialog={{ mode: 'open', title: `Choose the ${spec.label}`, filters: [{ name: spec.label, extensions: spec.extensions }] }}
          />
          {(source === 'ssh-dir' || source === 'keepassxc-xml' || source === 'bitwarden-json') && (
            <div className="field">
              <label htmlFor="im-pass">Passphrase of protected SSH keys (optional)</label>
              <input
                id="im-pass"
                className="input"
                type="password"
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
                autoComplete="off"
              />
              <span className="hint">Without it, protected keys are listed as skipped.</span>
            </div>
          )}
          <FormFoot>
            <button type="button" className="btn" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="btn primary" disabled={!path.trim()}>
              Next
            </button>
          </FormFoot>
        </form>
      )}
      {step === 'mapping' && (
        <form onSubmit={review}>
          <div className="field">
            <label htmlFor="im-ws">Workspace</label>
            <input
              id="im-ws"
              className="input"
              list="im-ws-list"
              value={workspace}
              onChange={(e) => setWorkspace(e.target.value)}
              placeholder={spec.workspace}
            />
            <datalist id="im-ws-list">
              {workspaces.map((w) => (
                <option key={w.id} value={w.name} />
              ))}
            </datalist>
            <span className="hint">An existing workspace, or the name of a new local one (default: {spec.workspace}).</span>
          </div>
          <fieldset>
            <legend>Groups and folders become</legend>
            <div className="radio-cards">
              {GROUP_MAPPINGS.map((g) => (
                <label key={g} className="radio-card">
                  <input type="radio" name="im-groups" value={g} checked={groups === g} onChange={() => setGroups(g)} />
                  <span>
                    <span className="what" style={{ display: 'block' }}>
                      {GROUPS[g].what}
                    </span>
                    <span className="why">{GROUPS[g].why}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <ErrorNotice error={action.error} doing="read the file" />
          <FormFoot>
            <button type="button" className="btn" onClick={back('source')} disabled={action.busy}>
              Back
            </button>
            <button type="submit" className="btn primary" disabled={action.busy}>
              {action.busy ? 'Reading…' : 'Preview'}
            </button>
          </FormFoot>
        </form>
      )}
      {step === 'review' && preview && (
        <form onSubmit={apply}>
          <ImportSummary result={preview} />
          <ErrorNotice error={action.error} doing="import" />
          <FormFoot>
            <button type="button" className="btn" onClick={back('mapping')} disabled={action.busy}>
              Back
            </button>
            <button type="submit" className="btn primary" disabled={action.busy || preview.items.length === 0}>
              {action.busy
                ? 'Importing…'
                : preview.items.length === 0
                  ? 'Nothing to import'
                  : `Import ${plural(preview.items.length, 'key')}`}
            </button>
          </FormFoot>
        </form>
      )}
      {step === 'done' && result && (
        <>
          <div className="notice ok" role="status" data-testid="import-result">
            <span className="title">Import finished.</span> {plural(result.imported, 'key')} imported into {result.workspace},{' '}
            {result.duplicates.length} already present, {result.skipped.length} skipped.
          </div>
          <FormFoot>
            <button type="button" className="btn primary" onClick={onClose} data-autofocus>
              Close
            </button>
          </FormFoot>
        </>
      )}
    </Dialog>
  );
}

/** What an import will do (or did): keys and where they go, what is already there, what is skipped. */
function ImportSummary({ result }: { result: MigrateOut }) {
  const created = [
    ...result.created.workspaces.map((w) => `workspace ${w}`),
    ...result.created.environments.map((e) => `environment ${e}`),
  ];
  return (
    <div data-testid="import-preview">
      <p>
        {plural(result.items.length, 'key')} to import from <span className="mono">{result.path}</span>
        {result.duplicates.length > 0 && `, ${result.duplicates.length} already present`}
        {result.skipped.length > 0 && `, ${result.skipped.length} skipped`}.
      </p>
      {created.length > 0 && <p className="small muted">New: {created.join(', ')}.</p>}
      {result.items.length > 0 && (
        <div className="import-table-wrap">
          <table className="import-table" aria-label="Keys to import">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Into</th>
                <th scope="col">Login, URL or fingerprint</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((i) => (
                <tr key={`${i.sourceRef}|${i.kind}`} data-testid="import-row">
                  <td>{i.name}</td>
                  <td>{kindLabel(i.kind)}</td>
                  <td>{where(i)}</td>
                  <td className="mono small">{i.fingerprint ?? [i.login, i.url].filter(Boolean).join(' · ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result.duplicates.length > 0 && (
        <details className="import-details" data-testid="import-duplicates">
          <summary>Already present ({result.duplicates.length})</summary>
          <ul>
            {result.duplicates.map((d, n) => (
              <li key={n}>
                {d.sourceRef}
                {d.of ? ` (same as ${d.of})` : ' (in the vault)'}
              </li>
            ))}
          </ul>
        </details>
      )}
      {result.skipped.length > 0 && (
        <details className="import-details" open data-testid="import-skipped">
          <summary>Skipped ({result.skipped.length})</summary>
          <ul>
            {result.skipped.map((s, n) => (
              <li key={n}>
                <span className="mono">{s.sourceRef}</span>: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
