import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Sealer, newVaultKey } from '../crypto';
import { migrate } from '../schema';
import { insertHeader } from '../header';
import { measure, writeManifest } from '../manifest';
import { FLOOR_KDF, tempDir } from '../test-vault.testkit';
import { Connection } from './connection';
import type { ReadTx, WriteTx } from './tx';

function connection(): Connection {
  const path = join(tempDir(), 'tx.sqlite');
  const db = new Database(path);
  migrate(db, 0, null);
  const sealer = new Sealer(newVaultKey());
  insertHeader(db, 'test-vault', { ...FLOOR_KDF, algorithm: 'argon2id', salt: 'AAAAAAAAAAAAAAAAAAAAAA==' }, Buffer.alloc(72));
  writeManifest(db, sealer, measure(db, 0));
  const c = new Connection(db, path, sealer);
  c.checkManifest();
  return c;
}

describe('read and write transactions', () => {
  it('a read transaction cannot write: no run() at compile time or at run time', () => {
    const c = connection();
    try {
      const tryWrite = (tx: ReadTx) => {
        // @ts-expect-error run() exists only on a WriteTx
        tx.run('INSERT INTO settings (name, value) VALUES (?, ?)', 'x', Buffer.alloc(1));
      };
      expect(() => c.read(tryWrite)).toThrow(TypeError);
      // and a WriteTx is a ReadTx: a reading helper accepts both
      const names = (tx: ReadTx) => tx.column('SELECT name FROM settings');
      c.write((tx: WriteTx) => tx.run('INSERT INTO settings (name, value) VALUES (?, ?)', 'y', Buffer.alloc(1)));
      expect(c.read(names)).toEqual(['y']);
      expect(c.write(names)).toEqual(['y']);
    } finally {
      c.close();
    }
  });

  it('a nested write that throws is rolled back to its SAVEPOINT; the outer write commits', () => {
    const c = connection();
    try {
      const add = (tx: WriteTx, name: string) => tx.run('INSERT INTO settings (name, value) VALUES (?, ?)', name, Buffer.alloc(1));
      c.write((tx) => {
        add(tx, 'outer');
        expect(() =>
          c.write((inner) => {
            add(inner, 'inner');
            throw new Error('fails after writing');
          }),
        ).toThrow('fails after writing');
        c.write((inner) => add(inner, 'second'));
      });
      expect(c.read((tx) => tx.column('SELECT name FROM settings ORDER BY name'))).toEqual(['outer', 'second']);
    } finally {
      c.close();
    }
  });
});
