// File capabilities (docs/SECURITY.md): in the desktop app, a path the renderer sends for a file
// main reads or writes (export, backup, restore, key import and export) must come from main's own
// file dialog. The dialog's answer carries a random token bound to the chosen path, to the
// dialog's purpose (open: read a file; save: write one) and to the unlocked session it was given
// in; a token is good until the vault locks (at most GRANT_TTL_MS). A compromised renderer thus
// cannot name ~/.bashrc by itself.
import { randomBytes } from 'node:crypto';
import { KeyholdError } from '../errors';
import type { Harness } from '../service/context';

export type FilePurpose = 'open' | 'save';
const GRANT_TTL_MS = 15 * 60 * 1000;
const MAX_GRANTS = 64;

interface Grant {
  path: string;
  purpose: FilePurpose;
  session: object | null;
  expires: number;
}

export class FileGrants {
  private readonly grants = new Map<string, Grant>();

  /** `session`: the unlocked session now (null when locked): a lock ends the grant. */
  constructor(
    private readonly harness: Harness,
    private readonly session: () => object | null,
  ) {}

  grant(path: string, purpose: FilePurpose): string {
    const token = randomBytes(24).toString('base64url');
    if (this.grants.size >= MAX_GRANTS) this.grants.delete(this.grants.keys().next().value!);
    this.grants.set(token, { path, purpose, session: this.session(), expires: Date.now() + GRANT_TTL_MS });
    return token;
  }

  /**
   * The path a request may use: the token's (it must be for `purpose`, still valid, and for the
   * same path if one is given too). Without a token, a raw path is refused in the desktop app;
   * a window without file dialogs (the e2e bridge, tests) types paths and keeps them.
   */
  path(input: { path?: string; token?: string }, purpose: FilePurpose): string | undefined {
    if (input.token === undefined) {
      if (input.path === undefined) return undefined;
      if (this.harness === 'electron')
        throw new KeyholdError('INVALID_INPUT', 'Choose the file with the file dialog (Choose…): the window cannot name a file by itself.');
      return input.path;
    }
    const g = this.grants.get(input.token);
    const now = this.session();
    if (!g || g.expires < Date.now() || (g.session !== null && g.session !== now)) {
      if (g) this.grants.delete(input.token);
      throw new KeyholdError('INVALID_INPUT', 'That file choice has expired: choose the file again.');
    }
    if (g.purpose !== purpose)
      throw new KeyholdError(
        'INVALID_INPUT',
        `That file was chosen to ${g.purpose === 'open' ? 'read' : 'write'}, not to ${purpose === 'open' ? 'read' : 'write'}: choose it again.`,
      );
    if (input.path !== undefined && input.path !== g.path)
      throw new KeyholdError('INVALID_INPUT', 'The path is not the one chosen in the file dialog.');
    return g.path;
  }

  /** The vault locked: no grant given while it was open stays good. */
  clear(): void {
    this.grants.clear();
  }
}
