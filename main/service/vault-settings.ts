// The vault's user settings, sealed in the vault: auto-lock, clipboard clearing, theme. Their
// schema is the IPC contract's; a stored value that no longer fits reads as the default.
import type { z } from 'zod';
import { VaultSettings } from '../api';
import type { VaultSession } from '../vault/types';

export type Settings = z.infer<typeof VaultSettings>;

const SETTING_DEFAULTS = {
  autoLockMinutes: 10,
  clipboardClearSeconds: 30,
  theme: 'system',
  agentEnabled: true,
} as const;

function numberSetting(session: VaultSession, name: 'autoLockMinutes' | 'clipboardClearSeconds'): number {
  const raw = session.getSetting(name);
  const parsed = VaultSettings.shape[name].safeParse(raw === null ? undefined : Number(raw));
  return parsed.success ? parsed.data : SETTING_DEFAULTS[name];
}

/** Minutes of inactivity before the vault locks (0 = never); read on every activity. */
export function autoLockMinutes(session: VaultSession): number {
  return numberSetting(session, 'autoLockMinutes');
}

/** Whether the desktop app runs the SSH agent (stored as 'true' / 'false'). */
export function agentEnabled(session: VaultSession): boolean {
  const raw = session.getSetting('agentEnabled');
  return raw === null ? SETTING_DEFAULTS.agentEnabled : raw === 'true';
}

export function readSettings(session: VaultSession): Settings {
  const theme = VaultSettings.shape.theme.safeParse(session.getSetting('theme'));
  return {
    autoLockMinutes: autoLockMinutes(session),
    clipboardClearSeconds: numberSetting(session, 'clipboardClearSeconds'),
    theme: theme.success ? theme.data : SETTING_DEFAULTS.theme,
    agentEnabled: agentEnabled(session),
  };
}

export function writeSettings(session: VaultSession, patch: Partial<Settings>): Settings {
  const next = VaultSettings.parse({ ...readSettings(session), ...patch });
  session.transaction(() => {
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) session.setSetting(k, String(next[k as keyof Settings]));
  });
  return next;
}
