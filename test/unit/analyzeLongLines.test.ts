// `analyze` reads files with the agent's splitter: a line over the cap counts once, its rest is skipped.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../agent/analyze/analyzeLog.js';
import { ginLine } from '../helpers/gin.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('analyze with very long lines', () => {
  it('counts a 5 MiB line as one line and still reads the lines after it', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(
      p,
      `${ginLine({ path: '/api/a' })}\n${'x'.repeat(5 * 1024 * 1024 + 17)}\n${ginLine({ path: '/api/b' })}\n${ginLine({ path: '/api/c' })}`,
    );
    const { result } = await analyzeFiles([p]);
    expect(result.lines).toBe(4);
    expect(result.unparsed).toBe(1);
    expect(result.requests.map((r) => r.path)).toEqual(['/api/a', '/api/b', '/api/c']);
  });
});
