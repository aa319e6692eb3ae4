import { readdirSync, readFileSync } from 'node:fs';
import { it } from 'vitest';
import { parseRunnerOutput } from '../../agent/parse/parseRunnerOutput.js';
import { contentEvent } from '../../agent/parse/runner/contentRules.js';
import { serverTag } from '../../agent/parse/runner/llamaServerSlots.js';
import { functionPrefix } from '../../agent/parse/runner/llamaCppLines.js';
import { stripPrefix } from '../../agent/parse/stripPrefix.js';
it('bench', () => {
  const dir = '/work/shared/ollama-logs';
  const lines: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.log')))
    for (const raw of readFileSync(`${dir}/${f}`, 'utf8').split(/\r?\n/)) {
      const l = stripPrefix(raw);
      if (!/^time=|^\[GIN|^\d{4}\//.test(l)) lines.push(l);
    }
  const b = lines.reduce((a, l) => a + l.length + 1, 0);
  const fns: Record<string, (l: string) => unknown> = { full: parseRunnerOutput, content: contentEvent, tag: serverTag, prefix: functionPrefix, noop: (l) => l.length };
  for (const [name, fn] of Object.entries(fns)) {
    let n = 0;
    for (let i = 0; i < 10; i++) for (const l of lines) if (fn(l)) n++;
    const t0 = performance.now();
    const reps = Math.ceil(200e6 / b);
    for (let i = 0; i < reps; i++) for (const l of lines) if (fn(l)) n++;
    const s = (performance.now() - t0) / 1000;
    console.log(name, 'MB/s', ((b * reps) / 1e6 / s).toFixed(0), n > 0);
  }
  // by kind
  const groups = new Map<string, string[]>();
  for (const l of lines) { const k = l.slice(0, 12).replace(/[0-9]/g, ''); const g = groups.get(k) ?? []; g.push(l); groups.set(k, g); }
  const res: Array<[string, number, number]> = [];
  for (const [k, ls] of groups) {
    if (ls.length < 20) continue;
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) for (const l of ls) parseRunnerOutput(l);
    const ns = ((performance.now() - t0) * 1e6) / (ls.length * 200);
    res.push([k, ls.length, ns]);
  }
  res.sort((a, b) => b[1] * b[2] - a[1] * a[2]);
  for (const r of res.slice(0, 15)) console.log(JSON.stringify(r[0]), r[1], r[2].toFixed(0), 'ns/line');
}, 120000);
