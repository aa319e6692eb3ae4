// The product's import graph, read from the source (static, dynamic and type-only imports alike: a
// type cycle is still two files that cannot be understood apart). Used by check-cycles.mjs and its test.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const ROOTS = ['agent', 'shared', 'dashboard/src'];
const EXTENSIONS = ['.ts', '.svelte'];
// import … from '…' / export … from '…' / import '…' / import('…')
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (EXTENSIONS.some((ext) => name.endsWith(ext)) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The file a relative specifier names (`./x.js` is `./x.ts` in the source), or null. */
function resolveSpecifier(from, spec) {
  const base = resolve(dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

/** Comments are removed first, so an example in a comment is not an import. */
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** Map of file (relative to root) → files it imports (relative), for the product's source. */
export function importGraph(root) {
  const graph = new Map();
  for (const top of ROOTS) {
    const dir = join(root, top);
    if (!existsSync(dir)) continue;
    for (const file of sourceFiles(dir)) {
      const deps = new Set();
      for (const m of stripComments(readFileSync(file, 'utf8')).matchAll(SPECIFIER)) {
        if (!m[1].startsWith('.')) continue;
        const target = resolveSpecifier(file, m[1]);
        if (target) deps.add(relative(root, target));
      }
      graph.set(relative(root, file), [...deps].sort());
    }
  }
  return graph;
}

/**
 * The folder a file belongs to for the folder-level check: its first folder below a root
 * (`agent/parse/runner/x.ts` → `agent/parse`: a subfolder is part of its folder's job). A file
 * directly in a root (`agent/main.ts`, `shared/types.ts`) is its own node: the roots hold the entry
 * points and the small modules everything uses, not a layer.
 */
export function folderOf(file) {
  const root = ROOTS.find((r) => file.startsWith(`${r}/`));
  if (!root) return dirname(file);
  const rest = file.slice(root.length + 1).split('/');
  return rest.length === 1 ? file : `${root}/${rest[0]}`;
}

export function folderGraph(graph) {
  const folders = new Map();
  for (const [file, deps] of graph) {
    const from = folderOf(file);
    if (!folders.has(from)) folders.set(from, new Set());
    for (const dep of deps) {
      const to = folderOf(dep);
      if (to !== from) folders.get(from).add(to);
    }
  }
  return new Map([...folders].map(([k, v]) => [k, [...v].sort()]));
}

/** Strongly connected components of more than one node (or a node importing itself): the cycles. */
export function cycles(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), indices.get(w)));
    }
    if (low.get(v) === indices.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}
