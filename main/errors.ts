// Stable error codes shared by IPC and the CLI (../shared/CLI.md). LOCKED and INTERNAL are
// Keyhold's additions: the desktop app has a locked state the stateless CLI never sees, and any
// unexpected failure must still reach the user as a code, never as a stack trace.
export const ERROR_CODES = [
  'USAGE',
  'WRONG_PASSWORD',
  'NOT_FOUND',
  'INTEGRITY',
  'REMOTE',
  'CONFLICT',
  'INVALID_INPUT',
  'LOCKED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const EXIT_CODES: Record<ErrorCode, number> = {
  USAGE: 1,
  WRONG_PASSWORD: 2,
  NOT_FOUND: 3,
  INTEGRITY: 4,
  REMOTE: 5,
  CONFLICT: 6,
  INVALID_INPUT: 7,
  LOCKED: 8,
  INTERNAL: 70,
};

export interface KeyholdErrorDetails {
  /** HTTP status of a remote failure */
  status?: number;
}

/**
 * The one error type the service layer throws on purpose. Its message is shown to the user as is,
 * so it must never contain a secret.
 */
export class KeyholdError extends Error {
  readonly code: ErrorCode;
  readonly status?: number;

  constructor(code: ErrorCode, message: string, details: KeyholdErrorDetails = {}) {
    super(message);
    this.name = 'KeyholdError';
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
  }
}

export function isKeyholdError(e: unknown): e is KeyholdError {
  return e instanceof KeyholdError;
}

/** The string `code` that Node's system, OpenSSL and SQLite errors carry (ENOENT, ERR_OSSL_..., SQLITE_...). */
export function systemErrorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}
