// What runAgent takes and gives: where its files are, the parts a test may replace, and the running
// agent's handle (commands and tests hold this, not the wiring).
import { join } from 'node:path';
import type { SourceStatus } from '../shared/status.js';
import type { MemoryProbe } from './probes/MemoryProbe.js';
import { packageRoot } from './version.js';

export interface AgentPaths {
  migrationsDir: string;
  dashboardDir: string;
}

export function defaultPaths(): AgentPaths {
  const root = packageRoot();
  return { migrationsDir: join(root, 'migrations'), dashboardDir: join(root, 'dist', 'dashboard') };
}

/** Parts a test may replace. */
export interface AgentDeps {
  memoryProbe?: MemoryProbe;
  now?: () => Date;
  /** How long a model /api/ps lists may wait for its log load before it gets one of its own. */
  apiLoadGraceMs?: number;
}

export interface RunningAgent {
  url: string;
  dbPath: string;
  /** The log sources as the status strip shows them (the demo waits for its past to be read). */
  sources(): SourceStatus[];
  /** The proxy's URL (`--proxy`), null when off. */
  proxyUrl: string | null;
  stop(): Promise<void>;
}
