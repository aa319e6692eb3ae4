// What the alert announcer says, and when: new firing alerts are spoken at most once per interval,
// gathered into one sentence, so a burst of alerts is one announcement. Pure.
export const ANNOUNCE_INTERVAL_MS = 10_000;

export function announcementText(titles: readonly string[]): string {
  if (titles.length === 0) return '';
  if (titles.length === 1) return `New alert: ${titles[0]}`;
  return `${titles.length} new alerts: ${titles.slice(0, 3).join('; ')}${titles.length > 3 ? '; and more' : ''}`;
}

/** When the next announcement may be made, given the last one (ms). */
export function nextAnnouncementAt(lastAt: number | null, now: number, interval = ANNOUNCE_INTERVAL_MS): number {
  return lastAt === null ? now : Math.max(now, lastAt + interval);
}
