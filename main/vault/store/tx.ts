// Read and write transactions as two types (as Signal Desktop's ReadableDB / WritableDB): a table
// function that takes a ReadTx cannot write, since only a WriteTx has run() and the index's
// mutators, so whether a function may write is checked by the compiler.
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import type { Sealer } from '../crypto';
import type { KeyIndex } from '../key-index';
import type { KeyTuple } from '../key-tuple';

declare const readBrand: unique symbol;
declare const writeBrand: unique symbol;

/** The key index as a reader may see it (no mutators). */
export type IndexView = Pick<KeyIndex, 'size' | 'has' | 'tuple' | 'segmentOf' | 'segmentIds' | 'segmentTuples' | 'query'>;

export interface ReadTx {
  readonly [readBrand]: true;
  readonly sealer: Sealer;
  readonly index: IndexView;
  get(sql: string, ...params: unknown[]): unknown;
  all(sql: string, ...params: unknown[]): unknown[];
  /** the first column of every row */
  column(sql: string, ...params: unknown[]): unknown[];
  iterate(sql: string, ...params: unknown[]): IterableIterator<unknown>;
}

export interface WriteTx extends Omit<ReadTx, typeof readBrand> {
  readonly [readBrand]: true;
  readonly [writeBrand]: true;
  run(sql: string, ...params: unknown[]): void;
  /** puts a key's tuple into segment `seg` (default: the one it is in) and marks it for flush */
  putTuple(t: KeyTuple, seg?: number): void;
  /** drops a key from the index; its segment is re-sealed at commit */
  removeTuple(id: string): void;
  /** the segment a new key goes to */
  segmentForNew(): number;
}

/** A clear column row checked with zod: anything else is damage (INTEGRITY). */
export function row<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new KeyholdError('INTEGRITY', `The vault is damaged: an unexpected row in ${where}.`);
  return r.data;
}

export const CountRow = z.object({ n: z.number() });

export function count(tx: ReadTx, table: string, where = '', ...params: unknown[]): number {
  return row(CountRow, tx.get(`SELECT count(*) AS n FROM ${table} ${where}`, ...params), table).n;
}
