// The CLI's side of the desktop app's socket (main/bridge/server.ts): when the app is running and
// the user gave no password, the command is sent to the app and runs there on the app's unlocked
// vault; this side relays standard input, prompts on its own terminal, starts exec's command
// itself and prints what comes back. No app (no socket, nobody listening), another vault open in
// the app, or a program the app cannot identify: the CLI unlocks on its own, as it always did.
import { createConnection, type Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { KeyholdError } from '../errors';
import { runExec } from '../export/exec';
import { PROTOCOL_VERSION, ServerMessage, receive, send, type ClientMessage } from '../bridge/protocol';
import { trustedSocket } from '../bridge/socket-path';
import { Interrupted, promptHidden, type CliStreams } from './io';

export type AppOutcome = { ran: true; code: number } | { ran: false; note?: string };

export interface AppRequest {
  argv: readonly string[];
  vault: string;
  /** the command's words ("key show"), shown in the approval */
  command: string;
}

/** Commands that never go through the app: they make or reopen vault files, or need no vault. */
export const LOCAL_ONLY = new Set(['init', 'passwd', 'restore', 'completion', 'agent', '__names']);

function connect(path: string): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => resolve(socket));
    // ENOENT, ECONNREFUSED (a stale socket of an app that quit), ENOTSOCK: no app
    socket.once('error', () => resolve(null));
  });
}

async function open(socketPath: string): Promise<{ socket: Socket } | { note?: string }> {
  if (!existsSync(socketPath)) return {};
  if (!trustedSocket(socketPath)) return { note: `ignoring ${socketPath}: not a socket in a private folder of this user` };
  const socket = await connect(socketPath);
  return socket ? { socket } : {};
}

function readAll(stdin: CliStreams['stdin']): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stdin.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
    stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stdin.on('error', reject);
  });
}

function hello(op: 'run' | 'names', request: AppRequest, streams: CliStreams): ClientMessage {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(streams.env)) if (v !== undefined) env[k] = v;
  return {
    t: 'hello',
    version: PROTOCOL_VERSION,
    op,
    vault: request.vault,
    argv: [...request.argv],
    command: request.command,
    cwd: streams.cwd ?? process.cwd(),
    env,
    tty: {
      stdin: Boolean(streams.stdin.isTTY),
      stdout: Boolean((streams.stdout as { isTTY?: boolean }).isTTY),
      stderr: Boolean(streams.stderr.isTTY),
    },
  };
}

/** Runs the command in the app; `{ran: false}` when the CLI should unlock on its own. */
export async function runThroughApp(socketPath: string, request: AppRequest, streams: CliStreams): Promise<AppOutcome> {
  const opened = await open(socketPath);
  if (!('socket' in opened)) return { ran: false, ...opened };
  const { socket } = opened;
  const real = streams.stdout === process.stdout && streams.stderr === process.stderr && streams.stdin === process.stdin;
  return new Promise<AppOutcome>((resolve, reject) => {
    let done = false;
    const finish = (f: () => void): void => {
      if (done) return;
      done = true;
      f();
    };
    socket.on('error', () => undefined);
    socket.on('close', () =>
      finish(() => reject(new KeyholdError('INTERNAL', 'The desktop app closed the connection before the command ended.'))),
    );
    receive(socket, ServerMessage, (m) => {
      switch (m.t) {
        case 'refused':
          socket.destroy();
          if (m.reason === 'other-vault' || m.reason === 'unidentified') return finish(() => resolve({ ran: false }));
          return finish(() => reject(new KeyholdError('LOCKED', m.message)));
        case 'out':
          streams.stdout.write(Buffer.from(m.b64, 'base64'));
          return;
        case 'err':
          streams.stderr.write(Buffer.from(m.b64, 'base64'));
          return;
        case 'read-stdin':
          readAll(streams.stdin).then(
            (data) => send(socket, { t: 'stdin', data }),
            () => send(socket, { t: 'stdin', data: '' }),
          );
          return;
        case 'prompt':
          promptHidden(m.question, { ...streams, host: undefined }).then(
            (answer) => send(socket, { t: 'prompt-answer', answer }),
            (e: unknown) => {
              send(socket, { t: 'prompt-interrupted' });
              if (!(e instanceof Interrupted))
                streams.stderr.write(`keyhold: ${e instanceof KeyholdError ? e.message : 'cannot prompt'}\n`);
            },
          );
          return;
        case 'exec': {
          const baseEnv: NodeJS.ProcessEnv = { ...process.env, ...streams.env };
          runExec({
            command: m.command,
            args: m.args,
            vars: m.vars,
            baseEnv,
            stdio: real ? 'inherit' : { stdin: streams.stdin, stdout: streams.stdout, stderr: streams.stderr },
            cwd: streams.cwd,
          }).then(
            (r) => send(socket, { t: 'exec-done', code: r.exitCode }),
            () => send(socket, { t: 'exec-done', code: 127 }),
          );
          return;
        }
        case 'exit':
          socket.end();
          return finish(() => resolve({ ran: true, code: m.code }));
        case 'names':
          return;
      }
    });
    send(socket, hello('run', request, streams));
  });
}

/** Key and workspace names from the app, for completion: only when it is unlocked and has
 * approved this program before; otherwise nothing, and never a prompt. */
export async function namesFromApp(
  socketPath: string,
  request: AppRequest,
  streams: CliStreams,
): Promise<{ keys: string[]; workspaces: string[] }> {
  const none = { keys: [], workspaces: [] };
  const opened = await open(socketPath);
  if (!('socket' in opened)) return none;
  const { socket } = opened;
  return new Promise((resolve) => {
    socket.on('error', () => resolve(none));
    socket.on('close', () => resolve(none));
    receive(socket, ServerMessage, (m) => {
      if (m.t === 'names') resolve({ keys: m.keys, workspaces: m.workspaces });
      socket.end();
    });
    send(socket, hello('names', request, streams));
  });
}
