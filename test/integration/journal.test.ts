// JournalTailer against the real journalctl, reading journal files that systemd-journal-remote wrote
// from export-format records. The "store" here is an array and a resume point variable updated
// together in onBatch, like Store.writeBatch does in one transaction.
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceStatus } from '../../shared/status.js';
import type { LineBatch, TailPosition } from '../../agent/source/FileTailer.js';
import { JournalTailer, type JournalTailerOptions } from '../../agent/source/JournalTailer.js';
import { MAX_LINE_BYTES } from '../../agent/source/splitLines.js';
import { JournalWriter, journalToolsMissing } from '../helpers/journal.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const running: JournalTailer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.stop()));
});

const missing = journalToolsMissing();
if (missing) {
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING the real-journalctl tests of JournalTailer: ${missing}\n${'!'.repeat(78)}\n`);
}

/** Committed lines and the resume point after them, changed together or not at all. */
class FakeStore {
  cp: TailPosition = { identity: null, fingerprint: null, offset: 0 };
  lines: string[] = [];
  cut = 0;
  /** Every batch offered, committed or not. */
  attempts: string[][] = [];
  failNext = 0;
  failAll = false;

  onBatch = (b: LineBatch): void => {
    this.attempts.push(b.lines);
    if (this.failAll || this.failNext > 0) {
      this.failNext--;
      throw new Error('database or disk is full');
    }
    this.lines.push(...b.lines);
    this.cut += b.cut;
    this.cp = { identity: b.identity, fingerprint: b.fingerprint, offset: b.offset };
  };
}

function tail(store: FakeStore, extra: Partial<JournalTailerOptions> = {}) {
  const states: Array<Pick<SourceStatus, 'state' | 'lastError'>> = [];
  const t: JournalTailer = new JournalTailer({
    unit: 'ollama',
    start: { ...store.cp },
    linesRead: store.lines.length,
    onBatch: store.onBatch,
    onStatus: () => {
      const { state, lastError } = t.status();
      states.push({ state, lastError });
    },
    retryMs: 50,
    ...extra,
  });
  running.push(t);
  return { t, states };
}

const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
const msgs = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const records = (messages: string[]) => messages.map((message) => ({ message }));

describe.skipIf(missing !== null)('JournalTailer (real journalctl)', () => {
  it('reads every MESSAGE line of the unit in order: multi-line, invalid UTF-8, other units left out', async () => {
    const file = join(tmp(), 'ollama.journal');
    const w = new JournalWriter(file);
    w.append([
      { message: 'time=2025-05-18T17:01:52.000Z level=INFO msg="Listening on 127.0.0.1:11434 (version 0.6.8)"' },
      { message: 'not ours', unit: 'sshd.service' },
      { message: 'first of two\nsecond of two' },
      { message: Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff, 0x20, 0x75, 0x74, 0x66, 0x38]) },
      { message: '[GIN] 2025/05/18 - 17:02:10 | 200 |  1.2s |       127.0.0.1 | POST     "/api/chat"' },
    ]);
    const store = new FakeStore();
    const { t } = tail(store, { journalFile: file });
    await t.start();
    await until(() => store.lines.length >= 5);
    await settle();
    expect(store.lines).toEqual([
      'time=2025-05-18T17:01:52.000Z level=INFO msg="Listening on 127.0.0.1:11434 (version 0.6.8)"',
      'first of two',
      'second of two',
      'bad \uFFFD utf8',
      '[GIN] 2025/05/18 - 17:02:10 | 200 |  1.2s |       127.0.0.1 | POST     "/api/chat"',
    ]);
    // The resume point holds the cursor of the unit's last entry, which is what journalctl resumes from.
    const lastCursor = (
      JSON.parse(execFileSync('journalctl', [`--file=${file}`, '-u', 'ollama', '-o', 'json', '-n', '1'], { encoding: 'utf8' })) as {
        __CURSOR: string;
      }
    ).__CURSOR;
    expect(store.cp).toEqual({ identity: 'journal:ollama', fingerprint: lastCursor, offset: 4 });
    expect(t.status()).toEqual({
      path: 'journal:ollama',
      identity: 'journal:ollama',
      state: 'following',
      offset: 4,
      size: null,
      lagBytes: null,
      linesRead: 5,
      linesCut: 0,
      lastError: null,
    });
  });

  it('restarted from the stored cursor, delivers the rest exactly once, including lines read but never committed', async () => {
    const file = join(tmp(), 'ollama.journal');
    const w = new JournalWriter(file);
    const store = new FakeStore();
    w.append(records(msgs('a', 10)));
    const first = tail(store, { journalFile: file });
    await first.t.start();
    await until(() => store.lines.length === 10);

    // The store starts refusing: what journalctl prints now is read but must not count.
    store.failAll = true;
    const attemptsBefore = store.attempts.length;
    w.append(records(msgs('b', 20)));
    await until(() => store.attempts.length > attemptsBefore);
    expect(first.t.status()).toMatchObject({
      state: 'error',
      lastError: 'cannot store lines: database or disk is full; retrying',
      offset: 10,
    });
    await first.t.stop();

    // Written while the agent is down.
    w.append(records(msgs('c', 5)));
    store.failAll = false;
    const second = tail(store, { journalFile: file });
    await second.t.start();
    await until(() => store.lines.length >= 35);
    await settle();
    expect(store.lines).toEqual([...msgs('a', 10), ...msgs('b', 20), ...msgs('c', 5)]);
    expect(second.t.status()).toMatchObject({ state: 'following', offset: 35, linesRead: 35, lastError: null });
  });

  it('after a reboot, resumes from the cursor through the rest of the earlier boot, then the new one', async () => {
    const file = join(tmp(), 'ollama.journal');
    const w = new JournalWriter(file);
    const store = new FakeStore();
    w.append(records(msgs('a', 10)));
    const first = tail(store, { journalFile: file });
    await first.t.start();
    await until(() => store.lines.length === 10);
    await first.t.stop();

    // Written after the agent stopped, before the machine went down; then the next boot's lines.
    w.append(records(msgs('b', 7)));
    w.reboot();
    w.append(records(msgs('c', 5)));
    const second = tail(store, { journalFile: file });
    await second.t.start();
    await until(() => store.lines.length >= 22);
    // Still following the new boot afterwards.
    w.append(records(msgs('d', 3)));
    await until(() => store.lines.length >= 25);
    await settle();
    expect(store.lines).toEqual([...msgs('a', 10), ...msgs('b', 7), ...msgs('c', 5), ...msgs('d', 3)]);
    expect(second.t.status()).toMatchObject({ state: 'following', offset: 25, linesRead: 25, lastError: null });
  });

  it('--backfill all reads every boot in the journal, oldest first', async () => {
    const file = join(tmp(), 'ollama.journal');
    const w = new JournalWriter(file);
    w.append(records(msgs('boot1-', 4)));
    w.reboot();
    w.append(records(msgs('boot2-', 3)));
    w.reboot();
    w.append(records(msgs('boot3-', 2)));
    const store = new FakeStore();
    const { t } = tail(store, { journalFile: file, backfill: 'all' });
    await t.start();
    await until(() => store.lines.length >= 9);
    await settle();
    expect(store.lines).toEqual([...msgs('boot1-', 4), ...msgs('boot2-', 3), ...msgs('boot3-', 2)]);
  });

  it('waits while the unit has no entries, then follows records appended to the journal', async () => {
    const file = join(tmp(), 'ollama.journal');
    const w = new JournalWriter(file);
    w.append([{ message: 'someone else', unit: 'cron.service' }]);
    const store = new FakeStore();
    const { t } = tail(store, { journalFile: file });
    await t.start();
    await settle();
    expect(t.status()).toMatchObject({ state: 'waiting', offset: 0, linesRead: 0 });
    for (const batch of [msgs('x', 3), msgs('y', 4), msgs('z', 1)]) {
      const want = store.lines.length + batch.length;
      w.append(records(batch));
      await until(() => store.lines.length >= want);
    }
    await settle();
    expect(store.lines).toEqual([...msgs('x', 3), ...msgs('y', 4), ...msgs('z', 1)]);
    expect(t.status()).toMatchObject({ state: 'following', offset: 8 });
  });

  it('a failed write is retried with the same lines, none lost or repeated, then following goes on', async () => {
    const file = join(tmp(), 'ollama.journal');
    const w = new JournalWriter(file);
    w.append(records(msgs('line', 6)));
    const store = new FakeStore();
    store.failNext = 1;
    const { t, states } = tail(store, { journalFile: file });
    await t.start();
    await until(() => store.lines.length >= 6);
    await settle();
    expect(store.lines).toEqual(msgs('line', 6));
    const [refused, retried] = store.attempts;
    expect(refused!.length).toBeGreaterThan(0);
    expect(retried!.slice(0, refused!.length)).toEqual(refused);
    expect(states).toContainEqual({ state: 'error', lastError: 'cannot store lines: database or disk is full; retrying' });
    expect(t.status()).toMatchObject({ state: 'following', lastError: null, offset: 6 });
    // Reading resumed after the pause: later entries still arrive.
    w.append(records(['later']));
    await until(() => store.lines.length >= 7);
    expect(store.lines.slice(6)).toEqual(['later']);
  });

  it('restarts journalctl after it exits, resuming after the last committed entry', async () => {
    const dir = tmp();
    const file = join(dir, 'ollama.journal');
    // A journalctl that dies every 0.6 s: every restart must pick up exactly where the last left off.
    const flaky = join(dir, 'journalctl');
    writeFileSync(flaky, '#!/bin/sh\nexec timeout 0.6 journalctl "$@"\n');
    chmodSync(flaky, 0o755);
    const w = new JournalWriter(file);
    const store = new FakeStore();
    const { t, states } = tail(store, { journalFile: file, journalctl: flaky });
    await t.start();
    const expected: string[] = [];
    for (let round = 1; round <= 4; round++) {
      const batch = msgs(`r${round}-`, 5);
      expected.push(...batch);
      w.append(records(batch));
      await until(() => store.lines.length >= expected.length);
      await settle(700); // past at least one exit and restart
    }
    expect(store.lines).toEqual(expected);
    expect(states).toContainEqual({ state: 'error', lastError: 'journalctl exited with code 124; restarting' });
  });

  it("shows journalctl's own complaint when the journal cannot be opened, and follows it once it exists", async () => {
    const file = join(tmp(), 'later.journal');
    const store = new FakeStore();
    const { t } = tail(store, { journalFile: file });
    await t.start();
    await until(() => t.status().state === 'error');
    expect(t.status().lastError).toMatch(/^journalctl exited with code 1: .*No such file or directory; restarting$/);
    new JournalWriter(file).append(records(['finally']));
    await until(() => store.lines.length >= 1);
    expect(store.lines).toEqual(['finally']);
    expect(t.status()).toMatchObject({ state: 'following', lastError: null });
  });

  it('backfill Nd skips older entries; backfill none skips all past entries', async () => {
    const file = join(tmp(), 'ollama.journal');
    const w = new JournalWriter(file);
    const daysAgo = (d: number) => BigInt(Date.now() - d * 86_400_000) * 1000n;
    w.append([
      { message: 'ten days ago', realtimeUs: daysAgo(10) },
      { message: 'five days ago', realtimeUs: daysAgo(5) },
      { message: 'yesterday', realtimeUs: daysAgo(1) },
      { message: 'today' },
    ]);
    const week = new FakeStore();
    const a = tail(week, { journalFile: file, backfill: '7d' });
    await a.t.start();
    await until(() => week.lines.length >= 3);
    await settle();
    expect(week.lines).toEqual(['five days ago', 'yesterday', 'today']);

    const none = new FakeStore();
    const b = tail(none, { journalFile: file, backfill: 'none' });
    await b.t.start();
    // journalctl may not have reached the end of the journal yet; keep writing until something arrives.
    let k = 0;
    await until(async () => {
      w.append(records([`new ${++k}`]));
      await settle(300);
      return none.lines.length > 0;
    });
    expect(none.lines.length).toBeGreaterThan(0);
    expect(none.lines.every((l) => l.startsWith('new '))).toBe(true);
  });

  it('cuts a message line over 1 MiB, counts it, and keeps going', async () => {
    const file = join(tmp(), 'ollama.journal');
    new JournalWriter(file).append(records([`${'x'.repeat(MAX_LINE_BYTES + 512 * 1024)}\nrest of it`, 'after']));
    const store = new FakeStore();
    const { t } = tail(store, { journalFile: file });
    await t.start();
    await until(() => store.lines.length >= 3);
    expect(store.lines.map((l) => l.length)).toEqual([MAX_LINE_BYTES, 10, 5]);
    expect(store.lines.slice(1)).toEqual(['rest of it', 'after']);
    expect(store.cut).toBe(1);
    expect(t.status()).toMatchObject({ linesCut: 1, linesRead: 3, offset: 2 });
  });
});

describe('JournalTailer with a journalctl that prints a crafted line', () => {
  it('skips an entry whose MESSAGE is nested 200,000 deep, counts it, and moves the cursor past it', async () => {
    const dir = tmp();
    const depth = 200_000;
    const out = join(dir, 'out.json');
    writeFileSync(
      out,
      [
        JSON.stringify({ __CURSOR: 'c1', MESSAGE: 'before' }),
        `{"__CURSOR":"c2","MESSAGE":${'['.repeat(depth)}"x"${']'.repeat(depth)}}`,
        JSON.stringify({ __CURSOR: 'c3', MESSAGE: 'after' }),
      ].join('\n') + '\n',
    );
    const fake = join(dir, 'journalctl');
    writeFileSync(fake, `#!/bin/sh\ncat '${out}'\nexec sleep 60\n`);
    chmodSync(fake, 0o755);
    const store = new FakeStore();
    const { t } = tail(store, { journalctl: fake, machineId: null });
    await t.start();
    await until(() => store.cp.fingerprint === 'c3');
    expect(store.lines).toEqual(['before', 'after']);
    expect(store.cp).toEqual({ identity: 'journal:ollama', fingerprint: 'c3', offset: 3 });
    expect(t.status()).toMatchObject({
      state: 'following',
      offset: 3,
      linesRead: 2,
      lastError: "1 journal entry with a malformed MESSAGE (not journalctl's JSON) skipped",
    });
  });
});

describe('JournalTailer without journalctl', () => {
  it('reports a missing journalctl as an error state, without crashing, and stops cleanly', async () => {
    const store = new FakeStore();
    const { t, states } = tail(store, { journalctl: '/nonexistent/journalctl', retryMs: 20 });
    await t.start();
    const message = 'journalctl not found (/nonexistent/journalctl): install systemd or use --log PATH';
    expect(t.status()).toMatchObject({ path: 'journal:ollama', state: 'error', lastError: message, offset: 0, size: null });
    await settle(200);
    expect(t.status()).toMatchObject({ state: 'error', lastError: message });
    await t.stop();
    expect(states.length).toBeGreaterThan(0);
    expect(store.attempts).toEqual([]);
  });
});
