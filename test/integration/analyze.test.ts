// `ollama-lens analyze` as a user runs it: the built CLI in a child process, on a log written from
// the documented formats (a PowerShell capture with a BOM and wrapped records, then an era-F run).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/agentProcess.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, OLLAMA_LENS_EXPECT_MLX: '' } });

const BLOB = 'C:\\Users\\me\\.ollama\\models\\blobs\\sha256-7f3a1c55e2d94b08a6c31f0e9d2b47c8a15e6f903d7b2c4e8a19f5d06b3c7e21';
const LOG =
  [
    '\uFEFFollama.exe : time=2026-03-14T09:14:05.412+01:00 level=INFO source=routes.go:1631 msg="server config" ',
    'env="map[CUDA_VISIBLE_DEVICES: OLLAMA_CONTEXT_LENGTH:4096 OLLAMA_DEBUG:INFO OLLAMA_NUM_PARALLEL:1 ',
    'OLLAMA_ORIGINS:[http://localhost https://localhost] ROCR_VISIBLE_DEVICES:]"',
    'In D:\\tools\\start-ollama.ps1:10 char:1',
    '+ & ollama serve 2>&1 | Out-File -FilePath $logFile -Encoding utf8 -App ...',
    '+ ~~~~~~~~~~~~~~~~~~~',
    '    + CategoryInfo          : NotSpecified: (time=2026-03-14...IBLE_DEVICES:]":String) [], RemoteException',
    '    + FullyQualifiedErrorId : NativeCommandError',
    ' ',
    'time=2026-03-14T09:14:05.436+01:00 level=INFO source=routes.go:1684 msg="Listening on 127.0.0.1:11434 (version 0.15.2)"',
    'time=2026-03-14T09:14:14.207+01:00 level=INFO source=types.go:42 msg="inference compute" ',
    'id=GPU-5e0c1a9b filter_id="" library=CUDA compute=8.6 name=CUDA0 description="NVIDIA ',
    'GeForce RTX 3090" libdirs=ollama,cuda_v13 driver=13.1 pci_id=0000:01:00.0 type=discrete total="24.0 GiB" ',
    'available="22.8 GiB"',
    'time=2026-03-14T09:19:25.119+01:00 level=INFO source=server.go:429 msg="starting runner" ',
    `cmd="C:\\\\Users\\\\me\\\\AppData\\\\Local\\\\Programs\\\\Ollama\\\\ollama.exe runner --model ${BLOB.replaceAll('\\', '\\\\')} --port 51734"`,
    'llama_model_loader: loaded meta data with 34 key-value pairs and 338 tensors from ',
    `${BLOB} (version GGUF V3 (latest))`,
    'load_tensors: offloaded 29/29 layers to GPU',
    'llama_kv_cache:      CUDA0 KV buffer size =   112.00 MiB',
    'time=2026-03-14T09:19:25.830+01:00 level=INFO source=server.go:1 msg="llama runner started in 0.71 seconds"',
    '[GIN] 2026/03/14 - 09:19:27 | 200 |    1.7342091s |       127.0.0.1 | POST     "/api/generate"',
    'this line is not Ollama output at all',
  ].join('\r\n') + '\r\n';

describe('ollama-lens analyze', () => {
  it('--json prints exactly the documented contract', () => {
    const file = join(tmp(), 'server.log');
    writeFileSync(file, LOG);
    const r = run('analyze', file, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['lines', 'unparsed', 'servers', 'loads', 'requests', 'incidents']);
    expect(out.lines).toBe(LOG.split('\r\n').length - 1);
    expect(out.unparsed).toBe(1);
    expect(out.servers).toEqual([
      {
        at: '2026-03-14T09:14:05.436+01:00',
        version: '0.15.2',
        config: {
          CUDA_VISIBLE_DEVICES: '',
          OLLAMA_CONTEXT_LENGTH: '4096',
          OLLAMA_DEBUG: 'INFO',
          OLLAMA_NUM_PARALLEL: '1',
          OLLAMA_ORIGINS: '[http://localhost https://localhost]',
          ROCR_VISIBLE_DEVICES: '',
        },
        devices: [{ library: 'CUDA', name: 'NVIDIA GeForce RTX 3090', totalBytes: 24 * 2 ** 30 }],
      },
    ]);
    expect(out.loads).toEqual([
      {
        at: '2026-03-14T09:19:25.119+01:00',
        model: null,
        engine: 'llama.cpp',
        backend: 'cuda',
        device: null,
        ctx: null,
        parallel: null,
        kvBytes: 112 * 2 ** 20,
        gpuLayers: 29,
        totalLayers: 29,
        loadSeconds: 0.71,
        outcome: 'ready',
        error: null,
      },
    ]);
    expect(out.requests).toEqual([
      {
        at: '2026-03-14T09:19:27+01:00',
        method: 'POST',
        path: '/api/generate',
        status: 200,
        latencyMs: 1734.2091,
        client: '127.0.0.1',
        kind: 'inference',
        model: null,
        backend: 'cuda',
        promptTokens: null,
        completionTokens: null,
        prefillTps: null,
        decodeTps: null,
        ctxUsed: null,
        ctxLimit: null,
        truncated: null,
        peakMemoryBytes: null,
        kvBytes: 112 * 2 ** 20,
        kvUsedBytes: null,
      },
    ]);
    // The keys of docs/analyze-json.md, in order: the memory keys come after the existing ones.
    expect(Object.keys((out.requests as object[])[0]!)).toEqual([
      'at',
      'method',
      'path',
      'status',
      'latencyMs',
      'client',
      'kind',
      'model',
      'backend',
      'promptTokens',
      'completionTokens',
      'prefillTps',
      'decodeTps',
      'ctxUsed',
      'ctxLimit',
      'truncated',
      'peakMemoryBytes',
      'kvBytes',
      'kvUsedBytes',
    ]);
    expect(out.incidents).toEqual([]);
  });

  it('prints a readable report with loads, throughput and what it did not understand', () => {
    const file = join(tmp(), 'server.log');
    writeFileSync(file, LOG);
    const r = run('analyze', file);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Ollama 0\.15\.2 started 2026-03-14 09:14:05\+01:00 · devices: CUDA NVIDIA GeForce RTX 3090 \(24\.0 GiB\)/);
    expect(r.stdout).toMatch(/Model loads \(1\)\n.*\n.*llama\.cpp\s+CUDA\s+—\s+—\s+112 MiB\s+29\/29\s+0\.7 s\s+ready/);
    expect(r.stdout).toMatch(/Requests: 1 \(1 inference, 0 failed with 5xx\)/);
    expect(r.stdout).toMatch(/1 of 23 lines were not understood, e\.g\.:\n {2}\| this line is not Ollama output at all/);
  });

  it.each([
    [['analyze'], 2, /needs at least one log file/],
    [['analyze', '/no/such/server.log'], 1, /cannot read \/no\/such\/server\.log: no such file/],
    [['analyze', '--port', '1', 'x.log'], 2, /unknown option "--port"/],
  ])('%j exits %i with one line', (args, code, msg) => {
    const r = run(...args);
    expect(r.status).toBe(code);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(msg);
  });

  it('--help lists the analysis options only', () => {
    const r = run('analyze', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--expect-mlx GLOB/);
    expect(r.stdout).toMatch(/--json/);
    expect(r.stdout).not.toMatch(/--port/);
  });
});
