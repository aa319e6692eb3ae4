// docs/analyze-json.md stays the contract `analyze --json` prints: the keys of its block and of its
// key table are exactly the keys of a real result, in order, for every list (one corpus log that has
// servers with devices, a load, requests and an incident).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../agent/analyze/analyzeLog.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'analyze-json.md'), 'utf8');
const LOG = join(ROOT, 'test', 'corpus', 'public', '101-linux-cuda-2gpu-v0.13.5-truncation-batch.log');

type Section = 'top' | 'servers' | 'devices' | 'loads' | 'requests' | 'incidents';

/** The keys the doc's first code block names, per list, in the order written. */
function blockKeys(markdown: string): Record<Section, string[]> {
  const block = /```\n(\{[\s\S]*?\})\n```/.exec(markdown)?.[1];
  if (!block) throw new Error('docs/analyze-json.md has no ``` block with the JSON shape');
  const keys = (text: string): string[] => [...text.matchAll(/"(\w+)"/g)].map((m) => m[1]!);
  const list = (name: string): string => {
    const m = new RegExp(`"${name}":\\s*\\[\\{([\\s\\S]*?)\\}\\]`).exec(block);
    if (!m) throw new Error(`the block has no "${name}" list`);
    return m[1]!;
  };
  const servers = list('servers');
  return {
    top: keys(block.replace(/\[\{[\s\S]*?\}\]/g, '').replace(/\{k: v\}/g, '')),
    servers: keys(servers.replace(/\[\{[\s\S]*$/, '')),
    devices: keys(/"devices":\s*\[\{([^}\]]*)/.exec(servers)?.[1] ?? ''),
    loads: keys(list('loads')),
    requests: keys(list('requests')),
    incidents: keys(list('incidents')),
  };
}

/** The keys the doc's table documents, per list (`.key` rows belong to the `list[]` row above them). */
function tableKeys(markdown: string): Record<Section, string[]> {
  const out: Record<Section, string[]> = { top: [], servers: [], devices: [], loads: [], requests: [], incidents: [] };
  let current: Section = 'top';
  for (const line of markdown.split('\n')) {
    // The first cell, as written or padded by a formatter: one or more `names`, comma-separated.
    const first = /^\|\s*(`[^|`]*`(?:,\s*`[^|`]*`)*)\s*\|/.exec(line)?.[1];
    if (!first) continue;
    for (const [, name] of first.matchAll(/`([^`]+)`/g)) {
      const list = /^(\w+)\[\]$/.exec(name!)?.[1];
      if (list) current = list as Section;
      else if (name!.startsWith('.devices[]')) out.servers.push('devices');
      else if (name!.startsWith('.')) out[current].push(name!.slice(1));
      else out.top.push(name!);
    }
    if (first.includes('`servers[]`')) out.top.push('servers');
    for (const l of ['loads', 'requests', 'incidents'] as const) if (first.includes(`\`${l}[]\``)) out.top.push(l);
  }
  return out;
}

describe('docs/analyze-json.md', () => {
  it('names exactly the keys analyze --json prints, in order', async () => {
    const { result } = await analyzeFiles([LOG]);
    expect(result.servers[0]?.devices.length).toBeGreaterThan(0);
    expect(result.loads.length * result.requests.length * result.incidents.length).toBeGreaterThan(0);
    const real: Record<Section, string[]> = {
      top: Object.keys(result),
      servers: Object.keys(result.servers[0]!),
      devices: Object.keys(result.servers[0]!.devices[0]!),
      loads: Object.keys(result.loads[0]!),
      requests: Object.keys(result.requests[0]!),
      incidents: Object.keys(result.incidents[0]!),
    };
    expect(blockKeys(DOC)).toEqual(real);
  });

  it('documents every key in its table', async () => {
    const { result } = await analyzeFiles([LOG]);
    const table = tableKeys(DOC);
    const sorted = (keys: string[]): string[] => [...keys].sort();
    expect(sorted(table.top)).toEqual(sorted(Object.keys(result)));
    expect(sorted(table.servers)).toEqual(sorted(Object.keys(result.servers[0]!)));
    expect(sorted(table.loads)).toEqual(sorted(Object.keys(result.loads[0]!)));
    expect(sorted(table.requests)).toEqual(sorted(Object.keys(result.requests[0]!)));
    expect(sorted(table.incidents)).toEqual(sorted(Object.keys(result.incidents[0]!)));
  });
});
