// Retention as the agent runs it: the tiers and size cap from the command line, and the WAL checkpoint
// worker awaited between chunks, so neither the deletes nor the WAL copy hold up ingestion.
import type { OpenStore } from '../store/openStore.js';
import { Retention } from './Retention.js';

export interface RetentionConfig {
  retentionRequestsDays: number;
  retentionMinutesDays: number;
  retentionHoursDays: number;
  retentionMemoryDays: number;
  maxDbMb: number;
}

export function createRetention(config: RetentionConfig, stored: OpenStore, now: () => Date): Retention {
  return new Retention({
    db: stored.db,
    options: {
      requestsDays: config.retentionRequestsDays,
      minutesDays: config.retentionMinutesDays,
      hoursDays: config.retentionHoursDays,
      memoryDays: config.retentionMemoryDays,
      maxDbMb: config.maxDbMb,
    },
    now: () => now().getTime(),
    onRequestsDeleted: (n) => stored.store.noteRequestsInserted(-n),
    pause: () => stored.checkpointer.pause(),
  });
}
