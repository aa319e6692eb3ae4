// The view as reactive state, kept in the address bar: every change the person makes is a new
// history entry (back/forward walk through them), and a link opens the same view.
import type { RangeChoice } from './history/range.js';
import type { StatusClassFilter } from './requestFilter.js';
import { parseView, viewSearch, type View } from './urlState.js';

/** The parts of `window` the sync uses (a fake in unit tests). */
export interface HistoryLike {
  readonly location: { search: string; pathname: string; hash: string };
  readonly history: { pushState(data: unknown, unused: string, url: string): void };
  addEventListener(type: 'popstate', fn: () => void): void;
  removeEventListener(type: 'popstate', fn: () => void): void;
}

export class ViewState implements View {
  range: RangeChoice = $state.raw(parseView('').range);
  model = $state('');
  backend = $state('');
  status: StatusClassFilter = $state('');
  before: number | null = $state(null);
  request: number | null = $state(null);
  #stopSync: (() => void) | null = null;

  constructor(search = '') {
    this.set(parseView(search));
  }

  /** A plain copy. */
  get current(): View {
    return { range: this.range, model: this.model, backend: this.backend, status: this.status, before: this.before, request: this.request };
  }

  set(view: View): void {
    this.range = view.range;
    this.model = view.model;
    this.backend = view.backend;
    this.status = view.status;
    this.before = view.before;
    this.request = view.request;
  }

  /** Filters changed: the page cursor belongs to the old filters, so go back to the newest page. */
  setFilter(part: Partial<Pick<View, 'model' | 'backend' | 'status'>>): void {
    if (part.model !== undefined) this.model = part.model;
    if (part.backend !== undefined) this.backend = part.backend;
    if (part.status !== undefined) this.status = part.status;
    this.before = null;
  }

  /** Follow `win`'s address bar: read it now and on back/forward, write it on every change. */
  sync(win: HistoryLike = window): void {
    if (this.#stopSync !== null) return;
    const read = () => this.set(parseView(win.location.search));
    read();
    win.addEventListener('popstate', read);
    const stopEffect = $effect.root(() => {
      $effect(() => {
        const search = viewSearch(this.current);
        if (search === viewSearch(parseView(win.location.search))) return;
        win.history.pushState(null, '', `${win.location.pathname}${search}${win.location.hash}`);
      });
    });
    this.#stopSync = () => {
      win.removeEventListener('popstate', read);
      stopEffect();
    };
  }

  stopSync(): void {
    this.#stopSync?.();
    this.#stopSync = null;
  }
}
