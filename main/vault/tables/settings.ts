// The settings table: name in clear, value sealed (bound to its name).
import { z } from 'zod';
import { row, type ReadTx, type WriteTx } from '../store/tx';
import type { Codec } from './codec';

const SettingRow = z.object({ name: z.string(), value: z.instanceof(Buffer) });

export interface Setting {
  name: string;
  value: string;
}

export const settingCodec: Codec<Setting, { name: string; value: Buffer }> = {
  label: 'settings.value',
  toRow(sealer, s) {
    return { name: s.name, value: sealer.seal(this.label, s.name, s.value) };
  },
  fromRow(sealer, raw) {
    const r = row(SettingRow, raw, 'settings');
    return { name: r.name, value: sealer.open(this.label, r.name, r.value) };
  },
};

export function getSetting(tx: ReadTx, name: string): string | null {
  const raw = tx.get('SELECT name, value FROM settings WHERE name = ?', name);
  return raw === undefined ? null : settingCodec.fromRow(tx.sealer, raw).value;
}

export function allSettings(tx: ReadTx): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of tx.all('SELECT name, value FROM settings')) {
    const s = settingCodec.fromRow(tx.sealer, raw);
    out[s.name] = s.value;
  }
  return out;
}

export function setSetting(tx: WriteTx, name: string, value: string): void {
  const r = settingCodec.toRow(tx.sealer, { name, value });
  tx.run('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value', r.name, r.value);
}
