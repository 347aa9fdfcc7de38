// The vault's user settings, sealed in the vault: auto-lock, clipboard clearing, theme.
import { z } from 'zod';
import type { VaultSession } from '../vault/types';
import { SETTING_DEFAULTS } from './vault-manager';

export const SettingsSchema = z.object({
  autoLockMinutes: z.number().int().min(0).max(24 * 60),
  clipboardClearSeconds: z.number().int().min(5).max(3600),
  theme: z.enum(['system', 'light', 'dark']),
});
export type Settings = z.infer<typeof SettingsSchema>;

function numberSetting(session: VaultSession, name: 'autoLockMinutes' | 'clipboardClearSeconds'): number {
  const raw = session.getSetting(name);
  const parsed = SettingsSchema.shape[name].safeParse(raw === null ? undefined : Number(raw));
  return parsed.success ? parsed.data : SETTING_DEFAULTS[name];
}

export function readSettings(session: VaultSession): Settings {
  const theme = SettingsSchema.shape.theme.safeParse(session.getSetting('theme'));
  return {
    autoLockMinutes: numberSetting(session, 'autoLockMinutes'),
    clipboardClearSeconds: numberSetting(session, 'clipboardClearSeconds'),
    theme: theme.success ? theme.data : SETTING_DEFAULTS.theme,
  };
}

export function writeSettings(session: VaultSession, patch: Partial<Settings>): Settings {
  const next = SettingsSchema.parse({ ...readSettings(session), ...patch });
  session.transaction(() => {
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) session.setSetting(k, String(next[k as keyof Settings]));
  });
  return next;
}
