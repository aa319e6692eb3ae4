import { readdirSync, readFileSync } from 'node:fs';
import { it } from 'vitest';
import { parseRunnerOutput } from '../../agent/parse/parseRunnerOutput.js';
import { stripPrefix } from '../../agent/parse/stripPrefix.js';
it('bench', () => {
  const dir = '/work/shared/ollama-logs';
  const lines: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.log')))
    for (const raw of readFileSync(`${dir}/${f}`, 'utf8').split(/\r?\n/)) {
      const l = stripPrefix(raw);
      if (!/^time=|^\[GIN|^\d{4}\//.test(l)) lines.push(Buffer.from(l).toString());
    }
  const bytes = lines.reduce((a, l) => a + l.length + 1, 0);
  for (const subset of ['all', 'slot'] as const) {
    const ls = subset === 'all' ? lines : lines.filter((l) => /^(slot|srv) /.test(l));
    const b = ls.reduce((a, l) => a + l.length + 1, 0);
    let n = 0;
    for (let i = 0; i < 20; i++) for (const l of ls) if (parseRunnerOutput(l)) n++;
    const t0 = performance.now();
    const reps = Math.ceil(300e6 / b);
    for (let i = 0; i < reps; i++) for (const l of ls) if (parseRunnerOutput(l)) n++;
    const s = (performance.now() - t0) / 1000;
    console.log(subset, 'MB/s', ((b * reps) / 1e6 / s).toFixed(0), 'lines/s', ((ls.length * reps) / s / 1e6).toFixed(2), 'M', n > 0);
  }
  void bytes;
}, 120000);
