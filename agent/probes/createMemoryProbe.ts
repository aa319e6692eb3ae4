// Picks the memory probe for this platform. Everything that touches the machine is injectable so the
// same wiring runs in tests with recorded outputs.
import { execRunner, readTextFile, type CommandRunner, type FileReader } from './commandRunner.js';
import { LinuxMemoryProbe } from './LinuxMemoryProbe.js';
import { MacMemoryProbe } from './MacMemoryProbe.js';
import type { MemoryProbe } from './MemoryProbe.js';
import { log as agentLog } from '../log.js';
import { UnsupportedMemoryProbe } from './UnsupportedMemoryProbe.js';

export interface CreateMemoryProbeOptions {
  /** Node's `process.platform`. */
  platform: string;
  /** Node's `process.arch`. */
  arch: string;
  run?: CommandRunner;
  readFile?: FileReader;
  /** Where "probe X is not available here" lines go; stderr by default, like the agent's other notices. */
  log?: (line: string) => void;
}

export function createMemoryProbe(opts: CreateMemoryProbeOptions): MemoryProbe {
  const run = opts.run ?? execRunner;
  const readFile = opts.readFile ?? readTextFile;
  const log = opts.log ?? ((line: string) => agentLog.info(line));
  switch (opts.platform) {
    case 'darwin':
      return new MacMemoryProbe({ run, arch: opts.arch, log });
    case 'linux':
      return new LinuxMemoryProbe({ run, readFile, arch: opts.arch, log });
    default:
      return new UnsupportedMemoryProbe(opts.platform, opts.arch, log);
  }
}
