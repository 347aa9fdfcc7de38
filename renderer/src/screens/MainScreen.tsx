// The unlocked vault: sidebar, toolbar (search + filters), the key table and the detail pane,
// and the dialogs they open.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { call } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { PLATFORM_LABELS } from '../components/icons';
import { SearchBox, type SearchBoxHandle } from '../components/SearchBox';
import { Menu } from '../components/Menu';
import { useToast } from '../components/Toasts';
import { DeleteKeysDialog, StateChangeDialog, type StateAction } from '../dialogs/KeyActions';
import { ExportDialog } from '../dialogs/Export';
import { ImportDialog } from '../dialogs/Import';
import { NewKeyDialog, type NewKeyMode } from '../dialogs/NewKey';
import { RotateDialog } from '../dialogs/Rotate';
import { SettingsDialog } from '../dialogs/Settings';
import {
  AddEnvironmentDialog,
  AddWorkspaceDialog,
  ConnectDialog,
  RemoveWorkspaceDialog,
  RenameWorkspaceDialog,
  SyncDialog,
} from '../dialogs/Workspaces';
import { useActivityPing } from '../lib/activity';
import { KIND_OPTIONS, plural } from '../lib/format';
import { setTheme } from '../lib/theme';
import { accessLine, refusalFor } from '../lib/access';
import { useKeyPages } from '../lib/keyPages';
import type { AttentionOut, Capabilities, EnvironmentRow, KeyQueryIn, SortField, WorkspaceRow } from '../lib/model';
import { AttentionScreen } from './Attention';
import { KeyDetail } from './KeyDetail';
import { KeyTable } from './KeyTable';
import { Sidebar, type Scope } from './Sidebar';

type DialogState =
  | { type: 'add-workspace' }
  | { type: 'connect'; workspace: WorkspaceRow }
  | { type: 'rename'; workspace: WorkspaceRow }
  | { type: 'remove-workspace'; workspace: WorkspaceRow }
  | { type: 'add-env'; workspace: WorkspaceRow }
  | { type: 'sync'; workspace: WorkspaceRow }
  | { type: 'settings' }
  | { type: 'new-key'; mode: NewKeyMode }
  | { type: 'delete'; ids: string[] }
  | { type: 'rotate'; ids: string[] }
  | { type: 'state'; ids: string[]; action: StateAction }
  | { type: 'export'; ids: string[] }
  | { type: 'import' };

export function MainScreen({ version, vaultPath, onLock }: { version: string; vaultPath: string; onLock(): void }) {
  const toast = useToast();
  useActivityPing();
  const [workspaces, setWorkspaces] = useState<WorkspaceRow[]>([]);
  const [environments, setEnvironments] = useState<EnvironmentRow[]>([]);
  const [loadError, setLoadError] = useState<unknown>();
  const [scope, setScope] = useState<Scope>({ type: 'all' });
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState('');
  const [state, setState] = useState('');
  const [provider, setProvider] = useState('');
  const [sort, setSort] = useState<SortField>('name');
  const [order, setOrder] = useState<'asc' | 'desc'>('asc');
  const [active, setActive] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const searchRef = useRef<SearchBoxHandle>(null);

  // the first page of keys is asked for first: it is what the first paint waits on
  const query = useMemo(() => {
    const q: Omit<KeyQueryIn, 'offset' | 'limit'> = { sort, order };
    if (search) q.search = search;
    if (kind) q.kind = kind as NonNullable<KeyQueryIn['kind']>;
    if (state) q.state = state as NonNullable<KeyQueryIn['state']>;
    if (provider) q.provider = provider as NonNullable<KeyQueryIn['provider']>;
    if (scope.type === 'workspace') q.workspaceId = scope.id;
    if (scope.type === 'environment') q.environmentId = scope.id;
    return q;
  }, [search, kind, state, provider, scope, sort, order]);

  const pages = useKeyPages(query);
  const firstPageIn = pages.total !== null;
  const loadWorkspaces = useCallback(() => {
    Promise.all([call('workspaces.list', {}), call('environments.list', {})])
      .then(([w, e]) => {
        setWorkspaces(w);
        setEnvironments(e);
      })
      .catch(setLoadError);
  }, []);
  useEffect(loadWorkspaces, [loadWorkspaces]);
  const [pending, setPending] = useState(0);
  const [resuming, setResuming] = useState(false);
  const [resumeError, setResumeError] = useState<unknown>();
  const loadPending = useCallback(() => {
    call('remote.pending', {})
      // a rotation waiting for the user (the platform kept the old key) is not interrupted: `Rotate` ends it
      .then((p) => setPending(p.filter((op) => !op.waiting).length))
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    if (firstPageIn) loadPending();
  }, [firstPageIn, loadPending]);
  const resume = async () => {
    setResuming(true);
    setResumeError(undefined);
    try {
      const r = await call('remote.resume', {});
      toast(
        r.failed
          ? `${r.rotated} interrupted rotations finished; ${r.failed} still fail and stay in the journal.`
          : `${r.rotated} interrupted rotations finished.`,
      );
    } catch (e) {
      setResumeError(e);
    }
    setResuming(false);
    loadPending();
    changed();
  };
  const [capabilities, setCapabilities] = useState<Capabilities>({});
  useEffect(() => {
    if (firstPageIn)
      call('remote.capabilities', {})
        .then(setCapabilities)
        .catch(() => undefined);
  }, [firstPageIn]);
  // the vault's theme wins over the one cached for the unlock screen
  useEffect(() => {
    if (!firstPageIn) return;
    call('vault.settings.get', {})
      .then((s) => setTheme(s.theme))
      .catch(() => undefined);
  }, [firstPageIn]);

  useEffect(() => setActive(0), [query]);

  // '/' focuses search from anywhere but a text field
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      if (document.querySelector('dialog[open]')) return;
      e.preventDefault();
      searchRef.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const syncing = useMemo(() => new Set(dialog?.type === 'sync' ? [dialog.workspace.id] : []), [dialog]);
  const wsById = useMemo(() => new Map(workspaces.map((w) => [w.id, w])), [workspaces]);
  const scopeWorkspace =
    scope.type === 'workspace' ? wsById.get(scope.id) : scope.type === 'environment' ? wsById.get(scope.workspaceId) : undefined;
  const scopeEnvironment = scope.type === 'environment' ? environments.find((e) => e.id === scope.id) : undefined;

  const [revision, setRevision] = useState(0);
  const [attention, setAttention] = useState<AttentionOut | null>(null);
  const [attentionError, setAttentionError] = useState<unknown>();
  const loadAttention = useCallback(() => {
    call('attention.get', {})
      .then((a) => {
        setAttention(a);
        setAttentionError(undefined);
      })
      .catch(setAttentionError);
  }, []);
  useEffect(() => {
    if (firstPageIn) loadAttention();
  }, [firstPageIn, loadAttention]);
  const changed = useCallback(() => {
    setRevision((r) => r + 1);
    pages.reload();
    loadWorkspaces();
    loadAttention();
  }, [pages, loadWorkspaces, loadAttention]);

  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  const onSort = (field: SortField) => {
    if (field === sort) setOrder((o) => (o === 'asc' ? 'desc' : 'asc'));
    else {
      setSort(field);
      setOrder(field === 'createdAt' || field === 'rotatedAt' ? 'desc' : 'asc');
    }
  };

  const filtersOn = Boolean(search || kind || state || provider);
  const title = scopeEnvironment
    ? `${scopeWorkspace?.name ?? ''} / ${scopeEnvironment.name}`
    : scopeWorkspace
      ? scopeWorkspace.name
      : 'All keys';
  const canCreateRemote =
    scopeWorkspace !== undefined &&
    scopeWorkspace.provider !== 'local' &&
    (scopeWorkspace.credentialKeyId !== null || scopeWorkspace.provider === 'encord');
  const needsConnect = scopeWorkspace !== undefined && scopeWorkspace.provider !== 'local' && !canCreateRemote;
  // what the platform showed the workspace's credential may do, and a refusal to expect here
  const access = scopeWorkspace?.access ?? null;
  const createRefusal = scopeEnvironment ? refusalFor(scopeWorkspace, 'create', scopeEnvironment.remoteId ?? scopeEnvironment.name) : null;

  const emptyText = filtersOn ? (
    <>
      <h2>No keys match</h2>
      <p>Nothing matches these filters. Clear the search or a filter to see more.</p>
    </>
  ) : (
    <>
      <h2>No keys here yet</h2>
      <p>Generate an ed25519 key pair, import a key file, or add a key you already have.</p>
      <div className="row" style={{ justifyContent: 'center' }}>
        <button type="button" className="btn primary" onClick={() => setDialog({ type: 'new-key', mode: 'generate' })}>
          Generate key pair
        </button>
        <button type="button" className="btn" onClick={() => setDialog({ type: 'new-key', mode: 'import' })}>
          Import key file
        </button>
        <button type="button" className="btn" onClick={() => setDialog({ type: 'import' })}>
          Import from another manager
        </button>
      </div>
    </>
  );

  const closeDialog = () => setDialog(null);
  const sel = [...selected];

  return (
    <div className="app">
      <Sidebar
        workspaces={workspaces}
        environments={environments}
        scope={scope}
        setScope={(s) => {
          setScope(s);
          setSelected(new Set());
          if (s.type === 'attention') loadAttention();
        }}
        syncing={syncing}
        version={version}
        attention={
          attention && {
            due: attention.counts.due,
            warn: attention.counts.warn,
            other: attention.counts.expiring + attention.counts.unused + attention.counts.unknown,
          }
        }
        onLock={onLock}
        onSettings={() => setDialog({ type: 'settings' })}
        actions={{
          add: () => setDialog({ type: 'add-workspace' }),
          connect: (w) => setDialog({ type: 'connect', workspace: w }),
          sync: (w) => setDialog({ type: 'sync', workspace: w }),
          rename: (w) => setDialog({ type: 'rename', workspace: w }),
          remove: (w) => setDialog({ type: 'remove-workspace', workspace: w }),
          addEnvironment: (w) => setDialog({ type: 'add-env', workspace: w }),
        }}
      />
      {scope.type === 'attention' ? (
        <AttentionScreen
          attention={attention}
          error={attentionError}
          workspaces={workspaces}
          environments={environments}
          onOpen={(id) => {
            setScope({ type: 'all' });
            setOpenId(id);
          }}
          onChanged={changed}
        />
      ) : (
        <main className={`content${openId ? ' with-detail' : ''}`} aria-label={title}>
          <div className="toolbar" role="search">
            <h1 className="visually-hidden">{title}</h1>
            <SearchBox
              ref={searchRef}
              onSettled={setSearch}
              onLeave={() => document.querySelector<HTMLElement>('[data-testid="key-table"]')?.focus()}
            />
            <label className="visually-hidden" htmlFor="filter-kind">
              Kind
            </label>
            <select id="filter-kind" className="input" value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="">All kinds</option>
              {KIND_OPTIONS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
            <label className="visually-hidden" htmlFor="filter-state">
              State
            </label>
            <select id="filter-state" className="input" value={state} onChange={(e) => setState(e.target.value)}>
              <option value="">All states</option>
              <option value="active">Active</option>
              <option value="inactive">Inactive</option>
              <option value="revoked">Revoked</option>
              <option value="expired">Expired</option>
            </select>
            <label className="visually-hidden" htmlFor="filter-platform">
              Platform
            </label>
            <select id="filter-platform" className="input" value={provider} onChange={(e) => setProvider(e.target.value)}>
              <option value="">All platforms</option>
              {Object.entries(PLATFORM_LABELS).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
            <span className="count" aria-live="polite" data-testid="key-count">
              {pages.total === null ? '…' : plural(pages.total, 'key')}
            </span>
            <span className="spacer" />
            <Menu
              label="New key"
              buttonClass="btn primary"
              items={[
                ...(canCreateRemote
                  ? [
                      {
                        label: `Create on ${PLATFORM_LABELS[scopeWorkspace!.provider]}…`,
                        onSelect: () => setDialog({ type: 'new-key', mode: 'remote' }),
                      },
                    ]
                  : []),
                ...(needsConnect
                  ? [
                      {
                        label: `Connect ${scopeWorkspace!.name} to create keys on ${PLATFORM_LABELS[scopeWorkspace!.provider]}…`,
                        onSelect: () => setDialog({ type: 'connect', workspace: scopeWorkspace! }),
                      },
                    ]
                  : []),
                { label: 'Generate ed25519 key pair…', onSelect: () => setDialog({ type: 'new-key', mode: 'generate' }) },
                { label: 'Import key file…', onSelect: () => setDialog({ type: 'new-key', mode: 'import' }) },
                { label: 'Add a key made elsewhere…', onSelect: () => setDialog({ type: 'new-key', mode: 'existing' }) },
                { label: 'Import from another manager…', onSelect: () => setDialog({ type: 'import' }) },
              ]}
            />
          </div>
          <div className="table-wrap">
            {selected.size > 0 && (
              <div className="selection-bar" role="region" aria-label="Selection">
                <strong>{plural(selected.size, 'key')} selected</strong>
                <button type="button" className="btn small" onClick={() => setDialog({ type: 'rotate', ids: sel })}>
                  Rotate…
                </button>
                <button type="button" className="btn small" onClick={() => setDialog({ type: 'export', ids: sel })}>
                  Export…
                </button>
                <button type="button" className="btn small danger" onClick={() => setDialog({ type: 'delete', ids: sel })}>
                  Delete…
                </button>
                <button type="button" className="btn ghost small" onClick={() => setSelected(new Set())}>
                  Clear selection
                </button>
              </div>
            )}
            <ErrorNotice error={loadError ?? pages.error} doing="load the keys" />
            {pending > 0 && (
              <div className="notice warn banner" role="status" data-testid="pending-banner">
                <span className="spacer">
                  <strong>{pending === 1 ? 'A rotation was interrupted.' : `${pending} rotations were interrupted.`}</strong> The old
                  secrets are still stored and working; Keyhold can finish (or roll back) what was started.
                </span>
                <button type="button" className="btn small" onClick={resume} disabled={resuming}>
                  {resuming ? 'Resuming…' : 'Resume now'}
                </button>
              </div>
            )}
            <ErrorNotice error={resumeError} doing="resume the interrupted rotations" />
            {access && scopeWorkspace && (
              <div className={`notice banner${createRefusal ? ' warn' : ''}`} role="status" data-testid="credential-access">
                <span className="spacer">
                  <strong>What the {PLATFORM_LABELS[scopeWorkspace.provider]} credential may do:</strong> {accessLine(access)}.
                  {createRefusal &&
                    ` ${PLATFORM_LABELS[scopeWorkspace.provider]} will refuse to create or change keys here: ${createRefusal}.`}
                </span>
              </div>
            )}
            <KeyTable
              pages={pages}
              active={active}
              setActive={setActive}
              onOpen={setOpenId}
              selected={selected}
              onToggle={toggle}
              onToggleAll={() => {
                const ids: string[] = [];
                for (let i = 0; i < (pages.total ?? 0); i++) {
                  const r = pages.rowAt(i);
                  if (r) ids.push(r.id);
                }
                setSelected((s) => (s.size >= ids.length ? new Set() : new Set(ids)));
              }}
              onDelete={(ids) => setDialog({ type: 'delete', ids })}
              sort={sort}
              order={order}
              onSort={onSort}
              emptyText={emptyText}
            />
          </div>
          {openId && (
            <KeyDetail
              key={openId}
              id={openId}
              capabilities={capabilities}
              revision={revision}
              workspaces={wsById}
              environments={environments}
              onClose={() => {
                setOpenId(null);
                document.querySelector<HTMLElement>('[data-testid="key-table"]')?.focus();
              }}
              onChanged={changed}
              onRotate={(id) => setDialog({ type: 'rotate', ids: [id] })}
              onState={(id, action) => setDialog({ type: 'state', ids: [id], action })}
              onExport={(id) => setDialog({ type: 'export', ids: [id] })}
              onDelete={(id) => setDialog({ type: 'delete', ids: [id] })}
            />
          )}
        </main>
      )}

      {dialog?.type === 'add-workspace' && (
        <AddWorkspaceDialog
          onClose={closeDialog}
          onDone={(w) => {
            closeDialog();
            loadWorkspaces();
            setScope({ type: 'workspace', id: w.id });
            toast(`Workspace ${w.name} added.`);
          }}
        />
      )}
      {dialog?.type === 'connect' && (
        <ConnectDialog
          workspace={dialog.workspace}
          onClose={closeDialog}
          onDone={() => {
            closeDialog();
            changed();
          }}
        />
      )}
      {dialog?.type === 'rename' && (
        <RenameWorkspaceDialog
          workspace={dialog.workspace}
          onClose={closeDialog}
          onDone={() => {
            closeDialog();
            loadWorkspaces();
          }}
        />
      )}
      {dialog?.type === 'remove-workspace' && (
        <RemoveWorkspaceDialog
          workspace={dialog.workspace}
          onClose={closeDialog}
          onDone={() => {
            closeDialog();
            setScope({ type: 'all' });
            changed();
          }}
        />
      )}
      {dialog?.type === 'add-env' && (
        <AddEnvironmentDialog
          workspace={dialog.workspace}
          onClose={closeDialog}
          onDone={() => {
            closeDialog();
            loadWorkspaces();
          }}
        />
      )}
      {dialog?.type === 'sync' && (
        <SyncDialog
          workspace={dialog.workspace}
          onClose={() => {
            closeDialog();
            changed();
          }}
        />
      )}
      {dialog?.type === 'settings' && <SettingsDialog vaultPath={vaultPath} version={version} onClose={closeDialog} />}
      {dialog?.type === 'new-key' && (
        <NewKeyDialog
          mode={dialog.mode}
          workspaces={workspaces}
          environments={environments}
          workspace={scopeWorkspace}
          environment={scopeEnvironment}
          onClose={closeDialog}
          onCreated={(id) => {
            changed();
            setOpenId(id);
          }}
        />
      )}
      {dialog?.type === 'delete' && (
        <DeleteKeysDialog
          ids={dialog.ids}
          onClose={closeDialog}
          onDone={() => {
            closeDialog();
            if (openId && dialog.ids.includes(openId)) setOpenId(null);
            setSelected(new Set());
            changed();
          }}
        />
      )}
      {dialog?.type === 'rotate' && (
        <RotateDialog
          ids={dialog.ids}
          workspaces={wsById}
          onClose={() => {
            closeDialog();
            changed();
            loadPending();
          }}
        />
      )}
      {dialog?.type === 'state' && (
        <StateChangeDialog
          ids={dialog.ids}
          action={dialog.action}
          workspaces={wsById}
          onClose={closeDialog}
          onDone={() => {
            closeDialog();
            changed();
          }}
        />
      )}
      {dialog?.type === 'export' && <ExportDialog ids={dialog.ids} onClose={closeDialog} />}
      {dialog?.type === 'import' && <ImportDialog workspaces={workspaces} onClose={closeDialog} onImported={changed} />}
    </div>
  );
}
