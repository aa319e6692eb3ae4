// Writes GIN access lines in gin's exact layout, for fixtures.
export function ginLine({
  date = '2026/11/26',
  time = '08:00:00',
  status = 200,
  latency = '1.234567s',
  client = '127.0.0.1',
  method = 'POST',
  path = '/api/chat',
} = {}): string {
  return `[GIN] ${date} - ${time} | ${String(status).padStart(3)} | ${latency.padStart(13)} | ${client.padStart(15)} | ${method.padEnd(7)} "${path}"`;
}

const p2 = (n: number): string => String(n).padStart(2, '0');

/** A GIN line stamped `d` in UTC, for tests whose rows must be "now" (a live row, a firing alert). */
export function ginLineAt(d: Date, fields: Omit<Parameters<typeof ginLine>[0] & object, 'date' | 'time'> = {}): string {
  return ginLine({
    ...fields,
    date: `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}`,
    time: `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`,
  });
}

/** A slog `time=` value at `d`, to the second as Ollama writes it. */
export const slogTime = (d = new Date()): string => d.toISOString().replace(/\.\d{3}Z$/, '.000Z');
