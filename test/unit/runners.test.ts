import { describe, expect, it } from 'vitest';
import { Correlator } from '../../agent/correlate/correlator.js';
import { parseLine } from '../../agent/parse/parseLine.js';
import { ginLine } from '../helpers/gin.js';

const T = 'time=2026-11-26T08:00:00.000+01:00 level=INFO source=x.go:1';
const START = [
  `${T} msg="Listening on 127.0.0.1:11434 (version 0.33.0)"`,
  `${T} msg="inference compute" id=0 filter_id=0 library=Metal compute=0.0 name=Metal description="Apple M3 Max" type=iGPU total="96.0 GiB" available="90.0 GiB"`,
];
const MLX_LOAD = [
  `${T} msg="starting mlx runner subprocess" model=qwen3.5:35b-a3b port=51000`,
  `${T} msg="MLX engine initialized" "MLX version"=0.30.6 device=gpu`,
];
const LLAMA_LOAD = [
  `${T} msg="using llama-server for model" model=/Users/u/.ollama/models/blobs/sha256-${'a'.repeat(64)}`,
  'load_tensors: offloaded 33/33 layers to GPU',
];
const chat = ginLine({ path: '/api/chat' });
const tags = ginLine({ path: '/api/tags', method: 'GET' });

function requests(lines: string[]) {
  const c = new Correlator();
  const out: { model: string | null; backend: string | null; path: string }[] = [];
  for (const l of lines) {
    const e = parseLine(l);
    const r = e && c.feed(e);
    if (r?.kind === 'request') out.push({ model: r.record.model, backend: r.record.backend, path: r.record.path });
  }
  return out;
}

describe('request attribution', () => {
  it('attributes to the only loaded runner', () => {
    expect(requests([...START, ...MLX_LOAD, chat])).toEqual([{ model: 'qwen3.5:35b-a3b', backend: 'mlx', path: '/api/chat' }]);
    expect(requests([...START, ...LLAMA_LOAD, chat])).toEqual([{ model: null, backend: 'metal', path: '/api/chat' }]);
  });

  it('is cpu when llama.cpp offloaded no layer, and when MLX started on the CPU', () => {
    expect(requests([...START, LLAMA_LOAD[0]!, 'load_tensors: offloaded 0/33 layers to GPU', chat])[0]!.backend).toBe('cpu');
    expect(requests([...START, MLX_LOAD[0]!, `${T} msg="MLX engine initialized" "MLX version"=0.30.6 device=cpu`, chat])[0]!.backend).toBe('cpu');
  });

  it('stays unknown when two runners are loaded and nothing points at one', () => {
    expect(requests([...START, ...MLX_LOAD, ...LLAMA_LOAD, chat])).toEqual([{ model: null, backend: null, path: '/api/chat' }]);
  });

  it('uses per-request evidence when two runners are loaded', () => {
    const lines = [
      ...START, ...MLX_LOAD, ...LLAMA_LOAD,
      `${T} msg="using mlx backend" model=qwen3.5:35b-a3b`, chat,
      'slot print_timing: id  0 | task 3 | prompt eval time = 10.00 ms / 20 tokens', chat,
      chat,
    ];
    expect(requests(lines)).toEqual([
      { model: 'qwen3.5:35b-a3b', backend: 'mlx', path: '/api/chat' },
      { model: null, backend: 'metal', path: '/api/chat' },
      { model: null, backend: null, path: '/api/chat' }, // evidence is used once
    ]);
  });

  it('names no model when MLX evidence has none and two MLX runners are loaded', () => {
    const second = `${T} msg="starting mlx runner subprocess" model=gemma4:27b port=51001`;
    expect(requests([...START, ...MLX_LOAD, second, `${T} msg="using mlx backend"`, chat])).toEqual([{ model: null, backend: 'mlx', path: '/api/chat' }]);
  });

  it('does not attribute non-inference requests, nor spend evidence on them', () => {
    expect(requests([...START, ...MLX_LOAD, ...LLAMA_LOAD, `${T} msg="using mlx backend" model=qwen3.5:35b-a3b`, tags, chat])).toEqual([
      { model: null, backend: null, path: '/api/tags' },
      { model: 'qwen3.5:35b-a3b', backend: 'mlx', path: '/api/chat' },
    ]);
  });

  it('forgets runners that stopped, and all runners on a server restart', () => {
    expect(requests([...START, ...MLX_LOAD, ...LLAMA_LOAD, `${T} msg="stopping mlx runner subprocess" pid=1`, chat])[0]!.backend).toBe('metal');
    expect(requests([...START, ...MLX_LOAD, `${T} msg="llama-server terminated" error="exit status 1"`, chat])[0]!.backend).toBe('mlx');
    expect(requests([...START, ...MLX_LOAD, ...START, chat])[0]!.backend).toBeNull();
  });
});
