// The token parser runs before authentication, on every request and upgrade. A
// malformed percent-encoding in the cookie once threw a URIError out of the upgrade handler and
// stopped the agent (and gave a 500 on plain HTTP). Now any cookie is "no token": 401, and the
// process stays up.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieToken } from '../../agent/http/accessGuard.js';
import { startAgentProcess, type AgentProcess } from '../helpers/agentProcess.js';
import { useTmpDir } from '../helpers/tmp.js';
import { portOf, raw, upgradeStatus } from './http.js';

const MALFORMED = ['%', '%zz', '%E0%A4%A', 'abc%', '%uD800', '%ED%A0%80', '=%=', ''];

describe('cookieToken is total', () => {
  it.each(MALFORMED)('cookie value %j gives null or a string, never a throw', (v) => {
    expect(() => cookieToken(`ollama_lens_token=${v}`)).not.toThrow();
  });
  it('reads a well-formed value and ignores malformed neighbours', () => {
    expect(cookieToken('ollama_lens_token=%')).toBeNull();
    expect(cookieToken('x=%; ollama_lens_token=a%3Db')).toBe('a=b');
    expect(cookieToken(' ollama_lens_token = abc ')).toBe('abc');
    expect(cookieToken('ollama_lens_tokenx=abc')).toBeNull();
  });
});

describe('a malformed token cookie against the real agent (token mode)', () => {
  const tmp = useTmpDir();
  const token = 'f00dcafe0123456789abcdef';
  let agent: AgentProcess;
  let port: number;
  beforeAll(async () => {
    const dir = tmp();
    agent = await startAgentProcess(['--log', join(dir, 'server.log'), '--port', '0', '--data-dir', join(dir, 'data'), '--token', token]);
    port = portOf(agent.url);
  });
  afterAll(async () => {
    await agent?.stop('SIGKILL');
  });

  it('answers 401 to every malformed cookie on /ws and on HTTP, and keeps running', async () => {
    for (const v of MALFORMED) {
      const cookie = `ollama_lens_token=${v}`;
      expect(await upgradeStatus(port, { cookie }), cookie).toBe('401');
      const res = await raw(port, '/api/health', { cookie });
      expect(res.status, cookie).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect(agent.child.exitCode).toBeNull();
    const ok = await raw(port, '/api/health', { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(await upgradeStatus(port, { cookie: `ollama_lens_token=${encodeURIComponent(token)}` })).toBe('open');
  });
});
