-- The correlator now produces server runs with their config and devices, model loads and
-- incidents, each with a per-source `key` so later lines can complete a record already stored.

-- server_runs gains a key, the config env map and the devices; `address` may be unknown (a log slice
-- that starts with `server config`), so the table is rebuilt without that NOT NULL.
CREATE TABLE server_runs_v2 (
  id           INTEGER PRIMARY KEY,
  source_id    INTEGER NOT NULL REFERENCES sources(id),
  key          INTEGER,
  at           TEXT,
  ts           INTEGER,
  address      TEXT,
  version      TEXT,
  config_json  TEXT NOT NULL DEFAULT '{}',
  devices_json TEXT NOT NULL DEFAULT '[]',
  default_ctx  INTEGER
);
INSERT INTO server_runs_v2 (id, source_id, at, ts, address, version)
  SELECT id, source_id, at, ts, address, version FROM server_runs;
DROP TABLE server_runs;
ALTER TABLE server_runs_v2 RENAME TO server_runs;
CREATE UNIQUE INDEX server_runs_key ON server_runs (source_id, key);

CREATE TABLE loads (
  id           INTEGER PRIMARY KEY,
  source_id    INTEGER NOT NULL REFERENCES sources(id),
  key          INTEGER NOT NULL,
  server_id    INTEGER REFERENCES server_runs(id),
  at           TEXT,
  ts           INTEGER,
  model        TEXT,
  blob         TEXT,
  engine       TEXT CHECK (engine IN ('mlx', 'llama.cpp', 'ollama-engine')),
  backend      TEXT,
  device       TEXT,
  ctx          INTEGER,
  parallel     INTEGER,
  kv_bytes     INTEGER,
  gpu_layers   INTEGER,
  total_layers INTEGER,
  load_seconds REAL,
  outcome      TEXT CHECK (outcome IN ('ready', 'failed', 'stopped')),
  error        TEXT
);
CREATE UNIQUE INDEX loads_key ON loads (source_id, key);
CREATE INDEX loads_ts ON loads (ts);

ALTER TABLE requests ADD COLUMN key INTEGER;
ALTER TABLE requests ADD COLUMN load_id INTEGER REFERENCES loads(id);
CREATE UNIQUE INDEX requests_key ON requests (source_id, key);

CREATE TABLE incidents (
  id         INTEGER PRIMARY KEY,
  source_id  INTEGER NOT NULL REFERENCES sources(id),
  key        INTEGER NOT NULL,
  at         TEXT,
  ts         INTEGER,
  kind       TEXT NOT NULL,
  model      TEXT,
  detail     TEXT NOT NULL,
  load_id    INTEGER REFERENCES loads(id),
  request_id INTEGER REFERENCES requests(id)
);
CREATE UNIQUE INDEX incidents_key ON incidents (source_id, key);
CREATE INDEX incidents_ts ON incidents (ts);
