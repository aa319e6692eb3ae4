// Pure list logic for alerts (no Svelte here, so vitest can import it directly).
import type { AlertRecord } from '../../../shared/alerts.js';

/** How many alerts the dashboard keeps (the snapshot sends at most 100). */
export const DEFAULT_ALERT_CAP = 200;

/** "Resolved recently" means resolved within this long (a day). */
export const RECENTLY_RESOLVED_MS = 24 * 60 * 60 * 1000;

/**
 * Merge `incoming` (in arrival order) into `existing` and return a NEW array: one alert per `id`
 * (the incoming copy wins: an `alert` delta replaces the whole record), newest first (highest `id`
 * first, like `GET /api/alerts`), at most `cap` alerts. Over the cap the oldest RESOLVED alerts go
 * first, so a firing alert is never pushed out by a run of resolved ones. Inputs are never mutated;
 * with nothing to merge and `existing` within the cap, `existing` itself is returned.
 */
export function mergeAlerts(
  existing: readonly AlertRecord[],
  incoming: readonly AlertRecord[],
  cap: number = DEFAULT_ALERT_CAP,
): readonly AlertRecord[] {
  const limit = Math.max(0, Math.floor(cap));
  if (incoming.length === 0 && existing.length <= limit) return existing;
  const byId = new Map<number, AlertRecord>();
  for (const alert of existing) byId.set(alert.id, alert);
  for (const alert of incoming) byId.set(alert.id, alert);
  const merged = [...byId.values()].sort((a, b) => b.id - a.id);
  if (merged.length <= limit) return merged;
  let excess = merged.length - limit;
  // Walk from the oldest end dropping resolved alerts; if firing ones alone exceed the cap, cut.
  const kept: AlertRecord[] = [];
  for (let i = merged.length - 1; i >= 0; i--) {
    const alert = merged[i]!;
    if (excess > 0 && alert.state !== 'firing') excess--;
    else kept.push(alert);
  }
  kept.reverse();
  return kept.length > limit ? kept.slice(0, limit) : kept;
}

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
export function recentlyResolved(
  items: readonly AlertRecord[],
  now: number,
  windowMs: number = RECENTLY_RESOLVED_MS,
): AlertRecord[] {
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
