// The fleet path against a real Prometheus (Debian's `prometheus` package; .ci/run installs it): a
// demo agent started with --token is scraped with the bearer token from a credentials_file, and
// Prometheus' own HTTP API must show the target up, the request, token, tok/s, memory and incident
// series with their labels, and every query of docs/grafana-dashboard.json must evaluate (with data
// for every panel a short demo fills). `promtool check metrics` finds nothing wrong with the agent's
// own metric families.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentProcess, type AgentProcess } from '../helpers/agentProcess.js';
import { until } from '../helpers/until.js';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';
const available = existsSync(PROMETHEUS) && existsSync(PROMTOOL);
if (!available) {
  console.warn(
    `\n*** SKIPPED: the real-Prometheus test needs ${PROMETHEUS} and ${PROMTOOL} ` +
      '(Debian: apt-get install prometheus; .ci/run installs it). The fleet path is NOT checked against Prometheus. ***\n',
  );
}

const TOKEN = 'prometheus-test-token';
const DASHBOARD = join(import.meta.dirname, '..', '..', 'docs', 'grafana-dashboard.json');
/** What Grafana would put for its variables here: every instance, and a window of several 2 s scrapes. */
const GRAFANA_VARS: Record<string, string> = { instance: '.+', __rate_interval: '30s', __interval: '5s', __range: '1m' };
/** Panels a minute of the demo may leave empty (no alert need fire in it). */
const MAY_BE_EMPTY = new Set(['Alerts firing']);

interface Panel {
  title: string;
  targets?: { expr?: string }[];
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

let dir = '';
let agent: AgentProcess | null = null;
let prometheus: ChildProcess | null = null;
let prometheusOut = '';
let promUrl = '';
let target = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function query(expr: string): Promise<{ ok: true; result: Sample[] } | { ok: false; error: string }> {
  const res = await fetch(`${promUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: Sample[] } };
  if (body.status !== 'success') return { ok: false, error: `${res.status} ${body.error ?? JSON.stringify(body)}` };
  return { ok: true, result: body.data!.result };
}

/** Samples of `expr`, once it has some (Prometheus scrapes every second). */
async function series(expr: string): Promise<Sample[]> {
  return until(async () => {
    const r = await query(expr);
    return r.ok && r.result.length > 0 ? r.result : undefined;
  }, 45_000).catch(async () => {
    throw new Error(`no data for ${expr}; targets: ${await targets()}; prometheus said:\n${prometheusOut.slice(-2000)}`);
  });
}

/** The scrape's health as Prometheus sees it, for failure messages. */
async function targets(): Promise<string> {
  const body = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as {
    data: { activeTargets: { health: string; lastError: string; lastScrapeDuration: number }[] };
  };
  return JSON.stringify(
    body.data.activeTargets.map(({ health, lastError, lastScrapeDuration }) => ({ health, lastError, lastScrapeDuration })),
  );
}

const substitute = (expr: string): string => expr.replace(/\$\{?(\w+)\}?/g, (m, name: string) => GRAFANA_VARS[name] ?? m);

describe.skipIf(!available)('a real Prometheus scraping the agent', () => {
  beforeAll(async () => {
    agent = await startAgentProcess(['demo', '--port', '0', '--token', TOKEN], { OLLAMA_LENS_DEMO_SPEED: '3' }, 30_000);
    target = new URL(agent.url).host;
    // Not useTmpDir: that one is emptied after each test, and Prometheus reads it throughout.
    dir = mkdtempSync(join(tmpdir(), 'ollama-lens-prometheus-'));
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, TOKEN, { mode: 0o600 });
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 2s',
        '  evaluation_interval: 2s',
        'scrape_configs:',
        '  - job_name: ollama-lens',
        '    scrape_interval: 2s',
        '    scrape_timeout: 2s',
        '    authorization:',
        '      type: Bearer',
        `      credentials_file: ${tokenFile}`,
        '    static_configs:',
        `      - targets: ['${target}']`,
        '',
      ].join('\n'),
    );
    const check = spawnSync(PROMTOOL, ['check', 'config', config], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    mkdirSync(join(dir, 'tsdb'));
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS,
      [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (d: Buffer) => (prometheusOut += d.toString()));
    prometheus.stderr!.on('data', (d: Buffer) => (prometheusOut += d.toString()));
    await until(async () => (await fetch(`${promUrl}/-/ready`).catch(() => null))?.ok, 30_000).catch(() => {
      throw new Error(`prometheus did not get ready:\n${prometheusOut}`);
    });
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await agent?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes the agent with the bearer token from a credentials_file: up == 1', async () => {
    const up = await series(`up{job="ollama-lens"} == 1`);
    expect(up).toHaveLength(1);
    expect(up[0]!.metric).toMatchObject({ instance: target, job: 'ollama-lens' });
    // And without the token the agent refuses the scrape (so the 1 above is the token's doing).
    expect((await fetch(`${agent!.url}/metrics`)).status).toBe(401);
  }, 60_000);

  it('receives request, token, tok/s, memory and incident series with their labels', async () => {
    const requests = await series('ollama_lens_requests_total{kind="inference"}');
    expect(Object.keys(requests[0]!.metric).sort()).toEqual(['__name__', 'backend', 'instance', 'job', 'kind', 'model', 'status_class']);
    expect(requests.some((s) => s.metric.model !== 'unknown' && s.metric.backend !== 'unknown')).toBe(true);

    const tokens = await series('gen_ai_client_token_usage_sum');
    expect(new Set(tokens.map((s) => s.metric.gen_ai_token_type))).toContain('input');
    expect(tokens[0]!.metric).toMatchObject({ gen_ai_provider_name: 'ollama' });
    expect(tokens[0]!.metric.gen_ai_request_model).toBeTruthy();

    const decode = await series('ollama_lens_decode_tokens_per_second_bucket{le="+Inf"}');
    expect(Object.keys(decode[0]!.metric).sort()).toEqual(['__name__', 'backend', 'engine', 'instance', 'job', 'le', 'model']);
    expect(Number(decode[0]!.value[1])).toBeGreaterThan(0);

    const memory = await series('ollama_lens_memory_used_bytes');
    expect(Number(memory[0]!.value[1])).toBeGreaterThan(0);
    await series('ollama_lens_memory_available_bytes');

    const incidents = await series('ollama_lens_incidents_total');
    expect(incidents[0]!.metric.kind).toMatch(/^[a-z_]+$/);
    expect(Object.keys(incidents[0]!.metric).sort()).toEqual(['__name__', 'instance', 'job', 'kind', 'model']);
  }, 90_000);

  it('evaluates every query of the Grafana dashboard, with data for every panel the demo fills', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      panels: Panel[];
      templating: { list: { name: string; query?: unknown }[] };
    };
    // The instance variable: Grafana's label_values(ollama_lens_build_info, instance), through the label API.
    const instances = await until(async () => {
      const res = await fetch(`${promUrl}/api/v1/label/instance/values?${new URLSearchParams({ 'match[]': 'ollama_lens_build_info' })}`);
      const body = (await res.json()) as { status: string; data: string[] };
      return body.status === 'success' && body.data.length > 0 ? body.data : undefined;
    }, 45_000);
    expect(instances).toEqual([target]);

    const panels = dashboard.panels.filter((p) => (p.targets ?? []).some((t) => t.expr));
    expect(panels.length).toBeGreaterThanOrEqual(10);
    // Rates need a few scrapes of the counters; wait until the core panels have data, then judge all.
    const evaluate = async () => {
      const errors: string[] = [];
      const empty: string[] = [];
      for (const p of panels) {
        let data = false;
        for (const t of p.targets!) {
          if (!t.expr) continue;
          const r = await query(substitute(t.expr));
          if (!r.ok) errors.push(`${p.title}: ${substitute(t.expr)} → ${r.error}`);
          else if (r.result.length > 0) data = true;
        }
        if (!data && !MAY_BE_EMPTY.has(p.title)) empty.push(p.title);
      }
      return { errors, empty };
    };
    const result = await until(async () => {
      const r = await evaluate();
      return r.errors.length > 0 || r.empty.length === 0 ? r : undefined;
    }, 45_000).catch(() => evaluate());
    expect(result.errors).toEqual([]);
    expect(result.empty, await targets()).toEqual([]);
  }, 120_000);

  it('promtool check metrics reports nothing for the agent’s own metric families', async () => {
    const res = await fetch(`${agent!.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('ollama_lens_requests_total');
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    const problems = `${check.stdout}\n${check.stderr}`
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    // prom-client's default Node.js families (nodejs_*, process_*) are its own business, not the agent's.
    const own = problems.filter((l) => !/^(nodejs_|process_)/.test(l));
    expect(own).toEqual([]);
  });
});
