// No import cycles among the product's files, nor among its folders (scripts/check-cycles.mjs prints
// them). A cycle makes two parts that cannot be read, tested or moved apart.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// A plain .mjs script, shared with `node scripts/check-cycles.mjs`; its types are in import-graph.d.mts.
import { cycles, folderGraph, folderOf, importGraph, type Graph } from '../../scripts/import-graph.mjs';

const check = { cycles, folderGraph, folderOf, importGraph };

describe('import cycles', () => {
  const graph = check.importGraph(join(import.meta.dirname, '..', '..'));

  it('reads the whole product', () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(graph.get('agent/main.ts')?.length).toBeGreaterThan(5);
    expect([...graph.keys()].some((f) => f.endsWith('.svelte'))).toBe(true);
  });

  it('finds no cycle between files', () => {
    expect(check.cycles(graph)).toEqual([]);
  });

  it('finds no cycle between folders', () => {
    expect(check.cycles(check.folderGraph(graph))).toEqual([]);
  });

  it('would see a cycle, direct or through a third file, and a folder cycle', () => {
    const g: Graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(check.cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    const files: Graph = new Map([
      ['agent/store/x.ts', ['agent/retention/y.ts']],
      ['agent/retention/y.ts', ['agent/log.ts']],
      ['agent/retention/z.ts', ['agent/store/w.ts']],
      ['agent/store/w.ts', []],
      ['agent/log.ts', []],
    ]);
    expect(check.cycles(check.folderGraph(files))).toEqual([['agent/retention', 'agent/store']]);
  });

  it('counts a subfolder as part of its folder, and a root file as its own node', () => {
    expect(check.folderOf('agent/parse/runner/x.ts')).toBe('agent/parse');
    expect(check.folderOf('agent/log.ts')).toBe('agent/log.ts');
    expect(check.folderOf('dashboard/src/lib/history/y.ts')).toBe('dashboard/src/lib');
  });
});
