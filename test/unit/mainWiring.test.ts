// agent/main.ts only wires named steps together; a part that grows there belongs in its folder's
// own step (docs/ARCHITECTURE.md). The line count is the cheap signal that it has started to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('agent/main.ts', () => {
  it('stays wiring: at most 150 lines', () => {
    const lines = readFileSync(join(import.meta.dirname, '..', '..', 'agent', 'main.ts'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines.length).toBeLessThanOrEqual(150);
  });
});
