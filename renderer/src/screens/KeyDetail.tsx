// One key: what it is, where it lives, its public half, its history; reveal (auto-hides after
// 30 s and is then dropped from memory), copy (done in main; the clipboard clears itself), edit.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { call } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { PlatformIcon, PLATFORM_LABELS, type ProviderName } from '../components/icons';
import { useToast } from '../components/Toasts';
import type { StateAction } from '../dialogs/KeyActions';
import { FLAG_INFO, SYNCANO_FLAGS } from '../lib/platforms';
import type { SyncanoFlag } from '../../../main/api';
import { isKeyPairKind } from '../../../main/api/constants';
import { ageSourceLabel, formatDate, formatDateTime, kindLabel, stateLabel, ttlText } from '../lib/format';
import { KeyAgent } from './KeyAgent';
import { useAction, useCountdown } from '../lib/hooks';
import { copyText } from '../lib/clipboard';
import type { Capabilities, EnvironmentRow, KeyHistoryOut, KeyView, WorkspaceRow } from '../lib/model';

export const REVEAL_SECONDS = 30;

export interface KeyDetailProps {
  id: string;
  capabilities: Capabilities;
  /** bumped when something changed elsewhere (rotation, state change): reload */
  revision: number;
  workspaces: Map<string, WorkspaceRow>;
  environments: EnvironmentRow[];
  onClose(): void;
  onChanged(): void;
  onRotate(id: string): void;
  onState(id: string, action: StateAction): void;
  onExport(id: string): void;
  onDelete(id: string): void;
}

export function KeyDetail({
  id,
  capabilities,
  revision,
  workspaces,
  environments,
  onClose,
  onChanged,
  onRotate,
  onState,
  onExport,
  onDelete,
}: KeyDetailProps) {
  const toast = useToast();
  const [key, setKey] = useState<KeyView>();
  const [history, setHistory] = useState<KeyHistoryOut>();
  const [error, setError] = useState<unknown>();
  const [secret, setSecret] = useState<string | null>(null);
  const [hideAt, setHideAt] = useState<number | null>(null);
  const [editing, setEditing] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const left = useCountdown(hideAt);
  const headingId = useId();

  const load = useCallback(() => {
    call('keys.get', { id })
      .then((k) => {
        setKey(k);
        setError(undefined);
      })
      .catch(setError);
    call('keys.history', { id })
      .then(setHistory)
      .catch(() => setHistory({ versions: [], events: [] }));
  }, [id]);
  useEffect(load, [load, revision]);

  // auto-hide: the secret leaves React state (and so the renderer's memory, to GC) after 30 s
  useEffect(() => {
    if (hideAt === null) return;
    const t = setTimeout(
      () => {
        setSecret(null);
        setHideAt(null);
      },
      Math.max(0, hideAt - Date.now()),
    );
    return () => clearTimeout(t);
  }, [hideAt]);

  const [checking, setChecking] = useState(false);
  const [checkResult, setCheckResult] = useState<{ works: boolean; detail: string }>();
  // a test result describes the key as it was: drop it when something changed
  useEffect(() => setCheckResult(undefined), [revision]);
  const check = async () => {
    setChecking(true);
    setActionError(undefined);
    setCheckResult(undefined);
    try {
      const r = await call('keys.check', { id });
      setCheckResult(r);
      load();
    } catch (e) {
      setActionError(e);
    }
    setChecking(false);
  };

  const hide = () => {
    setSecret(null);
    setHideAt(null);
  };

  const reveal = async () => {
    setActionError(undefined);
    try {
      const r = await call('keys.reveal', { id });
      setSecret(r.secret);
      setHideAt(Date.now() + REVEAL_SECONDS * 1000);
    } catch (e) {
      setActionError(e);
    }
  };

  const copySecret = async () => {
    setActionError(undefined);
    try {
      const r = await call('keys.copy', { id });
      toast(`Secret copied. The clipboard clears itself in ${r.clearAfterSeconds} s.`);
    } catch (e) {
      setActionError(e);
    }
  };
  const copyPublic = async (text: string) =>
    toast((await copyText(text)) ? 'Public part copied.' : 'Could not use the clipboard; select the text and copy it.');

  if (error) {
    return (
      <aside className="detail" aria-label="Key details">
        <div className="detail-head">
          <ErrorNotice error={error} doing="open this key" />
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </div>
      </aside>
    );
  }
  if (!key)
    return (
      <aside className="detail" aria-label="Key details" aria-busy="true">
        <div className="detail-head muted">Loading…</div>
      </aside>
    );

  const ws = key.workspaceId ? workspaces.get(key.workspaceId) : undefined;
  const env = key.environmentId ? environments.find((e) => e.id === key.environmentId) : undefined;
  const publicText = key.publicKey ?? key.public;
  const caps = key.provider ? capabilities[key.provider] : undefined;
  const remote = caps !== undefined && (key.remoteId !== null || ws?.credentialKeyId === key.id);
  const rotatable = remote && key.state !== 'revoked' && key.provider !== 'encord' && key.hasSecret !== false;
  const flags = Object.entries(key.flags);

  return (
    <aside
      className="detail"
      aria-labelledby={headingId}
      data-testid="key-detail"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !editing && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)) {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div className="detail-head">
        <div className="row">
          <h2 id={headingId} className="spacer">
            {key.name}
          </h2>
          <button type="button" className="btn ghost icon" aria-label="Close details" onClick={onClose}>
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <path d="M3 3l10 10M13 3L3 13" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
          </button>
        </div>
        <div className="row wrap">
          <span className={`badge state-${key.state}`} data-testid="key-state">
            {stateLabel(key.state)}
          </span>
          <span className="badge neutral">{kindLabel(key.kind)}</span>
          {key.remoteMissing && <span className="badge missing">Not found on the platform at the last sync</span>}
        </div>
        <div className="row wrap" style={{ marginTop: 10 }}>
          <button type="button" className="btn small" onClick={() => setEditing((v) => !v)} aria-expanded={editing}>
            Edit
          </button>
          {rotatable && (
            <button type="button" className="btn small" onClick={() => onRotate(id)}>
              Rotate…
            </button>
          )}
          {(remote || (key.provider === 'encord' && key.kind === 'ssh_key_pair')) && key.state !== 'revoked' && (
            <button type="button" className="btn small" onClick={check} disabled={checking}>
              {checking ? 'Testing…' : 'Test'}
            </button>
          )}
          {remote && caps?.activate && key.state === 'inactive' && (
            <button type="button" className="btn small" onClick={() => onState(id, 'activate')}>
              Activate…
            </button>
          )}
          {remote && caps?.deactivate && key.state === 'active' && (
            <button type="button" className="btn small" onClick={() => onState(id, 'deactivate')}>
              Deactivate…
            </button>
          )}
          {remote && key.state !== 'revoked' && ws?.credentialKeyId !== key.id && (
            <button type="button" className="btn small danger" onClick={() => onState(id, 'revoke')}>
              Revoke…
            </button>
          )}
          <button type="button" className="btn small" onClick={() => onExport(id)}>
            Export…
          </button>
          <button type="button" className="btn small danger" onClick={() => onDelete(id)}>
            Delete…
          </button>
        </div>
      </div>
      <ErrorNotice error={actionError} />
      {checkResult && (
        <div
          className={`notice ${checkResult.works ? 'ok' : 'warn'}`}
          role="status"
          data-testid="check-result"
          style={{ margin: '12px 16px 0' }}
        >
          <span className="title">{checkResult.works ? 'The key works.' : 'The platform does not accept this key.'}</span>
          {checkResult.detail}
        </div>
      )}
      {editing && (
        <EditForm
          id={id}
          name={key.name}
          description={key.description}
          remote={remote && caps?.edit === true && key.remoteId !== null ? (key.provider ?? null) : null}
          flags={key.flags}
          onDone={() => {
            setEditing(false);
            load();
            onChanged();
          }}
          onCancel={() => setEditing(false)}
        />
      )}

      {key.hasSecret && (
        <section aria-label="Secret">
          <h3>Secret</h3>
          <div className="secret-box">
            {secret !== null ? (
              <span className="value" data-testid="secret-value">
                {secret}
              </span>
            ) : (
              <span className="dots" aria-label="Hidden">
                ••••••••••••••••
              </span>
            )}
          </div>
          <div className="row" style={{ marginTop: 8 }}>
            {secret !== null ? (
              <button type="button" className="btn small" onClick={hide}>
                Hide
              </button>
            ) : (
              <button type="button" className="btn small" onClick={reveal}>
                Reveal
              </button>
            )}
            <button type="button" className="btn small" onClick={copySecret}>
              Copy secret
            </button>
            {secret !== null && left !== null && (
              <span className="countdown" data-testid="reveal-countdown">
                Hides in {left} s
              </span>
            )}
          </div>
        </section>
      )}

      <section aria-label="About">
        <h3>About</h3>
        <dl className="props">
          <dt>Description</dt>
          <dd>{key.description || <span className="muted">None</span>}</dd>
          <dt>Workspace</dt>
          <dd>
            {ws ? (
              <span className="row">
                <PlatformIcon provider={ws.provider as ProviderName} /> {ws.name}{' '}
                <span className="muted">({PLATFORM_LABELS[ws.provider as ProviderName]})</span>
              </span>
            ) : (
              <span className="muted">None</span>
            )}
          </dd>
          {env && (
            <>
              <dt>Environment</dt>
              <dd>{env.name}</dd>
            </>
          )}
          {key.remoteId && (
            <>
              <dt>Remote id</dt>
              <dd className="mono">{key.remoteId}</dd>
            </>
          )}
          {key.readOnly !== undefined && (
            <>
              <dt>Repository access</dt>
              <dd data-testid="deploy-access">{key.readOnly ? 'Read-only' : 'Read and write'}</dd>
            </>
          )}
          {key.role && (
            <>
              <dt>{ws?.provider === 'encord' ? 'Role / holder' : 'Role'}</dt>
              <dd>{key.role}</dd>
            </>
          )}
          <dt>Created</dt>
          <dd>{formatDateTime(key.createdAt)}</dd>
          <dt>Rotated</dt>
          <dd>{formatDateTime(key.rotatedAt)}</dd>
          <dt>Updated</dt>
          <dd>{formatDateTime(key.updatedAt)}</dd>
          <dt>Age</dt>
          <dd data-testid="key-age" data-status={key.status}>
            {key.ageDays} {key.ageDays === 1 ? 'day' : 'days'} <span className="muted">({ageSourceLabel(key.ageSource)})</span>
            {key.dueAt && (
              <>
                {' '}
                · {key.status === 'due' ? 'due since' : 'due'} {formatDate(key.dueAt)}
              </>
            )}
          </dd>
          {key.lastUsedAt && (
            <>
              <dt>Last used</dt>
              <dd>{formatDateTime(key.lastUsedAt)}</dd>
            </>
          )}
          {key.expiresAt && (
            <>
              <dt>Expires</dt>
              <dd>{formatDateTime(key.expiresAt)}</dd>
            </>
          )}
          {Object.entries(key.meta)
            .filter(([k]) => !k.startsWith('agent'))
            .map(([k, v]) => (
              <FragmentPair key={k} k={k} v={v} />
            ))}
        </dl>
      </section>

      {flags.length > 0 && (
        <section aria-label="Flags">
          <h3>Flags</h3>
          <ul className="timeline">
            {flags.map(([flag, on]) => (
              <li key={flag}>
                <span>
                  <code>{flag}</code> {FLAG_INFO[flag] ? <span className="muted">— {FLAG_INFO[flag]!.what}</span> : null}
                </span>
                <span className={`badge ${on ? 'state-active' : 'neutral'}`}>{on ? 'On' : 'Off'}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {(publicText || key.fingerprint) && (
        <section aria-label="Public part">
          <h3>{isKeyPairKind(key.kind) ? 'Public key' : key.kind === 'access_key_pair' ? 'Access key' : 'Public part'}</h3>
          {publicText && (
            <p className="public-box" data-testid="public-part">
              {publicText}
            </p>
          )}
          {key.fingerprint && (
            <p className="mono small wrap-anywhere" data-testid="fingerprint">
              {key.fingerprint}
            </p>
          )}
          {key.randomart && (
            <pre className="randomart" aria-label={`Randomart of ${key.fingerprint ?? 'the key'}`} data-testid="randomart">
              {key.randomart}
            </pre>
          )}
          {publicText && (
            <div className="row" style={{ marginTop: 8 }}>
              <button type="button" className="btn small" onClick={() => void copyPublic(publicText)}>
                Copy {isKeyPairKind(key.kind) ? 'public key' : 'public part'}
              </button>
            </div>
          )}
        </section>
      )}

      {key.kind === 'ssh_key_pair' && key.hasSecret && <KeyAgent id={key.id} revision={revision} />}

      <Timeline
        label="Versions"
        testId="versions"
        empty={history && history.versions.length === 0 ? 'No stored secret versions.' : undefined}
        items={(history?.versions ?? []).map((v) => ({
          key: v.version,
          what: `Version ${v.version}${v.current ? ' (current)' : ''}`,
          at: v.createdAt,
          ...(v.publicPart && v.publicPart !== key.public ? { detail: v.publicPart, mono: true } : {}),
        }))}
      />
      <Timeline
        label="History"
        testId="audit"
        items={(history?.events ?? []).map((a) => ({
          key: a.seq,
          what: a.action.replace(/_/g, ' '),
          at: a.at,
          detail: a.detail ?? undefined,
        }))}
      />
    </aside>
  );
}

/** A meta entry: camelCase names read as words, ISO times as dates. */
function FragmentPair({ k, v }: { k: string; v: string }) {
  const label = k
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  const value = k === 'ttl' ? ttlText(v) : /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v) ? formatDateTime(v) : v;
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={`meta-${k}`} className={/^[0-9a-f]{32,}$/i.test(v) ? 'mono' : undefined}>
        {value}
      </dd>
    </>
  );
}

/** Edits the key; a key linked to a platform that can edit keys is changed there first. */
function EditForm({
  id,
  name,
  description,
  remote,
  flags,
  onDone,
  onCancel,
}: {
  id: string;
  name: string;
  description: string;
  remote: string | null;
  flags: Record<string, boolean>;
  onDone(): void;
  onCancel(): void;
}) {
  const [n, setN] = useState(name);
  const [d, setD] = useState(description);
  const [f, setF] = useState(
    () =>
      new Set(
        Object.entries(flags)
          .filter(([, on]) => on)
          .map(([k]) => k),
      ),
  );
  const syncano = remote === 'syncano';
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!n.trim()) return;
    void run(async () => {
      if (remote)
        await call('keys.editRemote', { id, name: n.trim(), description: d, ...(syncano ? { flags: [...f] as SyncanoFlag[] } : {}) });
      else await call('keys.edit', { id, name: n.trim(), description: d });
      onDone();
    });
  };
  return (
    <section aria-label="Edit key">
      <form
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onCancel();
          }
        }}
      >
        <div className="field">
          <label htmlFor="edit-name">Name</label>
          <input
            id="edit-name"
            className="input"
            value={n}
            onChange={(e) => setN(e.target.value)}
            autoFocus
            required
            aria-invalid={!n.trim()}
          />
        </div>
        <div className="field">
          <label htmlFor="edit-description">Description</label>
          <textarea id="edit-description" className="input" value={d} onChange={(e) => setD(e.target.value)} />
        </div>
        {syncano && (
          <fieldset>
            <legend>Flags</legend>
            {SYNCANO_FLAGS.map((flag) => (
              <label key={flag} className="check">
                <input
                  type="checkbox"
                  checked={f.has(flag)}
                  onChange={(e) =>
                    setF((s) => {
                      const next = new Set(s);
                      if (e.target.checked) next.add(flag);
                      else next.delete(flag);
                      return next;
                    })
                  }
                />
                <span>
                  <span className="what">{FLAG_INFO[flag]!.what}</span> <code className="muted">{flag}</code>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {remote && (
          <p className="hint small">
            Saved on {remote === 'syncano' ? 'Syncano (description and flags)' : 'Rancher (name and description)'} first, then here.
          </p>
        )}
        <ErrorNotice error={error} doing="save the changes" />
        <div className="row end">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={busy || !n.trim()}>
            Save
          </button>
        </div>
      </form>
    </section>
  );
}

/** A dated list (versions, audit events), newest as main orders them. */
function Timeline({
  label,
  testId,
  items,
  empty,
}: {
  label: string;
  testId: string;
  items: { key: number | string; what: string; at: string; detail?: string; mono?: boolean }[];
  empty?: string;
}) {
  return (
    <section aria-label={label}>
      <h3>{label}</h3>
      <ol className="timeline" data-testid={testId}>
        {items.map((i) => (
          <li key={i.key}>
            <span>{i.what}</span>
            <span className="when">{formatDateTime(i.at)}</span>
            {i.detail && <span className={`detail-text${i.mono ? ' mono' : ''}`}>{i.detail}</span>}
          </li>
        ))}
        {empty && <li className="muted">{empty}</li>}
      </ol>
    </section>
  );
}
