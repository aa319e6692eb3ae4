-- Alerts. One row per alert episode: an alert that recurs within the quiet period is the same
-- row reopened; `key` (kind|subject) is unique among firing alerts.
CREATE TABLE alerts (
  id               INTEGER PRIMARY KEY,
  key              TEXT NOT NULL,
  kind             TEXT NOT NULL,
  severity         TEXT NOT NULL CHECK (severity IN ('warning', 'critical')),
  subject          TEXT NOT NULL,
  model            TEXT,
  state            TEXT NOT NULL CHECK (state IN ('firing', 'resolved')),
  title            TEXT NOT NULL,
  message          TEXT NOT NULL,
  evidence_json    TEXT NOT NULL DEFAULT '[]',
  count            INTEGER NOT NULL,
  first_at         TEXT NOT NULL,
  first_ts         INTEGER NOT NULL,
  last_at          TEXT NOT NULL,
  last_ts          INTEGER NOT NULL,
  resolved_at      TEXT,
  acknowledged_at  TEXT,
  notifications    INTEGER NOT NULL DEFAULT 0,
  last_notified_at TEXT,
  incident_id      INTEGER REFERENCES incidents(id),
  load_id          INTEGER REFERENCES loads(id),
  request_id       INTEGER REFERENCES requests(id)
);
CREATE UNIQUE INDEX alerts_firing_key ON alerts (key) WHERE state = 'firing';
CREATE INDEX alerts_last_ts ON alerts (last_ts);

-- The 7-day decode-speed baseline per model and backend (throughput regression).
CREATE INDEX requests_model_backend_ts ON requests (model, backend, ts) WHERE decode_tps IS NOT NULL;
