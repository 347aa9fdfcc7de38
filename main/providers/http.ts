// The one HTTP client of every provider. HTTPS only (plain HTTP only to loopback, for the
// emulators), a timeout per attempt, bounded retries with backoff for idempotent calls,
// Retry-After on 429 / 503, a cap on the answer's size (read as a stream, never whole), answers
// parsed with zod, and failures turned into KeyholdError REMOTE / CONFLICT carrying the
// platform's own message and a remote failure {status, reason} that callers and the UI read
// instead of the message. Nothing secret (credentials, headers, body fields) ever reaches an
// error message. Redirects are never followed: a credential must not go where it was not sent.
import { type z } from 'zod';
import { KeyholdError, type RemoteFailureReason } from '../errors';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PlatformError {
  message: string;
  /** the platform said "already exists / already in use" */
  conflict?: boolean;
}

export interface HttpClientOptions {
  /** display name in messages: "Rancher" */
  platform: string;
  baseUrl: string;
  /** per attempt, including reading the answer */
  timeoutMs?: number;
  /** extra attempts for idempotent calls (and for any call the server refused with 429/503) */
  retries?: number;
  backoffMs?: number;
  /** a longer Retry-After fails the call instead of waiting */
  maxRetryAfterMs?: number;
  maxResponseBytes?: number;
  /** headers sent with every request (auth); their values are treated as secrets */
  headers?: () => Record<string, string>;
  /** headers computed per attempt from the exact request (Encord's signature) */
  sign?: (req: { method: Method; target: string; body: Buffer }) => Promise<Record<string, string>> | Record<string, string>;
  /** reads the platform's error body into its message */
  errorMessage?: (status: number, body: unknown) => PlatformError | null;
}

export interface HttpRequest<S extends z.ZodType> {
  method: Method;
  /** a path under baseUrl, or an absolute URL on the same origin (paging links) */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  schema: S;
  /** default: GET, PUT, DELETE are; POST and PATCH are not */
  idempotent?: boolean;
  /** per-call headers (their values are secrets too) */
  headers?: Record<string, string>;
  /** values to keep out of error messages besides the headers and the body's secret-named fields */
  secrets?: readonly string[];
  /** statuses that are not errors besides 2xx (e.g. 404 on a probe) */
  accept?: number[];
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

export const DEFAULTS = {
  timeoutMs: 15_000,
  retries: 3,
  backoffMs: 150,
  maxRetryAfterMs: 30_000,
  maxResponseBytes: 5 * 1024 * 1024,
};

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

/** Parses a base URL and refuses anything but HTTPS, or plain HTTP to the loopback. */
export function checkBaseUrl(raw: string, platform = 'Remote'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KeyholdError('INVALID_INPUT', `${platform}: not a URL.`);
  }
  if (url.username || url.password) throw new KeyholdError('INVALID_INPUT', `${platform}: the URL must not carry credentials.`);
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname))) return url;
  throw new KeyholdError('INVALID_INPUT', `${platform}: only https:// URLs are allowed (plain http only to this machine).`);
}

/** Seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class TooLarge extends Error {}

/** Reads at most `max` bytes of a body; refuses early on Content-Length, cancels the stream past it. */
async function readCapped(res: Response, max: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new TooLarge();
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Header values and their parts (a Bearer token, a Basic pair's secret), to keep out of messages. */
function secretsOf(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const v of Object.values(headers)) {
    out.push(v);
    for (const word of v.split(/\s+/)) {
      if (word.length >= 8) out.push(word);
      const decoded = /^[A-Za-z0-9+/]+=*$/.test(word) ? Buffer.from(word, 'base64').toString('utf8') : '';
      if (/^[\x20-\x7e]+:[\x20-\x7e]+$/.test(decoded)) out.push(...decoded.split(':').filter((p) => p.length >= 8));
    }
  }
  return out.sort((a, b) => b.length - a.length);
}

/** Body fields whose values are secrets (a login's password, a token), at any depth. */
const SECRET_FIELD = /pass(word|phrase)?|secret|token|api_?key|private/i;

function bodySecrets(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 8 || typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' && SECRET_FIELD.test(k)) out.push(v);
    else bodySecrets(v, out, depth + 1);
  }
  return out;
}

/** A message safe to show: no known secret, one line, bounded. A hex secret is matched in any
 * case, as a platform may echo a key upper-cased. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text.replace(/\s+/g, ' ').trim();
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    out = /^[0-9a-f]+$/i.test(s) ? out.replace(new RegExp(s, 'gi'), '[redacted]') : out.split(s).join('[redacted]');
  }
  return out.length > 300 ? `${out.slice(0, 297)}...` : out;
}

function describeZod(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(answer)'}: ${i.code.replace(/_/g, ' ')}`)
    .join('; ');
}

type Attempt = { kind: 'answer'; res: Response; body: Buffer } | { kind: 'network'; reason: string };

export class HttpClient {
  readonly base: URL;
  private readonly opts: Required<Pick<HttpClientOptions, 'timeoutMs' | 'retries' | 'backoffMs' | 'maxRetryAfterMs' | 'maxResponseBytes'>> &
    HttpClientOptions;

  constructor(options: HttpClientOptions) {
    this.base = checkBaseUrl(options.baseUrl, options.platform);
    this.opts = { ...DEFAULTS, ...options };
  }

  get platform(): string {
    return this.opts.platform;
  }

  private resolve(path: string, query?: HttpRequest<z.ZodType>['query']): URL {
    const prefix = this.base.pathname.replace(/\/$/, '');
    const full = path.startsWith('/') && prefix && !path.startsWith(`${prefix}/`) ? `${prefix}${path}` : path;
    const url = new URL(full, this.base);
    // never follow a link to another host with our credentials
    if (url.origin !== this.base.origin) {
      throw new KeyholdError('REMOTE', `${this.platform}: the answer pointed to another host; refused.`, {
        remote: { status: null, reason: 'refused' },
      });
    }
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  private fail(
    code: 'REMOTE' | 'CONFLICT',
    text: string,
    secrets: readonly string[],
    reason: RemoteFailureReason,
    status?: number,
  ): KeyholdError {
    const msg = `${this.platform}: ${scrub(text, secrets)}${status !== undefined ? ` (HTTP ${status})` : ''}`;
    return new KeyholdError(code, msg, { remote: { status: status ?? null, reason } });
  }

  private async attempt(method: Method, url: URL, headers: Record<string, string>, body: Buffer | undefined): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.opts.timeoutMs);
    try {
      const res = await fetch(url, {
        method,
        headers,
        body: body ? new Uint8Array(body) : undefined,
        signal: controller.signal,
        redirect: 'manual',
      });
      const data = await readCapped(res, this.opts.maxResponseBytes);
      return { kind: 'answer', res, body: data };
    } catch (e) {
      if (e instanceof TooLarge) throw e;
      if (controller.signal.aborted) return { kind: 'network', reason: `no answer within ${Math.round(this.opts.timeoutMs / 100) / 10} s` };
      return { kind: 'network', reason: 'the connection failed' };
    } finally {
      clearTimeout(timer);
    }
  }

  async request<S extends z.ZodType>(req: HttpRequest<S>): Promise<HttpResponse<z.output<S>>> {
    const url = this.resolve(req.path, req.query);
    const bodyBuf = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const fixed = { ...(this.opts.headers?.() ?? {}), ...(req.headers ?? {}) };
    const secrets = [...secretsOf(fixed), ...bodySecrets(req.body), ...(req.secrets ?? [])].sort((a, b) => b.length - a.length);
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE');
    const target = `${url.pathname}${url.search}`;
    let lastProblem: KeyholdError | undefined;

    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'Keyhold', ...fixed };
      if (bodyBuf) headers['Content-Type'] = 'application/json';
      if (this.opts.sign) Object.assign(headers, await this.opts.sign({ method: req.method, target, body: bodyBuf ?? Buffer.alloc(0) }));
      let result: Attempt;
      try {
        result = await this.attempt(req.method, url, headers, bodyBuf);
      } catch (e) {
        if (e instanceof TooLarge)
          throw this.fail(
            'REMOTE',
            `the answer is larger than ${Math.round(this.opts.maxResponseBytes / 1024 / 1024)} MB; refused`,
            secrets,
            'server',
          );
        throw e;
      }
      const last = attempt === this.opts.retries;
      if (result.kind === 'network') {
        lastProblem = this.fail('REMOTE', `could not reach ${this.base.host}: ${result.reason}`, secrets, 'unreachable');
        // a POST that creates may have been done: never resend it blindly
        if (!idempotent || last) throw lastProblem;
        await sleep(this.backoff(attempt));
        continue;
      }
      const { res, body } = result;
      const status = res.status;
      if ((status >= 200 && status < 300) || req.accept?.includes(status)) {
        return { status, headers: res.headers, data: this.parse(req.schema, body, status, secrets) };
      }
      if (status >= 300 && status < 400) throw this.redirected(status, res.headers.get('location'), url, secrets);
      const refused = status === 429 || status === 503;
      const transient = refused || status === 500 || status === 502 || status === 504;
      const problem = this.errorFor(status, body, secrets);
      lastProblem = problem;
      // 429/503 say the server did not do it, so even a POST may be sent again
      if (!transient || last || (!idempotent && !refused)) throw problem;
      const wait = refused ? retryAfterMs(res.headers.get('retry-after')) : undefined;
      if (wait !== undefined && wait > this.opts.maxRetryAfterMs) throw problem;
      await sleep(wait ?? this.backoff(attempt));
    }
    throw lastProblem ?? this.fail('REMOTE', 'the request failed', secrets, 'refused');
  }

  private backoff(attempt: number): number {
    const base = this.opts.backoffMs * 2 ** attempt;
    return Math.min(base + Math.random() * base, 5_000);
  }

  private parse<S extends z.ZodType>(schema: S, body: Buffer, status: number, secrets: readonly string[]): z.output<S> {
    let value: unknown = null;
    const text = body.toString('utf8');
    if (text.trim()) {
      try {
        value = JSON.parse(text);
      } catch {
        throw this.fail('REMOTE', 'the answer is not valid JSON', secrets, 'server', status);
      }
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw this.fail('REMOTE', `unexpected answer (${describeZod(parsed.error)})`, secrets, 'server', status);
    return parsed.data;
  }

  private errorFor(status: number, body: Buffer, secrets: readonly string[]): KeyholdError {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      value = undefined;
    }
    const platform = value === undefined ? null : (this.opts.errorMessage?.(status, value) ?? null);
    const text = platform?.message || defaultMessage(status);
    return this.fail(platform?.conflict || status === 409 ? 'CONFLICT' : 'REMOTE', text, secrets, remoteReasonFor(status), status);
  }

  /** A redirect is reported, not followed. Only the target's host is named: its path or query may
   * carry a token. */
  private redirected(status: number, location: string | null, from: URL, secrets: readonly string[]): KeyholdError {
    let host: string | null;
    try {
      host = location ? new URL(location, from).host : null;
    } catch {
      host = null;
    }
    const where = host ? ` to ${host}` : '';
    return this.fail(
      'REMOTE',
      `the platform answered with a redirect${where}, which Keyhold does not follow; check the workspace URL`,
      secrets,
      'refused',
      status,
    );
  }
}

/** What an error status says about a failure (no answer and redirects are told apart elsewhere). */
function remoteReasonFor(status: number): RemoteFailureReason {
  if (status === 401) return 'auth';
  if (status === 403) return 'scope';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'refused';
}

function defaultMessage(status: number): string {
  if (status === 401) return 'not authorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not found';
  if (status === 429) return 'too many requests';
  if (status >= 500) return 'the platform failed';
  return 'the request was refused';
}

/** Whether an error is a platform's answer with one of these statuses. */
export function hasStatus(e: unknown, ...statuses: number[]): boolean {
  return e instanceof KeyholdError && e.status !== undefined && statuses.includes(e.status);
}

/** A platform failure that may go away (network, 5xx, 429), as opposed to a refusal. */
export function isTransient(e: unknown): boolean {
  return e instanceof KeyholdError && e.code === 'REMOTE' && (e.status === undefined || e.status >= 500 || e.status === 429);
}
