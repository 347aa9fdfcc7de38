import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grantKey, identifyCaller, scriptOf } from './caller';

describe('the calling program', () => {
  it("names an interpreter's script, skipping options and their values", () => {
    expect(scriptOf(['/usr/bin/node', '--import', 'tsx', 'main/cli.ts', 'key', 'list'], '/repo')).toBe('/repo/main/cli.ts');
    expect(scriptOf(['node', '--enable-source-maps', '/opt/keyhold/cli.js', '--json'], '/x')).toBe('/opt/keyhold/cli.js');
    expect(scriptOf(['/usr/bin/keyhold'], '/x')).toBeNull();
    expect(scriptOf(['python3', '-e', 'print(1)'], '/x')).toBeNull();
  });

  it('identifies a real client by executable, uid and parent shell, and binds a grant to that parent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-caller-'));
    const path = join(dir, 's.sock');
    const accepted: Socket[] = [];
    const server = createServer((s) => accepted.push(s));
    await new Promise<void>((r) => server.listen(path, r));
    // sh runs a child (not exec'd in its place, thanks to "; true") that connects and waits
    const client = spawn('sh', ['-c', `'${process.execPath}' -e "require('net').connect('${path}'); setTimeout(() => {}, 30000)"; true`]);
    try {
      while (accepted.length === 0) await new Promise((r) => setTimeout(r, 20));
      const caller = await identifyCaller(accepted[0]!);
      expect(caller).not.toBeNull();
      expect(caller!.program).toBe(process.execPath);
      expect(caller!.uid).toBe(process.getuid!());
      expect(caller!.parent!.pid).toBe(client.pid);
      expect(caller!.parent!.program).toMatch(/sh$/);
      expect(caller!.ancestors[0]!.pid).toBe(process.pid);
      expect(grantKey(caller!)).not.toBe(grantKey(caller!, caller!.ancestors[0]!));
    } finally {
      client.kill('SIGKILL');
      for (const s of accepted) s.destroy();
      server.close();
    }
  }, 30_000);
});
