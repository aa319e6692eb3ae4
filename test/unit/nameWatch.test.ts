import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { NameWatch, type NameWatchEvents } from '../../agent/source/NameWatch.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const events = () => ({ change: vi.fn(), ready: vi.fn(async () => {}), waiting: vi.fn(), error: vi.fn() }) satisfies NameWatchEvents;

describe('NameWatch', () => {
  it('is ready once watching, then reports each change at the name', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'one\n');
    const on = events();
    const w = new NameWatch(p, on);
    try {
      await w.start();
      expect(on.ready).toHaveBeenCalledTimes(1);
      on.change.mockClear();
      appendFileSync(p, 'two\n');
      await until(() => on.change.mock.calls.length > 0);
      expect(on.error).not.toHaveBeenCalled();
    } finally {
      await w.stop();
    }
  });

  it('waits for a missing directory, looking again until it appears', async () => {
    const dir = join(tmp(), 'not-yet');
    const on = events();
    const w = new NameWatch(join(dir, 'server.log'), on, 20);
    try {
      await w.start();
      expect(on.waiting).toHaveBeenCalled();
      expect(on.ready).not.toHaveBeenCalled();
      mkdirSync(dir);
      await until(() => on.ready.mock.calls.length === 1);
    } finally {
      await w.stop();
    }
  });

  it('stopped while it looks for the directory, it sets no watch and is never ready', async () => {
    const on = events();
    const w = new NameWatch(join(tmp(), 'server.log'), on);
    const started = w.start();
    await w.stop();
    await started;
    expect(on.ready).not.toHaveBeenCalled();
  });
});
