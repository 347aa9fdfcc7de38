// The frame every platform emulator runs in: a Node http server on 127.0.0.1 (port 0 by default)
// with fault knobs (latency, error rate, 429 with Retry-After, dropped connections, and one-shot
// scripted faults) settable at start and at runtime, in process or over HTTP (/__faults).
// Emulators are an independent reading of PLATFORMS.md: nothing here comes from main/.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One-shot faults for the next requests, in order (deterministic, for tests). */
/** 'lose': the platform does the work, then the connection drops before the answer. */
export const FAULT_KINDS = ['error500', 'error503', 'rate429', 'drop', 'lose', 'hang', 'malformed', 'huge'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Faults {
  /** added before every answer */
  latencyMs: number;
  /** share of requests answered 500 before the platform logic runs (0..1) */
  errorRate: number;
  /** share of requests answered 429 with Retry-After (0..1) */
  rateLimitRate: number;
  retryAfterSeconds: number;
  /** share of requests whose connection is destroyed without an answer (0..1) */
  dropRate: number;
  /** size of the 'huge' fault's body, bytes */
  hugeBytes: number;
  /** scripted faults for the next requests; only requests whose path matches queuePath count */
  queue: FaultKind[];
  queuePath: string | null;
}

export const NO_FAULTS: Faults = {
  latencyMs: 0,
  errorRate: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  dropRate: 0,
  hugeBytes: 50 * 1024 * 1024,
  queue: [],
  queuePath: null,
};

export interface EmuRequest {
  method: string;
  /** path without the query */
  path: string;
  /** path and query exactly as sent (what Encord signs as @request-target) */
  target: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** the raw body (Encord signs it byte for byte) */
  raw: Buffer;
  /** base URL of this server, e.g. http://127.0.0.1:4312 */
  base: string;
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  /** serialized as JSON unless it is a string (sent as is) or undefined (no body) */
  body?: unknown;
}

export type EmuHandler = (req: EmuRequest) => EmuResponse | Promise<EmuResponse>;

/** Whether a parse or auth step answered with a response (an error) instead of a value. */
export function isResponse(v: unknown): v is EmuResponse {
  return typeof v === 'object' && v !== null && 'status' in v && typeof (v as EmuResponse).status === 'number';
}

export interface EmulatorServer {
  readonly name: string;
  readonly url: string;
  readonly faults: Faults;
  setFaults(patch: Partial<Faults>): void;
  /** requests seen by the platform logic (after faults) and in total */
  readonly stats: { total: number; handled: number; faulted: number };
  close(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  host?: string;
  faults?: Partial<Faults>;
  /** how a 500/503/429 fault body looks on this platform */
  faultBody?: (status: number, message: string) => unknown;
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: EmuResponse): void {
  const headers: Record<string, string> = { ...(answer.headers ?? {}) };
  let payload: Buffer | undefined;
  if (answer.body !== undefined) {
    payload = Buffer.from(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = String(payload.length);
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
}

/** Streams `bytes` of a never-ending JSON array without holding it in memory. */
function sendHuge(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const chunk = Buffer.from('"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",'.repeat(1000));
  let sent = 0;
  res.write('[');
  const pump = (): void => {
    while (sent < bytes) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end('0]');
  };
  res.on('error', () => undefined);
  pump();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pickFault(faults: Faults, path: string): FaultKind | 'rate' | null {
  if (faults.queue.length && (!faults.queuePath || path.includes(faults.queuePath))) return faults.queue.shift() ?? null;
  if (faults.dropRate > 0 && Math.random() < faults.dropRate) return 'drop';
  if (faults.errorRate > 0 && Math.random() < faults.errorRate) return 'error500';
  if (faults.rateLimitRate > 0 && Math.random() < faults.rateLimitRate) return 'rate429';
  return null;
}

function parseFaultPatch(value: unknown): Partial<Faults> {
  if (typeof value !== 'object' || value === null) throw new Error('faults: expected an object');
  const out: Partial<Faults> = {};
  const v = value as Record<string, unknown>;
  for (const k of ['latencyMs', 'errorRate', 'rateLimitRate', 'retryAfterSeconds', 'dropRate', 'hugeBytes'] as const) {
    if (v[k] === undefined) continue;
    if (typeof v[k] !== 'number' || !Number.isFinite(v[k]) || (v[k] as number) < 0) throw new Error(`faults: ${k} must be a number >= 0`);
    out[k] = v[k] as number;
  }
  if (v.queue !== undefined) {
    if (!Array.isArray(v.queue) || !v.queue.every((q) => (FAULT_KINDS as readonly unknown[]).includes(q))) {
      throw new Error(`faults: queue must list ${FAULT_KINDS.join(', ')}`);
    }
    out.queue = v.queue as FaultKind[];
  }
  if (v.queuePath !== undefined) {
    if (v.queuePath !== null && typeof v.queuePath !== 'string') throw new Error('faults: queuePath must be a string or null');
    out.queuePath = v.queuePath as string | null;
  }
  return out;
}

export async function startEmulator(name: string, handler: EmuHandler, options: StartOptions = {}): Promise<EmulatorServer> {
  const faults: Faults = { ...NO_FAULTS, queue: [], ...(options.faults ?? {}) };
  const stats = { total: 0, handled: 0, faulted: 0 };
  const sockets = new Set<Socket>();
  const faultBody = options.faultBody ?? ((status: number, message: string) => ({ message, status }));
  let base = '';

  const server = createServer((req, res) => {
    void (async () => {
      stats.total++;
      const url = new URL(req.url ?? '/', base);
      const raw = await readBody(req);
      if (raw === null) {
        send(res, { status: 413, body: faultBody(413, 'Request body too large.') });
        return;
      }
      // the runtime fault knob: not part of any platform's API
      if (url.pathname === '/__faults') {
        if (req.method === 'GET') return send(res, { status: 200, body: faults });
        if (req.method === 'POST') {
          try {
            Object.assign(faults, parseFaultPatch(JSON.parse(raw.toString('utf8') || '{}')));
            return send(res, { status: 200, body: faults });
          } catch (e) {
            return send(res, { status: 400, body: { message: e instanceof Error ? e.message : 'bad faults' } });
          }
        }
        return send(res, { status: 405, body: { message: 'GET or POST' } });
      }
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const fault = pickFault(faults, url.pathname);
      if (fault && fault !== 'lose') {
        stats.faulted++;
        switch (fault) {
          case 'drop':
            req.socket.destroy();
            return;
          case 'hang':
            return; // never answers; the client's timeout must fire
          case 'error500':
            return send(res, { status: 500, body: faultBody(500, 'Internal Server Error') });
          case 'error503':
            return send(res, {
              status: 503,
              headers: { 'Retry-After': String(faults.retryAfterSeconds) },
              body: faultBody(503, 'Service Unavailable'),
            });
          case 'rate429':
          case 'rate':
            return send(res, {
              status: 429,
              headers: { 'Retry-After': String(faults.retryAfterSeconds) },
              body: faultBody(429, 'Request was throttled.'),
            });
          case 'malformed':
            return send(res, { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"truncated": [1, 2' });
          case 'huge':
            return sendHuge(res, faults.hugeBytes);
        }
      }
      if (fault === 'lose') stats.faulted++;
      stats.handled++;
      const answer = await handler({
        method: req.method ?? 'GET',
        path: url.pathname,
        target: req.url ?? '/',
        query: url.searchParams,
        headers: req.headers,
        raw,
        base,
      });
      if (fault === 'lose') {
        req.socket.destroy();
        return;
      }
      send(res, answer);
    })().catch(() => {
      if (!res.headersSent) send(res, { status: 500, body: faultBody(500, 'Internal Server Error') });
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://${host}:${port}`;
  return {
    name,
    url: base,
    faults,
    stats,
    setFaults(patch) {
      Object.assign(faults, parseFaultPatch(patch));
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The JSON body of a request, or undefined when there is none; throws on malformed JSON. */
export function jsonBody(req: EmuRequest): unknown {
  const text = req.raw.toString('utf8');
  if (!text.trim()) return undefined;
  return JSON.parse(text);
}

/** Fixed-size random strings from an alphabet (keys, ids, secrets). */
export function randomFrom(alphabet: string, length: number): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
