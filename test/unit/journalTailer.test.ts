// The pure parts of the journal source: one `journalctl -o json` line → lines, and the command line.
// The JSON samples are real journalctl 252 output (from a journal written by systemd-journal-remote).
import { describe, expect, it } from 'vitest';
import { journalArgs } from '../../agent/source/journalArgs.js';
import { capLine, parseJournalLine } from '../../agent/source/journalJson.js';
import { MAX_LINE_BYTES } from '../../agent/source/splitLines.js';

const CURSOR = 's=f13c1ce29edd46f29025d8280a1d1686;i=5;b=5c93e58794df425fb2be9f5e91be47ce;m=6e;t=6612ca8201468;x=1d23254267803ad';
const entry = (message: unknown) =>
  JSON.stringify({
    __MONOTONIC_TIMESTAMP: '110',
    _BOOT_ID: '5c93e58794df425fb2be9f5e91be47ce',
    __CURSOR: CURSOR,
    MESSAGE: message,
    __REALTIME_TIMESTAMP: '1795694287393896',
  });

describe('parseJournalLine', () => {
  it('takes the cursor and a plain MESSAGE', () => {
    expect(parseJournalLine(entry('time=2025-05-18T17:01:52.000Z level=INFO msg="Listening on 127.0.0.1:11434"'))).toEqual({
      cursor: CURSOR,
      lines: ['time=2025-05-18T17:01:52.000Z level=INFO msg="Listening on 127.0.0.1:11434"'],
      cut: 0,
    });
  });

  it('splits a multi-line MESSAGE into its lines, dropping a final newline and CRs', () => {
    expect(parseJournalLine(entry('multi\nline two'))?.lines).toEqual(['multi', 'line two']);
    expect(parseJournalLine(entry('a\r\nb\n'))?.lines).toEqual(['a', 'b']);
  });

  it('decodes a MESSAGE printed as bytes, replacing invalid UTF-8', () => {
    // journalctl's own rendering of "bad \xff utf8".
    expect(parseJournalLine(entry([98, 97, 100, 32, 255, 32, 117, 116, 102, 56]))?.lines).toEqual(['bad \uFFFD utf8']);
    const korean = [...Buffer.from('한국어\x01\n둘')];
    expect(parseJournalLine(entry(korean))?.lines).toEqual(['한국어\x01', '둘']);
  });

  it('keeps every value of a MESSAGE the entry carries twice, strings and bytes alike', () => {
    expect(parseJournalLine(entry(['one', [116, 119, 111]]))?.lines).toEqual(['one', 'two']);
  });

  it('yields an entry without lines when MESSAGE is missing or null, so its cursor still counts', () => {
    expect(parseJournalLine(entry(null))).toEqual({ cursor: CURSOR, lines: [], cut: 0 });
    expect(parseJournalLine(JSON.stringify({ __CURSOR: CURSOR }))).toEqual({ cursor: CURSOR, lines: [], cut: 0 });
  });

  it('rejects what is not an entry with a cursor', () => {
    expect(parseJournalLine('')).toBeNull();
    expect(parseJournalLine('{"MESSAGE":"x"')).toBeNull();
    expect(parseJournalLine('{"MESSAGE":"x"}')).toBeNull();
    expect(parseJournalLine('[1,2]')).toBeNull();
    expect(parseJournalLine('null')).toBeNull();
  });

  it('counts a MESSAGE nested deeper than journalctl nests it as malformed, keeping its cursor (no stack overflow)', () => {
    const depth = 200_000;
    const deep = `{"__CURSOR":"${CURSOR}","MESSAGE":${'['.repeat(depth)}1${']'.repeat(depth)}}`;
    expect(parseJournalLine(deep)).toEqual({ cursor: CURSOR, lines: [], cut: 0, malformed: true });
    expect(parseJournalLine(entry([[[104, 105]]]))).toEqual({ cursor: CURSOR, lines: [], cut: 0, malformed: true });
    expect(parseJournalLine(entry(['ok', { text: 'x' }]))).toEqual({ cursor: CURSOR, lines: [], cut: 0, malformed: true });
    expect(parseJournalLine(entry(42))).toEqual({ cursor: CURSOR, lines: [], cut: 0, malformed: true });
  });

  it("cuts a line over 1 MiB and counts it, leaving the entry's other lines alone", () => {
    const long = 'x'.repeat(MAX_LINE_BYTES + 10);
    const e = parseJournalLine(entry(`short\n${long}\nafter`));
    expect(e?.cut).toBe(1);
    expect(e?.lines.map((l) => l.length)).toEqual([5, MAX_LINE_BYTES, 5]);
  });
});

describe('capLine', () => {
  it('returns a line that fits unchanged, even one whose UTF-16 length suggests otherwise', () => {
    const fits = 'é'.repeat(MAX_LINE_BYTES / 2); // exactly MAX_LINE_BYTES bytes
    expect(capLine(fits)).toBe(fits);
  });

  it('never splits a multi-byte character at the cut', () => {
    const line = 'ab' + '한'.repeat(MAX_LINE_BYTES / 3 + 5); // 3-byte characters from byte 2: the cap falls inside one
    expect((MAX_LINE_BYTES - 2) % 3).not.toBe(0);
    const kept = capLine(line);
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(Buffer.byteLength(kept)).toBeGreaterThan(MAX_LINE_BYTES - 3);
    expect(kept.includes('\uFFFD')).toBe(false);
    expect(line.startsWith(kept)).toBe(true);
  });
});

describe('journalArgs', () => {
  const base = [
    '-u',
    'ollama',
    '-o',
    'json',
    '-f',
    '--merge',
    '--all',
    '--no-pager',
    '--output-fields=MESSAGE,__CURSOR,__REALTIME_TIMESTAMP',
  ];

  it("resumes after the stored cursor whatever the backfill, and never with -f's implied -n 10", () => {
    expect(journalArgs({ unit: 'ollama', cursor: 's=1;i=2', backfill: 'none' })).toEqual([...base, '--after-cursor=s=1;i=2', '--no-tail']);
  });

  it('reads the whole history on a first start by default', () => {
    expect(journalArgs({ unit: 'ollama', cursor: null })).toEqual([...base, '--no-tail']);
    expect(journalArgs({ unit: 'ollama', cursor: null, backfill: 'all' })).toEqual([...base, '--no-tail']);
  });

  it('backfill none skips the past; Nd starts at an absolute time N days back', () => {
    expect(journalArgs({ unit: 'ollama', cursor: null, backfill: 'none' })).toEqual([...base, '-n', '0']);
    const now = Date.UTC(2025, 4, 18, 12, 0, 0);
    expect(journalArgs({ unit: 'ollama', cursor: null, backfill: '7d', now })).toEqual([
      ...base,
      `--since=@${(now - 7 * 86_400_000) / 1000}`,
      '--no-tail',
    ]);
    expect(() => journalArgs({ unit: 'ollama', cursor: null, backfill: 'week' })).toThrow(/all, none or Nd/);
  });

  it("follows every boot (--merge turns off -f's implied --boot=0), only this machine's journal", () => {
    const id = '3d1219c7c4c5404aaa1f6d2a48adfda4';
    expect(journalArgs({ unit: 'ollama', cursor: 's=1;i=2', machineId: id })).toEqual([
      ...base,
      '--after-cursor=s=1;i=2',
      '--no-tail',
      `_MACHINE_ID=${id}`,
    ]);
    expect(journalArgs({ unit: 'ollama', cursor: null, backfill: 'none', machineId: id })).toEqual([
      ...base,
      '-n',
      '0',
      `_MACHINE_ID=${id}`,
    ]);
    expect(journalArgs({ unit: 'ollama', cursor: null, machineId: id })).toEqual([...base, '--no-tail', `_MACHINE_ID=${id}`]);
    // A journal file is read whole: its entries may carry no machine id.
    expect(journalArgs({ unit: 'ollama', cursor: null, machineId: id, journalFile: '/j/x.journal' })).toEqual([
      ...base,
      '--file=/j/x.journal',
      '--no-tail',
    ]);
  });

  it('passes a journal file as an absolute path (journalctl -f cannot follow a relative one)', () => {
    const args = journalArgs({ unit: 'ollama', cursor: null, journalFile: 'x/test.journal' });
    expect(args).toContain(`--file=${process.cwd()}/x/test.journal`);
  });
});
