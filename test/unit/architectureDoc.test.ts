// docs/ARCHITECTURE.md stays true: its folder table names exactly the folders (and top-level files) on
// disk, and every import between them is one the table allows. A new folder or a new kind of import
// starts with a row or a change there, so the design is decided in the open, not found later.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// A plain .mjs script, shared with `node scripts/check-cycles.mjs`; its types are in import-graph.d.mts.
import { folderGraph, importGraph, type Graph } from '../../scripts/import-graph.mjs';

const graphs = { folderGraph, importGraph };

const ROOT = join(import.meta.dirname, '..', '..');
const ANY_SHARED = 'shared/*';

/** The table between the folder-table markers: entry → what it may import. */
function docTable(markdown: string): Map<string, string[]> {
  const start = markdown.indexOf('<!-- folder-table');
  const end = markdown.indexOf('<!-- /folder-table -->');
  if (start < 0 || end < start) throw new Error('docs/ARCHITECTURE.md has no <!-- folder-table --> … <!-- /folder-table --> block');
  const table = new Map<string, string[]>();
  for (const line of markdown.slice(start, end).split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    // The header and the separator row, however a formatter pads them.
    if (cells[0] === 'Entry' || cells.every((c) => /^:?-+:?$/.test(c))) continue;
    if (cells.length !== 3) throw new Error(`a row needs 3 cells: ${line}`);
    const entry = /^`([^`]+)`$/.exec(cells[0]!)?.[1];
    if (!entry) throw new Error(`the first cell must be one \`path\`: ${line}`);
    if (table.has(entry)) throw new Error(`${entry} has two rows`);
    const allowed = cells[2] === 'nothing' ? [] : [...cells[2]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    if (cells[2] !== 'nothing' && allowed.length === 0) throw new Error(`"May import" is \`paths\` or "nothing": ${line}`);
    table.set(entry, allowed);
  }
  return table;
}

/** What the table must name: folders and files directly in agent/ and dashboard/src/, files in shared/. */
function diskEntries(root: string): string[] {
  const entries: string[] = [];
  for (const top of ['agent', 'shared', 'dashboard/src']) {
    for (const name of readdirSync(join(root, top))) {
      const isDir = statSync(join(root, top, name)).isDirectory();
      if (name.startsWith('.') || name.endsWith('.d.ts') || (isDir && top === 'shared')) continue;
      if (!isDir && !/\.(ts|svelte|css)$/.test(name)) continue;
      entries.push(`${top}/${name}`);
    }
  }
  return entries.sort();
}

/** Each folder import the table does not allow, as `from → to`. */
function forbiddenImports(folders: Graph, table: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [from, tos] of folders) {
    const allowed = table.get(from) ?? [];
    for (const to of tos) {
      if (!allowed.includes(to) && !(to.startsWith('shared/') && allowed.includes(ANY_SHARED))) out.push(`${from} → ${to}`);
    }
  }
  return out.sort();
}

describe('docs/ARCHITECTURE.md', () => {
  const table = docTable(readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8'));

  it('lists exactly the folders and top-level files on disk', () => {
    expect([...table.keys()].sort()).toEqual(diskEntries(ROOT));
  });

  it('allows every import that exists between folders', () => {
    const folders = graphs.folderGraph(graphs.importGraph(ROOT));
    expect(folders.size).toBeGreaterThan(30);
    expect(forbiddenImports(folders, table)).toEqual([]);
  });

  it('names only entries of its own table under "May import"', () => {
    const unknown = [...table.values()].flat().filter((to) => to !== ANY_SHARED && !table.has(to));
    expect(unknown).toEqual([]);
  });

  describe('fails when the tree and the table part', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'architecture-doc-'));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it('sees a folder the table does not name, and an import it does not allow', () => {
      for (const dir of ['agent/parse', 'agent/store', 'agent/newThing', 'shared', 'dashboard/src/lib'])
        mkdirSync(join(tmp, dir), { recursive: true });
      writeFileSync(join(tmp, 'agent/parse/parseLine.ts'), "import { Store } from '../store/Store.js';\n");
      writeFileSync(join(tmp, 'agent/store/Store.ts'), "import type { Row } from '../../shared/records.js';\nexport class Store {}\n");
      writeFileSync(join(tmp, 'agent/newThing/thing.ts'), 'export const thing = 1;\n');
      writeFileSync(join(tmp, 'shared/types.ts'), 'export type Row = number;\n');
      writeFileSync(join(tmp, 'dashboard/src/main.ts'), '');
      const doc = [
        '<!-- folder-table -->',
        '| Entry | Its job | May import |',
        '| --- | --- | --- |',
        '| `agent/parse` | parsers | nothing |',
        '| `agent/store` | SQLite | `shared/*` |',
        '| `shared/types.ts` | records | `shared/*` |',
        '| `dashboard/src/main.ts` | mounts | nothing |',
        '<!-- /folder-table -->',
      ].join('\n');
      const fake = docTable(doc);
      expect(diskEntries(tmp)).toEqual([
        'agent/newThing',
        'agent/parse',
        'agent/store',
        'dashboard/src/lib',
        'dashboard/src/main.ts',
        'shared/types.ts',
      ]);
      expect(diskEntries(tmp)).not.toEqual([...fake.keys()].sort());
      expect(forbiddenImports(graphs.folderGraph(graphs.importGraph(tmp)), fake)).toEqual(['agent/parse → agent/store']);
    });

    it('refuses a table it cannot read', () => {
      expect(() => docTable('no table here')).toThrow(/folder-table/);
      expect(() => docTable('<!-- folder-table -->\n| `agent/x` | job |\n<!-- /folder-table -->')).toThrow(/3 cells/);
      expect(() => docTable('<!-- folder-table -->\n| `agent/x` | job | anything |\n<!-- /folder-table -->')).toThrow(/May import/);
    });
  });
});
