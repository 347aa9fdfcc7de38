// The settings table: name in clear, value sealed (bound to its name).
import { z } from 'zod';
import { row, type ReadTx, type WriteTx } from '../store/tx';

const LABEL = 'settings.value';
const SettingRow = z.object({ name: z.string(), value: z.instanceof(Buffer) });

export function getSetting(tx: ReadTx, name: string): string | null {
  const raw = tx.get('SELECT name, value FROM settings WHERE name = ?', name);
  if (raw === undefined) return null;
  const r = row(SettingRow, raw, 'settings');
  return tx.sealer.open(LABEL, r.name, r.value);
}

export function allSettings(tx: ReadTx): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of tx.all('SELECT name, value FROM settings')) {
    const r = row(SettingRow, raw, 'settings');
    out[r.name] = tx.sealer.open(LABEL, r.name, r.value);
  }
  return out;
}

export function setSetting(tx: WriteTx, name: string, value: string): void {
  tx.run('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value', name, tx.sealer.seal(LABEL, name, value));
}
