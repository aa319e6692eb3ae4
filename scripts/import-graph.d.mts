// Types for import-graph.mjs, a plain script that node runs as it is and the cycle test imports.
/** file → the files it imports, paths relative to the repository root. */
export type Graph = Map<string, string[]>;
export const ROOTS: readonly string[];
export function importGraph(root: string): Graph;
export function folderOf(file: string): string;
export function folderGraph(graph: Graph): Graph;
export function cycles(graph: Graph): string[][];
