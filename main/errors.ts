// Stable error codes shared by IPC and the CLI (docs/CLI.md). LOCKED and INTERNAL are
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

/** Why a platform call failed, for the UI to say what to do (never read from message text). */
export const REMOTE_FAILURE_REASONS = ['auth', 'scope', 'rate_limited', 'unreachable', 'server', 'refused'] as const;
export type RemoteFailureReason = (typeof REMOTE_FAILURE_REASONS)[number];

/** A platform's failure: its HTTP status (null when it never answered) and why. */
export interface RemoteFailure {
  status: number | null;
  reason: RemoteFailureReason;
}

export interface KeyholdErrorDetails {
  /** HTTP status of a remote failure */
  status?: number;
  /** a platform failure as the HTTP client (main/providers/http.ts) classified it */
  remote?: RemoteFailure;
}

/**
 * The one error type the service layer throws on purpose. Its message is shown to the user as is,
 * so it must never contain a secret.
 */
export class KeyholdError extends Error {
  readonly code: ErrorCode;
  readonly status?: number;
  readonly remote?: RemoteFailure;

  constructor(code: ErrorCode, message: string, details: KeyholdErrorDetails = {}) {
    super(message);
    this.name = 'KeyholdError';
    this.code = code;
    const remote = details.remote;
    if (remote) this.remote = remote;
    const status = details.status ?? remote?.status ?? undefined;
    if (status !== undefined && status !== null) this.status = status;
  }
}

/** An error as it crosses IPC or lands in a result: code, message, and the remote failure if any. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  remote?: RemoteFailure;
}

/** The coded shape of a KeyholdError; anything else is INTERNAL with `internalMessage`, as an
 * unexpected error's own message may hold a secret or a path. */
export function errorInfo(e: unknown, internalMessage: string): ErrorInfo {
  if (!isKeyholdError(e)) return { code: 'INTERNAL', message: internalMessage };
  return { code: e.code, message: e.message, ...(e.remote ? { remote: { ...e.remote } } : {}) };
}

export function isKeyholdError(e: unknown): e is KeyholdError {
  return e instanceof KeyholdError;
}

/** The string `code` that Node's system, OpenSSL and SQLite errors carry (ENOENT, ERR_OSSL_..., SQLITE_...). */
export function systemErrorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}
