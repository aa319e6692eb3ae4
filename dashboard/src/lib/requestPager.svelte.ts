// Fetches the older page the view points at (`view.before`) with the view's filters; the newest
// page needs no fetch. A newer answer always wins over a late older one.
import type { RequestRecord } from '../../../shared/records.js';
import type { FetchLike } from './ackAlert.js';
import type { RequestFilter } from './requestFilter.js';
import { PAGE_SIZE, pageUrl } from './requestPages.js';

export class RequestPager {
  rows: readonly RequestRecord[] = $state.raw([]);
  hasOlder = $state(false);
  loading = $state(false);
  error: string | null = $state(null);
  #fetch: FetchLike;
  #generation = 0;

  constructor(fetchImpl?: FetchLike) {
    this.#fetch = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  }

  async load(before: number, filter: RequestFilter): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const response = await this.#fetch(pageUrl(before, filter), { headers: { Accept: 'application/json' } });
      const body = (await response.json()) as { items?: RequestRecord[]; error?: { message?: string } };
      if (generation !== this.#generation) return;
      if (!response.ok || !Array.isArray(body.items)) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
      this.rows = body.items.slice(0, PAGE_SIZE);
      this.hasOlder = body.items.length > PAGE_SIZE;
    } catch (e) {
      if (generation !== this.#generation) return;
      this.rows = [];
      this.hasOlder = false;
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Back on the live page: forget the fetched one. */
  clear(): void {
    this.#generation++;
    this.rows = [];
    this.hasOlder = false;
    this.loading = false;
    this.error = null;
  }
}
