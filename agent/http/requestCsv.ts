// CSV of request records (RFC 4180: CRLF line ends, quotes doubled), one column per API field in
// the API's order, so a spreadsheet and `/api/requests` say the same thing. Unknown is an empty cell.
import type { RequestRecord } from '../../shared/records.js';

export const CSV_COLUMNS: readonly (keyof RequestRecord)[] = [
  'id',
  'at',
  'method',
  'path',
  'status',
  'latencyMs',
  'client',
  'kind',
  'model',
  'backend',
  'promptTokens',
  'completionTokens',
  'prefillTps',
  'decodeTps',
  'ctxUsed',
  'ctxLimit',
  'truncated',
  'loadId',
  'source',
  'peakMemoryBytes',
  'modelMemoryBytes',
  'kvBytes',
  'kvUsedBytes',
  'kvFill',
  'memoryUsedBytes',
  'memoryPressure',
  'swapUsedBytes',
  'ollamaFootprintBytes',
];

/** What a request record's fields hold. */
export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  // Text from a log (a path, a model name) that a spreadsheet would run as a formula is kept as text.
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

export function csvRows(records: readonly RequestRecord[]): string {
  let out = '';
  for (const r of records) out += `${CSV_COLUMNS.map((c) => csvCell(r[c])).join(',')}\r\n`;
  return out;
}
