// A GitHub key: an SSH key of the account, a repository's deploy key (read-only or read-write,
// chosen now: GitHub keys cannot be changed) or an SSH signing key; a new ed25519 pair or one the
// vault holds. The repository is one of the workspace's environments, or a new OWNER/REPO typed
// in (it becomes an environment once GitHub took the key).
import { useEffect, useState } from 'react';
import { call } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { SubmitFoot } from '../components/FormFoot';
import { RadioCards } from '../components/RadioCards';
import { useAction } from '../lib/hooks';
import type { KeyRow, WorkspaceRow } from '../lib/model';
import type { NewKeyProps } from './NewKey';

const GITHUB_KINDS = {
  ssh_key_pair: {
    what: 'SSH key of your account',
    why: 'Signs you in to GitHub over SSH, with access to every repository you can reach (Settings → SSH keys).',
  },
  deploy_key: {
    what: 'Deploy key of one repository',
    why: 'For a server or a pipeline: access to this one repository only, read-only unless you allow writes.',
  },
  signing_key: {
    what: 'SSH signing key',
    why: 'Marks the commits and tags it signs as verified on GitHub. The same key may also be an SSH key of your account.',
  },
} as const;
type GithubKind = keyof typeof GITHUB_KINDS;

const REPO = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;

export function GithubKeyForm(props: NewKeyProps & { workspace: WorkspaceRow }) {
  const repos = props.environments.filter((e) => e.workspaceId === props.workspace.id);
  const preset = props.environment ? (props.environment.remoteId ?? props.environment.name) : '';
  const [kind, setKind] = useState<GithubKind>(props.environment ? 'deploy_key' : 'ssh_key_pair');
  const [repository, setRepository] = useState(preset);
  const [readOnly, setReadOnly] = useState(true);
  const [title, setTitle] = useState('');
  const [source, setSource] = useState<'new' | 'existing'>('new');
  const [keyId, setKeyId] = useState('');
  const [pairs, setPairs] = useState<KeyRow[]>([]);
  const { busy, error, submit: action } = useAction();
  useEffect(() => {
    call('keys.list', { kind: 'ssh_key_pair', limit: 200, sort: 'name', order: 'asc' })
      .then((p) => setPairs(p.items))
      .catch(() => undefined);
  }, []);
  const repo = repository.trim();
  const known = repos.find((e) => (e.remoteId ?? e.name).toLowerCase() === repo.toLowerCase());
  const repoOk = kind !== 'deploy_key' || REPO.test(repo);
  const submit = action(async () => {
    const where = kind === 'deploy_key' ? (known ? { environmentId: known.id } : { repository: repo }) : {};
    const r = await call('keys.create', {
      workspaceId: props.workspace.id,
      kind,
      name: title.trim(),
      ...where,
      ...(kind === 'deploy_key' ? { readOnly } : {}),
      ...(source === 'existing' ? { keyId } : {}),
    });
    props.onCreated(r.key.id);
    props.onClose();
  });
  return (
    <form onSubmit={submit}>
      <RadioCards legend="Kind of key" name="gh-kind" choices={GITHUB_KINDS} value={kind} onChange={setKind} />
      {kind === 'deploy_key' && (
        <>
          <div className="field">
            <label htmlFor="gh-repo">Repository</label>
            <input
              id="gh-repo"
              className="input mono"
              list="gh-repos"
              value={repository}
              onChange={(e) => setRepository(e.target.value)}
              placeholder="OWNER/REPO"
              autoComplete="off"
              spellCheck={false}
              aria-invalid={repo !== '' && !repoOk}
            />
            <datalist id="gh-repos">
              {repos.map((e) => (
                <option key={e.id} value={e.remoteId ?? e.name} />
              ))}
            </datalist>
            <span className="hint">
              {repo !== '' && !repoOk
                ? "Write it as OWNER/REPO, as in the repository's address."
                : known
                  ? 'A repository of this workspace.'
                  : "Pick one of this workspace's repositories, or type another: it is added once GitHub accepts the key. Managing deploy keys needs admin rights on it."}
            </span>
          </div>
          <label className="check">
            <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} />
            <span>
              <span className="what">Read-only</span>{' '}
              <span className="why">
                — the key can clone and pull, not push. GitHub cannot change this later: a new key would be needed.
              </span>
            </span>
          </label>
        </>
      )}
      <div className="field">
        <label htmlFor="gh-title">Title</label>
        <input
          id="gh-title"
          className="input"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          placeholder={kind === 'deploy_key' ? 'e.g. CI deploy' : 'e.g. Work laptop'}
        />
      </div>
      <fieldset>
        <legend>Key</legend>
        <label className="check">
          <input type="radio" name="gh-source" checked={source === 'new'} onChange={() => setSource('new')} />
          <span>Generate a new ed25519 key pair</span>
        </label>
        <label className="check">
          <input
            type="radio"
            name="gh-source"
            checked={source === 'existing'}
            onChange={() => setSource('existing')}
            disabled={pairs.length === 0}
          />
          <span>Use a key pair from the vault{kind === 'signing_key' ? ' (the one that signs your commits)' : ''}</span>
        </label>
        {source === 'existing' && (
          <div className="field">
            <label htmlFor="gh-key">Key pair</label>
            <select id="gh-key" className="input" value={keyId} onChange={(e) => setKeyId(e.target.value)}>
              <option value="">Choose…</option>
              {pairs.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name} — {k.fingerprint}
                </option>
              ))}
            </select>
          </div>
        )}
      </fieldset>
      <ErrorNotice error={error} doing="register the key on GitHub" />
      <SubmitFoot
        busy={busy}
        label="Register on GitHub"
        onCancel={props.onClose}
        disabled={!title.trim() || !repoOk || (source === 'existing' && !keyId)}
      />
    </form>
  );
}
