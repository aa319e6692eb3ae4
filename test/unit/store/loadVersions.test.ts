import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CorrelatedRecord, NewLoad } from '../../../agent/correlate/records.js';
import { scenario } from '../../../agent/demo/scenario.js';
import { LogPipeline } from '../../../agent/pipeline/LogPipeline.js';
import { withoutMiddleLoadVersions } from '../../../agent/store/loadVersions.js';
import { openDatabase } from '../../../agent/store/openDatabase.js';
import { Store } from '../../../agent/store/Store.js';
import { MIGRATIONS_DIR, useTmpDir } from '../../helpers/tmp.js';

const tmp = useTmpDir();

const load = (key: number, version: number): CorrelatedRecord => ({
  kind: 'load',
  record: { key, loadSeconds: version } as unknown as NewLoad,
});
const other = (key: number): CorrelatedRecord => ({ kind: 'incident', record: { key } }) as unknown as CorrelatedRecord;
const shape = (records: CorrelatedRecord[]) =>
  records.map((r) => (r.kind === 'load' ? `load ${r.record.key} v${r.record.loadSeconds}` : `${r.kind} ${r.record.key}`));

/** The demo's lines (`usage`: days of ordinary use; `demo`: its stories, a crash and a restart every two minutes), parsed, cut into batches of `lines` lines. */
function demoBatches(mix: 'usage' | 'demo', steps: number, lines: number): CorrelatedRecord[][] {
  const all: string[] = [];
  let n = 0;
  for (const step of scenario({ start: new Date('2026-01-01T00:00:00Z'), offset: '+01:00', seed: 7, mix })) {
    all.push(...step.lines);
    if (++n >= steps) break;
  }
  const pipeline = new LogPipeline();
  const batches: CorrelatedRecord[][] = [];
  for (let i = 0; i < all.length; i += lines) {
    const records: CorrelatedRecord[] = [];
    for (const line of all.slice(i, i + lines)) pipeline.push(line, records);
    batches.push(records);
  }
  return batches;
}

describe('withoutMiddleLoadVersions', () => {
  it('keeps each load first and last version in the batch, and every other record, in order', () => {
    const batch = [load(1, 1), other(10), load(1, 2), load(2, 1), load(1, 3), other(11), load(1, 4), load(2, 2), load(3, 1)];
    expect(shape(withoutMiddleLoadVersions(batch))).toEqual([
      'load 1 v1',
      'incident 10',
      'load 2 v1',
      'incident 11',
      'load 1 v4',
      'load 2 v2',
      'load 3 v1',
    ]);
  });

  it('gives the batch itself back when no load has a middle version', () => {
    const batch = [load(1, 1), other(10), load(1, 2), load(2, 1)];
    expect(withoutMiddleLoadVersions(batch)).toBe(batch);
  });

  it('leaves the store with the same rows and the same batch results as the whole batches', () => {
    const batches = demoBatches('demo', 1500, 150);
    const dropped = batches.map(withoutMiddleLoadVersions);
    // The demo's load starts do send middle versions, so the comparison below means something.
    const count = (bs: CorrelatedRecord[][]) => bs.flat().filter((r) => r.kind === 'load').length;
    expect(count(dropped)).toBeLessThan(count(batches) / 2);
    const stored = (bs: CorrelatedRecord[][], name: string) => {
      const db = openDatabase(join(tmp(), name), MIGRATIONS_DIR);
      const store = new Store(db);
      let cp = store.resumePoint('/logs/server.log');
      const results = bs.map((records, i) => {
        cp = { ...cp, offset: i + 1, linesRead: i + 1, stateJson: null };
        return store.writeBatch(records, cp, 0);
      });
      const tables = Object.fromEntries(
        ['server_runs', 'loads', 'requests', 'incidents'].map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY id`).all()]),
      );
      db.close();
      return { results, tables };
    };
    const whole = stored(batches, 'whole');
    expect(whole.tables.loads!.length).toBeGreaterThan(5);
    expect(whole.tables.requests!.length).toBeGreaterThan(100);
    expect(stored(dropped, 'dropped')).toEqual(whole);
  });
});
