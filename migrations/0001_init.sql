-- Sources: one row per followed log. Its resume point (identity + offset of the last complete line)
-- only ever changes in the same transaction as the rows derived from those lines.
CREATE TABLE sources (
  id          INTEGER PRIMARY KEY,
  path        TEXT NOT NULL UNIQUE,
  identity    TEXT,              -- device:inode of the file read
  fingerprint TEXT,              -- hash of its first bytes, to tell a replaced file from the same one
  offset      INTEGER NOT NULL DEFAULT 0,
  lines_read  INTEGER NOT NULL DEFAULT 0,
  state_json  TEXT,              -- the correlator's pending state at `offset`
  updated_at  INTEGER
);

CREATE TABLE server_runs (
  id        INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  at        TEXT,
  ts        INTEGER,
  address   TEXT NOT NULL,
  version   TEXT
);

CREATE TABLE requests (
  id                INTEGER PRIMARY KEY,
  source_id         INTEGER REFERENCES sources(id),
  at                TEXT NOT NULL,
  ts                INTEGER NOT NULL,
  method            TEXT NOT NULL,
  path              TEXT NOT NULL,
  status            INTEGER NOT NULL,
  latency_ms        REAL NOT NULL,
  client            TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('inference', 'other')),
  model             TEXT,
  backend           TEXT,
  prompt_tokens     INTEGER,
  completion_tokens INTEGER,
  prefill_tps       REAL,
  decode_tps        REAL,
  ctx_used          INTEGER,
  ctx_limit         INTEGER,
  truncated         INTEGER
);

CREATE INDEX requests_ts ON requests (ts);
