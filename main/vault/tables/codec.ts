// One codec per table: the zod schema of its sealed blob, toRow (a record to its clear columns and
// sealed data) and fromRow (a raw row back to the record, INTEGRITY if either part is off). Sealing
// a record into its table is written here once per table.
import type { z } from 'zod';
import { KeyholdError } from '../../errors';
import type { Sealer } from '../crypto';

export interface Codec<T, Row> {
  /** the binding label of the sealed column ("workspaces.data") */
  readonly label: string;
  toRow(sealer: Sealer, value: T): Row;
  fromRow(sealer: Sealer, raw: unknown): T;
}

/** Opens a sealed JSON blob bound to `rowId` and checks its shape (a blob that opens but has the
 * wrong shape is damage: INTEGRITY). */
export function openSealed<S>(sealer: Sealer, schema: z.ZodType<S>, label: string, rowId: string, data: Uint8Array): S {
  const r = schema.safeParse(sealer.openJson(label, rowId, data));
  if (!r.success) throw new KeyholdError('INTEGRITY', `The vault is damaged: a record in ${label.split('.')[0]} has an unexpected shape.`);
  return r.data;
}
