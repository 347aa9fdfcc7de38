// For tests: a loopback HTTP server that answers 200 only to the one HTTP Basic credential it
// was given (as Rancher's API does), and 401 with a Basic challenge otherwise.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BasicAuthServer {
  url: string;
  /** the user:password pairs it saw, decoded (for assertions) */
  seen: string[];
  close(): Promise<void>;
}

export async function startBasicAuthServer(user: string, password: string): Promise<BasicAuthServer> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    const header = req.headers.authorization ?? '';
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
    const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : null;
    if (decoded !== null) seen.push(decoded);
    if (decoded === `${user}:${password}`) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('authorized');
    } else {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end('unauthorized');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2-beta/`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
