// SQLite's failures as Keyhold's codes: a corrupt or foreign file is INTEGRITY, a vault held by a
// writer that does not let go is CONFLICT; KeyholdErrors pass through.
import { KeyholdError, isKeyholdError, systemErrorCode } from '../errors';

function sqliteCode(e: unknown): string | undefined {
  const code = systemErrorCode(e);
  return code?.startsWith('SQLITE_') ? code : undefined;
}

export function mapSqliteError(e: unknown): unknown {
  if (isKeyholdError(e)) return e;
  const code = sqliteCode(e);
  if (!code) return e;
  if (
    code.startsWith('SQLITE_CORRUPT') ||
    code === 'SQLITE_NOTADB' ||
    code.startsWith('SQLITE_IOERR_SHORT_READ') ||
    code === 'SQLITE_FORMAT'
  ) {
    return new KeyholdError('INTEGRITY', 'The vault file is corrupt or truncated.');
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new KeyholdError('CONFLICT', 'The vault is busy: another Keyhold process is writing to it. Try again.');
  }
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_CANTOPEN')) {
    return new KeyholdError('NOT_FOUND', 'The vault file cannot be opened.');
  }
  if (code.startsWith('SQLITE_READONLY')) return new KeyholdError('CONFLICT', 'The vault file is read-only.');
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL')
    return new KeyholdError('INTEGRITY', `The vault file could not be read or written (${code}).`);
  return e;
}
