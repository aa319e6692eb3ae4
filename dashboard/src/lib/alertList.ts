// The alert list (no Svelte here, so vitest can import it directly): its ListSpec, what fires, what
// was resolved recently.
import type { AlertRecord } from '../../../shared/alerts.js';
import { byIdNewestFirst, type ListSpec } from './listSpec.js';

/** "Resolved recently" means resolved within this long (a day). */
export const RECENTLY_RESOLVED_MS = 24 * 60 * 60 * 1000;

/**
 * Over the cap the oldest RESOLVED alerts go first, so a firing alert is never pushed out by a run
 * of resolved ones; if firing ones alone exceed the cap, the oldest of them go.
 */
function dropResolvedFirst(sorted: AlertRecord[], limit: number): AlertRecord[] {
  let excess = sorted.length - limit;
  const kept: AlertRecord[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const alert = sorted[i]!;
    if (excess > 0 && alert.state !== 'firing') excess--;
    else kept.push(alert);
  }
  kept.reverse();
  return kept.length > limit ? kept.slice(0, limit) : kept;
}

/** Newest first (highest id, like `GET /api/alerts`), one per id; 200 kept (the snapshot sends at most 100). */
export const ALERT_LIST: ListSpec<AlertRecord> = { key: (a) => a.id, newestFirst: byIdNewestFirst, cap: 200, trim: dropResolvedFirst };

const SEVERITY_RANK: Record<AlertRecord['severity'], number> = { critical: 0, warning: 1 };

/** The firing alerts, critical first, then newest first (highest `id`). A new array. */
export function firingAlerts(items: readonly AlertRecord[]): AlertRecord[] {
  return items
    .filter((a) => a.state === 'firing')
    .sort((a, b) => (SEVERITY_RANK[a.severity] ?? 2) - (SEVERITY_RANK[b.severity] ?? 2) || b.id - a.id);
}

function time(at: string | null): number {
  const t = at === null ? Number.NaN : Date.parse(at);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/**
 * The alerts resolved within `windowMs` before `now`, most recently resolved first. An alert whose
 * `resolvedAt` is missing or unreadable still counts (it did resolve; when is not known).
 */
export function recentlyResolved(items: readonly AlertRecord[], now: number, windowMs: number = RECENTLY_RESOLVED_MS): AlertRecord[] {
  return items
    .filter((a) => {
      if (a.state !== 'resolved') return false;
      const at = a.resolvedAt === null ? Number.NaN : Date.parse(a.resolvedAt);
      return Number.isNaN(at) || at >= now - windowMs;
    })
    .sort((a, b) => time(b.resolvedAt) - time(a.resolvedAt) || b.id - a.id);
}

/** The alert id a `#alert-<id>` fragment points at (webhook links), or null. */
export function alertIdFromHash(hash: string): number | null {
  const match = /^#?alert-(\d{1,15})$/.exec(hash.trim());
  if (match === null) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** The DOM id of an alert's banner (or its line in the resolved list): what webhook links target. */
export function alertElementId(id: number): string {
  return `alert-${id}`;
}
