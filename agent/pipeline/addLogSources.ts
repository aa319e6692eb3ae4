// One source per log file and per journal unit: a reader started from the ingestor's resume point,
// whose batches the ingestor parses, correlates and stores with the new resume point.
import type { Bus } from '../bus.js';
import type { CorrelatorOptions } from '../correlate/options.js';
import { FileTailer } from '../source/FileTailer.js';
import { JournalTailer } from '../source/JournalTailer.js';
import type { LineBatch } from '../source/LogSource.js';
import type { OpenStore } from '../store/openStore.js';
import type { LogSources } from './LogSources.js';
import { SourceIngestor } from './SourceIngestor.js';

export interface LogSourcesConfig {
  logs: readonly string[];
  journal: readonly string[];
  /** First start only: `all`, `none`, or `Nd`. */
  backfill: string;
}

export interface LogSourcesOptions {
  stored: OpenStore;
  bus: Bus;
  correlator: CorrelatorOptions;
  onStatus: () => void;
}

export function addLogSources(sources: LogSources, config: LogSourcesConfig, o: LogSourcesOptions): void {
  const { stored, bus } = o;
  // Far behind a file, a batch is parsed on the pipeline thread while the ones before it are stored
  // (accept answers a promise then); either way a damaged database is noted for /api/health.
  const ingest = (ingestor: SourceIngestor, batch: LineBatch): void | Promise<void> => {
    const noted = (err: unknown): never => {
      stored.health.note(err);
      throw err;
    };
    try {
      return ingestor.accept(batch)?.catch(noted);
    } catch (err) {
      return noted(err);
    }
  };
  for (const path of config.logs) {
    const ingestor = new SourceIngestor(stored.store, bus, path, o.correlator);
    const reader = new FileTailer({
      path,
      start: ingestor.position,
      linesRead: ingestor.resumePoint.linesRead,
      backfill: config.backfill,
      // Raw bytes and a line count: the lines are split where they are parsed (the pipeline thread, far behind).
      unsplit: true,
      onBatch: (batch) => ingest(ingestor, batch),
      onStatus: o.onStatus,
    });
    sources.add(reader, ingestor);
  }
  // Linux installs log to the journal: one source per unit; its cursor is its resume point, as an offset is a file's.
  for (const unit of config.journal) {
    const ingestor = new SourceIngestor(stored.store, bus, `journal:${unit}`, o.correlator);
    const reader = new JournalTailer({
      unit,
      start: ingestor.position,
      linesRead: ingestor.resumePoint.linesRead,
      backfill: config.backfill,
      // A journal batch has no `behind`, so accept() stores it on this thread and answers no promise.
      onBatch: (batch) => void ingest(ingestor, batch),
      onStatus: o.onStatus,
    });
    sources.add(reader, ingestor);
  }
}
