-- The machine's memory samples, the blob → model-name map learnt from /api/show, and what
-- /api/ps says about each load (size, VRAM, when it went away).

CREATE TABLE memory_samples (
  id                     INTEGER PRIMARY KEY,
  ts                     INTEGER NOT NULL,
  at                     TEXT NOT NULL,
  total_bytes            INTEGER,
  used_bytes             INTEGER,
  available_bytes        INTEGER,
  wired_bytes            INTEGER,
  compressed_bytes       INTEGER,
  swap_used_bytes        INTEGER,
  swap_total_bytes       INTEGER,
  swapouts_delta         INTEGER,
  pressure               TEXT CHECK (pressure IN ('normal', 'warn', 'critical')),
  pressure_value         REAL,
  pressure_source        TEXT,
  ollama_footprint_bytes INTEGER,
  ollama_processes       INTEGER,
  gpu_used_bytes         INTEGER,
  gpu_total_bytes        INTEGER
);
CREATE INDEX memory_samples_ts ON memory_samples (ts);

-- A log line that names only `…/blobs/sha256-…` is resolved through this map.
CREATE TABLE model_blobs (
  blob         TEXT PRIMARY KEY,
  model        TEXT NOT NULL,
  architecture TEXT,
  format       TEXT,
  updated_at   INTEGER NOT NULL
);

ALTER TABLE loads ADD COLUMN size_bytes INTEGER;
ALTER TABLE loads ADD COLUMN vram_bytes INTEGER;
-- Set when /api/ps stopped listing the model; the log's own outcome is left as the log said.
ALTER TABLE loads ADD COLUMN unloaded_at TEXT;
-- 1 once /api/ps has listed this load.
ALTER TABLE loads ADD COLUMN api_seen INTEGER NOT NULL DEFAULT 0;
-- `api` for a load only /api/ps showed (no log line of it was read).
ALTER TABLE loads ADD COLUMN origin TEXT NOT NULL DEFAULT 'log' CHECK (origin IN ('log', 'api'));
CREATE INDEX loads_model ON loads (model);
CREATE INDEX loads_blob ON loads (blob);
