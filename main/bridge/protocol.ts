// The app socket's messages: one JSON object per line, parsed with zod on both sides. The CLI
// says what to run (`hello`); the app answers refused, or runs it and streams the output back,
// asking the CLI for what only the caller's side has: its standard input, a prompt on its
// terminal, and starting `exec`'s command there. Secrets cross only as a command's own output
// (key show --reveal) or exec's variables: never the master key.
import type { Socket } from 'node:net';
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;

export const ClientMessage = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('hello'),
    version: z.literal(PROTOCOL_VERSION),
    op: z.enum(['run', 'names']),
    vault: z.string().max(4096),
    argv: z.array(z.string().max(65536)).max(4096),
    /** the command's words ("key show"), for the approval */
    command: z.string().max(200),
    cwd: z.string().max(4096),
    env: z.record(z.string(), z.string()),
    tty: z.object({ stdin: z.boolean(), stdout: z.boolean(), stderr: z.boolean() }),
  }),
  z.object({ t: z.literal('stdin'), data: z.string() }),
  z.object({ t: z.literal('prompt-answer'), answer: z.string().max(65536) }),
  z.object({ t: z.literal('prompt-interrupted') }),
  z.object({ t: z.literal('exec-done'), code: z.number().int() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const REFUSALS = ['locked', 'denied', 'other-vault', 'unidentified', 'busy'] as const;

export const ServerMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('refused'), reason: z.enum(REFUSALS), message: z.string() }),
  z.object({ t: z.literal('out'), b64: z.string() }),
  z.object({ t: z.literal('err'), b64: z.string() }),
  z.object({ t: z.literal('read-stdin') }),
  z.object({ t: z.literal('prompt'), question: z.string() }),
  z.object({ t: z.literal('exec'), command: z.string(), args: z.array(z.string()), vars: z.record(z.string(), z.string()) }),
  z.object({ t: z.literal('names'), keys: z.array(z.string()), workspaces: z.array(z.string()) }),
  z.object({ t: z.literal('exit'), code: z.number().int() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** At most this much in one line: a command's whole standard input fits, a runaway peer does not. */
const MAX_LINE = 64 * 1024 * 1024;

export function send(socket: Socket, message: ClientMessage | ServerMessage): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
}

/** Calls `onMessage` for each line `socket` receives that `schema` accepts; a bad line ends it. */
export function receive<T>(socket: Socket, schema: z.ZodType<T>, onMessage: (m: T) => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    if (buffer.length > MAX_LINE) {
      socket.destroy();
      return;
    }
    let nl: number;
    while ((nl = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let parsed: T;
      try {
        parsed = schema.parse(JSON.parse(line));
      } catch {
        socket.destroy();
        return;
      }
      onMessage(parsed);
    }
  });
}
