-- Retention. Memory samples are summarised per hour before the raw ones age out, so long
-- memory charts keep working; `ts` is the hour's start (epoch ms). Amounts are averages over the
-- hour's samples (as /api/memory's thinned buckets are), with the maxima that matter for spikes.
CREATE TABLE memory_rollups (
  ts                     INTEGER PRIMARY KEY,
  samples                INTEGER NOT NULL,
  at                     TEXT NOT NULL,     -- the hour's last sample time
  total_bytes            INTEGER,
  used_bytes             INTEGER,           -- average
  used_max               INTEGER,
  available_bytes        INTEGER,
  wired_bytes            INTEGER,
  compressed_bytes       INTEGER,
  swap_used_bytes        INTEGER,           -- average
  swap_used_max          INTEGER,
  swap_total_bytes       INTEGER,
  swapouts_delta         INTEGER,           -- sum
  pressure_rank          INTEGER,           -- worst level: 0 normal, 1 warn, 2 critical
  pressure_value         REAL,              -- average
  pressure_source        TEXT,
  ollama_footprint_bytes INTEGER,
  ollama_processes       INTEGER,
  gpu_used_bytes         INTEGER,
  gpu_total_bytes        INTEGER
);

-- With foreign_keys = ON, deleting a parent row looks up its children: without these indexes every
-- deleted request (or load, or incident) would scan the whole child table.
CREATE INDEX incidents_request ON incidents (request_id);
CREATE INDEX incidents_load ON incidents (load_id);
CREATE INDEX requests_load ON requests (load_id);
CREATE INDEX alerts_request ON alerts (request_id);
CREATE INDEX alerts_load ON alerts (load_id);
CREATE INDEX alerts_incident ON alerts (incident_id);
