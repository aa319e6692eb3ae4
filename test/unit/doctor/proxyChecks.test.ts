import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { proxyChecks } from '../../../agent/doctor/proxyChecks.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function ollamaAt(): Promise<number> {
  const s = http.createServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"version":"0.33.0"}'));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('doctor --proxy', () => {
  it('passes when LISTEN is free and Ollama answers at UPSTREAM', async () => {
    const up = await ollamaAt();
    const listen = await freePort();
    const checks = await proxyChecks(`127.0.0.1:${listen}=127.0.0.1:${up}`, 'darwin');
    expect(checks.map((c) => [c.id, c.ok])).toEqual([
      ['proxy:listen', true],
      ['proxy:upstream', true],
    ]);
    expect(checks[1]!.detail).toContain('0.33.0');
  });

  it('explains the setup when Ollama still holds LISTEN and nothing answers at UPSTREAM (macOS and Linux)', async () => {
    const ollama = await ollamaAt();
    const dead = await freePort();
    const mac = await proxyChecks(`127.0.0.1:${ollama}=127.0.0.1:${dead}`, 'darwin');
    expect(mac[0]).toMatchObject({ id: 'proxy:listen', ok: false, severity: 'warn' });
    expect(mac[0]!.detail).toContain('answers like Ollama');
    expect(mac[1]).toMatchObject({ id: 'proxy:upstream', ok: false, severity: 'error' });
    expect(mac[1]!.fix).toContain(`launchctl setenv OLLAMA_HOST 127.0.0.1:${dead}`);
    const linux = await proxyChecks(`127.0.0.1:${ollama}=127.0.0.1:${dead}`, 'linux');
    expect(linux[1]!.fix).toContain('sudo systemctl edit ollama');
    expect(linux[1]!.fix).toContain(`[Service]\n  Environment="OLLAMA_HOST=127.0.0.1:${dead}"`);
  });
});
