import { describe, expect, it } from 'vitest';
import { parseSlog } from '../../agent/parse/parseSlog.js';

describe('parseSlog', () => {
  it.each([
    [
      'quoted msg and sizes',
      'time=2026-06-06T17:27:49.147Z level=INFO source=routes.go:2031 msg="vram-based default context" total_vram="113.5 GiB" default_num_ctx=262144',
      {
        time: '2026-06-06T17:27:49.147Z',
        level: 'INFO',
        msg: 'vram-based default context',
        attrs: { total_vram: '113.5 GiB', default_num_ctx: '262144' },
      },
    ],
    [
      'quoted key with a space',
      'time=2025-11-22T12:26:13.540-08:00 level=INFO source=server.go:702 msg="loading model" "model layers"=29 requested=-1',
      { time: '2025-11-22T12:26:13.540-08:00', level: 'INFO', msg: 'loading model', attrs: { 'model layers': '29', requested: '-1' } },
    ],
    [
      'MLX version key',
      'time=2026-08-23T13:33:40.912-07:00 level=INFO source=server.go:44 msg="MLX engine initialized" "MLX version"=0.30.6 device=gpu',
      {
        time: '2026-08-23T13:33:40.912-07:00',
        level: 'INFO',
        msg: 'MLX engine initialized',
        attrs: { 'MLX version': '0.30.6', device: 'gpu' },
      },
    ],
    [
      'bare-word msg, dotted group keys, empty quoted value',
      'time=2025-08-24T20:49:51.027-04:00 level=INFO source=server.go:175 msg=offload library=cuda layers.requested=-1 layers.split="" memory.available="[11.1 GiB]"',
      {
        time: '2025-08-24T20:49:51.027-04:00',
        level: 'INFO',
        msg: 'offload',
        attrs: { library: 'cuda', 'layers.requested': '-1', 'layers.split': '', 'memory.available': '[11.1 GiB]' },
      },
    ],
    [
      'empty msg',
      'time=2025-07-20T18:04:25.874Z level=INFO source=ggml.go:116 msg="" architecture=mistral3 name=""',
      { time: '2025-07-20T18:04:25.874Z', level: 'INFO', msg: '', attrs: { architecture: 'mistral3', name: '' } },
    ],
    [
      'escaped quotes inside a value (the MLX relay)',
      'time=2026-02-01T10:00:00.000+01:00 level=WARN source=client.go:12 msg=mlx-runner msg="time=x level=INFO msg=\\"starting mlx runner\\" model=x/flux2-klein:latest"',
      {
        time: '2026-02-01T10:00:00.000+01:00',
        level: 'WARN',
        msg: 'time=x level=INFO msg="starting mlx runner" model=x/flux2-klein:latest',
        attrs: {},
      },
    ],
    [
      'TRACE level and no source',
      'time=2026-01-01T00:00:00.000Z level=TRACE msg="x" a=1',
      { time: '2026-01-01T00:00:00.000Z', level: 'TRACE', msg: 'x', attrs: { a: '1' } },
    ],
  ])('%s', (_name, line, want) => {
    expect(parseSlog(line)).toEqual(want);
  });

  it.each([
    ['a GIN line', '[GIN] 2024/05/09 - 14:21:06 | 200 | 12.604318275s |       127.0.0.1 | POST     "/api/chat"'],
    ['llama.cpp output', 'load_tensors: offloaded 33/33 layers to GPU'],
    ['time= without key=value pairs', 'time=soon and then some text'],
  ])('is null for %s', (_name, line) => {
    expect(parseSlog(line)).toBeNull();
  });
});
