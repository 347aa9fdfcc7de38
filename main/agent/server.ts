// The agent's socket server: one AgentConnection per client, replies written in order, a broken
// client costs only its own connection. Stopping closes every connection and removes the socket.
import { chmod, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { KeyholdError, systemErrorCode } from '../errors';
import { AgentConnection, type AgentDeps } from './connection';
import { identifyPeer, type Peer } from './peer';
import { failure, FrameDecoder } from './protocol';
import { chooseSocketPlace, type SocketPlace } from './socket-path';

export interface AgentServer {
  /** the socket path, to export as SSH_AUTH_SOCK */
  path: string;
  stop: () => Promise<void>;
}

export interface AgentServerOptions extends AgentDeps {
  /** where to listen; chosen by chooseSocketPlace when not given */
  place?: SocketPlace;
  /** how a client is identified (Linux: ss + /proc); replaceable for platforms without it */
  identify?: (socket: Socket) => Promise<Peer>;
}

/** A socket file left by an agent that died is removed; one that answers belongs to a live agent. */
async function clearStaleSocket(path: string): Promise<void> {
  const alive = await new Promise<boolean>((resolve) => {
    const c = connect(path);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
  if (alive) throw new KeyholdError('CONFLICT', `Another agent already listens on ${path}.`);
  await rm(path, { force: true });
}

const MAX_PENDING = 32;

function serveClient(socket: Socket, opts: AgentServerOptions): void {
  const identify = opts.identify ?? identifyPeer;
  // looked up at once (a few ms of `ss`), so that it is ready by the first sign request
  const peer = identify(socket);
  const conn = new AgentConnection(opts, async () => (await peer).program);
  const decoder = new FrameDecoder();
  let queue: Promise<void> = Promise.resolve();
  let pending = 0;
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    for (const ev of decoder.push(chunk)) {
      if (ev.kind === 'oversize') {
        // a hostile length: answer FAILURE, then close once earlier replies are out
        queue = queue.then(() => {
          if (!socket.destroyed) socket.end(failure());
        });
        return;
      }
      // a client that sends without reading its replies is paused rather than queued without end
      if (++pending >= MAX_PENDING) socket.pause();
      queue = queue.then(async () => {
        const reply = await conn.handle(ev.body);
        if (!socket.destroyed && socket.writable) socket.write(reply);
        if (--pending < MAX_PENDING && socket.isPaused()) socket.resume();
      });
    }
  });
}

export async function startAgentServer(opts: AgentServerOptions): Promise<AgentServer> {
  const place = opts.place ?? (await chooseSocketPlace());
  const isPipe = place.path.startsWith('\\\\');
  if (!isPipe) {
    try {
      await clearStaleSocket(place.path);
    } catch (e) {
      if (systemErrorCode(e) !== 'ENOENT') throw e;
    }
  }
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveClient(socket, opts);
  });
  server.on('error', () => {
    // after listening, errors belong to single connections; the server itself keeps serving
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(place.path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // the folder is 0700 already, so the moment between listen and chmod exposes nothing
  if (!isPipe) await chmod(place.path, 0o600);
  let stopped: Promise<void> | undefined;
  return {
    path: place.path,
    stop: () =>
      (stopped ??= (async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        if (!isPipe) await rm(place.path, { force: true });
        await place.cleanup();
      })()),
  };
}
