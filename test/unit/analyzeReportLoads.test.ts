// `analyze` on a long log: model loads grouped by model, engine and backend (count, first and last
// seen, typical load time), and only the last few listed one by one; a short log lists every load.
import { describe, expect, it } from 'vitest';
import { analyzeLines } from '../../agent/analyze/analyzeLog.js';
import { renderReport } from '../../agent/analyze/report.js';
import { scenario } from '../../agent/demo/scenario.js';

function demoLines(sessions: number, mix: 'usage' | 'demo'): string[] {
  const lines: string[] = [];
  let starts = 0;
  for (const step of scenario({ start: new Date('2026-11-26T07:00:00Z'), offset: '+01:00', seed: 3, mix })) {
    if (step.serverStart && ++starts > sessions) break;
    lines.push(...step.lines);
  }
  return lines;
}

describe('analyze report: model loads', () => {
  it('groups a long log by model, engine and backend and lists only the last 5 loads', () => {
    const a = analyzeLines(demoLines(12, 'usage'));
    expect(a.result.loads.length).toBeGreaterThan(12);
    const report = renderReport(a, ['server.log']);
    const section = report.slice(report.indexOf('Model loads'), report.indexOf('Requests:'));
    expect(section).toContain(`Model loads (${a.result.loads.length})`);
    expect(section).toMatch(/model\s+engine\s+backend\s+loads\s+first seen\s+last seen\s+typical load/);
    expect(section).toMatch(
      /llama3\.1:8b +llama\.cpp +Metal +\d+ +2026-11-26 08:00:\d\d\+01:00 +2026-11-26 \d\d:\d\d:\d\d\+01:00 +\d+\.\d s/,
    );
    expect(section).toContain('The last 5:');
    // One line per group, then the last five loads: far fewer lines than loads.
    expect(section.split('\n').length).toBeLessThan(a.result.loads.length / 4);
    const groupLines = section.split('\n\n')[0]!.split('\n').slice(2);
    const loadsColumn = section.split('\n')[1]!.indexOf('loads');
    const counts = groupLines.map((l) => Number(/^\d+/.exec(l.slice(loadsColumn))![0]));
    expect(counts.reduce((x, y) => x + y, 0)).toBe(a.result.loads.length);
  });

  it('lists every load of a short log', () => {
    const a = analyzeLines(demoLines(1, 'demo'));
    expect(a.result.loads.length).toBeLessThanOrEqual(12);
    const report = renderReport(a, ['server.log']);
    expect(report).not.toContain('The last 5:');
    expect(report).toContain(`Model loads (${a.result.loads.length})`);
  });
});
