// The zone every time on the page is shown in, said once in the header so the times themselves
// can stay short ("14:05:09").

/** "UTC+01:00", "UTC−05:30", "UTC" for a `getTimezoneOffset()` value (minutes behind UTC). */
export function utcOffsetText(offsetMinutes: number): string {
  const east = -offsetMinutes;
  if (east === 0) return 'UTC';
  const abs = Math.abs(east);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `UTC${east > 0 ? '+' : '-'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "Times in Europe/Paris (UTC+01:00)"; just the offset when the browser names no zone. */
export function timeZoneText(zone: string | undefined, offsetMinutes: number): string {
  const offset = utcOffsetText(offsetMinutes);
  return zone === undefined || zone === '' || zone === 'UTC' ? `Times in ${offset}` : `Times in ${zone} (${offset})`;
}

/** The browser's own zone, now. */
export function localTimeZoneText(now = new Date()): string {
  let zone: string | undefined;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    zone = undefined;
  }
  return timeZoneText(zone, now.getTimezoneOffset());
}
