// The desktop app's socket for the CLI (docs/SECURITY.md "The CLI through the running app"): a CLI
// started while the app is open and unlocked sends its command here, and the app runs it through
// its own service layer on its own unlocked vault, so the master key never leaves the app's
// process and a locked app is a locked CLI. Each calling program (executable, script and parent
// shell: ./caller.ts) is approved once by the user, through the injected `approve` (the desktop
// dialog in the app, a fake in tests); "allow until lock" lasts until the vault locks: every
// unlock starts with no grants. Only an approved caller touches the session (which counts as
// activity), so a stranger knocking on the socket cannot keep the vault from auto-locking.
// No electron here: it runs in Node tests.
import { chmodSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { KeyholdError, systemErrorCode } from '../errors';
import { allCommands } from '../cli/commands';
import { Interrupted } from '../cli/io';
import { runCli, type CommandModule } from '../cli/program';
import type { VaultSession } from '../vault/types';
import { describeCaller, grantKey, identifyCaller, type Caller } from './caller';
import { ClientMessage, receive, send, type ServerMessage } from './protocol';
import { preparePrivateFolder } from './socket-path';

export type Approval = 'allow-once' | 'allow-until-lock' | 'deny';

export interface ApprovalRequest {
  caller: Caller;
  /** the caller in words: program, script, parent shell */
  description: string;
  /** the command it asks to run (its words, not its option values) */
  command: string;
  /** its arguments as the CLI got them (no master password: see ./command-line.ts for showing them) */
  argv: readonly string[];
}

/** What the bridge needs of the app's vault (VaultManager has it). */
export interface AppVault {
  readonly path: string;
  /** the state, without counting as activity */
  status(): { state: 'absent' | 'locked' | 'unlocked' };
  /** the unlocked session (counts as activity), or LOCKED */
  session(): VaultSession;
  /** runs after every unlock; returns an unsubscribe */
  onUnlock(fn: () => void): () => void;
}

export interface AppBridgeOptions {
  socketPath: string;
  vault: AppVault;
  approve(request: ApprovalRequest): Promise<Approval>;
  /** default: the peer as the kernel names it (./caller.ts) */
  identify?: (socket: Socket) => Promise<Caller | null>;
  modules?: readonly CommandModule[];
}

export interface AppBridge {
  readonly path: string;
  close(): Promise<void>;
}

/** Is another app already listening there? A socket file nobody answers on is stale. */
function someoneListens(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

export async function startAppBridge(options: AppBridgeOptions): Promise<AppBridge> {
  const { socketPath, vault } = options;
  const identify = options.identify ?? identifyCaller;
  const modules = options.modules ?? allCommands;
  preparePrivateFolder(socketPath);
  if (await someoneListens(socketPath)) throw new KeyholdError('CONFLICT', `Another Keyhold app already listens on ${socketPath}.`);
  try {
    unlinkSync(socketPath);
  } catch (e) {
    if (systemErrorCode(e) !== 'ENOENT') throw e;
  }

  /** callers allowed until lock (grantKey) */
  const grants = new Set<string>();
  /** approvals being asked, so one program's parallel commands ask once */
  const asking = new Map<string, Promise<Approval>>();
  // a lock is always followed by an unlock before anything can be served again
  const unsubscribe = vault.onUnlock(() => grants.clear());
  const unlocked = (): boolean => {
    if (vault.status().state === 'unlocked') return true;
    grants.clear();
    return false;
  };

  const approveOnce = (key: string, request: ApprovalRequest): Promise<Approval> => {
    let pending = asking.get(key);
    if (!pending) {
      pending = options.approve(request).catch((): Approval => 'deny');
      asking.set(key, pending);
      void pending.finally(() => asking.delete(key));
    }
    return pending;
  };

  const serve = async (
    socket: Socket,
    hello: Extract<ClientMessage, { t: 'hello' }>,
    later: (fn: (m: ClientMessage) => void) => void,
  ): Promise<void> => {
    const refuse = (reason: Extract<ServerMessage, { t: 'refused' }>['reason'], message: string): void => {
      send(socket, { t: 'refused', reason, message });
      socket.end();
    };
    const noNames = (): void => {
      send(socket, { t: 'names', keys: [], workspaces: [] });
      socket.end();
    };
    if (hello.vault !== vault.path) return refuse('other-vault', 'The desktop app has another vault open.');
    if (!unlocked())
      return hello.op === 'names'
        ? noNames()
        : refuse('locked', 'The desktop app is locked: unlock it, or give the master password (--password-stdin).');
    const caller = await identify(socket);
    if (!caller) return hello.op === 'names' ? noNames() : refuse('unidentified', 'The desktop app cannot tell which program is calling.');
    if (caller.uid !== process.getuid?.()) return refuse('denied', 'Another user may not use this vault.');
    const key = grantKey(caller);
    if (!unlocked()) return hello.op === 'names' ? noNames() : refuse('locked', 'The desktop app is locked.');
    if (hello.op === 'names') {
      // completion never asks: names only for a program already approved in this shell (the
      // completion runs keyhold from a subshell of it)
      const approved = [caller.parent, ...caller.ancestors].some((p) => p !== null && grants.has(grantKey(caller, p)));
      if (!approved) return noNames();
    } else if (!grants.has(key)) {
      const answer = await approveOnce(key, { caller, description: describeCaller(caller), command: hello.command, argv: hello.argv });
      if (!unlocked()) return refuse('locked', 'The desktop app was locked meanwhile.');
      if (answer === 'deny')
        return refuse('denied', 'The desktop app refused this program. Give the master password instead (--password-stdin).');
      if (answer === 'allow-until-lock') grants.add(key);
    }
    const session = vault.session();
    if (hello.op === 'names') {
      const keys = [...new Set(session.listKeys({ sort: 'name' }).items.map((k) => k.name))];
      send(socket, { t: 'names', keys, workspaces: session.listWorkspaces().map((w) => w.name) });
      socket.end();
      return;
    }
    await runCommand(socket, hello, session, later);
  };

  const runCommand = async (
    socket: Socket,
    hello: Extract<ClientMessage, { t: 'hello' }>,
    granted: VaultSession,
    later: (fn: (m: ClientMessage) => void) => void,
  ): Promise<void> => {
    // one pending question to the caller at a time: its stdin, a prompt, or exec's command
    let waiting: { resolve: (m: ClientMessage) => void; reject: (e: Error) => void } | null = null;
    const ask = (m: ServerMessage): Promise<ClientMessage> =>
      new Promise((resolve, reject) => {
        if (socket.destroyed) return reject(new KeyholdError('INTERNAL', 'The CLI went away.'));
        waiting = { resolve, reject };
        send(socket, m);
      });
    later((m) => {
      const w = waiting;
      waiting = null;
      w?.resolve(m);
    });
    socket.on('close', () => {
      const w = waiting;
      waiting = null;
      w?.reject(new KeyholdError('INTERNAL', 'The CLI went away.'));
    });
    let asked = false;
    const stdin = new Readable({
      read() {
        if (asked) return;
        asked = true;
        ask({ t: 'read-stdin' }).then(
          (m) => {
            if (m.t === 'stdin') this.push(Buffer.from(m.data, 'utf8'));
            this.push(null);
          },
          (e: Error) => this.destroy(e),
        );
      },
    });
    const output = (t: 'out' | 'err', tty: boolean): Writable & { isTTY?: boolean } =>
      Object.assign(
        new Writable({
          write(chunk: Buffer | string, _enc, done) {
            send(socket, { t, b64: Buffer.from(chunk).toString('base64') });
            done();
          },
        }),
        { isTTY: tty },
      );
    const code = await runCli(
      hello.argv,
      {
        stdin: Object.assign(stdin, { isTTY: hello.tty.stdin }),
        stdout: output('out', hello.tty.stdout),
        stderr: output('err', hello.tty.stderr),
        env: hello.env,
        cwd: hello.cwd,
        host: {
          session: () => {
            // the app locked (or locked and unlocked) since the command began: it stops here
            if (!unlocked() || vault.session() !== granted) throw new KeyholdError('LOCKED', 'The desktop app was locked.');
            return granted;
          },
          prompt: async (question) => {
            const m = await ask({ t: 'prompt', question });
            if (m.t === 'prompt-answer') return m.answer;
            throw new Interrupted();
          },
          exec: async (command, args, vars) => {
            const m = await ask({ t: 'exec', command, args: [...args], vars: { ...vars } });
            return m.t === 'exec-done' ? m.code : 1;
          },
        },
      },
      modules,
    );
    send(socket, { t: 'exit', code });
    socket.end();
  };

  const server: Server = createServer((socket) => {
    let onLater: ((m: ClientMessage) => void) | null = null;
    let started = false;
    socket.on('error', () => undefined);
    receive(socket, ClientMessage, (m) => {
      if (!started) {
        started = true;
        if (m.t !== 'hello') return void socket.destroy();
        serve(socket, m, (fn) => (onLater = fn)).catch(() => {
          send(socket, { t: 'exit', code: 70 });
          socket.end();
        });
        return;
      }
      onLater?.(m);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(socketPath, 0o600);

  return {
    path: socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        server.close(() => resolve());
        try {
          unlinkSync(socketPath);
        } catch {
          // already gone
        }
      }),
  };
}
