import { describe, expect, it } from 'vitest';
import { Bus } from '../../agent/bus.js';
import { SourceIngestor } from '../../agent/pipeline/SourceIngestor.js';
import { openDatabase } from '../../agent/store/openDatabase.js';
import { Store } from '../../agent/store/Store.js';
import { ginLine } from '../helpers/gin.js';
import { MIGRATIONS_DIR, useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('SourceIngestor resume points', () => {
  it('gives back the position of the last batch, with the mtime of its file, after a restart', () => {
    const dir = tmp();
    const db = openDatabase(dir, MIGRATIONS_DIR);
    const first = new SourceIngestor(new Store(db), new Bus(), '/logs/server.log');
    expect(first.position).toEqual({ identity: null, fingerprint: null, offset: 0, mtimeMs: null });
    first.ingest({ identity: '1:2', fingerprint: 'abc', offset: 120, mtimeMs: 1234.5, lines: [ginLine()], cut: 0 });
    db.close();

    const again = openDatabase(dir, MIGRATIONS_DIR);
    const second = new SourceIngestor(new Store(again), new Bus(), '/logs/server.log');
    expect(second.position).toEqual({ identity: '1:2', fingerprint: 'abc', offset: 120, mtimeMs: 1234.5 });
    expect(second.resumePoint.linesRead).toBe(1);
    again.close();
  });

  it('keeps the files read before the current one, and how far, across a restart; a damaged list is dropped', () => {
    const dir = tmp();
    const db = openDatabase(dir, MIGRATIONS_DIR);
    const store = new Store(db);
    const first = new SourceIngestor(store, new Bus(), '/logs/server.log');
    const seen = [{ identity: '1:2', fingerprint: 'abc', offset: 4000 }];
    first.ingest({ identity: '1:3', fingerprint: 'def', offset: 30, mtimeMs: 7, seen, lines: [ginLine()], cut: 0 });
    expect(new SourceIngestor(store, new Bus(), '/logs/server.log').position).toEqual({
      identity: '1:3',
      fingerprint: 'def',
      offset: 30,
      mtimeMs: 7,
      seen,
    });

    const state = JSON.parse(first.resumePoint.stateJson!) as { file: Record<string, unknown> };
    state.file.seen = [{ identity: '1:2', fingerprint: 'abc', offset: -1 }, 'junk', { identity: '1:4', fingerprint: 'x', offset: 5 }];
    store.writeBatch([], { ...first.resumePoint, stateJson: JSON.stringify(state) }, 0);
    expect(new SourceIngestor(store, new Bus(), '/logs/server.log').position.seen).toEqual([
      { identity: '1:4', fingerprint: 'x', offset: 5 },
    ]);
    db.close();
  });

  it('reads a resume point written before mtimes were kept (no mtime, pipeline state intact)', () => {
    const dir = tmp();
    const db = openDatabase(dir, MIGRATIONS_DIR);
    const store = new Store(db);
    const cp = store.resumePoint('/logs/server.log');
    const first = new SourceIngestor(store, new Bus(), '/logs/server.log');
    first.ingest({ identity: '1:2', fingerprint: null, offset: 10, lines: ['a line no Ollama version ever wrote'], cut: 0 });
    const { file, ...older } = JSON.parse(first.resumePoint.stateJson!) as Record<string, unknown>;
    expect(file).toEqual({ mtimeMs: null });
    store.writeBatch([], { ...first.resumePoint, stateJson: JSON.stringify(older) }, 0);
    const second = new SourceIngestor(store, new Bus(), cp.path);
    expect(second.position).toEqual({ identity: '1:2', fingerprint: null, offset: 10, mtimeMs: null });
    expect(first.unparsed).toBe(1);
    expect(second.unparsed).toBe(1); // the pipeline state survived
    db.close();
  });
});

describe('SourceIngestor and privacy', () => {
  it('counts unrecognised lines in the resume point but never stores their text', () => {
    const dir = tmp();
    const db = openDatabase(dir, MIGRATIONS_DIR);
    const ingestor = new SourceIngestor(new Store(db), new Bus(), '/logs/server.log');
    ingestor.ingest({ identity: '1:2', fingerprint: 'abc', offset: 40, mtimeMs: 1, lines: ['my secret question about taxes'], cut: 0 });
    expect(ingestor.unparsed).toBe(1);
    const saved = db.prepare('SELECT state_json FROM sources').get() as { state_json: string };
    expect(saved.state_json).not.toContain('secret');
    expect(JSON.parse(saved.state_json)).toMatchObject({ unparsed: 1 });
    db.close();
  });
});
