-- The optional transparent proxy (`--proxy LISTEN=UPSTREAM`) and its exact token counts.
-- A request row says who saw it: the log's access line, the proxy, or both (the proxy's exact tokens
-- merged into the log's row of the same request).
ALTER TABLE requests ADD COLUMN source TEXT NOT NULL DEFAULT 'log' CHECK (source IN ('log', 'proxy', 'both'));

-- What the proxy measured of each request it forwarded, linked to the request row it became part of.
-- Never the bodies: only sizes, timings and the counters of Ollama's final chunk or the `usage` object.
CREATE TABLE proxy_requests (
  id                   INTEGER PRIMARY KEY,
  request_id           INTEGER NOT NULL REFERENCES requests(id),
  at                   TEXT NOT NULL,     -- end of the response, ISO-8601 with offset
  ts                   INTEGER NOT NULL,  -- epoch ms of `at`
  method               TEXT NOT NULL,
  path                 TEXT NOT NULL,
  status               INTEGER NOT NULL,
  model                TEXT,              -- from the request body (first 64 KiB)
  stream               INTEGER,           -- the body's `stream` flag, when given
  ttfb_ms              REAL,              -- request received → first response byte from Ollama
  total_ms             REAL NOT NULL,     -- request received → response finished (or the client left)
  request_bytes        INTEGER NOT NULL,
  response_bytes       INTEGER NOT NULL,
  aborted              INTEGER NOT NULL DEFAULT 0,  -- the client disconnected before the end
  prompt_eval_count    INTEGER,
  eval_count           INTEGER,
  prompt_eval_duration INTEGER,           -- nanoseconds, as Ollama reports them
  eval_duration        INTEGER,
  load_duration        INTEGER,
  total_duration       INTEGER,
  done_reason          TEXT,
  usage_input_tokens   INTEGER,           -- OpenAI prompt_tokens / Anthropic input_tokens
  usage_output_tokens  INTEGER,           -- OpenAI completion_tokens / Anthropic output_tokens
  merged               INTEGER NOT NULL DEFAULT 0   -- 1: merged into the log's row; 0: a proxy-only row
);
CREATE INDEX proxy_requests_request ON proxy_requests (request_id);
CREATE INDEX proxy_requests_ts ON proxy_requests (ts);
