import { readdirSync, readFileSync } from 'node:fs';
import { it } from 'vitest';
import { stripPrefix } from '../../agent/parse/stripPrefix.js';
it('bench', () => {
  const dir = '/work/shared/ollama-logs';
  const lines: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.log')))
    for (const raw of readFileSync(`${dir}/${f}`, 'utf8').split(/\r?\n/)) {
      const l = stripPrefix(raw);
      if (!/^time=|^\[GIN|^\d{4}\//.test(l)) lines.push(l);
    }
  const flat = lines.map((l) => Buffer.from(l, 'utf8').toString('utf8'));
  const b = lines.reduce((a, l) => a + l.length + 1, 0);
  const GATE = /emory|EMORY|llocate|command buffer|ompiled|usable GPU/;
  const fns: Record<string, (l: string) => unknown> = {
    includes4: (l) => l.includes('emory') || l.includes('EMORY') || l.includes('llocate') || l.includes('command buffer'),
    gateRe: (l) => GATE.test(l),
    json: (l) => (l.charCodeAt(0) === 123 ? JSON.parse(l) : null),
  };
  for (const [set, ls] of [['orig', lines], ['flat', flat]] as const)
  for (const [name, fn] of Object.entries(fns)) {
    let n = 0;
    for (let i = 0; i < 10; i++) for (const l of ls) { try { if (fn(l)) n++; } catch { n--; } }
    const t0 = performance.now();
    const reps = Math.ceil(100e6 / b);
    for (let i = 0; i < reps; i++) for (const l of ls) { try { if (fn(l)) n++; } catch { n--; } }
    const s = (performance.now() - t0) / 1000;
    console.log(set, name, 'MB/s', ((b * reps) / 1e6 / s).toFixed(0), n > 0);
  }
}, 120000);
