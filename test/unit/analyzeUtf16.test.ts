// `analyze` on a log Windows PowerShell 5 wrote as UTF-16 (`ollama serve > server.log 2>&1`): decoded
// before it is split into lines, with or without a byte-order mark, little- or big-endian.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../agent/analyze/analyzeLog.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const LOG =
  [
    'time=2026-03-01T10:00:00.000+01:00 level=INFO source=routes.go:1 msg="Listening on 127.0.0.1:11434 (version 0.21.2)"',
    'time=2026-03-01T10:00:01.000+01:00 level=INFO source=types.go:1 msg="inference compute" id=0 library=Vulkan compute=0.0 name=Vulkan0 description="Intel(R) Iris(R) Xe Graphics" libdirs=ollama,vulkan driver=0.0 pci_id=0000:00:02.0 type=iGPU total="8.0 GiB" available="7.5 GiB"',
    '[GIN] 2026/03/01 - 10:00:05 | 200 |    1.234567s |       127.0.0.1 | POST     "/api/chat"',
    'a line that says ünïcödé things',
  ].join('\r\n') + '\r\n';

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

describe('analyze on a UTF-16 log', () => {
  it.each([
    ['little-endian with a BOM (PowerShell 5)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LOG, 'utf16le')])],
    ['little-endian without a BOM', Buffer.from(LOG, 'utf16le')],
    ['big-endian with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(LOG)])],
  ])('%s', async (_name, bytes) => {
    const file = join(tmp(), 'server.log');
    writeFileSync(file, bytes);
    const { result, samples } = await analyzeFiles([file]);
    expect(result.lines).toBe(4);
    expect(result.servers).toEqual([
      expect.objectContaining({ version: '0.21.2', devices: [expect.objectContaining({ library: 'Vulkan' })] }),
    ]);
    expect(result.requests).toEqual([expect.objectContaining({ path: '/api/chat', status: 200 })]);
    expect(samples).toEqual(['a line that says ünïcödé things']);
  });
});
