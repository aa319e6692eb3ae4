// `ollama-lens analyze FILE… [--json]`: reads the logs once and prints the report (or the JSON of docs/analyze-json.md).
import { accessSync, constants, statSync } from 'node:fs';
import { analyzeFiles, isNotAnOllamaLog } from '../analyze/analyzeLog.js';
import { renderReport } from '../analyze/report.js';
import { terminalSafeJson } from '../analyze/terminalSafe.js';
import { correlatorOptions } from '../config/correlatorOptions.js';
import { optionsHelp } from '../config/helpText.js';
import { parseConfig, UsageError } from '../config/parseConfig.js';
import { TerminalProgress } from '../terminalProgress.js';

export function analyzeHelp(): string {
  return `ollama-lens analyze — read Ollama server logs once and report what happened: versions, model loads
(engine, backend, context, KV cache, GPU layers), requests and throughput by model and backend, and every
incident (MLX/GPU fallbacks, truncation, crashes, OOM) with its evidence. No database, no network.

Usage:
  ollama-lens analyze FILE… [--json] [options]

Several files are read as one log, in the order given: list rotated logs oldest first
(server-2.log server-1.log server.log). --json prints the stable contract described in README.md ("Read a log once").

${optionsHelp(process.env, process.platform, ['analysis'])}
  --json                 print JSON instead of the report`;
}

/** Below this, analyze is done before a progress line would be worth drawing. */
const PROGRESS_FROM_BYTES = 8 * 1024 ** 2;

export async function analyzeCommand(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const { config, rest, help } = parseConfig(
    argv.filter((a) => a !== '--json'),
    process.env,
    { allowPositional: true, scopes: ['analysis'] },
  );
  if (help) {
    console.log(analyzeHelp());
    return 0;
  }
  if (rest.length === 0) throw new UsageError('analyze needs at least one log file: ollama-lens analyze ~/.ollama/logs/server.log');
  for (const file of rest) {
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
      accessSync(file, constants.R_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'not a readable file';
      console.error(`ollama-lens: cannot read ${file}: ${why}`);
      return 1;
    }
  }
  const named = rest.join(', ');
  // Nothing to read, or nothing of an Ollama log in it (a binary, a CSV): one line, not a report of
  // zeros with the file's bytes as "unrecognised" samples.
  const total = rest.reduce((sum, f) => sum + statSync(f).size, 0);
  if (total === 0) {
    console.error(`ollama-lens: ${named} ${rest.length === 1 ? 'is' : 'are'} empty: nothing to analyze`);
    return 1;
  }
  // A large log takes a while: a progress line on stderr when it is a terminal (never in a pipe).
  const progress = total >= PROGRESS_FROM_BYTES ? new TerminalProgress('analyze') : null;
  const analysis = await analyzeFiles(rest, correlatorOptions(config), progress ? (read) => progress.update(read, total) : undefined);
  progress?.done();
  if (isNotAnOllamaLog(analysis)) {
    console.error(`ollama-lens: no Ollama log lines found in ${named}`);
    return 1;
  }
  // The report escapes log text itself; JSON.stringify leaves DEL and C1 raw.
  console.log(json ? terminalSafeJson(JSON.stringify(analysis.result, null, 2)) : renderReport(analysis, rest));
  return 0;
}
