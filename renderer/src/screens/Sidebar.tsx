// Workspaces with their platform, connection state and environments; the vault's own actions.
import { GearIcon, LockIcon, PlatformIcon, BrandMark, PLATFORM_LABELS, type ProviderName } from '../components/icons';
import { Menu } from '../components/Menu';
import type { EnvironmentRow, WorkspaceRow } from '../lib/model';

export type Scope =
  { type: 'all' } | { type: 'attention' } | { type: 'workspace'; id: string } | { type: 'environment'; id: string; workspaceId: string };

export interface WorkspaceActions {
  add(): void;
  connect(w: WorkspaceRow): void;
  sync(w: WorkspaceRow): void;
  rename(w: WorkspaceRow): void;
  remove(w: WorkspaceRow): void;
  addEnvironment(w: WorkspaceRow): void;
}

export interface SidebarProps {
  workspaces: WorkspaceRow[];
  environments: EnvironmentRow[];
  scope: Scope;
  setScope(s: Scope): void;
  actions: WorkspaceActions;
  syncing: Set<string>;
  onSettings(): void;
  onLock(): void;
  version: string;
  /** what the Needs attention view counts (null until loaded) */
  attention: { due: number; warn: number; other: number } | null;
}

export function isConnected(w: WorkspaceRow): boolean {
  return w.provider === 'local' || Boolean(w.credentialKeyId);
}

export function Sidebar({
  workspaces,
  environments,
  scope,
  setScope,
  actions,
  syncing,
  onSettings,
  onLock,
  version,
  attention,
}: SidebarProps) {
  return (
    <aside className="sidebar" aria-label="Workspaces">
      <div className="sidebar-head">
        <BrandMark />
        <span className="name">Keyhold</span>
      </div>
      <nav aria-label="Key scopes">
        <ul className="nav-list">
          <li>
            <button type="button" className="nav-item" aria-current={scope.type === 'all'} onClick={() => setScope({ type: 'all' })}>
              <span className="label">All keys</span>
            </button>
          </li>
          <li>
            <button
              type="button"
              className="nav-item"
              aria-current={scope.type === 'attention'}
              onClick={() => setScope({ type: 'attention' })}
              data-testid="nav-attention"
            >
              <span className="label">Needs attention</span>
              {attention && (
                <span className="counts" data-testid="attention-counts">
                  {attention.due > 0 && (
                    <span className="badge due" title="due">
                      {attention.due}
                      <span className="visually-hidden"> due</span>
                    </span>
                  )}
                  {attention.warn > 0 && (
                    <span className="badge warn" title="due soon">
                      {attention.warn}
                      <span className="visually-hidden"> due soon</span>
                    </span>
                  )}
                  {attention.other > 0 && (
                    <span className="badge neutral" title="other">
                      {attention.other}
                      <span className="visually-hidden"> other</span>
                    </span>
                  )}
                </span>
              )}
            </button>
          </li>
        </ul>
        <div className="nav-section">
          <span className="spacer">Workspaces</span>
          <button type="button" className="btn ghost small" onClick={actions.add} aria-label="Add workspace" title="Add workspace">
            + Add
          </button>
        </div>
        {workspaces.length === 0 && (
          <p className="small muted" style={{ padding: '4px 8px' }}>
            No workspaces yet. Add one for each platform account you manage.
          </p>
        )}
        <ul className="nav-list" data-testid="workspace-list">
          {workspaces.map((w) => {
            const connected = isConnected(w);
            const envs = environments.filter((e) => e.workspaceId === w.id);
            const provider = w.provider as ProviderName;
            const state = syncing.has(w.id) ? 'syncing' : connected ? 'connected' : 'disconnected';
            const stateText =
              w.provider === 'local'
                ? 'kept only in this vault'
                : state === 'connected'
                  ? 'connected'
                  : state === 'syncing'
                    ? 'syncing'
                    : 'not connected';
            return (
              <li key={w.id} data-testid="workspace-item" data-workspace-name={w.name}>
                <div className="ws-row">
                  <button
                    type="button"
                    className="nav-item"
                    aria-current={scope.type === 'workspace' && scope.id === w.id}
                    onClick={() => setScope({ type: 'workspace', id: w.id })}
                    title={`${w.name} (${PLATFORM_LABELS[provider]}, ${stateText})`}
                  >
                    <PlatformIcon provider={provider} />
                    <span className="label">{w.name}</span>
                    {w.provider !== 'local' && <span className="conn" data-state={state} aria-hidden="true" />}
                    <span className="visually-hidden">
                      {PLATFORM_LABELS[provider]}, {stateText}
                    </span>
                  </button>
                  <Menu
                    label={`Actions for ${w.name}`}
                    buttonClass="btn ghost icon small"
                    buttonContent={<span aria-hidden="true">⋯</span>}
                    items={[
                      ...(w.provider !== 'local'
                        ? [{ label: connected ? 'Reconnect…' : 'Connect…', onSelect: () => actions.connect(w) }]
                        : []),
                      ...(w.provider !== 'local'
                        ? [{ label: 'Sync now', onSelect: () => actions.sync(w), disabled: !connected || syncing.has(w.id) }]
                        : []),
                      { label: 'Add environment…', onSelect: () => actions.addEnvironment(w) },
                      { label: 'Rename…', onSelect: () => actions.rename(w) },
                      { label: 'Remove…', onSelect: () => actions.remove(w) },
                    ]}
                  />
                </div>
                {envs.length > 0 && (
                  <ul className="nav-list">
                    {envs.map((e) => (
                      <li key={e.id}>
                        <button
                          type="button"
                          className="nav-item env"
                          aria-current={scope.type === 'environment' && scope.id === e.id}
                          onClick={() => setScope({ type: 'environment', id: e.id, workspaceId: w.id })}
                        >
                          <span className="label">{e.name}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="sidebar-foot">
        <button type="button" className="btn ghost small" onClick={onSettings}>
          <GearIcon /> Settings
        </button>
        <button type="button" className="btn ghost small" onClick={onLock} title="Lock (Ctrl+L)" aria-keyshortcuts="Control+L Meta+L">
          <LockIcon /> Lock
        </button>
        <span className="version" data-testid="app-version-main">
          v{version}
        </span>
      </div>
    </aside>
  );
}
