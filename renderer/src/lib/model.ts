// The renderer's view of the records main sends. Types only, from the contract (main/api/).
import type { ChannelInput, ChannelOutput, EventPayload } from '../../../main/api';

export type KeyPageOut = ChannelOutput<'keys.list'>;
export type KeyRow = KeyPageOut['items'][number];
export type KeyView = ChannelOutput<'keys.get'>;
export type KeyHistoryOut = ChannelOutput<'keys.history'>;
export type KeyQueryIn = ChannelInput<'keys.list'>;
export type WorkspaceRow = ChannelOutput<'workspaces.list'>[number];
export type EnvironmentRow = ChannelOutput<'environments.list'>[number];
export type SortField = NonNullable<KeyQueryIn['sort']>;
export type SettingsOut = ChannelOutput<'vault.settings.get'>;
export type KdfOut = ChannelOutput<'vault.kdf'>;
export type ExportPreviewOut = ChannelOutput<'export.preview'>;
export type MigrateIn = ChannelInput<'migrate.preview'>;
export type MigrateOut = ChannelOutput<'migrate.preview'>;
export type SyncOut = ChannelOutput<'workspaces.sync'>;
export type RotateOut = ChannelOutput<'keys.rotate'>;
export type Capabilities = ChannelOutput<'remote.capabilities'>;
export type SyncProgressOut = EventPayload<'workspaces.sync.progress'>;
