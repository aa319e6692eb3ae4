-- Per-minute and per-hour aggregates of requests and incidents, kept in the same
-- transaction as the rows they summarise, so charts over long windows never scan raw rows.
-- `bucket_ms` is 60000 or 3600000; `ts` is the bucket's start (epoch ms, a multiple of bucket_ms).
-- An unknown model or backend is '' (primary-key columns may not be NULL in a WITHOUT ROWID table).
-- Existing requests are rolled up by the agent on its next start (Rollups.backfill), since the
-- histograms are computed in JavaScript.
CREATE TABLE request_rollups (
  bucket_ms         INTEGER NOT NULL,
  ts                INTEGER NOT NULL,
  model             TEXT NOT NULL DEFAULT '',
  backend           TEXT NOT NULL DEFAULT '',
  requests          INTEGER NOT NULL DEFAULT 0,  -- every access-log line
  inference         INTEGER NOT NULL DEFAULT 0,  -- kind = 'inference'; latency_* cover these only
  errors            INTEGER NOT NULL DEFAULT 0,  -- status >= 400
  latency_sum       REAL NOT NULL DEFAULT 0,
  latency_max       REAL,
  decode_n          INTEGER NOT NULL DEFAULT 0,
  decode_sum        REAL NOT NULL DEFAULT 0,
  decode_min        REAL,
  decode_max        REAL,
  prefill_n         INTEGER NOT NULL DEFAULT 0,
  prefill_sum       REAL NOT NULL DEFAULT 0,
  prefill_max       REAL,
  prompt_tokens     INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  ctx_n             INTEGER NOT NULL DEFAULT 0,
  ctx_ratio_sum     REAL NOT NULL DEFAULT 0,     -- ctx_used / ctx_limit
  ctx_ratio_max     REAL,
  truncated         INTEGER NOT NULL DEFAULT 0,
  hist_decode       TEXT,                        -- sparse log-spaced histogram, see agent/store/histogram.ts
  hist_prefill      TEXT,
  hist_latency      TEXT,
  PRIMARY KEY (bucket_ms, ts, model, backend)
) WITHOUT ROWID;

CREATE TABLE incident_rollups (
  bucket_ms INTEGER NOT NULL,
  ts        INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  model     TEXT NOT NULL DEFAULT '',
  count     INTEGER NOT NULL,
  PRIMARY KEY (bucket_ms, ts, kind, model)
) WITHOUT ROWID;
