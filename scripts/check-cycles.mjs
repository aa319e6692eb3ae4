#!/usr/bin/env node
// Prints every import cycle among the product's files and among its folders; exits 1 if there is any.
// npm test runs the same check (test/unit/importCycles.test.ts).
import { join } from 'node:path';
import { cycles, folderGraph, importGraph } from './import-graph.mjs';

const graph = importGraph(join(import.meta.dirname, '..'));
const fileCycles = cycles(graph);
const folderCycles = cycles(folderGraph(graph));
for (const c of fileCycles) console.log(`file cycle: ${c.join(' ↔ ')}`);
for (const c of folderCycles) console.log(`folder cycle: ${c.join(' ↔ ')}`);
console.log(`${graph.size} files: ${fileCycles.length} file cycles, ${folderCycles.length} folder cycles`);
process.exit(fileCycles.length + folderCycles.length > 0 ? 1 : 0);
