import { describe, expect, it } from 'vitest';
import { LogicalLines, initialLogicalLinesState, type LogicalLinesState } from '../../agent/parse/LogicalLines.js';
import { parseSlog } from '../../agent/parse/parseSlog.js';

function run(physical: string[], state?: LogicalLinesState): string[] {
  const ll = new LogicalLines(state);
  const out: string[] = [];
  for (const line of physical) out.push(...ll.push(line));
  out.push(...ll.flush());
  return out;
}

// A hand-written `ollama serve 2>&1 | Out-File` capture: BOM, `ollama.exe : ` on the first record,
// the NativeCommandError block, records hard-wrapped at a space that stays on the physical line.
const T = 'time=2026-03-02T08:15:00.100+01:00';
const PS_CAPTURE = [
  `\uFEFFollama.exe : ${T} level=INFO source=routes.go:1600 msg="server config" `,
  'env="map[CUDA_VISIBLE_DEVICES: HTTPS_PROXY: OLLAMA_CONTEXT_LENGTH:8192 OLLAMA_DEBUG:INFO ',
  'OLLAMA_HOST:http://127.0.0.1:11434 OLLAMA_MODELS:D:\\\\models OLLAMA_ORIGINS:[http://localhost ',
  'app://* file://*] OLLAMA_VULKAN:false]"',
  'At C:\\Users\\ana\\bin\\serve.ps1:4 char:1',
  '+ & ollama serve 2>&1 | Out-File -FilePath $out -Encoding utf8 -Append',
  '+ ~~~~~~~~~~~~~~~~~~~',
  '    + CategoryInfo          : NotSpecified: (time=2026-03-02...VULKAN:false]":String) [], RemoteException',
  '    + FullyQualifiedErrorId : NativeCommandError',
  ' ',
  `${T} level=INFO source=routes.go:1650 msg="Listening on 127.0.0.1:11434 (version 0.15.9)"`,
  `${T} level=INFO source=server.go:430 msg="starting runner" `,
  'cmd="C:\\\\Users\\\\ana\\\\AppData\\\\Local\\\\Programs\\\\Ollama\\\\ollama.exe runner --ollama-engine --port 51234"',
  `${T} level=INFO source=types.go:42 msg="inference compute" `,
  'id=GPU-0a1b2c3d-0000-1111-2222-333344445555 filter_id="" library=CUDA compute=8.9 name=CUDA0 description="NVIDIA ',
  'GeForce RTX 4080" libdirs=ollama,cuda_v13 driver=13.0 pci_id=0000:01:00.0 type=discrete total="16.0 GiB" ',
  'available="15.1 GiB"',
  '[GIN] 2026/03/02 - 08:16:00 | 200 |     12.5ms |       127.0.0.1 | GET      "/api/tags"',
  'llama_model_loader: loaded meta data with 30 key-value pairs and 255 tensors from ',
  'D:\\models\\blobs\\sha256-00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff (version ',
  'GGUF V3 (latest))',
  'print_info: file size   = 1.87 GiB (5.01 BPW) ',
  'load: printing all EOG tokens:',
  'llama_model_loader: - kv  20:                      tokenizer.ggml.merges arr[str,280147]  = ["a b", "c d", "e ',
  'f", "g h",...',
  'llama_model_loader: - type  f32:   65 tensors',
];

describe('LogicalLines: PowerShell capture', () => {
  const out = run(PS_CAPTURE);

  it('strips the BOM and `ollama.exe : ` and joins the wrapped server config into one slog line', () => {
    const config = parseSlog(out[0]!);
    expect(config?.msg).toBe('server config');
    expect(config?.attrs.env).toBe(
      'map[CUDA_VISIBLE_DEVICES: HTTPS_PROXY: OLLAMA_CONTEXT_LENGTH:8192 OLLAMA_DEBUG:INFO ' +
        'OLLAMA_HOST:http://127.0.0.1:11434 OLLAMA_MODELS:D:\\models OLLAMA_ORIGINS:[http://localhost ' +
        'app://* file://*] OLLAMA_VULKAN:false]',
    );
  });

  it('leaves the error record lines alone', () => {
    expect(out.slice(1, 7)).toEqual(PS_CAPTURE.slice(4, 10));
  });

  it.each([
    [
      'starting runner',
      `${T} level=INFO source=server.go:430 msg="starting runner" cmd="C:\\\\Users\\\\ana\\\\AppData\\\\Local\\\\Programs\\\\Ollama\\\\ollama.exe runner --ollama-engine --port 51234"`,
    ],
    [
      'inference compute',
      `${T} level=INFO source=types.go:42 msg="inference compute" id=GPU-0a1b2c3d-0000-1111-2222-333344445555 filter_id="" library=CUDA compute=8.9 name=CUDA0 description="NVIDIA GeForce RTX 4080" libdirs=ollama,cuda_v13 driver=13.0 pci_id=0000:01:00.0 type=discrete total="16.0 GiB" available="15.1 GiB"`,
    ],
    [
      'a wrapped llama_model_loader line',
      'llama_model_loader: loaded meta data with 30 key-value pairs and 255 tensors from D:\\models\\blobs\\sha256-00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff (version GGUF V3 (latest))',
    ],
    ['a line that really ends in a space, not glued to the next record', 'print_info: file size   = 1.87 GiB (5.01 BPW) '],
    ['the next llama.cpp record', 'load: printing all EOG tokens:'],
    [
      'a wrap right after a space inside a quoted token',
      'llama_model_loader: - kv  20:                      tokenizer.ggml.merges arr[str,280147]  = ["a b", "c d", "e f", "g h",...',
    ],
    ['an unwrapped llama_model_loader line', 'llama_model_loader: - type  f32:   65 tensors'],
  ])('emits %s whole', (_name, want) => {
    expect(out).toContain(want);
  });

  it('parses every joined slog record completely', () => {
    const inference = parseSlog(out.find((l) => l.includes('"inference compute"'))!);
    expect(inference?.attrs).toMatchObject({ library: 'CUDA', description: 'NVIDIA GeForce RTX 4080', available: '15.1 GiB' });
  });

  it('emits exactly the logical records', () => {
    expect(out).toHaveLength(16);
  });

  it('remembers PowerShell mode in its state', () => {
    const ll = new LogicalLines();
    ll.push(PS_CAPTURE[0]!);
    expect(ll.state.powershell).toBe(true);
  });

  it('detects PowerShell from the NativeCommandError record alone', () => {
    const ll = new LogicalLines();
    ll.push('    + FullyQualifiedErrorId : NativeCommandError');
    expect(ll.state.powershell).toBe(true);
    expect(ll.push(`${T} level=INFO source=x.go:1 msg="a" `)).toEqual([]);
    expect(ll.push('b=1')).toEqual([`${T} level=INFO source=x.go:1 msg="a" b=1`]);
  });
});

describe('LogicalLines: PowerShell joining rules', () => {
  const PS = `ollama.exe : ${T} level=INFO source=routes.go:1 msg=start`;
  it.each<[string, string[], string[]]>([
    [
      'a wrap inside an open quote continues even when it looks like a llama.cpp prefix',
      [
        PS,
        `${T} level=ERROR source=sched.go:1 msg="load failed" error="llama runner process has terminated: error loading `,
        'model: unable to allocate CUDA0 buffer"',
      ],
      [
        `${T} level=INFO source=routes.go:1 msg=start`,
        `${T} level=ERROR source=sched.go:1 msg="load failed" error="llama runner process has terminated: error loading model: unable to allocate CUDA0 buffer"`,
      ],
    ],
    [
      'a closed slog record continues only with an attribute',
      [PS, `${T} level=INFO source=x.go:1 msg="system memory" `, '  Device 0: NVIDIA GeForce RTX 4080, compute capability 8.9'],
      [
        `${T} level=INFO source=routes.go:1 msg=start`,
        `${T} level=INFO source=x.go:1 msg="system memory" `,
        '  Device 0: NVIDIA GeForce RTX 4080, compute capability 8.9',
      ],
    ],
    [
      'a quoted key continues a closed slog record',
      [PS, `${T} level=INFO source=server.go:1 msg="loading model" `, '"model layers"=29 requested=-1'],
      [
        `${T} level=INFO source=routes.go:1 msg=start`,
        `${T} level=INFO source=server.go:1 msg="loading model" "model layers"=29 requested=-1`,
      ],
    ],
    [
      'a new slog record ends an open quote (truncated line)',
      [PS, `${T} level=INFO source=x.go:1 msg="never closed `, `${T} level=INFO source=x.go:2 msg=next`],
      [
        `${T} level=INFO source=routes.go:1 msg=start`,
        `${T} level=INFO source=x.go:1 msg="never closed `,
        `${T} level=INFO source=x.go:2 msg=next`,
      ],
    ],
    [
      'a Go-log server config wraps too',
      [
        'ollama.exe : 2025/02/13 17:38:14 routes.go:1187: INFO server config env="map[OLLAMA_DEBUG:false ',
        'OLLAMA_HOST:http://0.0.0.0:11434]"',
      ],
      ['2025/02/13 17:38:14 routes.go:1187: INFO server config env="map[OLLAMA_DEBUG:false OLLAMA_HOST:http://0.0.0.0:11434]"'],
    ],
    [
      'GIN, Go-log, slot and srv lines start records',
      [
        PS,
        'some runner text ',
        '[GIN] 2026/03/02 - 08:16:00 | 200 |     1ms |       127.0.0.1 | GET      "/"',
        'x ',
        '2026/03/02 08:16:00 WARN y',
        'z ',
        'slot launch_slot_: id  0 | task 1 | processing task',
        'w ',
        'srv  log_server_r: request: GET /health 127.0.0.1 200',
      ],
      [
        `${T} level=INFO source=routes.go:1 msg=start`,
        'some runner text ',
        '[GIN] 2026/03/02 - 08:16:00 | 200 |     1ms |       127.0.0.1 | GET      "/"',
        'x ',
        '2026/03/02 08:16:00 WARN y',
        'z ',
        'slot launch_slot_: id  0 | task 1 | processing task',
        'w ',
        'srv  log_server_r: request: GET /health 127.0.0.1 200',
      ],
    ],
    [
      'a second server start appended to the same file starts a record',
      [PS, `${T} level=INFO source=x.go:1 msg="a" `, `ollama.exe : ${T} level=INFO source=routes.go:1 msg=again`],
      [
        `${T} level=INFO source=routes.go:1 msg=start`,
        `${T} level=INFO source=x.go:1 msg="a" `,
        `${T} level=INFO source=routes.go:1 msg=again`,
      ],
    ],
    [
      'a wrapped continuation keeps its raw text (no prefix stripping)',
      [PS, 'system_info: n_threads = 8 | CPU : SSE3 = 1 | AVX = 1 | ', 'AVX2 = 1 | FMA = 1 | '],
      [`${T} level=INFO source=routes.go:1 msg=start`, 'system_info: n_threads = 8 | CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | FMA = 1 | '],
    ],
    [
      'a lone space is never held',
      [PS, ' ', '  Device 0: NVIDIA GeForce RTX 4080'],
      [`${T} level=INFO source=routes.go:1 msg=start`, ' ', '  Device 0: NVIDIA GeForce RTX 4080'],
    ],
  ])('%s', (_name, physical, want) => {
    expect(run(physical)).toEqual(want);
  });

  it('holds a record until it is complete and releases it on flush', () => {
    const ll = new LogicalLines();
    expect(ll.push(`ollama.exe : ${T} level=INFO source=x.go:1 msg="a" `)).toEqual([]);
    expect(ll.push('b="c ')).toEqual([]);
    expect(ll.flush()).toEqual([`${T} level=INFO source=x.go:1 msg="a" b="c `]);
    expect(ll.flush()).toEqual([]);
    expect(ll.state.held).toBeNull();
  });

  it('survives a JSON round trip of its state in the middle of a wrapped record', () => {
    const first = new LogicalLines();
    const out = [...first.push(PS_CAPTURE[0]!), ...first.push(PS_CAPTURE[1]!)];
    expect(out).toEqual([]);
    const saved: unknown = JSON.parse(JSON.stringify(first.state));
    const second = new LogicalLines(saved as LogicalLinesState);
    for (const line of PS_CAPTURE.slice(2)) out.push(...second.push(line));
    out.push(...second.flush());
    expect(out).toEqual(run(PS_CAPTURE));
  });

  it('does not share its state object with the caller', () => {
    const state = initialLogicalLinesState();
    const ll = new LogicalLines(state);
    ll.push(`ollama.exe : ${T} level=INFO source=x.go:1 msg="a" `);
    expect(state).toEqual(initialLogicalLinesState());
    expect(ll.state).toEqual({ powershell: true, held: `${T} level=INFO source=x.go:1 msg="a" `, quoteOpen: false });
  });

  it('caps a held record at 1 MiB', () => {
    const ll = new LogicalLines();
    ll.push(PS);
    const chunk = `${'x'.repeat(1023)} `;
    const out: string[] = [];
    out.push(...ll.push(`some text ${chunk}`));
    for (let i = 0; i < 1100 && out.length === 0; i++) out.push(...ll.push(chunk));
    expect(out).toHaveLength(1);
    expect(out[0]!.length).toBeGreaterThanOrEqual(1024 * 1024);
    expect(out[0]!.length).toBeLessThan(1024 * 1024 + 2048);
  });
});

describe('LogicalLines: outside PowerShell mode', () => {
  it.each<[string, string[], string[]]>([
    [
      'llama.cpp lines ending in a space are not joined',
      ['print_info: file size   = 1.87 GiB (5.01 BPW) ', 'load: printing all EOG tokens:'],
      ['print_info: file size   = 1.87 GiB (5.01 BPW) ', 'load: printing all EOG tokens:'],
    ],
    // slog never ends a record with a space: one that does was hard-wrapped by a console at its width.
    [
      'a slog record ending in a space continues with its next attribute',
      [
        `${T} level=INFO source=x.go:1 msg="system memory" `,
        'total="8 GiB" free="5.4 GiB" ',
        'free_swap="5.2 GiB"',
        `${T} level=INFO source=x.go:1 msg=next`,
      ],
      [
        `${T} level=INFO source=x.go:1 msg="system memory" total="8 GiB" free="5.4 GiB" free_swap="5.2 GiB"`,
        `${T} level=INFO source=x.go:1 msg=next`,
      ],
    ],
    [
      'a wrapped command line inside its quotes',
      [
        `${T} level=INFO source=server.go:1 msg="starting runner" cmd="C:\\\\Ollama\\\\ollama.exe `,
        'runner --model F:\\\\blobs\\\\sha256-0a1b2c3d4e5f60718293a4b5c6d7e8f9 ',
        '--port 47376"',
      ],
      [
        `${T} level=INFO source=server.go:1 msg="starting runner" cmd="C:\\\\Ollama\\\\ollama.exe runner --model F:\\\\blobs\\\\sha256-0a1b2c3d4e5f60718293a4b5c6d7e8f9 --port 47376"`,
      ],
    ],
    [
      'prefixes are stripped',
      [`May 29 15:46:00 box ollama[4242]: ${T} level=INFO msg=a`, `ollama  | ${T} level=INFO msg=b`, `\uFEFF${T} level=INFO msg=c`],
      [`${T} level=INFO msg=a`, `${T} level=INFO msg=b`, `${T} level=INFO msg=c`],
    ],
    [
      'progress dots are split from a line printed right after them',
      [`.....${T} level=INFO source=llama_server.go:1 msg="waiting for llama-server to become available"`, '.........'],
      ['.....', `${T} level=INFO source=llama_server.go:1 msg="waiting for llama-server to become available"`, '.........'],
    ],
    [
      'the MLX relay is left to the slog dispatcher',
      [`${T} level=WARN source=client.go:12 msg=mlx-runner msg="time=x level=INFO msg=\\"starting mlx runner\\""`],
      [`${T} level=WARN source=client.go:12 msg=mlx-runner msg="time=x level=INFO msg=\\"starting mlx runner\\""`],
    ],
  ])('%s', (_name, physical, want) => {
    expect(run(physical)).toEqual(want);
  });
});

describe('LogicalLines: JSON wrappers', () => {
  const slog1 = 'time=2024-05-29T15:46:00.493Z level=INFO source=routes.go:1074 msg="Listening on 127.0.0.1:11434 (version 0.1.39)"';
  const slog2 = 'time=2024-05-29T15:46:01.000Z level=INFO source=payload.go:44 msg="Dynamic LLM libraries [cpu cuda_v11]"';
  const gin = '[GIN] 2024/05/29 - 15:46:02 | 200 |     512.3µs |       127.0.0.1 | GET      "/api/version"';

  it.each<[string, string, string[]]>([
    ['a pino line', JSON.stringify({ level: 30, time: 1717000000000, pid: 1, hostname: 'x', msg: slog1 }), [slog1]],
    [
      'a pino line with three embedded lines and blank ones',
      JSON.stringify({ level: 30, time: 1717000000000, msg: `${slog1}\n${slog2}\r\n\n${gin}\n` }),
      [slog1, slog2, gin],
    ],
    ['a `message` key', JSON.stringify({ level: 'info', message: slog2 }), [slog2]],
    ["Docker's json-file `log` key", JSON.stringify({ log: `${gin}\n`, stream: 'stdout', time: '2024-05-29T15:46:02.1Z' }), [gin]],
    ['embedded lines go through stripPrefix', JSON.stringify({ msg: `May 29 15:46:00 box ollama[4242]: ${slog1}` }), [slog1]],
    [
      'llama.cpp v0.1.3x JSON passes through',
      '{"function":"print_timings","level":"INFO","line":269,"msg":"prompt eval time     =     120.31 ms /    28 tokens","n_prompt_tokens_processed":28,"slot_id":0,"t_prompt_processing":120.31,"task_id":5,"tid":"0x1f2e3d4c0","timestamp":1717000000}',
      [
        '{"function":"print_timings","level":"INFO","line":269,"msg":"prompt eval time     =     120.31 ms /    28 tokens","n_prompt_tokens_processed":28,"slot_id":0,"t_prompt_processing":120.31,"task_id":5,"tid":"0x1f2e3d4c0","timestamp":1717000000}',
      ],
    ],
    [
      'llama.cpp JSON with keys sorted before `function`',
      '{"build":2770,"commit":"0abc123","function":"main","level":"INFO","line":2733,"msg":"build info","tid":"1","timestamp":1717000000}',
      [
        '{"build":2770,"commit":"0abc123","function":"main","level":"INFO","line":2733,"msg":"build info","tid":"1","timestamp":1717000000}',
      ],
    ],
    ['invalid JSON passes through', '{"msg": "time=oops', ['{"msg": "time=oops']],
    ['JSON without a message passes through', '{"level":30,"time":1}', ['{"level":30,"time":1}']],
    ['a non-string msg passes through', '{"msg":42}', ['{"msg":42}']],
    ['a JSON array passes through', '["msg"]', ['["msg"]']],
  ])('%s', (_name, line, want) => {
    expect(run([line])).toEqual(want);
  });

  it('unwraps JSON in PowerShell mode too', () => {
    expect(run([`ollama.exe : ${T} level=INFO msg=a`, JSON.stringify({ msg: slog1 })])).toEqual([`${T} level=INFO msg=a`, slog1]);
  });
});
