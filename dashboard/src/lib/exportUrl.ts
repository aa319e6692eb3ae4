// The export link of the requests in view: the history range (a preset counts back from now) and
// the request filters, as `/api/requests/export` takes them. Pure.
import { rangeWindow } from './history/range.js';
import { ALL } from './requestFilter.js';
import type { View } from './urlState.js';

export type ExportFormat = 'csv' | 'json';

export function exportUrl(view: Pick<View, 'range' | 'model' | 'backend' | 'status'>, format: ExportFormat, now: number): string {
  const { from, to } = rangeWindow(view.range, now);
  const q = new URLSearchParams({ format, from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  if (view.model !== ALL) q.set('model', view.model);
  if (view.backend !== ALL) q.set('backend', view.backend);
  if (view.status !== ALL) q.set('status', view.status);
  return `/api/requests/export?${q.toString()}`;
}
