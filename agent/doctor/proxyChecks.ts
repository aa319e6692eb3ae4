// `ollama-lens doctor --proxy LISTEN=UPSTREAM`: is LISTEN free for the proxy, does Ollama answer at
// UPSTREAM, and — when not — how to move Ollama there on this system (macOS app, Linux systemd).
import http from 'node:http';
import net from 'node:net';
import type { DoctorCheck, DoctorReport } from './types.js';
import { formatHostPort, parseProxySpec, type HostPort, type ProxySpec } from '../proxy/proxySpec.js';

/** How to move Ollama to UPSTREAM and put the proxy in front, for this system. */
export function proxySetup(spec: ProxySpec, platform: string): string {
  const listen = formatHostPort(spec.listen);
  const upstream = formatHostPort(spec.upstream);
  const run = `Then run \`ollama-lens --proxy ${listen}=${upstream}\`: clients keep using http://${listen}, and the agent forwards to Ollama at ${upstream}.`;
  switch (platform) {
    case 'darwin':
      return (
        `Move the Ollama app to ${upstream}: \`launchctl setenv OLLAMA_HOST ${upstream}\`, then quit Ollama (menu bar icon → Quit Ollama) and open it again.\n` +
        '(launchctl setenv lasts until you log out or restart; set it again at login, e.g. from a LaunchAgent, to keep it.)\n' +
        run
      );
    case 'linux':
      return (
        `Move the ollama service to ${upstream}: \`sudo systemctl edit ollama\` and add\n` +
        `  [Service]\n  Environment="OLLAMA_HOST=${upstream}"\n` +
        'then `sudo systemctl daemon-reload && sudo systemctl restart ollama`.\n' +
        `If you start \`ollama serve\` yourself: \`OLLAMA_HOST=${upstream} ollama serve\`.\n` +
        run
      );
    default:
      return `Start Ollama with the environment variable OLLAMA_HOST=${upstream} (restart it after setting it).\n` + run;
  }
}

/** Whether LISTEN can be bound now: null when free, else the error code. */
export function listenError(hp: HostPort): Promise<string | null> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    s.listen(hp.port, hp.host, () => s.close(() => resolve(null)));
  });
}

/** Ollama's version at `hp`, or the reason it did not answer. */
export function ollamaVersion(hp: HostPort, timeoutMs: number): Promise<{ version: string | null; error: string | null }> {
  return new Promise((resolve) => {
    const req = http.get({ host: hp.host, port: hp.port, path: '/api/version', timeout: timeoutMs, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c.slice(0, 4096)));
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve({ version: null, error: `HTTP ${res.statusCode}` });
        try {
          const v = (JSON.parse(text) as { version?: unknown }).version;
          resolve(typeof v === 'string' ? { version: v, error: null } : { version: null, error: 'not an Ollama API (no version)' });
        } catch {
          resolve({ version: null, error: 'not an Ollama API (not JSON)' });
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ version: null, error: err.code ?? err.message }));
  });
}

export async function proxyChecks(raw: string, platform: string, timeoutMs = 2000): Promise<DoctorCheck[]> {
  const spec = parseProxySpec(raw);
  const listen = formatHostPort(spec.listen);
  const upstream = formatHostPort(spec.upstream);
  const setup = proxySetup(spec, platform);
  const [bindError, up] = await Promise.all([listenError(spec.listen), ollamaVersion(spec.upstream, timeoutMs)]);
  const checks: DoctorCheck[] = [];

  const listenBase = { id: 'proxy:listen', title: `Proxy LISTEN ${listen}` };
  if (bindError === null) {
    checks.push({ ...listenBase, ok: true, severity: 'error', detail: 'free: the proxy can listen there', fix: null });
  } else if (bindError === 'EADDRINUSE') {
    const there = await ollamaVersion(spec.listen, timeoutMs);
    checks.push({
      ...listenBase,
      ok: false,
      severity: 'warn',
      detail:
        there.version !== null
          ? `in use by something that answers like Ollama (version ${there.version}): Ollama itself, or an ollama-lens already running with --proxy`
          : 'in use by another program',
      fix:
        there.version !== null
          ? `If it is Ollama itself, move it to ${upstream}.\n${setup}`
          : `Pick a free LISTEN port, or stop what listens there (\`lsof -nP -iTCP:${spec.listen.port} -sTCP:LISTEN\` names it).`,
    });
  } else {
    checks.push({
      ...listenBase,
      ok: false,
      severity: 'error',
      detail: `cannot listen there (${bindError})`,
      fix:
        bindError === 'EACCES'
          ? 'Ports below 1024 need privileges: use a port such as 11434.'
          : `Use an address of this machine, e.g. 127.0.0.1:${spec.listen.port}.`,
    });
  }

  const upBase = { id: 'proxy:upstream', severity: 'error' as const, title: `Ollama behind the proxy at ${upstream}` };
  checks.push(
    up.version !== null
      ? { ...upBase, ok: true, detail: `answers, version ${up.version}`, fix: null }
      : { ...upBase, ok: false, detail: `does not answer (${up.error})`, fix: setup },
  );
  return checks;
}

/** Adds the proxy's checks to a doctor report (an `error` failure makes it not ok). */
export async function addProxyChecks(report: DoctorReport, raw: string, platform: string, timeoutMs?: number): Promise<void> {
  const checks = await proxyChecks(raw, platform, timeoutMs);
  report.checks.push(...checks);
  if (checks.some((c) => !c.ok && c.severity === 'error')) report.ok = false;
}
