// `ollama-lens doctor [--json]`: checks what the agent needs (a readable log, Ollama's API) and what
// decides the backend (machine, memory, MLX eligibility, local models), with a fix for each problem.
import { optionsHelp } from '../config/helpText.js';
import { parseConfig } from '../config/parseConfig.js';
import { doctorReport } from '../doctor/checks.js';
import { DOCTOR_TIMEOUT_MS, fileAccess, gatherFacts, logHeadAndTail, systemJournalProbe } from '../doctor/gatherFacts.js';
import { renderDoctor } from '../doctor/renderDoctor.js';
import { addProxyChecks } from '../doctor/proxyChecks.js';
import { OllamaApi } from '../ollama/OllamaApi.js';
import { createMemoryProbe } from '../probes/createMemoryProbe.js';

export function doctorHelp(): string {
  return `ollama-lens doctor — check that ollama-lens can watch Ollama on this machine, and explain what decides
which backend serves your models. Each failed check comes with a concrete fix.

Usage:
  ollama-lens doctor [--json] [options]

Checks:
  log        each log file is there and readable; on Linux, the systemd journal of the unit (installed,
             and readable by your user) when the agent would follow it
  ollama     Ollama's API answers (and its version)
  machine    OS, chip and memory size
  memory     current memory pressure, available memory, swap in use
  mlx        MLX eligibility: macOS on Apple Silicon with at least 32 GB of unified memory (the MLX
             preview's floor), an Ollama with the MLX engine, and a pulled MLX build (safetensors) —
             with the reason when not
  expect-mlx models given to --expect-mlx that are pulled only as GGUF (they will run on llama.cpp)
  proxy      with --proxy LISTEN=UPSTREAM: LISTEN is free and Ollama answers at UPSTREAM; if not, how to move
             Ollama there (macOS app: launchctl setenv OLLAMA_HOST; Linux: a systemd override)
It also lists the local models (MLX build or GGUF) and, for each loaded model, the KV cache per token
of context, the context allocated, and how many more tokens the free memory would hold.

Exit codes:
  0  ollama-lens can do its job. Warnings and notes do not change that: MLX not being available is
     informational, since a 16 GB Mac, an Intel Mac or a Linux box is still a fine machine to monitor
     (its models run on llama.cpp).
  1  a check of severity "error" failed: no configured log source is readable, or Ollama's API
     does not answer.
  2  usage error.

doctor takes the agent's options, so it checks exactly what \`ollama-lens\` with the same options would use.
It gives up on anything that has not answered within ${(DOCTOR_TIMEOUT_MS / 1000).toFixed(1)} s.

${optionsHelp(process.env, process.platform, ['agent', 'analysis'])}
  --json                 print the report as JSON (machine, memory, ollama, log, mlx, models, loaded, checks, ok)`;
}

export async function doctorCommand(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const { config, help, explicit } = parseConfig(
    argv.filter((a) => a !== '--json'),
    process.env,
    { scopes: ['agent', 'analysis'] },
  );
  if (help) {
    console.log(doctorHelp());
    return 0;
  }
  const facts = await gatherFacts(config, explicit, {
    // The report says which probes are not available; no separate notice lines.
    memoryProbe: createMemoryProbe({ platform: process.platform, arch: process.arch, log: () => {} }),
    api: new OllamaApi({ url: config.ollama, timeoutMs: DOCTOR_TIMEOUT_MS - 500 }),
    access: fileAccess,
    platform: process.platform,
    env: process.env,
    journalUnits: systemJournalProbe(DOCTOR_TIMEOUT_MS - 500),
    logText: logHeadAndTail,
  });
  const report = doctorReport(facts);
  if (config.proxy) await addProxyChecks(report, config.proxy, process.platform, DOCTOR_TIMEOUT_MS - 500);
  const code = report.ok ? 0 : 1;
  const text = json ? JSON.stringify(report, null, 2) : renderDoctor(report);
  await new Promise<void>((resolve) => process.stdout.write(`${text}\n`, () => resolve()));
  // Whatever the deadline cut off (a command that hangs, a request Ollama never answers) must not keep
  // doctor running after it has answered; the report is written by now.
  setTimeout(() => process.exit(code), 250).unref();
  return code;
}
