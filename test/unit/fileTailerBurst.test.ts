// chokidar drops `change` events that come within 50 ms of the previous one; a line Ollama writes
// right after another (a GIN line after the runner's last line) must still arrive without waiting
// for some later write.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileTailer } from '../../agent/source/FileTailer.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const running: FileTailer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.stop()));
});

describe('FileTailer with writes close together', () => {
  it('reads a line appended a few ms after another, with nothing written after it', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, '');
    const lines: string[] = [];
    const t = new FileTailer({
      path: p,
      start: { identity: null, fingerprint: null, offset: 0 },
      onBatch: (b) => void lines.push(...b.lines),
    });
    running.push(t);
    await t.start();
    for (let burst = 0; burst < 3; burst++) {
      appendFileSync(p, `first ${burst}\n`);
      await new Promise((r) => setTimeout(r, 5));
      appendFileSync(p, `second ${burst}\n`);
      await until(() => lines.includes(`second ${burst}`), 2000);
    }
    expect(lines).toEqual(['first 0', 'second 0', 'first 1', 'second 1', 'first 2', 'second 2']);
  });
});
