import { describe, expect, it } from 'vitest';
import type { NewLoad } from '../../agent/correlate/records.js';
import { kvGeometry } from '../../agent/kv/kvGeometry.js';
import { freeForKv, LiveModels, type LiveModelsDeps } from '../../agent/ollama/LiveModels.js';
import { ApiLoads } from '../../agent/store/ApiLoads.js';
import { openDatabase } from '../../agent/store/openDatabase.js';
import { Store } from '../../agent/store/Store.js';
import type { MachineInfo, MemorySample } from '../../shared/memory.js';
import type { LoadedModel } from '../../shared/models.js';
import type { LoadRecord } from '../../shared/records.js';
import { MIGRATIONS_DIR, useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const GiB = 2 ** 30;

// Llama 3.1 8B: 32 layers × 8 KV heads × 128 dims → 128 KiB per token in f16.
const LLAMA_INFO = {
  'general.architecture': 'llama',
  'llama.block_count': 32,
  'llama.attention.head_count': 32,
  'llama.attention.head_count_kv': 8,
  'llama.embedding_length': 4096,
  'llama.context_length': 131072,
};

function ps(over: Partial<LoadedModel> = {}): LoadedModel {
  return {
    name: 'llama3.1:8b',
    digest: 'd1',
    blob: null,
    format: 'gguf',
    family: 'llama',
    architecture: 'llama',
    parameterSize: '8.0B',
    quantization: 'Q4_K_M',
    sizeBytes: 6 * GiB,
    vramBytes: 6 * GiB,
    contextLength: 8192,
    expiresAt: null,
    loadId: null,
    kv: null,
    ...over,
  };
}

const logLoad = (over: Partial<NewLoad> = {}): NewLoad => ({
  key: 1,
  serverKey: null,
  at: '2026-11-26T08:00:00Z',
  ts: 0,
  model: 'llama3.1:8b',
  blob: null,
  displayName: null,
  engine: 'llama.cpp',
  backend: 'metal',
  device: null,
  ctx: 8192,
  parallel: 1,
  kvBytes: GiB,
  gpuLayers: 33,
  totalLayers: 33,
  loadSeconds: 2,
  outcome: 'ready',
  error: null,
  ...over,
});

function setup(over: Partial<LiveModelsDeps> = {}, dir = tmp()) {
  const db = openDatabase(dir, MIGRATIONS_DIR);
  const store = new Store(db);
  const apiSource = store.resumePoint('api:http://127.0.0.1:11434').sourceId;
  const loads = new ApiLoads(db, apiSource);
  const published: LoadRecord[] = [];
  const models: LoadedModel[][] = [];
  let t = Date.parse('2026-11-26T09:00:00Z');
  const clock = { advance: (ms: number) => (t += ms) };
  const sample: MemorySample | null = null;
  const live = new LiveModels({
    loads,
    publishLoad: (l) => published.push(l),
    publishModels: (m) => models.push(m),
    logCaughtUp: () => true,
    geometry: (name) => (name.startsWith('llama3.1') ? kvGeometry(LLAMA_INFO) : null),
    cacheType: () => 'f16',
    memory: () => sample,
    machine: () => null,
    now: () => new Date(t),
    graceMs: 10_000,
    schedule: () => () => {},
    ...over,
  });
  return { db, store, live, published, models, clock, dir };
}

describe('LiveModels', () => {
  it('merges a listed model into the log load of the same name, with sizes and KV sizing, without a second load', () => {
    const { store, live, published, models } = setup();
    const [logged] = store.writeBatch([{ kind: 'load', record: logLoad() }], store.resumePoint('/log'), 0).loads;
    live.update([ps()]);
    expect(published).toEqual([expect.objectContaining({ id: logged!.id, sizeBytes: 6 * GiB, vramBytes: 6 * GiB, seenBy: 'both' })]);
    expect(store.loads(10)).toHaveLength(1);
    const [m] = models.at(-1)!;
    expect(m!.loadId).toBe(logged!.id);
    // 128 KiB/token × 8192 × 1 = 1 GiB, as the log says.
    expect(m!.kv).toMatchObject({ bytesPerToken: 131072, estimatedBytes: GiB, loggedBytes: GiB, disagreement: 0, cacheType: 'f16' });
    // The same list again changes nothing and publishes nothing.
    live.update([ps()]);
    expect(published).toHaveLength(1);
    expect(models).toHaveLength(1);
  });

  it('gives a model no log describes a load of its own only after the grace period and once the log is caught up', () => {
    let caughtUp = false;
    const { store, live, published, clock } = setup({ logCaughtUp: () => caughtUp });
    live.update([ps({ name: 'qwen3:8b', format: 'safetensors' })]);
    clock.advance(11_000);
    live.update([ps({ name: 'qwen3:8b', format: 'safetensors' })]);
    expect(published).toEqual([]); // the log is still being read
    caughtUp = true;
    live.update([ps({ name: 'qwen3:8b', format: 'safetensors' })]);
    expect(published).toEqual([
      expect.objectContaining({ model: 'qwen3:8b', engine: 'mlx', backend: 'mlx', seenBy: 'api', outcome: 'ready', ctx: 8192 }),
    ]);
    live.update([ps({ name: 'qwen3:8b', format: 'safetensors' })]);
    expect(store.loads(10)).toHaveLength(1);
    // Gone from /api/ps: unloaded, and an API-only load is over.
    live.update([]);
    expect(published.at(-1)).toMatchObject({ model: 'qwen3:8b', outcome: 'stopped', unloadedAt: '2026-11-26T09:00:11.000Z' });
  });

  it('marks a log load unloaded when the API stops listing it, keeping the log outcome', () => {
    const { store, live, published } = setup();
    store.writeBatch([{ kind: 'load', record: logLoad() }], store.resumePoint('/log'), 0);
    live.update([ps()]);
    live.update([]);
    expect(published.at(-1)).toMatchObject({ model: 'llama3.1:8b', outcome: 'ready', unloadedAt: expect.any(String) });
    // Reloaded later: a new log load is the one matched, not the unloaded one.
    const [again] = store.writeBatch([{ kind: 'load', record: logLoad({ key: 2 }) }], store.resumePoint('/log'), 0).loads;
    live.update([ps()]);
    expect(published.at(-1)).toMatchObject({ id: again!.id, seenBy: 'both' });
  });

  it('after a restart, closes loads the API listed before but lists no more', () => {
    const first = setup();
    first.store.writeBatch([{ kind: 'load', record: logLoad() }], first.store.resumePoint('/log'), 0);
    first.live.update([ps()]);
    first.db.close();
    const second = setup({}, first.dir);
    second.live.update([]);
    expect(second.published).toEqual([expect.objectContaining({ model: 'llama3.1:8b', unloadedAt: expect.any(String) })]);
  });

  it('says how many more tokens free memory holds: the smaller of RAM available and the GPU budget left', () => {
    const machine = { gpuBudgetBytes: 48 * GiB } as MachineInfo;
    const sample = { availableBytes: 20 * GiB } as MemorySample;
    expect(freeForKv(sample, machine, [ps({ vramBytes: 40 * GiB })])).toBe(8 * GiB);
    expect(freeForKv(sample, machine, [ps({ vramBytes: 10 * GiB })])).toBe(20 * GiB);
    expect(freeForKv(null, null, [ps()])).toBeNull();
    // A model whose VRAM share is unknown makes the budget part unknown, not 0.
    expect(freeForKv(null, machine, [ps({ vramBytes: null })])).toBeNull();
    const { live, models } = setup({ memory: () => sample, machine: () => machine });
    live.update([ps({ vramBytes: 40 * GiB })]);
    expect(models.at(-1)![0]!.kv).toMatchObject({ freeBytes: 8 * GiB, moreTokens: (8 * GiB) / 131072 });
  });
});

describe('LiveModels timers', () => {
  it('looks again at a model waiting for its log load without a new poll', () => {
    const pending: { fn: () => void; ms: number }[] = [];
    const { live, published, clock } = setup({ schedule: (fn, ms) => (pending.push({ fn, ms }), () => {}) });
    live.update([ps({ name: 'qwen3:8b' })]);
    expect(pending.map((p) => p.ms)).toEqual([10_000]);
    clock.advance(10_000);
    pending[0]!.fn();
    expect(published).toEqual([expect.objectContaining({ model: 'qwen3:8b', seenBy: 'api' })]);
    expect(pending).toHaveLength(1); // matched now: nothing left to wait for
  });
});

describe('LiveModels when a poll misses a load', () => {
  it('reopens the same load when the API lists it again, rather than storing it twice', () => {
    const { store, live, published, clock } = setup();
    const [logged] = store.writeBatch([{ kind: 'load', record: logLoad() }], store.resumePoint('/log'), 0).loads;
    live.update([ps()]);
    live.update([]); // Ollama timed out while busy: the poller reports nothing loaded
    clock.advance(20_000);
    live.update([ps()]);
    expect(store.loads(10)).toHaveLength(1);
    expect(published.at(-1)).toMatchObject({ id: logged!.id, unloadedAt: null, seenBy: 'both' });
  });
});

describe('LiveModels while Ollama is unreachable', () => {
  it('empties the list without unloading; the next answer decides what went', () => {
    const { store, live, published, models } = setup();
    store.writeBatch(
      [
        { kind: 'load', record: logLoad() },
        { kind: 'load', record: logLoad({ key: 2, model: 'qwen3:8b' }) },
      ],
      store.resumePoint('/log'),
      0,
    );
    live.update([ps(), ps({ name: 'qwen3:8b' })]);
    const seen = published.length;
    live.unreachable();
    expect(models.at(-1)).toEqual([]);
    expect(published).toHaveLength(seen);
    live.update([ps()]);
    expect(published.slice(seen)).toEqual([expect.objectContaining({ model: 'qwen3:8b', unloadedAt: expect.any(String) })]);
  });
});

describe('LiveModels parallel sequences', () => {
  it("uses the server config's OLLAMA_NUM_PARALLEL when the load does not say, else leaves the total unknown", () => {
    const withConfig = setup({ defaultParallel: () => 2 });
    withConfig.live.update([ps()]);
    expect(withConfig.models.at(-1)![0]!.kv).toMatchObject({ parallel: 2, estimatedBytes: 2 * GiB });
    const without = setup();
    without.live.update([ps()]);
    expect(without.models.at(-1)![0]!.kv).toMatchObject({ parallel: null, estimatedBytes: null, bytesPerToken: 131072 });
  });
});

describe('LiveModels before Ollama answered', () => {
  it('publishes nothing on a memory sample, then publishes even an empty first answer', () => {
    const { live, models } = setup();
    live.refresh();
    expect(models).toEqual([]);
    live.update([]);
    expect(models).toEqual([[]]);
  });
});
