// Runs the parsers over the real users' logs in ../shared/ollama-logs (never copied into the repo).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../agent/parse/parseLine.js';
import { stripPrefix } from '../../agent/parse/stripPrefix.js';
import { parseSlog } from '../../agent/parse/parseSlog.js';

const CORPUS = join(import.meta.dirname, '..', '..', '..', 'shared', 'ollama-logs');
const present = existsSync(CORPUS);
if (!present) {
  console.warn(`\n*** CORPUS TESTS SKIPPED: ${CORPUS} does not exist. The real-log corpus lives beside the repository. ***\n`);
}
const files = present
  ? readdirSync(CORPUS)
      .filter((f) => f.endsWith('.log'))
      .sort()
  : [];

describe.skipIf(!present)('real log corpus', () => {
  it('has the logs', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files)('%s: every GIN line and every Listening line parses', (file) => {
    const lines = readFileSync(join(CORPUS, file), 'utf8').split(/\r?\n/);
    const gin = lines.filter((raw) => stripPrefix(raw).startsWith('[GIN] '));
    const listening = lines.filter((raw) => /Listening on \S+ \(version/.test(stripPrefix(raw)));
    // The lines that did not parse as what they are, listed, so a failure names them.
    expect(
      gin.filter((raw) => parseLine(stripPrefix(raw))?.type !== 'gin'),
      'GIN lines not parsed',
    ).toEqual([]);
    const versioned = (raw: string): boolean => {
      const e = parseLine(stripPrefix(raw));
      return e?.type === 'listening' && /^\d+\.\d+\.\d+/.test(e.version ?? '');
    };
    expect(
      listening.filter((raw) => !versioned(raw)),
      'Listening lines not parsed',
    ).toEqual([]);
    // Four files are stderr-only captures or runner-only excerpts, which may lack access lines; all others have them.
    expect(gin.length > 0 || /^(020|005|006|024)-/.test(file), `${file} has GIN lines`).toBe(true);
  });

  it.each(files)('%s: every slog line yields its level and msg', (file) => {
    for (const raw of readFileSync(join(CORPUS, file), 'utf8').split(/\r?\n/)) {
      const line = stripPrefix(raw);
      if (!/^time=\S+ level=/.test(line)) continue;
      const s = parseSlog(line);
      expect(s, raw).not.toBeNull();
      expect(s!.level, raw).toMatch(/^(TRACE|DEBUG|INFO|WARN|ERROR)/);
    }
  });

  it('finds the version in every log that has a Listening line', () => {
    const versions = files.flatMap((f) =>
      readFileSync(join(CORPUS, f), 'utf8')
        .split('\n')
        .map((l) => parseLine(stripPrefix(l)))
        .filter((e) => e?.type === 'listening')
        .map((e) => (e as { version: string }).version),
    );
    expect(versions).toEqual(expect.arrayContaining(['0.1.32', '0.9.0', '0.30.7', '0.32.5', '0.1.38']));
  });
});
