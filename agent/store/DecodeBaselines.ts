// The decode-speed baseline of a model on a backend: the median tok/s of its requests over the last
// days. Read through the (model, backend, ts) index and cached, since every request asks for it.
import type { Database, Statement } from 'better-sqlite3';

export interface DecodeBaseline {
  medianDecodeTps: number;
  requests: number;
}

export class DecodeBaselines {
  private readonly count: Statement;
  private readonly nth: Statement;
  private readonly cache = new Map<string, { at: number; value: DecodeBaseline | null }>();

  constructor(
    db: Database,
    private readonly windowMs = 7 * 86_400_000,
    private readonly cacheMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {
    const where = 'model = ? AND backend = ? AND ts >= ? AND decode_tps IS NOT NULL';
    this.count = db.prepare(`SELECT count(*) AS n FROM requests WHERE ${where}`);
    this.nth = db.prepare(`SELECT decode_tps AS v FROM requests WHERE ${where} ORDER BY decode_tps LIMIT ? OFFSET ?`);
  }

  get(model: string, backend: string): DecodeBaseline | null {
    const key = `${model}\u0000${backend}`;
    const t = this.now();
    const hit = this.cache.get(key);
    if (hit && t - hit.at < this.cacheMs) return hit.value;
    const since = t - this.windowMs;
    const n = (this.count.get(model, backend, since) as { n: number }).n;
    let value: DecodeBaseline | null = null;
    if (n > 0) {
      const mid = (this.nth.all(model, backend, since, n % 2 === 0 ? 2 : 1, Math.floor((n - 1) / 2)) as { v: number }[]).map((r) => r.v);
      value = { medianDecodeTps: mid.reduce((a, b) => a + b, 0) / mid.length, requests: n };
    }
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(key, { at: t, value });
    return value;
  }
}
