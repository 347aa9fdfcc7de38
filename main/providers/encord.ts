// Encord public API v2 (PLATFORMS.md): requests signed with an ed25519 access key. The private key
// never comes here: the provider gets the public key id and a `sign(bytes)` callback from the
// service layer. Registration has no API: Keyhold guides the user and records it; a signed
// GET /v2/public/projects checks that the key is registered.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { KeyholdError } from '../errors';
import { HttpClient, type Method, type PlatformError } from './http';
import { CAPABILITIES, type ProviderOptions, type RemoteEnvironment, type RemoteKey, type RemotePlatform } from './types';

export const ENCORD_URL = 'https://api.encord.com';
/** where a user registers a public key by hand (service accounts: Workspace settings) */
export const ENCORD_KEYS_PAGE = 'https://app.encord.com/settings/public-keys';

export type Signer = (bytes: Uint8Array) => Uint8Array | Promise<Uint8Array>;

const ProjectItem = z.object({ projectHash: z.string(), title: z.string().nullish(), description: z.string().nullish() });
const Page = z.object({ results: z.array(ProjectItem), nextPageToken: z.string().nullish() });

export function encordError(_status: number, body: unknown): PlatformError | null {
  const parsed = z.union([z.object({ message: z.string() }), z.object({ detail: z.string() })]).safeParse(body);
  if (!parsed.success) return null;
  const message = 'message' in parsed.data ? parsed.data.message : parsed.data.detail;
  return { message, conflict: /already (registered|exists)/i.test(message) };
}

/** The signature base of PLATFORMS.md: four lines, no trailing newline. */
export function signatureBase(method: string, target: string, contentDigest: string, params: string): string {
  return [
    `"@method": ${method}`,
    `"@request-target": ${target}`,
    `"content-digest": ${contentDigest}`,
    `"@signature-params": ${params}`,
  ].join('\n');
}

/** Content-Digest, Signature-Input and Signature for one request. */
export async function signRequest(input: {
  method: Method;
  target: string;
  body: Uint8Array;
  keyId: string;
  sign: Signer;
  nowSeconds?: number;
}): Promise<Record<string, string>> {
  const digest = `sha-256=:${createHash('sha256').update(input.body).digest('base64')}:`;
  const created = Math.floor(input.nowSeconds ?? Date.now() / 1000) - 30;
  const params = `("@method" "@request-target" "content-digest");created=${created};keyid="${input.keyId}";alg="ed25519"`;
  const signature = await input.sign(new TextEncoder().encode(signatureBase(input.method, input.target, digest, params)));
  if (signature.length !== 64) throw new KeyholdError('INTERNAL', 'Encord: the signer gave a signature of the wrong size.');
  return {
    'Content-Digest': digest,
    'Signature-Input': `encord-sig=${params}`,
    Signature: `encord-sig=:${Buffer.from(signature).toString('base64')}:`,
  };
}

export interface RegistrationGuide {
  url: string;
  steps: string[];
}

export class EncordProvider implements RemotePlatform {
  readonly provider = 'encord' as const;
  readonly capabilities = CAPABILITIES.encord;
  private readonly http: HttpClient;

  /** keyId: the raw ed25519 public key in hex (64 characters) */
  constructor(
    readonly keyId: string,
    sign: Signer,
    options: ProviderOptions = {},
  ) {
    if (!/^[0-9a-f]{64}$/.test(keyId)) throw new KeyholdError('INVALID_INPUT', 'Encord: the key id must be the 32-byte public key in hex.');
    this.http = new HttpClient({
      platform: 'Encord',
      baseUrl: options.baseUrl ?? ENCORD_URL,
      errorMessage: encordError,
      ...options,
      sign: ({ method, target, body }) => signRequest({ method, target, body, keyId, sign }),
    });
  }

  /** A signed GET /v2/public/projects: 200 means the key is registered and signs correctly. */
  async check(): Promise<{ identity: string }> {
    await this.http.request({ method: 'GET', path: '/v2/public/projects', query: { pageSize: 1 }, schema: Page });
    return { identity: this.keyId };
  }

  async listEnvironments(): Promise<RemoteEnvironment[]> {
    const out: RemoteEnvironment[] = [];
    let token: string | null | undefined;
    for (let pages = 0; pages < 1000; pages++) {
      const res = await this.http.request({
        method: 'GET',
        path: '/v2/public/projects',
        query: { pageSize: 100, pageToken: token ?? undefined },
        schema: Page,
      });
      out.push(
        ...res.data.results.map((p) => ({ remoteId: p.projectHash, name: p.title || p.projectHash, description: p.description ?? '' })),
      );
      token = res.data.nextPageToken;
      if (!token) break;
    }
    return out;
  }

  /** Encord lists no access keys over the public API. */
  async listKeys(): Promise<RemoteKey[]> {
    return [];
  }

  static registrationGuide(publicKeyLine: string, holder: 'service_account' | 'user' = 'service_account'): RegistrationGuide {
    return {
      url: ENCORD_KEYS_PAGE,
      steps: [
        holder === 'service_account'
          ? 'Open Workspace Settings > Service Accounts, open the service account, click "New API key".'
          : 'Open User settings > API keys and click "New Key".',
        `Paste the public key: ${publicKeyLine}`,
        'Give it a title and click "Add API key" (a key that is already registered is refused).',
        'Come back and confirm: Keyhold then checks the key with a signed request.',
      ],
    };
  }
}
