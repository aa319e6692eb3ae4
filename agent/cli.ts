#!/usr/bin/env node
// Entry point: picks the command, reads the configuration once, and reports failures as one line.
// Exit codes: 0 done, 1 failed, 2 usage error.
import { UsageError } from './config/parseConfig.js';
import { runCommand } from './commands/run.js';
import { mainHelp } from './commands/help.js';
import { AGENT_VERSION } from './version.js';

// Loaded on demand so that the daemon never loads the simulator (and start-up stays small).
const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  demo: async (argv) => (await import('./commands/demo.js')).demoCommand(argv),
  analyze: async (argv) => (await import('./commands/analyze.js')).analyzeCommand(argv),
  doctor: async (argv) => (await import('./commands/doctor.js')).doctorCommand(argv),
  service: async (argv) => (await import('./commands/service.js')).serviceCommand(argv),
};

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v') {
    console.log(AGENT_VERSION);
    return 0;
  }
  if (first === 'help') {
    console.log(mainHelp());
    return 0;
  }
  if (first !== undefined && !first.startsWith('-')) {
    const command = COMMANDS[first];
    if (!command) throw new UsageError(`unknown command "${first}"; commands: ${Object.keys(COMMANDS).join(', ')} (see --help)`);
    return command(rest);
  }
  return runCommand(argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`ollama-lens: ${err.message}`);
      process.exitCode = 2;
    } else {
      console.error(`ollama-lens: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    }
  },
);
