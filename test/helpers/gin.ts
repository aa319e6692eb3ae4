// Writes GIN access lines in gin's exact layout, for fixtures.
export function ginLine(
  { date = '2026/11/26', time = '08:00:00', status = 200, latency = '1.234567s', client = '127.0.0.1', method = 'POST', path = '/api/chat' } = {},
): string {
  return `[GIN] ${date} - ${time} | ${String(status).padStart(3)} | ${latency.padStart(13)} | ${client.padStart(15)} | ${method.padEnd(7)} "${path}"`;
}
